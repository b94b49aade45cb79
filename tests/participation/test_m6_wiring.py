"""M6 wired: a decision draft links to the document it becomes; the executive meeting adopting the draft
starts that document's issue clock, in the same transaction as the outcome — or nothing is recorded."""

from datetime import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure import services as disclosure_services
from disclosure.models import DocumentKind, IssuedInNameOf
from participation import services
from participation.models import DecisionDraft, Meeting, MeetingTopic
from tests.disclosure.factories import document_data
from tongchuan_portal.clock.models import Deadline
from tongchuan_portal.clock.workdays import due_moment

from . import factories as f
from .conftest import bj

pytestmark = pytest.mark.django_db

MONDAY = bj(2026, 6, 1, 10, 0)
MEETING_AT = bj(2026, 6, 15, 9, 0)


def city_document(world, *, submit=True, unit=None, by=None, title="铜川市城市公共交通票价调整方案"):
    document = disclosure_services.document_create(
        by=by or world.clerk, issuer=unit or world.fgw,
        data=document_data(title=title, kind=DocumentKind.OTHER, issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT))
    if submit:
        document = disclosure_services.document_submit(document=document, by=by or world.clerk)
    return document


@pytest.fixture
def on_agenda(world):
    """fgw's consulted draft, linked to its submitted document, on the city government's executive meeting."""
    with time_machine.travel(MONDAY, tick=False):
        draft, _ = f.published(world)
        document = city_document(world)
        services.draft_link_document(draft=draft, document=document, by=world.clerk)
        meeting = f.meeting(world, starts_at=MEETING_AT, unit=world.szfb, by=world.szfb_clerk)
        topic = services.meeting_topic_add(meeting=meeting, title="审议公交票价调整方案", draft=draft,
                                           by=world.szfb_clerk)
    with time_machine.travel(bj(2026, 6, 15, 12), tick=False):
        services.meeting_mark_held(meeting=meeting, by=world.szfb_clerk)
    return draft, document, meeting, topic


def _adopt(meeting, topic, by):
    with time_machine.travel(bj(2026, 6, 15, 17), tick=False):
        return services.meeting_record_outcome(meeting=meeting, outcome="会议审议通过票价调整方案", minutes="",
                                               topic_results={topic.pk: (True, "")}, by=by)


def test_M6_executive_meeting_adoption_starts_the_documents_issue_clock(world, on_agenda):
    draft, document, meeting, topic = on_agenda
    _adopt(meeting, topic, world.szfb_clerk)
    deadline = document.deadlines.get(rule_id="M6")
    assert deadline.unit == world.szfb and deadline.state == "running"
    assert deadline.due_at == due_moment(started_at=datetime(2026, 6, 15, 18, tzinfo=MEETING_AT.tzinfo), days=7).due_at
    document.refresh_from_db()
    assert document.adopted_by_meeting == meeting.title and document.meeting_date.isoformat() == "2026-06-15"
    assert "登记会议审议通过" in document.history.first().history_change_reason
    assert not hasattr(services, "on_executive_meeting_adoption")  # no dead hook left behind


def test_M6_the_link_is_shown_on_both_staff_pages(world, on_agenda, client):
    draft, document, meeting, topic = on_agenda
    _adopt(meeting, topic, world.szfb_clerk)
    client.force_login(world.clerk)
    page = client.get(f"/participation/staff/drafts/{draft.pk}/").content.decode()
    assert document.title in page and "会后印发时限已开始计时" in page
    doc_page = client.get(f"/work/documents/{document.pk}/").content.decode()
    assert "来源决策草案" in doc_page and draft.title in doc_page and "审议通过" in doc_page


