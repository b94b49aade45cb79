"""Every model is in the admin with its history; the history cannot be reverted."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tongchuan_portal.core.admin import AuditedAdmin, LedgerAdmin
from tongchuan_portal.units.models import Role, Unit
from tests.units.factories import UserFactory, member

OWN_APPS = {"core", "units", "disclosure", "interpretation", "participation", "opinion", "clock", "notifications"}
# Append-only ledgers and plumbing counters: rows are never changed by a person, so each is its own record.
APPEND_ONLY = {"DeadlineSignal", "RateCounter", "AppliedBatch"}
# django-guardian's object-permission rows: grants, audited through the document's own history.
PERMISSION_ROWS = {"DocumentUserObjectPermission", "DocumentGroupObjectPermission"}


def domain_models():
    for model in apps.get_models():
        if model._meta.app_label in OWN_APPS and not model.__name__.startswith("Historical"):
            # Proxies of django-axes' login records only rename them for the admin: not domain rows.
            if not model._meta.auto_created and model._meta.concrete_model._meta.app_label in OWN_APPS:
                yield model


def test_every_domain_model_is_audited_in_admin():
    models = list(domain_models()) + [apps.get_model("auth", "User"), apps.get_model("auth", "Group")]
    assert models
    for model in models:
        assert model in admin.site._registry, f"{model.__name__} is not in the admin"
        if model.__name__ in APPEND_ONLY | PERMISSION_ROWS:
            assert isinstance(admin.site._registry[model], LedgerAdmin)
            continue
        assert isinstance(admin.site._registry[model], AuditedAdmin), f"{model.__name__} admin lacks history"
        assert hasattr(model, "history") or model.__name__ in {"User", "Group"}


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", is_staff=True, is_superuser=True)


def test_admin_changelists_and_history_pages_open(client, auditor, tongchuan_units):
    client.force_login(auditor)
    user = UserFactory()
    member(user, tongchuan_units["fgw"], Role.Code.CLERK)
    for model in list(domain_models()) + [apps.get_model("auth", "User")]:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        obj = model.objects.first()
        if obj is not None and hasattr(model, "history"):
            history = reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])
            assert client.get(history).status_code == 200, history


def test_admin_edit_records_the_acting_user(client, auditor, tongchuan_units):
    client.force_login(auditor)
    unit = tongchuan_units["fgw"]
    url = reverse("admin:units_unit_change", args=[unit.pk])
    data = {
        "code": unit.code, "name": unit.name, "short_name": "发改委", "issuer_code": unit.issuer_code,
        "kind": unit.kind, "parent": unit.parent_id, "sort_order": unit.sort_order, "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    latest = Unit.objects.get(pk=unit.pk).history.first()
    assert latest.short_name == "发改委"
    assert latest.history_user == auditor


def test_history_cannot_be_reverted(client, auditor, tongchuan_units):
    client.force_login(auditor)
    unit = tongchuan_units["fgw"]
    first_version = unit.history.last()
    unit.short_name = "改过的简称"
    unit.save()
    url = reverse("admin:units_unit_simple_history", args=[unit.pk, first_version.history_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"code": unit.code, "name": unit.name, "short_name": first_version.short_name,
                                 "kind": unit.kind, "sort_order": 1})
    assert response.status_code == 403
    assert Unit.objects.get(pk=unit.pk).short_name == "改过的简称"


def test_membership_history_records_roles_and_reason(tongchuan_units):
    user = UserFactory()
    membership = member(user, tongchuan_units["fgw"], Role.Code.CLERK)
    reasons = [h.history_change_reason for h in membership.history.all()]
    assert "新增任职" in reasons
    assert any(r and r.startswith("授予角色") for r in reasons)
    assert all(h.history_user.username == "system" for h in membership.history.all())


def test_system_user_exists_and_cannot_log_in(db):
    from tongchuan_portal.core.services import system_user

    user = system_user()
    assert user.username == "system" and not user.is_active and not user.has_usable_password()


# django-axes' own login records: deleting an attempt is how an administrator lifts a lockout.
AXES_LOGIN_RECORDS = {"LoginAttempt", "LoginLog", "LoginFailureLog"}  # proxies of axes' own models


def test_hardening_every_editable_admin_writes_through_services(rf, auditor):
    """No admin saves raw rows: each is read-only, or a ServiceAdmin whose writes call services."""
    from tongchuan_portal.core.admin import ServiceAdmin

    request = rf.get("/admin/")
    request.user = auditor
    raw_writers = []
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ServiceAdmin) or model.__name__ in AXES_LOGIN_RECORDS:
            continue
        if (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
                or model_admin.has_delete_permission(request)):
            raw_writers.append(model.__name__)
    assert raw_writers == []


def test_hardening_service_admins_save_no_many_to_many_behind_the_service(auditor):
    """`save_related` must not call the form's `save_m2m` (roles, linked documents, groups are the service's)."""
    from tongchuan_portal.core.admin import ServiceAdmin

    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ServiceAdmin):
            assert type(model_admin).save_related is ServiceAdmin.save_related, type(model_admin).__name__


def test_hardening_service_admin_forms_open(client, auditor, tongchuan_units):
    """The add and change pages of every admin that writes through services render (no 500 before a save)."""
    from tongchuan_portal.core.admin import ServiceAdmin

    client.force_login(auditor)
    member(UserFactory(), tongchuan_units["fgw"], Role.Code.CLERK)
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ServiceAdmin):
            continue
        meta = model._meta
        add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        assert add.status_code in (200, 403), meta.model_name
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change
