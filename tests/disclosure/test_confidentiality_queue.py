"""D7: one 保密审查 queue for documents, decision drafts, adoption reports and opinion releases.

Participation and opinion add their sections through `disclosure.integrations`; disclosure never imports
them. Each reviewer sees only what their scope covers, and the page's query count does not grow with the rows.
"""

import ast
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import services
from opinion.models import SubjectArea
from participation import services as participation
from tests.disclosure.factories import document_data
from tests.opinion.factories import officer, record
from tests.participation import factories as pf
from tongchuan_portal.clock.workdays import BEIJING

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(world):
    """One waiting item of each kind for 市发展改革委, a draft for 市教育局, a release for 市交通运输局."""
    world.fgw_officer = officer(world.fgw, "opinion_fgw")
    world.jtj_officer = officer(world.units["jtj"], "opinion_jtj")
    fill(world, 0)
    return world


def fill(world, start, n=1):
    from datetime import datetime

    from opinion.services import release_record

    for i in range(start, start + n):
        document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(title=f"公文{i}"))
        services.document_submit(document=document, by=world.clerk)
        services.document_accept(document=document, by=world.head)
        draft = pf.draft(world, title=f"草案{i}", by=world.clerk)
        participation.draft_publish(draft=draft, working_days=7, by=world.clerk)
        other = pf.draft(world, title=f"他单位草案{i}", unit=world.jyj, by=world.other_clerk)
        participation.draft_publish(draft=other, working_days=7, by=world.other_clerk)
        with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=BEIJING), tick=False):
            _, period = pf.published(world, title=f"采纳{i}", by=world.clerk)
        with time_machine.travel(datetime(2026, 6, 12, 9, tzinfo=BEIJING), tick=False):  # after the close
            participation.adoption_report_publish(period=period, summary="未收到意见。", by=world.clerk)
        case = record(world.fgw_officer, title=f"价格舆情{i}", area=SubjectArea.DEVELOPMENT)
        release_record(case=case, by=world.fgw_officer, title=f"价格回应{i}", text="说明。", channel="website",
                       released_at=case.recorded_at)
        jtj_case = record(world.jtj_officer, title=f"交通舆情{i}", area=SubjectArea.TRANSPORT)
        release_record(case=jtj_case, by=world.jtj_officer, title=f"交通回应{i}", text="说明。", channel="weibo",
                       released_at=jtj_case.recorded_at)


def page(client, user):
    client.force_login(user)
    response = client.get("/work/confidentiality/")
    assert response.status_code == 200
    return response.content.decode()


def test_D7_one_queue_lists_documents_drafts_reports_and_releases_of_the_reviewers_unit(client, work):
    html = page(client, work.secrecy)
    for title in ("公文0", "草案0", "《采纳0", "价格回应0"):
        assert title in html, title
    assert "他单位草案0" not in html and "交通回应0" not in html
    assert "/participation/staff/confidentiality/drafts/" in html and "/opinion/releases/" in html


def test_D7_other_units_and_the_city_office_see_their_own_scope(client, work):
    other = page(client, work.other_secrecy)
    assert "他单位草案0" in other and "草案0</a>" not in other.replace("他单位草案0</a>", "")
    assert "价格回应0" not in other and "公文0" not in other
    city = page(client, work.city_secrecy)
    # The city office coordinates every opinion case (O1): its reviewers clear every unit's releases.
    assert "价格回应0" in city and "交通回应0" in city
    assert "他单位草案0" not in city and "《采纳0" not in city


def test_D7_people_who_review_nothing_get_no_sections(client, work):
    html = page(client, work.clerk)
    assert "决策草案与意见采纳情况" not in html and "舆情回应(回应关切栏目)" not in html
    assert "草案0" not in html and "价格回应0" not in html


def test_D7_queue_query_count_is_constant(client, work):
    client.force_login(work.secrecy)
    with CaptureQueriesContext(connection) as few:
        client.get("/work/confidentiality/")
    fill(work, 10, n=4)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/work/confidentiality/").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert html.count("价格回应1") == 4 and html.count(">草案1") == 4


def test_D7_disclosure_workflow_never_imports_participation_or_opinion():
    root = Path(__file__).resolve().parents[2] / "disclosure"
    # public_views.py's site-wide search reads participation's public selector on purpose.
    for path in sorted(p for p in root.rglob("*.py") if p.name != "public_views.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.split(".")[0] in ("participation", "opinion"), f"{path.name} imports {name}"
