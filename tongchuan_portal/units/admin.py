from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from tongchuan_portal.core.admin import AuditedAdmin

from .models import Membership, Role, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]
    filter_horizontal = ["roles"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "code", "issuer_code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active", "parent"]
    search_fields = ["name", "short_name", "code", "issuer_code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    history_list_display = ["kind", "parent"]


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["code", "__str__", "description"]
    search_fields = ["code", "description"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
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


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class PortalUserAdmin(AuditedAdmin, UserAdmin):
    """Users with their memberships; every change (including passwords being set) is in history."""

    inlines = [MembershipInline]
    list_filter = UserAdmin.list_filter + ("memberships__roles", "memberships__unit__kind")


@admin.register(Group)
class PortalGroupAdmin(AuditedAdmin, GroupAdmin):
    pass
