import pytest

from tests.units.factories import UnitFactory, UserFactory


@pytest.fixture
def tongchuan_units(db):
    """The real unit directory, loaded through the service (as `make run` does)."""
    from tongchuan_portal.core.selectors import system_user
    from tongchuan_portal.units.models import Unit
    from tongchuan_portal.units.services import units_load_directory

    units_load_directory(by=system_user())
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def unit_factory(db):
    return UnitFactory


@pytest.fixture
def user_factory(db):
    return UserFactory
