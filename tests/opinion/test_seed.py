"""The demo seed: made through the services, idempotent, and nothing without the demo accounts."""

import pytest
from django.core.management import call_command

from opinion.models import CaseStatus, OpinionCase

pytestmark = pytest.mark.usefixtures("calendar")


def test_seed_needs_demo_accounts(tongchuan_units, capsys):
    call_command("seed_opinion_demo")
    assert not OpinionCase.objects.exists()
    assert "缺少演示账号" in capsys.readouterr().out


def test_seed_is_idempotent(tongchuan_units):
    call_command("seed_demo")
    call_command("seed_opinion_demo")
    call_command("seed_opinion_demo")
    assert OpinionCase.objects.count() == 4
    assert OpinionCase.objects.get(title="网传我市将全面限购商品房").status == CaseStatus.CLOSED
    assert OpinionCase.objects.get(title="网传耀州区某村饮用水受到污染").responsible_unit.code == "yzq"



def test_D7_seeded_releases_are_public_because_they_were_cleared(tongchuan_units):
    from opinion.models import Release
    from tongchuan_portal.core.models import ConfidentialityClearance

    call_command("seed_demo")
    call_command("seed_opinion_demo")
    public = Release.objects.filter(public=True)
    assert public.count() == 3 and not Release.objects.filter(clearance="pending").exists()
    from django.contrib.contenttypes.models import ContentType

    releases = ContentType.objects.get_for_model(Release)
    assert ConfidentialityClearance.objects.filter(cleared=True, reviewer__username="secrecy_szfb",
                                                   content_type=releases).count() == 3
