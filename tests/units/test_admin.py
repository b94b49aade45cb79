"""Hardening: units, memberships and users edited in the real admin go through the services.

A membership added in the admin must give the access a membership gives (the unit's guardian group, so
co-issued drafts and interpretation plans); one ended there must take it away; a unit keeps its grants
when renamed; a refused or invalid write shows a Chinese form error and changes nothing.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from disclosure import permissions as document_permissions
from interpretation import permissions as plan_permissions
from interpretation.services import plan_create
from tests.interpretation.factories import joint_policy, plan_data
from tests.units.factories import UserFactory, member
from tongchuan_portal.units import services
from tongchuan_portal.units.models import Membership, Role, Unit


class World(dict):
    __getattr__ = dict.__getitem__


@pytest.fixture
def world(tongchuan_units, calendar, client):
    """fgw drafts a policy co-issued with jyj and plans its interpretation; `newcomer` has no membership."""
    u = tongchuan_units
    clerk = UserFactory(username="clerk")
    member(clerk, u["fgw"], Role.Code.CLERK)
    w = World(fgw=u["fgw"], jyj=u["jyj"], gaj=u["gaj"], clerk=clerk)
    w["document"] = joint_policy(w)
    w["plan"] = plan_create(document=w.document, by=clerk, data=plan_data())
    w["newcomer"] = UserFactory(username="newcomer")
    w["admin"] = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(w.admin)
    return w


def opens_joint_draft_page(world, user) -> int:
    from django.test import Client

    browser = Client()
    browser.force_login(user)
    return browser.get(reverse("disclosure:staff_detail", args=[world.document.pk])).status_code


def sees_joint_work(world, user) -> tuple[bool, bool]:
    return (document_permissions.visible_to(user).filter(pk=world.document.pk).exists(),
            plan_permissions.plans_visible_to(user).filter(pk=world.plan.pk).exists())


def role_ids(*codes):
    return [str(pk) for pk in Role.objects.filter(code__in=codes).values_list("pk", flat=True)]


def membership_form(user, unit, *roles, title=""):
    return {"user": user.pk, "unit": unit.pk, "roles": role_ids(*roles), "title": title}


def user_form(user, *, memberships=(), deleted=(), extra=()):
    """The user change form with its membership inline: existing rows, rows to delete, new rows."""
    rows = list(memberships) + list(extra)
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": "", "email": "",
        "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": str(len(rows)), "memberships-INITIAL_FORMS": str(len(memberships)),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    for i, row in enumerate(rows):
        prefix = f"memberships-{i}"
        if isinstance(row, Membership):
            data.update({f"{prefix}-id": row.pk, f"{prefix}-user": user.pk, f"{prefix}-unit": row.unit_id,
                         f"{prefix}-title": row.title,
                         f"{prefix}-roles": [str(r.pk) for r in row.roles.all()]})
            if row in deleted:
                data[f"{prefix}-DELETE"] = "on"
        else:
            unit, codes = row
            data.update({f"{prefix}-id": "", f"{prefix}-user": user.pk, f"{prefix}-unit": unit.pk,
                         f"{prefix}-title": "", f"{prefix}-roles": role_ids(*codes)})
    return data


# --- memberships through the membership admin ------------------------------------------------


def test_hardening_membership_added_in_admin_gives_co_issuer_access_and_deleting_it_takes_it_away(client, world):
    assert sees_joint_work(world, world.newcomer) == (False, False)
    assert opens_joint_draft_page(world, world.newcomer) == 404

    response = client.post(reverse("admin:units_membership_add"),
                           membership_form(world.newcomer, world.jyj, Role.Code.CLERK, title="科员"))
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=world.newcomer, unit=world.jyj)
    assert sees_joint_work(world, world.newcomer) == (True, True)
    assert opens_joint_draft_page(world, world.newcomer) == 200
    assert world.newcomer.groups.filter(name=world.jyj.group_name).exists()
    created = membership.history.order_by("history_date").first()
    assert created.history_user == world.admin and "管理后台新增任职" in created.history_change_reason

    response = client.post(reverse("admin:units_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert sees_joint_work(world, world.newcomer) == (False, False)
    assert opens_joint_draft_page(world, world.newcomer) == 404
    assert not world.newcomer.groups.filter(name=world.jyj.group_name).exists()
    ended = Membership.history.filter(id=membership.pk).order_by("-history_date").first()
    assert ended.history_type == "-" and ended.history_user == world.admin
    assert "撤销任职" in ended.history_change_reason


def test_hardening_membership_moved_to_another_unit_in_admin_moves_the_access(client, world):
    membership = member(world.newcomer, world.jyj, Role.Code.CLERK)
    assert sees_joint_work(world, world.newcomer) == (True, True)

    response = client.post(reverse("admin:units_membership_change", args=[membership.pk]),
                           membership_form(world.newcomer, world.gaj, Role.Code.CLERK, Role.Code.UNIT_HEAD))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.unit == world.gaj
    assert {r.code for r in membership.roles.all()} == {"clerk", "unit_head"}
    assert sees_joint_work(world, world.newcomer) == (False, False)
    assert set(world.newcomer.groups.values_list("name", flat=True)) == {world.gaj.group_name}
    reasons = [h.history_change_reason for h in membership.history.all()]
    assert any("调至" in r for r in reasons) and any("授予角色:单位主要负责人" in r for r in reasons)
    assert all(h.history_user == world.admin for h in membership.history.all()[:2])


def test_hardening_role_change_in_admin_is_recorded_with_who_and_why(client, world):
    membership = member(world.newcomer, world.jyj, Role.Code.CLERK, Role.Code.UNIT_HEAD)
    response = client.post(reverse("admin:units_membership_change", args=[membership.pk]),
                           membership_form(world.newcomer, world.jyj, Role.Code.UNIT_HEAD))
    assert response.status_code == 302
    assert {r.code for r in membership.roles.all()} == {"unit_head"}
    latest = membership.history.first()
    assert latest.history_user == world.admin and latest.history_change_reason == "管理后台撤销角色:部门经办人"
    assert sees_joint_work(world, world.newcomer) == (True, True)  # still a member of jyj


def test_hardening_duplicate_membership_in_admin_is_a_chinese_form_error_and_changes_nothing(client, world):
    member(world.newcomer, world.jyj, Role.Code.CLERK)
    other = member(world.newcomer, world.gaj, Role.Code.CLERK)
    before = (Membership.objects.count(), other.history.count())

    response = client.post(reverse("admin:units_membership_change", args=[other.pk]),
                           membership_form(world.newcomer, world.jyj, Role.Code.UNIT_HEAD))
    assert response.status_code == 200
    html = response.content.decode()
    assert "任职 已经存在" in html  # the form's own check, in Chinese, before any service runs
    other.refresh_from_db()
    assert other.unit == world.gaj and {r.code for r in other.roles.all()} == {"clerk"}
    assert (Membership.objects.count(), other.history.count()) == before
    assert world.newcomer.groups.filter(name=world.gaj.group_name).exists()


def test_hardening_staff_without_membership_rights_cannot_add_one_in_admin(client, world):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_membership"))
    client.force_login(viewer)
    response = client.post(reverse("admin:units_membership_add"),
                           membership_form(world.newcomer, world.jyj, Role.Code.CLERK))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=world.newcomer).exists()
    assert sees_joint_work(world, world.newcomer) == (False, False)


def test_hardening_membership_service_refuses_a_staff_member_without_the_right(world):
    from django.core.exceptions import PermissionDenied

    viewer = UserFactory(username="viewer", is_staff=True)
    with pytest.raises(PermissionDenied):
        services.membership_save(by=viewer, user=world.newcomer, unit=world.jyj, roles=[Role.Code.CLERK])
    assert not Membership.objects.filter(user=world.newcomer).exists()


def test_hardening_bulk_delete_of_memberships_goes_through_the_service(client, world):
    first = member(world.newcomer, world.jyj, Role.Code.CLERK)
    second = member(UserFactory(username="second"), world.jyj, Role.Code.CLERK)
    response = client.post(reverse("admin:units_membership_changelist"), {
        "action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert sees_joint_work(world, world.newcomer) == (False, False)
    assert not Group.objects.get(name=world.jyj.group_name).user_set.filter(
        username__in=["newcomer", "second"]).exists()
    ended = Membership.history.filter(id=first.pk, history_type="-").get()
    assert ended.history_user == world.admin


# --- memberships through the user admin's inline ------------------------------------------------


def test_hardening_membership_added_and_removed_in_the_user_inline_keeps_access_in_step(client, world):
    url = reverse("admin:auth_user_change", args=[world.newcomer.pk])
    response = client.post(url, user_form(world.newcomer, extra=[(world.jyj, [Role.Code.CLERK])]))
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=world.newcomer, unit=world.jyj)
    assert sees_joint_work(world, world.newcomer) == (True, True)
    assert membership.history.first().history_user == world.admin

    response = client.post(url, user_form(world.newcomer, memberships=[membership], deleted=[membership]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=world.newcomer).exists()
    assert sees_joint_work(world, world.newcomer) == (False, False)


def test_hardening_user_admin_cannot_put_someone_in_a_unit_group_directly(client, world):
    services.unit_group(world.jyj)
    data = user_form(world.newcomer)
    data["groups"] = [str(Group.objects.get(name=world.jyj.group_name).pk)]
    response = client.post(reverse("admin:auth_user_change", args=[world.newcomer.pk]), data)
    assert response.status_code == 200  # the unit group is not a valid choice
    assert not world.newcomer.groups.exists()
    assert sees_joint_work(world, world.newcomer) == (False, False)


def test_hardening_user_save_keeps_unit_groups_when_staff_groups_change(client, world):
    member(world.newcomer, world.jyj, Role.Code.CLERK)
    auditors = Group.objects.create(name="审计人员")
    data = user_form(world.newcomer, memberships=list(world.newcomer.memberships.all()))
    data["groups"] = [str(auditors.pk)]
    response = client.post(reverse("admin:auth_user_change", args=[world.newcomer.pk]), data)
    assert response.status_code == 302
    assert set(world.newcomer.groups.values_list("name", flat=True)) == {"审计人员", world.jyj.group_name}
    assert sees_joint_work(world, world.newcomer) == (True, True)
    assert world.newcomer.history.first().history_user == world.admin


def test_hardening_users_and_unit_groups_are_not_deleted_or_edited_in_admin(client, world):
    group = services.unit_group(world.jyj)
    response = client.post(reverse("admin:auth_user_delete", args=[world.newcomer.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert type(world.newcomer).objects.filter(pk=world.newcomer.pk).exists()
    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "unit:renamed"})
    assert response.status_code == 403
    response = client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Group.objects.filter(pk=group.pk, name=world.jyj.group_name).exists()
    response = client.post(reverse("admin:auth_group_add"), {"name": "unit:fake"})
    assert response.status_code == 200 and "单位人员组由任职记录自动维护" in response.content.decode()
    assert not Group.objects.filter(name="unit:fake").exists()


# --- units ------------------------------------------------------------------------------------------


def unit_form(unit, **changes):
    data = {"name": unit.name, "short_name": unit.short_name, "issuer_code": unit.issuer_code,
            "other_issuer_codes": unit.other_issuer_codes, "kind": unit.kind,
            "parent": unit.parent_id or "", "sort_order": unit.sort_order, "is_active": "on"}
    data.update(changes)
    return data


def test_hardening_unit_renamed_in_admin_keeps_its_grants_and_its_code(client, world):
    member(world.newcomer, world.jyj, Role.Code.CLERK)
    response = client.post(reverse("admin:units_unit_change", args=[world.jyj.pk]),
                           unit_form(world.jyj, name="铜川市教育和体育局", short_name="市教体局", code="jtj-new"))
    assert response.status_code == 302
    unit = Unit.objects.get(pk=world.jyj.pk)
    assert (unit.name, unit.short_name, unit.code) == ("铜川市教育和体育局", "市教体局", "jyj")
    assert sees_joint_work(world, world.newcomer) == (True, True)
    latest = unit.history.first()
    assert latest.history_user == world.admin and latest.history_change_reason == "管理后台修改单位:全称、简称"
    # Someone joining after the rename gets the same grants.
    joiner = UserFactory(username="joiner")
    client.post(reverse("admin:units_membership_add"), membership_form(joiner, unit, Role.Code.CLERK))
    assert sees_joint_work(world, joiner) == (True, True)


def test_hardening_unit_code_cannot_change_through_the_service(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.unit_update(unit=world.jyj, data={"code": "jtj-new", "short_name": "市教体局"}, by=world.admin)
    assert "单位代码创建后不能修改" in str(refused.value)
    assert Unit.objects.get(pk=world.jyj.pk).short_name == world.jyj.short_name


def test_hardening_unit_under_its_own_department_is_a_form_error_and_changes_nothing(client, world, tongchuan_units):
    district, department = tongchuan_units["yzq"], tongchuan_units["yzq-jyj"]
    versions = district.history.count()
    response = client.post(reverse("admin:units_unit_change", args=[district.pk]),
                           unit_form(district, parent=department.pk, short_name="改名"))
    assert response.status_code == 200
    assert "上级单位不能是本单位或其下属单位" in response.content.decode()
    district.refresh_from_db()
    assert district.parent_id != department.pk and district.short_name != "改名"
    assert district.history.count() == versions


def test_hardening_unit_added_in_admin_has_its_group_and_cannot_be_deleted(client, world):
    response = client.post(reverse("admin:units_unit_add"), {
        "code": "xfj", "name": "铜川市信访局", "short_name": "市信访局", "issuer_code": "铜信发",
        "kind": "city_department", "parent": world.fgw.parent_id, "sort_order": 500, "is_active": "on"})
    assert response.status_code == 302
    unit = Unit.objects.get(code="xfj")
    assert Group.objects.filter(name="unit:xfj").exists()
    assert unit.history.get().history_user == world.admin
    response = client.post(reverse("admin:units_unit_delete", args=[unit.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_hardening_role_code_is_fixed_and_roles_cannot_be_deleted_in_admin(client, world):
    role = Role.objects.get(code=Role.Code.CLERK)
    response = client.post(reverse("admin:units_role_change", args=[role.pk]),
                           {"code": "boss", "description": "起草、报送公文"})
    assert response.status_code == 302
    role.refresh_from_db()
    assert (role.code, role.description) == ("clerk", "起草、报送公文")
    assert role.history.first().history_user == world.admin
    assert client.post(reverse("admin:units_role_delete", args=[role.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:units_role_add")).status_code == 403


def test_hardening_password_set_in_admin_is_in_history_with_who_and_why(client, world):
    url = reverse("admin:auth_user_password_change", args=[world.newcomer.pk])
    response = client.post(url, {"password1": "Tongchuan-2026!x", "password2": "Tongchuan-2026!x",
                                 "usable_password": "true"})
    assert response.status_code == 302
    world.newcomer.refresh_from_db()
    assert world.newcomer.check_password("Tongchuan-2026!x")
    latest = world.newcomer.history.first()
    assert latest.history_user == world.admin and latest.history_change_reason == "管理后台重设密码"


def test_hardening_staff_group_added_in_admin_keeps_its_permissions(client, world):
    permission = Permission.objects.get(codename="view_membership")
    response = client.post(reverse("admin:auth_group_add"), {"name": "审计人员", "permissions": [permission.pk]})
    assert response.status_code == 302
    assert list(Group.objects.get(name="审计人员").permissions.all()) == [permission]


def test_hardening_unit_seal_uploaded_in_admin_is_saved_through_the_service(client, world, settings, tmp_path):
    from tests.interpretation.factories import png

    settings.MEDIA_ROOT = tmp_path
    response = client.post(reverse("admin:units_unit_change", args=[world.fgw.pk]),
                           {**unit_form(world.fgw), "seal_image": png("公章.png")})
    assert response.status_code == 302
    unit = Unit.objects.get(pk=world.fgw.pk)
    assert unit.seal_image.name.startswith("seals/") and unit.seal_image.storage.exists(unit.seal_image.name)
    assert unit.history.first().history_change_reason == "管理后台修改单位:单位公章图样"


# --- repairing what raw admin saves left behind ----------------------------------------------------


@pytest.mark.parametrize("new_group_made_since", [False, True])
def test_hardening_unit_groups_sync_repairs_groups_left_by_raw_saves(world, new_group_made_since):
    """Memberships saved raw (as the admin did) gain their group; groups of renamed codes keep their grants.
    `load_units`, run on every release, runs this repair."""
    from tongchuan_portal.core.selectors import system_user

    raw = Membership.objects.create(user=world.newcomer, unit=world.jyj)
    stale = UserFactory(username="stale")
    services.unit_group(world.jyj).user_set.add(stale)
    # A unit whose code was edited in the old admin: its grants stayed on the group of the old code.
    old_group = services.unit_group(world.jyj)
    jyj = Unit.objects.get(pk=world.jyj.pk)
    jyj.code = "jyj-renamed"
    jyj._history_user = system_user()
    jyj.save()
    if new_group_made_since:
        services.unit_group(jyj)
    assert raw.pk and sees_joint_work(world, world.newcomer) == (False, False)

    assert services.unit_groups_sync() == (1, 2)  # the old group found again; newcomer in, stale out
    group = Group.objects.get(name="unit:jyj-renamed")
    assert (group.pk == old_group.pk) is not new_group_made_since
    assert not Group.objects.filter(name="unit:jyj").exists()
    assert sees_joint_work(world, world.newcomer) == (True, True)
    assert sees_joint_work(world, stale) == (False, False)
    assert services.unit_groups_sync() == (0, 0)  # idempotent


def test_hardening_user_added_in_admin_with_a_membership_gets_the_units_access(client, world):
    response = client.post(reverse("admin:auth_user_add"), {
        "username": "fresh", "usable_password": "true", "password1": "Tongchuan-2026!x",
        "password2": "Tongchuan-2026!x",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0", "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000", "memberships-0-unit": world.jyj.pk, "memberships-0-title": "",
        "memberships-0-roles": role_ids(Role.Code.CLERK)})
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = type(world.newcomer).objects.get(username="fresh")
    assert fresh.history.get().history_change_reason == "管理后台新增用户"
    assert sees_joint_work(world, fresh) == (True, True)