def test_M6_an_outcome_whose_clock_cannot_start_is_refused_and_changes_nothing(world, client):
    """A linked document still being drafted cannot take the clock: the outcome waits, with the reason."""
    with time_machine.travel(MONDAY, tick=False):
        draft, _ = f.published(world)
        document = city_document(world, submit=False)
        services.draft_link_document(draft=draft, document=document, by=world.clerk)
        meeting = f.meeting(world, starts_at=MEETING_AT, unit=world.szfb, by=world.szfb_clerk)
        topic = services.meeting_topic_add(meeting=meeting, title="议题", draft=draft, by=world.szfb_clerk)
    with time_machine.travel(bj(2026, 6, 15, 12), tick=False):
        services.meeting_mark_held(meeting=meeting, by=world.szfb_clerk)
        client.force_login(world.szfb_clerk)
        response = client.post(f"/participation/staff/meetings/{meeting.pk}/", {
            "action": "outcome", "outcome": "通过", "minutes": "", f"topic-{topic.pk}": "adopted"})
    assert response.status_code == 400
    assert "未能开始会后印发计时" in response.content.decode()
    meeting.refresh_from_db()
    topic.refresh_from_db()
    assert meeting.outcome_published_at is None and topic.adopted is None
    assert not Deadline.objects.filter(rule_id="M6").exists()


def test_M6_a_unit_cannot_start_the_city_offices_clock_by_calling_its_own_meeting_executive(world):
    with time_machine.travel(MONDAY, tick=False):
        draft, _ = f.published(world)
        services.draft_link_document(draft=draft, document=city_document(world), by=world.clerk)
        meeting = f.meeting(world, starts_at=MEETING_AT)
        topic = services.meeting_topic_add(meeting=meeting, title="议题", draft=draft, by=world.clerk)
    with time_machine.travel(bj(2026, 6, 15, 12), tick=False):
        services.meeting_mark_held(meeting=meeting, by=world.clerk)
    with pytest.raises(ValidationError, match="须由市政府办公室登记"):
        _adopt(meeting, topic, world.clerk)
    assert Meeting.objects.get(pk=meeting.pk).outcome_published_at is None
    assert not Deadline.objects.filter(rule_id="M6").exists()


def test_M6_only_the_drafts_unit_links_its_own_documents_and_not_after_adoption(world, on_agenda):
    draft, document, meeting, topic = on_agenda
    with time_machine.travel(MONDAY, tick=False):
        other = city_document(world, unit=world.jyj, by=world.other_clerk, title="教育局的公文")
        mine = city_document(world, title="另一份公文")
    with pytest.raises(PermissionDenied):
        services.draft_link_document(draft=draft, document=other, by=world.other_clerk)
    with pytest.raises(ValidationError, match="请选择本单位起草"):
        services.draft_link_document(draft=draft, document=other, by=world.clerk)
    assert DecisionDraft.objects.get(pk=draft.pk).document_id == document.pk
    _adopt(meeting, topic, world.szfb_clerk)
    with pytest.raises(ValidationError, match="已经政府常务会议审议通过"):
        services.draft_link_document(draft=draft, document=mine, by=world.clerk)
    assert DecisionDraft.objects.get(pk=draft.pk).document_id == document.pk
    assert DecisionDraft.history.filter(id=draft.pk, document_id=document.pk).count() >= 1


def test_M6_linking_through_the_staff_page_offers_only_the_units_documents(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, _ = f.published(world)
        mine = city_document(world)
        other = city_document(world, unit=world.jyj, by=world.other_clerk, title="教育局的公文")
    client.force_login(world.clerk)
    url = f"/participation/staff/drafts/{draft.pk}/"
    page = client.get(url).content.decode()
    assert mine.title in page and "教育局的公文" not in page
    assert client.post(url, {"action": "link", "document": other.pk}).status_code == 400
    assert DecisionDraft.objects.get(pk=draft.pk).document_id is None
    assert client.post(url, {"action": "link", "document": mine.pk}).status_code == 302
    assert DecisionDraft.objects.get(pk=draft.pk).document_id == mine.pk
    assert not MeetingTopic.objects.exists()


def test_M6_major_revisions_the_city_office_recorded_are_kept_when_the_outcome_is_recorded(world, on_agenda):
    from datetime import date

    draft, document, meeting, topic = on_agenda
    with time_machine.travel(bj(2026, 6, 15, 16), tick=False):
        disclosure_services.document_record_meeting_adoption(
            document=document, meeting=meeting.title, meeting_date=date(2026, 6, 15), major_revisions=True,
            by=world.reviewer)
    _adopt(meeting, topic, world.szfb_clerk)
    states = dict(document.deadlines.filter(rule_id="M6").values_list("rule", "state"))
    assert states == {"disclosure.issue_after_meeting_major": "running"}
