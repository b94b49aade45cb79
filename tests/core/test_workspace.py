"""工作台: what waits for each role, with counts and links, in a constant number of queries (issue 15)."""

import re

import pytest

from disclosure import services
from disclosure.models import DocumentKind, Status
from interpretation import services as interpretation
from tests.disclosure.factories import draft, not_public
from tests.interpretation.factories import make_plan, own_policy, qa
from tests.units.factories import UserFactory


def todos(client, user):
    """{todo key: (count, href)} as the page shows them."""
    client.force_login(user)
    html = client.get("/workspace/").content.decode()
    rows = re.findall(r'<li class="todo todo-(\w+)[^"]*">\s*<a href="([^"]+)"><span class="todo-title">[^<]+</span>\s*'
                      r'<span class="todo-count[^"]*">(\d+) 件</span>', html)
    return {key: (int(count), href.replace("&amp;", "&")) for key, href, count in rows}, html


def waiting(world, n):
    """n documents at every step: submitted, returned, in seal review, in 保密审查; n plans to approve."""
    for i in range(n):
        submitted = draft(world.clerk, world.fgw, title=f"报送的公文{i}")
        services.document_submit(document=submitted, by=world.clerk)
        returned = draft(world.clerk, world.fgw, title=f"退回的公文{i}")
        services.document_submit(document=returned, by=world.clerk)
        services.document_return(document=returned, by=world.head, reasons=["format"])
        sealed = services.document_create(by=world.clerk, issuer=world.fgw,
                                          data=not_public(kind=DocumentKind.POLICY, title=f"拟不公开{i}"))
        services.seal_review_request(document=sealed, by=world.clerk)
        secret = draft(world.clerk, world.fgw, title=f"保密审查的公文{i}")
        services.document_submit(document=secret, by=world.clerk)
        services.document_accept(document=secret, by=world.head)
        plan = make_plan(world, own_policy(world, title=f"政策文件{i}"))
        qa(world, plan)
        interpretation.plan_request_approval(plan=plan, by=world.clerk)


def test_workspace_counts_and_links_per_role(client, world):
    waiting(world, 2)
    rows, _ = todos(client, world.clerk)
    assert rows["returned"] == (2, "/work/documents/?status=returned")
    assert "review" not in rows and "seal" not in rows and "confidentiality" not in rows
    assert rows["inbox"][0] >= 2  # the returns, the acceptances, the approvals…

    rows, html = todos(client, world.head)
    assert rows["review"] == (2, "/work/review/")
    assert rows["plans"] == (2, "/work/interpretation/")
    assert "《政策文件0》" in html and "/work/interpretation/documents/" in html
    assert "returned" not in rows

    rows, _ = todos(client, world.office)
    assert rows["seal"] == (2, "/work/seal-reviews/")
    rows, _ = todos(client, world.secrecy)
    assert rows["confidentiality"] == (2, "/work/confidentiality/")

    rows, _ = todos(client, world.other_head)  # another unit: nothing of fgw's waits for it
    assert rows["review"][0] == 0 and rows["plans"][0] == 0
    rows, _ = todos(client, world.reviewer)  # the city office reviews only city-bound documents
    assert rows["review"][0] == 0


def test_workspace_inbox_counts_unread_messages(client, world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    rows, _ = todos(client, world.head)
    assert rows["inbox"] == (1, "/inbox/")


@pytest.mark.parametrize("who", ["clerk", "head", "office", "secrecy", "reviewer"])
def test_workspace_query_count_does_not_grow_with_the_queues(client, world, who, django_assert_num_queries,
                                                             django_assert_max_num_queries):
    user = world[who]
    client.force_login(user)
    waiting(world, 1)
    client.get("/workspace/")  # what a process reads once (content types) is read here, not measured
    with django_assert_max_num_queries(100) as small:
        client.get("/workspace/")
    waiting(world, 4)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get("/workspace/")
    assert response.status_code == 200


def test_workspace_login_lands_a_clerk_on_the_workspace(client, world):
    world.clerk.set_password("pw-123456")
    world.clerk.save()
    home = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in home  # the header link carries no way back to the public page
    response = client.post("/accounts/login/", {"username": "clerk", "password": "pw-123456"})
    assert response.status_code == 302 and response["Location"] == "/workspace/"


def test_workspace_user_without_units_sees_no_todos(client, db):
    client.force_login(UserFactory())
    html = client.get("/workspace/").content.decode()
    assert "待办事项" not in html and "尚未关联任何单位" in html


def test_workspace_clerk_sees_interpretation_plans_to_finish(client, world):
    document = own_policy(world, title="需要解读的政策文件")
    rows, _ = todos(client, world.clerk)
    assert rows["interpretation"] == (1, "/work/interpretation/")
    plan = make_plan(world, document)
    qa(world, plan)
    assert todos(client, world.clerk)[0]["interpretation"][0] == 1
    interpretation.plan_request_approval(plan=plan, by=world.clerk)
    assert todos(client, world.clerk)[0]["interpretation"][0] == 0  # now it waits for the head
    assert todos(client, world.head)[0]["plans"][0] == 1
