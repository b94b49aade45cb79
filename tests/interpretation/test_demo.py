"""The demo command: idempotent, through the services, as the demo users."""

from django.core.management import call_command

from disclosure import services as disclosure
from disclosure.models import Document, Status as DocumentStatus
from interpretation import selectors
from interpretation.models import Expert, Interpretation, InterpretationPlan, Reprint
from tongchuan_portal.units.models import Role
from tests.units.factories import UserFactory, member

DEMO = [("clerk_fgw", "fgw", Role.Code.CLERK), ("head_fgw", "fgw", Role.Code.UNIT_HEAD),
        ("secrecy_fgw", "fgw", Role.Code.CONFIDENTIALITY_REVIEWER),
        ("reviewer_szfb", "szfb", Role.Code.CITY_OFFICE_REVIEWER),
        ("secrecy_szfb", "szfb", Role.Code.CONFIDENTIALITY_REVIEWER)]


def test_seed_interpretation_demo_is_idempotent_and_says_when_users_are_missing(tongchuan_units, calendar):
    out = []

    class Out:
        def write(self, text, *args, **kwargs):
            out.append(text)

    call_command("seed_interpretation_demo", stdout=Out())
    assert "未找到演示账号" in "".join(out) and not InterpretationPlan.objects.exists()

    users = {}
    for username, unit, role in DEMO:
        users[username] = UserFactory(username=username)
        member(users[username], tongchuan_units[unit], role)
    priorities = disclosure.document_create(by=users["clerk_fgw"], issuer=tongchuan_units["fgw"], data={
        "title": "铜川市发展和改革委员会2026年政务公开工作要点", "kind": "other", "issued_in_name_of": "own_unit",
        "area": "management", "topic": "general", "attribute": "proactive", "body": "<p>要点。</p>"})
    disclosure.document_submit(document=priorities, by=users["clerk_fgw"])
    disclosure.document_accept(document=Document.objects.get(pk=priorities.pk), by=users["head_fgw"])
    disclosure.confidentiality_decide(document=Document.objects.get(pk=priorities.pk), cleared=True, opinion="",
                                      by=users["secrecy_fgw"])

    for _ in range(2):
        call_command("seed_interpretation_demo", stdout=Out())
    policy = Document.objects.get(title="铜川市支持民营经济高质量发展的若干措施")
    assert policy.status == DocumentStatus.PUBLISHED
    public = selectors.interpretations_for_documents([policy.pk, priorities.pk])
    assert public[policy.pk][0].published_at == policy.published_at
    assert {m.kind for m in public[priorities.pk]} == {"expert", "qa", "data"}
    assert InterpretationPlan.objects.count() == 3 and Interpretation.objects.count() == 5
    assert Expert.objects.count() == 1 and Reprint.objects.get().notes.count() == 1
    assert selectors.plans_awaiting_approval(users["head_fgw"]).count() == 1
