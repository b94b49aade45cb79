"""Permission matrix (role × action × own/other unit): another unit's people get 404 and nothing changes."""

import pytest
import time_machine
from django.urls import reverse

from disclosure.applications.models import Application, ApplicationStep

from .conftest import bj
from .helpers import received, submit

pytestmark = pytest.mark.django_db
MONDAY = bj(2026, 6, 1, 10, 0)

ACTIONS = {
    "confirm": {},
    "correction": {"items": "请写明年份", "days": "15"},
    "extend": {"days": "10", "reason": "需调取档案"},
    "consult": {"third_party": "某公司", "question": "是否同意"},
    "fee": {"method": "per_volume", "pages": "50"},
    "reply": {"outcome": "not_held", "reply_text": "不掌握", "responsible_office": "市统计局", "remedies": "可复议"},
    "transfer": {"unit": "", "reason": "不属本单位"},
    "supervise": {"note": "请加快办理"},
}

# Who may do what on an application of 市发展改革委 (True) — everyone else gets 404 or a refusal, and nothing changes.
ALLOWED = {
    "clerk": {"confirm", "correction", "consult", "fee", "reply", "transfer"},
    "office_head": {"extend"},
    "head": set(),
    "secrecy": set(),
    "other_clerk": set(),
    "other_office_head": set(),
    "reviewer": {"supervise"},
    "nobody": set(),
}
SEES_DETAIL = {"clerk", "office_head", "head", "reviewer"}


def _snapshot(application):
    application.refresh_from_db()
    return (application.status, application.unit_id, application.received_on, application.extended_at,
            application.supervised_at, application.correction_requested_at, ApplicationStep.objects.count())


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(client, world, who, action):
    with time_machine.travel(MONDAY, tick=True):
        application = submit(world)[0] if action == "confirm" else received(world)[0]
        data = dict(ACTIONS[action], action=action)
        if action == "transfer":
            data["unit"] = world.jyj.pk
        before = _snapshot(application)
        client.force_login(getattr(world, who))
        url = reverse("applications:staff_detail", args=[application.pk])
        response = client.post(url, data)
        after = _snapshot(application)
    if action in ALLOWED[who]:
        assert response.status_code == 302, response.content.decode()[:500]
        assert after != before
    else:
        assert response.status_code in (404, 400), response.status_code
        if who not in SEES_DETAIL:
            assert response.status_code == 404
        assert after == before


@pytest.mark.parametrize("who", list(ALLOWED))
def test_detail_visibility(client, world, who):
    application, _ = submit(world)
    client.force_login(getattr(world, who))
    status = client.get(reverse("applications:staff_detail", args=[application.pk])).status_code
    assert status == (200 if who in SEES_DETAIL else 404)


def test_anonymous_is_sent_to_login(client, world):
    application, _ = submit(world)
    response = client.get(reverse("applications:staff_detail", args=[application.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_reply_file_needs_the_applicants_code(client, world):
    from disclosure.applications import services
    from disclosure.applications.outcomes import Outcome

    from .conftest import pdf

    with time_machine.travel(MONDAY, tick=True):
        application, code = received(world)
        services.reply_submit(application=application, outcome=Outcome.DISCLOSED, reply_text="提供", remedies="可复议",
                              attachments=[pdf()], by=world.clerk)
        services.reply_clearance_decide(application=application, cleared=True, opinion="", by=world.secrecy)
    row = application.attachments.get()
    url = reverse("applications:reply_file", args=[application.number, row.pk])
    assert client.get(url).status_code == 404
    client.post(reverse("applications:query"), {"number": application.number, "code": code})
    assert client.get(url).status_code == 200
    other = Application.objects.exclude(pk=application.pk)
    assert not other.exists()
