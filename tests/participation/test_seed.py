import pytest
from django.core.management import call_command

from participation.models import DecisionDraft, Evaluation, Meeting, Message
from tests.units.factories import UserFactory, member
from tongchuan_portal.core.models import ConfidentialityClearance
from tongchuan_portal.units.models import Role

pytestmark = pytest.mark.django_db


def test_seed_participation_demo_is_idempotent_and_needs_the_demo_users(tongchuan_units, calendar, capsys):
    call_command("seed_participation_demo")
    assert "未创建任何数据" in capsys.readouterr().out and not DecisionDraft.objects.exists()
    member(UserFactory(username="clerk_fgw"), tongchuan_units["fgw"], Role.Code.CLERK)  # as seed_demo makes it
    member(UserFactory(username="secrecy_fgw"), tongchuan_units["fgw"], Role.Code.CONFIDENTIALITY_REVIEWER)
    call_command("seed_participation_demo")
    call_command("seed_participation_demo")
    assert DecisionDraft.objects.count() == 1 and Meeting.objects.count() == 1 and Message.objects.count() == 2
    assert Evaluation.objects.filter(published_at__isnull=False).count() == 1
    # D7: the demo draft is public because its unit's confidentiality reviewer cleared it.
    draft = DecisionDraft.objects.get()
    assert draft.is_public and draft.confidentiality_cleared_at is not None
    assert ConfidentialityClearance.objects.filter(object_id=draft.pk, cleared=True).count() == 1
    assert "已存在" in capsys.readouterr().out
