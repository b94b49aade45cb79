"""解读 on the workspace document page: the plan's state, the next step and its link (issue 15)."""

from interpretation import services
from tests.interpretation.factories import city_policy, make_plan, qa


def page(client, user, document):
    client.force_login(user)
    return client.get(f"/work/documents/{document.pk}/").content.decode()


def section(html):
    start = html.index('id="interpretation-of-document-title"')
    return html[start:html.index("</section>", start)]


def test_interpretation_section_walks_edit_request_approve(client, world):
    document = city_policy(world)
    work = f"/work/interpretation/documents/{document.pk}/"
    html = section(page(client, world.clerk, document))
    assert "尚未编制解读方案" in html and f'href="{work}plan/"' in html and "编制解读方案" in html

    plan = make_plan(world, document)
    qa(world, plan)
    html = section(page(client, world.clerk, document))
    assert "编制中" in html and "报负责人审定" in html and f'href="{work}"' in html

    services.plan_request_approval(plan=plan, by=world.clerk)
    assert "等待审定" in section(page(client, world.clerk, document))
    html = section(page(client, world.head, document))
    assert "审定解读方案" in html and f'href="{work}"' in html

    services.plan_approve(plan=plan, by=world.head)
    html = section(page(client, world.clerk, document))
    assert "已审定" in html and "head" in html


def test_interpretation_section_absent_where_no_interpretation_is_needed(client, world):
    from tests.disclosure.factories import draft

    document = draft(world.clerk, world.fgw)
    assert 'id="interpretation-of-document-title"' not in page(client, world.clerk, document)


def test_interpretation_refused_submission_links_to_the_work_area(client, world):
    document = city_policy(world)
    client.force_login(world.clerk)
    response = client.post(f"/work/documents/{document.pk}/submit/", follow=True)
    html = response.content.decode()
    assert "请在“政策解读”中编制" in html
    assert f'<a href="/work/interpretation/documents/{document.pk}/">前往政策解读</a>' in html
