import pytest
from django.core.management import call_command

from participation.models import DecisionDraft, Evaluation, Meeting, Message
from tests.units.factories import UserFactory, member
from tongchuan_portal.units.models import Role

pytestmark = pytest.mark.django_db


def test_seed_participation_demo_is_idempotent_and_needs_the_demo_users(tongchuan_units, calendar, capsys):
    call_command("seed_participation_demo")
    assert "未创建任何数据" in capsys.readouterr().out and not DecisionDraft.objects.exists()
    member(UserFactory(username="clerk_fgw"), tongchuan_units["fgw"], Role.Code.CLERK)  # as seed_demo makes it
    call_command("seed_participation_demo")
    call_command("seed_participation_demo")
    assert DecisionDraft.objects.count() == 1 and Meeting.objects.count() == 1 and Message.objects.count() == 2
    assert Evaluation.objects.filter(published_at__isnull=False).count() == 1
    assert "已存在" in capsys.readouterr().out
