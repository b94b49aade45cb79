import pytest

from tongchuan_portal.units.models import Role
from tests.units.factories import UserFactory, member


class World(dict):
    __getattr__ = dict.__getitem__


@pytest.fixture
def world(tongchuan_units, calendar):
    """The drafting unit (fgw), a co-issuer (jyj), an outsider (gaj) and the city office (szfb)."""
    from interpretation.services import return_reason_ensure

    return_reason_ensure()  # transactional tests flush the migration's row
    u = tongchuan_units
    people = World(units=u, fgw=u["fgw"], jyj=u["jyj"], gaj=u["gaj"], szfb=u["szfb"])
    for name, unit, roles in [
        ("clerk", "fgw", [Role.Code.CLERK]), ("head", "fgw", [Role.Code.UNIT_HEAD]),
        ("secrecy", "fgw", [Role.Code.CONFIDENTIALITY_REVIEWER]),
        ("co_clerk", "jyj", [Role.Code.CLERK]), ("co_head", "jyj", [Role.Code.UNIT_HEAD]),
        ("other_clerk", "gaj", [Role.Code.CLERK]), ("other_head", "gaj", [Role.Code.UNIT_HEAD]),
        ("other_secrecy", "gaj", [Role.Code.CONFIDENTIALITY_REVIEWER]),
        ("reviewer", "szfb", [Role.Code.CITY_OFFICE_REVIEWER]),
        ("city_secrecy", "szfb", [Role.Code.CONFIDENTIALITY_REVIEWER]),
    ]:
        user = UserFactory(username=name, first_name=name)
        member(user, u[unit], *roles)
        people[name] = user
    people["citizen"] = UserFactory(username="citizen")
    return people
