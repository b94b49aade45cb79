import pytest

from tongchuan_portal.units.models import Role
from tests.units.factories import UserFactory, member


class World(dict):
    __getattr__ = dict.__getitem__


@pytest.fixture
def world(tongchuan_units, calendar):
    """市发展改革委 with one person per role, another department, the city office and the city government."""
    u = tongchuan_units
    people = World(units=u, fgw=u["fgw"], jyj=u["jyj"], szfb=u["szfb"], tcgov=u["tcgov"])
    for name, unit, roles in [
        ("clerk", "fgw", [Role.Code.CLERK]), ("head", "fgw", [Role.Code.UNIT_HEAD]),
        ("secrecy", "fgw", [Role.Code.CONFIDENTIALITY_REVIEWER]),
        ("other_clerk", "jyj", [Role.Code.CLERK]), ("other_head", "jyj", [Role.Code.UNIT_HEAD]),
        ("other_secrecy", "jyj", [Role.Code.CONFIDENTIALITY_REVIEWER]),
        ("reviewer", "szfb", [Role.Code.CITY_OFFICE_REVIEWER]),
        ("gov_clerk", "szfb", [Role.Code.CLERK]), ("gov_head", "tcgov", [Role.Code.UNIT_HEAD]),
        ("gov_secrecy", "tcgov", [Role.Code.CONFIDENTIALITY_REVIEWER]),
    ]:
        user = UserFactory(username=name, first_name=name)
        member(user, u[unit], *roles)
        people[name] = user
    people["citizen"] = UserFactory(username="citizen")
    return people
