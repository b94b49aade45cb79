"""Membership helpers: what a user may act on follows from user × role × unit, nothing else."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tongchuan_portal.units import permissions
from tongchuan_portal.units.models import Role
from tests.units.factories import UnitFactory, UserFactory, member

ROLES = [code for code, _ in Role.Code.choices]


@pytest.fixture
def world(db):
    own = UnitFactory(code="own")
    other = UnitFactory(code="other")
    return own, other


@pytest.mark.parametrize("held", ROLES)
@pytest.mark.parametrize("asked", ROLES)
def test_has_role_matrix_own_and_other_unit(world, held, asked):
    """A role counts only in the unit where it is held, and only for that role."""
    own, other = world
    user = UserFactory()
    member(user, own, held)

    assert permissions.has_role(user, own, asked) is (held == asked)
    assert permissions.has_role(user, other, asked) is False
    assert set(permissions.units_with_role(user, asked)) == ({own} if held == asked else set())
    assert permissions.unit_ids_with_role(user, asked) == ([own.pk] if held == asked else [])


@pytest.mark.parametrize("role", ROLES)
def test_user_without_membership_gets_nothing(world, role):
    own, other = world
    user = UserFactory()
    assert permissions.has_role(user, own, role) is False
    assert list(permissions.units_with_role(user, role)) == []
    assert list(permissions.units_with_role(user)) == []
    assert permissions.roles_by_unit(user) == {}


@pytest.mark.parametrize("role", ROLES)
def test_anonymous_user_gets_nothing(world, role):
    own, _ = world
    anonymous = AnonymousUser()
    assert permissions.has_role(anonymous, own, role) is False
    assert list(permissions.units_with_role(anonymous, role)) == []
    assert permissions.unit_ids_with_role(anonymous, role) == []
    assert permissions.roles_by_unit(anonymous) == {}


def test_several_roles_in_several_units(world):
    own, other = world
    user = UserFactory()
    member(user, own, Role.Code.CLERK, Role.Code.UNIT_HEAD)
    member(user, other, Role.Code.OPINION_OFFICER)

    assert permissions.roles_by_unit(user) == {
        own.pk: {"clerk", "unit_head"},
        other.pk: {"opinion_officer"},
    }
    assert set(permissions.units_with_role(user)) == {own, other}
    assert set(permissions.units_with_role(user, Role.Code.CLERK, Role.Code.OPINION_OFFICER)) == {own, other}
    assert permissions.unit_ids_with_role(user) == sorted([own.pk, other.pk])
    assert permissions.unit_ids_with_role(user, Role.Code.UNIT_HEAD) == [own.pk]
    assert permissions.has_role(user, other.pk, Role.Code.CLERK) is False


def test_role_in_parent_unit_does_not_reach_children(tongchuan_units):
    """Holding a role in 耀州区政府 gives nothing in 耀州区教育局: every unit is its own."""
    user = UserFactory()
    member(user, tongchuan_units["yzq"], Role.Code.CLERK)
    assert permissions.has_role(user, tongchuan_units["yzq-jyj"], Role.Code.CLERK) is False


def test_city_office_reviewer_only_in_city_office(tongchuan_units):
    reviewer, elsewhere = UserFactory(), UserFactory()
    member(reviewer, tongchuan_units["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    member(elsewhere, tongchuan_units["fgw"], Role.Code.CITY_OFFICE_REVIEWER)
    assert permissions.is_city_office_reviewer(reviewer) is True
    assert permissions.is_city_office_reviewer(elsewhere) is False
    assert permissions.is_city_office_reviewer(AnonymousUser()) is False


def test_revoking_a_role_and_the_membership(world):
    from tongchuan_portal.core.selectors import system_user
    from tongchuan_portal.units.services import membership_revoke

    own, _ = world
    user = UserFactory()
    member(user, own, Role.Code.CLERK, Role.Code.UNIT_HEAD)
    membership_revoke(user=user, unit=own, roles=[Role.Code.CLERK], by=system_user())
    assert permissions.roles_by_unit(user) == {own.pk: {"unit_head"}}
    membership_revoke(user=user, unit=own, by=system_user())
    assert permissions.roles_by_unit(user) == {}


def test_roles_by_unit_is_one_query(world, django_assert_num_queries):
    own, other = world
    user = UserFactory()
    member(user, own, *ROLES)
    member(user, other, Role.Code.CLERK)
    with django_assert_num_queries(1):
        permissions.roles_by_unit(user)


def test_D5_role_answers_are_read_once_per_user_object_and_follow_every_change(world, django_assert_num_queries):
    """The role rows kept on a user object are dropped by a grant, a removed role, a deleted
    membership and a unit's special mark changing — never answered from before the change."""
    from tongchuan_portal.units.models import Membership, SpecialUnit

    own, _other = world
    user = UserFactory()
    assert permissions.is_city_office_reviewer(user) is False
    membership = member(user, own, Role.Code.CITY_OFFICE_REVIEWER)
    assert permissions.holds_role(user, Role.Code.CITY_OFFICE_REVIEWER) is True
    assert permissions.is_city_office_reviewer(user) is False  # not yet the city office

    own.special = SpecialUnit.CITY_OFFICE
    own.save()
    with django_assert_num_queries(1):  # read again once, then answered from the object
        assert permissions.is_city_office_reviewer(user) is True
        assert permissions.holds_role(user, Role.Code.CITY_OFFICE_REVIEWER, special=SpecialUnit.CITY_OFFICE)
        assert permissions.holds_role(user) is True
        assert permissions.holds_role(user, Role.Code.CLERK) is False

    membership.roles.remove(Role.objects.get(code=Role.Code.CITY_OFFICE_REVIEWER))
    assert permissions.is_city_office_reviewer(user) is False
    assert permissions.holds_role(user) is True  # a membership without roles still belongs

    Membership.objects.filter(pk=membership.pk).get().delete()
    assert permissions.holds_role(user) is False


def test_holds_role_is_false_for_anonymous_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert permissions.holds_role(AnonymousUser()) is False
        assert permissions.is_city_office_reviewer(AnonymousUser()) is False


def test_D7_unit_ids_with_role_follow_a_revoked_role_at_once(world):
    """The read side answers from the rows kept on the user object: a role taken away no longer counts."""
    from tongchuan_portal.core.selectors import system_user
    from tongchuan_portal.units.services import membership_revoke

    own, other = world
    user = UserFactory()
    member(user, own, Role.Code.CONFIDENTIALITY_REVIEWER)
    member(user, other, Role.Code.CONFIDENTIALITY_REVIEWER)
    assert permissions.unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER) == sorted([own.pk, other.pk])
    membership_revoke(user=user, unit=other, roles=[Role.Code.CONFIDENTIALITY_REVIEWER], by=system_user())
    assert permissions.unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER) == [own.pk]
