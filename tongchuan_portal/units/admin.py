"""Units, roles, memberships and users: the admin is where they are kept, and every save goes through
`services.py`, so adding, changing or ending a membership moves the person in or out of the unit's
group at once (and with it the co-issued drafts and interpretation plans granted to that group)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group

from tongchuan_portal.core.admin import ServiceAdmin

from . import services
from .models import UNIT_GROUP_PREFIX, Membership, Role, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]
    filter_horizontal = ["roles"]


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    """Units are never deleted here (documents, deadlines and history point at them): mark one 不在用."""

    list_display = ["name", "short_name", "code", "issuer_code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active", "parent"]
    search_fields = ["name", "short_name", "code", "issuer_code", "other_issuer_codes"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    history_list_display = ["kind", "parent"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def service_save(self, request, obj, form, change):
        if change:
            data = {f: getattr(obj, f) for f in form.changed_data if f in services.UNIT_FIELDS}
            return services.unit_update(unit=obj, data=data, by=request.user)
        data = {f: getattr(obj, f) for f in services.UNIT_FIELDS}
        return services.unit_create(code=obj.code, data=data, by=request.user)


@admin.register(Role)
class RoleAdmin(ServiceAdmin):
    """Roles are the fixed set the rules check; only their description is edited."""

    list_display = ["code", "__str__", "description"]
    search_fields = ["code", "description"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def service_save(self, request, obj, form, change):
        return services.role_update(role=obj, description=obj.description, by=request.user)


def _membership_from_form(request, form, *, user, membership):
    data = form.cleaned_data
    return services.membership_save(
        by=request.user, user=user, unit=data["unit"], roles=[r.code for r in data.get("roles") or []],
        title=data.get("title") or "", membership=membership,
    )


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    list_display = ["user", "unit", "role_list", "title", "created_at"]
    list_filter = ["roles", "unit__kind", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name", "unit__short_name"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]
    filter_horizontal = ["roles"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description="角色")
    def role_list(self, obj):
        return "、".join(str(r) for r in obj.roles.all())

    def service_save(self, request, obj, form, change):
        return _membership_from_form(request, form, user=form.cleaned_data["user"],
                                     membership=obj if change else None)

    def service_delete(self, request, obj):
        services.membership_end(membership=obj, by=request.user)


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


class PasswordForm(AdminPasswordChangeForm):
    """The admin's 修改密码 page, saved by `user_password_set` so the history says who and why."""

    def save(self, commit=True):
        user = self.set_password_and_save(self.user, commit=False)
        return services.user_password_set(user=user, by=self.user._acting_admin)


@admin.register(User)
class PortalUserAdmin(ServiceAdmin, UserAdmin):
    """Users with their memberships; every change (including passwords being set) is in history.

    Users are not deleted here: they are who acted in every history record. Untick 有效 instead.
    """

    inlines = [MembershipInline]
    list_filter = UserAdmin.list_filter + ("memberships__roles", "memberships__unit__kind")
    change_password_form = PasswordForm

    def get_object(self, request, object_id, from_field=None):
        user = super().get_object(request, object_id, from_field)
        if user is not None:
            user._acting_admin = request.user  # for PasswordForm, which Django builds without the request
        return user

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = Group.objects.exclude(name__startswith=UNIT_GROUP_PREFIX)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def service_save(self, request, obj, form, change):
        data = form.cleaned_data
        return services.user_save(user=obj, by=request.user, created=not change,
                                  groups=data["groups"] if "groups" in data else None,
                                  permissions=data["user_permissions"] if "user_permissions" in data else None)

    def service_save_inline(self, request, form, inline_form, stored):
        return _membership_from_form(request, inline_form, user=form.instance, membership=stored)

    def service_delete_inline(self, request, form, inline_form, stored):
        services.membership_end(membership=stored, by=request.user)


@admin.register(Group)
class PortalGroupAdmin(ServiceAdmin, GroupAdmin):
    """Staff groups (admin rights) are edited here; unit groups (单位人员组) are read-only — memberships keep them."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and services.is_unit_group(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.is_unit_group(obj):
            return False
        return super().has_delete_permission(request, obj)

    def service_save(self, request, obj, form, change):
        data = form.cleaned_data
        return services.group_save(group=obj, by=request.user, created=not change,
                                   permissions=data["permissions"] if "permissions" in data else None)

    def service_delete(self, request, obj):
        services.group_delete(group=obj, by=request.user)
