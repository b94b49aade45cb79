"""Permission matrix: role × action × own/other unit. A denial raises PermissionDenied and changes nothing."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from participation import services
from participation.models import Comment, DecisionDraft, Evaluation, Meeting, Message

from . import factories as f
from .conftest import bj

pytestmark = pytest.mark.django_db

MONDAY = bj(2026, 6, 1, 10, 0)
ACTORS = ("clerk", "head", "other_clerk", "other_head", "reviewer", "citizen")


def _snapshot():
    """Everything an action could touch, with each row's history length."""
    rows = []
    for model in (DecisionDraft, Comment, Meeting, Message, Evaluation):
        for obj in model.objects.order_by("pk"):
            rows.append((model.__name__, obj.pk, obj.history.count()))
    return rows


def _setup(world):
    with time_machine.travel(MONDAY, tick=False):
        drafting = f.draft(world, title="待公布的草案")
        consulted, period = f.published(world, title="已征求意见的草案")
        comment = f.comment(period)
        meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9))
        message, _ = f.message(world, unit=world.fgw)
    return dict(drafting=drafting, consulted=consulted, period=period, comment=comment, meeting=meeting,
                message=message)


ACTIONS = {
    "draft_create": (lambda w, o, by: services.draft_create(
        unit=w.fgw, title="新草案", text="正文", basis="依据", area="economy", deciding_meeting_kind="executive", by=by),
        {"clerk", "head"}),
    "draft_publish": (lambda w, o, by: services.draft_publish(draft=o["drafting"], working_days=7, by=by),
                      {"clerk", "head"}),
    "comments_moderate": (lambda w, o, by: services.comments_moderate(
        period=o["period"], comment_ids=[o["comment"].pk], show=True, by=by), {"clerk", "head"}),
    "draft_mark_decided": (lambda w, o, by: services.draft_mark_decided(draft=o["consulted"], note="通过", by=by),
                           {"head"}),
    "message_reply": (lambda w, o, by: services.message_reply(message=o["message"], reply="答复", publish=False, by=by),
                      {"clerk", "head"}),
    "message_transfer": (lambda w, o, by: services.message_transfer(
        message=o["message"], unit=w.jyj, reason="转办", by=by), {"clerk", "head", "reviewer"}),
    "meeting_announce": (lambda w, o, by: services.meeting_announce(meeting=o["meeting"], by=by), {"clerk", "head"}),
    "evaluation_create": (lambda w, o, by: services.evaluation_create(
        unit=w.fgw, title="评估", policy_title="政策", evaluator="机构", area="economy", summary="摘要", report="正文",
        by=by), {"clerk", "head"}),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_permission_matrix(world, actor, action):
    objects = _setup(world)
    run, allowed = ACTIONS[action]
    user = getattr(world, actor)
    before = _snapshot()
    with time_machine.travel(bj(2026, 6, 11, 9, 0), tick=False):
        if actor in allowed:
            run(world, objects, user)
            assert _snapshot() != before
        else:
            with pytest.raises(PermissionDenied):
                run(world, objects, user)
            assert _snapshot() == before


def test_denied_staff_page_post_changes_nothing(world, client):
    objects = _setup(world)
    client.force_login(world.other_clerk)
    before = _snapshot()
    response = client.post(f"/participation/staff/drafts/{objects['drafting'].pk}/",
                           {"action": "publish", "working_days": "7"})
    assert response.status_code == 404
    client.force_login(world.citizen)
    assert client.post(f"/participation/staff/messages/{objects['message'].pk}/",
                       {"action": "reply", "reply": "冒充答复"}).status_code == 404
    assert _snapshot() == before
