import factory
from django.contrib.auth import get_user_model

from tongchuan_portal.units.models import Membership, Role, Unit, UnitKind


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("pw-123456")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit{n}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.Sequence(lambda n: f"单位{n}")
    issuer_code = factory.Sequence(lambda n: f"铜测{n}发")
    kind = UnitKind.CITY_DEPARTMENT


def member(user, unit, *roles):
    """Give `user` the `roles` in `unit` through the real service (history and all)."""
    from tongchuan_portal.core.selectors import system_user
    from tongchuan_portal.units.services import membership_grant, roles_ensure

    roles_ensure()
    return membership_grant(user=user, unit=unit, roles=list(roles), by=system_user())


__all__ = ["Membership", "Role", "UnitFactory", "UserFactory", "member"]
