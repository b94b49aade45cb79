"""Issue 15: the comment-window form — a proper number input with the rule's minimum, a server-side preview of
the closing moment (no JavaScript), and a confirmation before the publication that cannot be undone (M2)."""

import re
from datetime import datetime

import pytest
import time_machine

from participation.models import DecisionDraft
from tongchuan_portal.clock.workdays import BEIJING

from . import factories as f

pytestmark = pytest.mark.django_db


def test_M2_window_input_has_the_rules_minimum_and_a_width(world, client):
    draft = f.draft(world)
    client.force_login(world.clerk)
    html = client.get(f"/participation/staff/drafts/{draft.pk}/").content.decode()
    tag = re.search(r'<input[^>]*name="working_days"[^>]*>', html).group(0)
    assert 'type="number"' in tag and 'min="7"' in tag and 'class="input-days"' in tag
    assert "预览截止时间" in html and 'name="confirm"' in html


@time_machine.travel(datetime(2026, 9, 28, 10, 0, tzinfo=BEIJING), tick=False)
def test_M2_preview_shows_the_close_and_writes_nothing(world, client):
    draft = f.draft(world)
    client.force_login(world.clerk)
    before = draft.history.count()
    response = client.post(f"/participation/staff/drafts/{draft.pk}/",
                           {"action": "publish", "working_days": "7", "opens_at": "", "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    # 7 working days from Monday 28 September: 29, 30 September, 8, 9, 10 (a make-up Saturday), 12, 13 October.
    assert 'id="window-preview"' in html and "2026-10-13 23:59" in html, re.findall(r"将于.{0,80}", html)
    stored = DecisionDraft.objects.get(pk=draft.pk)
    assert stored.status == "drafting" and draft.history.count() == before


def test_M2_publication_needs_the_confirmation(world, client):
    draft = f.draft(world)
    client.force_login(world.clerk)
    response = client.post(f"/participation/staff/drafts/{draft.pk}/", {"action": "publish", "working_days": "10"})
    assert response.status_code == 400 and "请先预览截止时间,核对无误后勾选确认" in response.content.decode()
    assert DecisionDraft.objects.get(pk=draft.pk).status == "drafting"
    response = client.post(f"/participation/staff/drafts/{draft.pk}/",
                           {"action": "publish", "working_days": "10", "confirm": "on"})
    assert response.status_code == 302
    assert DecisionDraft.objects.get(pk=draft.pk).status == "clearance"


def test_M2_preview_refuses_six_days_in_chinese(world, client):
    draft = f.draft(world)
    client.force_login(world.clerk)
    response = client.post(f"/participation/staff/drafts/{draft.pk}/",
                           {"action": "publish", "working_days": "6", "preview": "1"})
    assert response.status_code == 400 and "征求意见期不得少于7个工作日" in response.content.decode()
    assert 'id="window-preview"' not in response.content.decode()
