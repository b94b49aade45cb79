"""Every write to units, roles, memberships, users and groups — the admin's included.

One module per concern (STYLE.md); the public names are re-exported here.
"""

from .accounts import UNIT_GROUP_IS_AUTOMATIC, group_delete, group_save, user_password_set, user_save
from .memberships import (
    is_unit_group, membership_end, membership_grant, membership_revoke, membership_save, unit_group,
    unit_groups_sync,
)
from .units import (
    CODE_IS_FIXED, UNIT_FIELDS, role_update, roles_ensure, unit_create, unit_update, units_load_directory,
)

__all__ = [
    "CODE_IS_FIXED", "UNIT_FIELDS", "UNIT_GROUP_IS_AUTOMATIC", "group_delete", "group_save", "is_unit_group",
    "membership_end", "membership_grant", "membership_revoke", "membership_save", "role_update", "roles_ensure",
    "unit_create", "unit_group", "unit_groups_sync", "unit_update", "units_load_directory", "user_password_set",
    "user_save",
]
