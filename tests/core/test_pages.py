"""Home, login, workspace and the font-size switch, in Simplified Chinese."""

import pytest

from tongchuan_portal.units.models import Role
from tests.units.factories import UserFactory, member


def test_home_lists_the_unit_directory(client, tongchuan_units, django_assert_num_queries):
    with django_assert_num_queries(2):  # units, latest documents
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN"' in html
    assert "跳到主要内容" in html
    for name in ("铜川市人民政府办公室", "铜川市耀州区人民政府", "中共铜川市委宣传部", "铜政办发"):
        assert name in html
    assert "0919-3185100" in html  # the office's contact in the footer


def test_home_query_count_does_not_grow_with_units(client, tongchuan_units, unit_factory, django_assert_num_queries):
    for _ in range(30):
        unit_factory()
    with django_assert_num_queries(2):
        client.get("/")


def test_login_page_in_chinese_and_wrong_password_keeps_username(client, db):
    UserFactory(username="clerk")
    response = client.post("/accounts/login/", {"username": "clerk", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码不正确" in html
    assert 'value="clerk"' in html


def test_login_then_workspace_lists_units_and_roles(client, tongchuan_units, django_assert_max_num_queries):
    user = UserFactory(username="clerk")
    member(user, tongchuan_units["fgw"], Role.Code.CLERK, Role.Code.UNIT_HEAD)
    member(user, tongchuan_units["jyj"], Role.Code.CLERK)
    response = client.post("/accounts/login/", {"username": "clerk", "password": "pw-123456"})
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    response = client.get("/workspace/")
    html = response.content.decode()
    assert "铜川市发展和改革委员会" in html and "铜川市教育局" in html
    assert "部门经办人" in html and "单位主要负责人" in html


def test_workspace_queries_constant(client, tongchuan_units, django_assert_num_queries):
    user = UserFactory(username="many")
    client.force_login(user)
    member(user, tongchuan_units["fgw"], Role.Code.CLERK, Role.Code.UNIT_HEAD)
    # session, user, memberships (once: the role rows are kept on the user), unread count; then one count
    # per line of 待办 (tests/core/test_workspace.py)
    with django_assert_num_queries(14) as few:
        client.get("/workspace/")
    for code in ("jyj", "gaj", "mzj", "czj", "rsj"):
        member(user, tongchuan_units[code], Role.Code.CLERK, Role.Code.UNIT_HEAD)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/workspace/")


def test_workspace_without_membership_says_so(client, db):
    client.force_login(UserFactory())
    html = client.get("/workspace/").content.decode()
    assert "尚未关联任何单位" in html


def test_workspace_requires_login(client, db):
    response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logout_is_a_post(client, db):
    client.force_login(UserFactory())
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/workspace/").status_code == 302


@pytest.mark.parametrize("size", ["small", "medium", "large"])
def test_font_size_switch_works_without_javascript(client, db, size):
    response = client.get(f"/font-size/{size}/?next=/workspace/")
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert response.cookies["font_size"].value == size
    assert f'class="fs-{size}' in client.get("/").content.decode()


def test_font_size_refuses_open_redirect_and_unknown_sizes(client, db):
    response = client.get("/font-size/huge/?next=https://evil.example/")
    assert response["Location"] == "/"
    assert "font_size" not in response.cookies


def test_unknown_page_is_a_chinese_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
