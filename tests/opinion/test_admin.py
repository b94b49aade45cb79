"""The opinion models in the admin: audited, read-only, their pages open (mirrors tests/core/test_audit.py)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from opinion.models import Disposition
from opinion.services import case_triage
from tongchuan_portal.core.admin import AuditedAdmin
from tests.opinion.factories import officer, record, release
from tests.units.factories import UserFactory

pytestmark = pytest.mark.usefixtures("calendar")


def test_every_opinion_model_is_audited_and_read_only(rf):
    models = [m for m in apps.get_app_config("opinion").get_models() if not m.__name__.startswith("Historical")]
    assert len(models) == 6
    request = rf.get("/")
    for model in models:
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, AuditedAdmin) and hasattr(model, "history")
        assert not model_admin.has_change_permission(request) and not model_admin.has_add_permission(request)


def test_admin_pages_open(client, tongchuan_units):
    handler = officer(tongchuan_units["jtj"])
    case = record(handler)
    release(case, handler)
    case_triage(case=case, disposition=Disposition.SOLVED, note="解决", by=handler)
    client.force_login(UserFactory(username="auditor", is_staff=True, is_superuser=True))
    for model in apps.get_app_config("opinion").get_models():
        if model.__name__.startswith("Historical"):
            continue
        meta = model._meta
        assert client.get(reverse(f"admin:opinion_{meta.model_name}_changelist")).status_code == 200
        obj = model.objects.first()
        if obj is not None:
            assert client.get(reverse(f"admin:opinion_{meta.model_name}_history", args=[obj.pk])).status_code == 200
            assert client.get(reverse(f"admin:opinion_{meta.model_name}_change", args=[obj.pk])).status_code == 200
