"""The demo (`make run`): applications in every state for 市发展改革委 and 市政府办公室, and the column's entry."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from disclosure.applications.models import Application, Status
from tongchuan_portal.units.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_demo_has_applications_in_every_state_and_an_extension_approver(calendar):
    call_command("seed_demo", verbosity=0)
    call_command("seed_applications_demo", verbosity=0)  # idempotent
    for code in ("fgw", "szfb"):
        states = set(Application.objects.filter(unit__code=code).values_list("status", flat=True))
        assert states == set(Status.values), (code, states)
        assert Application.objects.filter(unit__code=code, reply_clearance="pending").exists()
    # the annual report's demo registers two more, received in December 2025 over the counter
    assert Application.objects.filter(channel="online").count() == 16
    assert Membership.objects.filter(user__username="office_head_fgw",
                                     roles__code=Role.Code.DISCLOSURE_OFFICE_HEAD).exists()


def test_column_index_shows_the_application_entry(client, db):
    page = client.get(reverse("disclosure:column")).content.decode()
    assert reverse("applications:index") in page and "依申请公开" in page
