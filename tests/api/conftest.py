import pytest

from tongchuan_portal.units.models import Role
from tests.units.factories import UserFactory, member


class World(dict):
    __getattr__ = dict.__getitem__


@pytest.fixture
def world(tongchuan_units, calendar):
    from disclosure.services import return_reasons_ensure

    return_reasons_ensure()
    u = tongchuan_units
    people = World(units=u, fgw=u["fgw"], jyj=u["jyj"], szfb=u["szfb"])
    for name, unit, role in [("clerk", "fgw", Role.Code.CLERK), ("head", "fgw", Role.Code.UNIT_HEAD),
                             ("secrecy", "fgw", Role.Code.CONFIDENTIALITY_REVIEWER),
                             ("other_clerk", "jyj", Role.Code.CLERK), ("other_head", "jyj", Role.Code.UNIT_HEAD),
                             ("other_secrecy", "jyj", Role.Code.CONFIDENTIALITY_REVIEWER)]:
        user = UserFactory(username=name, first_name=name, email=f"{name}@example.cn")
        member(user, u[unit], role)
        people[name] = user
    return people
