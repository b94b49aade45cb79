import pytest

from tests.units.factories import UnitFactory, UserFactory


def _load_reference_data():
    from tongchuan_portal.clock.models import OfficialDay
    from tongchuan_portal.clock.services import calendar_load_from_package
    from tongchuan_portal.core.selectors import system_user

    if not OfficialDay.objects.exists():
        calendar_load_from_package(by=system_user())


def _forget_pending_readings():
    """Readings an earlier run under this isolation name counted in Redis belong to its (dropped) test
    database; flushed into this one they would land on whatever rows now have those ids."""
    from disclosure import counter

    client = counter._redis()
    if client is not None:
        client.delete(counter._key("views"), counter._key("flushing"))  # pending, and a claimed batch


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database, copied from the one migrated template of this code version (`tests/dbtemplate.py`)
    or, for the first worker, migrated and made the template; with the official calendar loaded (CLOCK1).
    Nothing counted for an earlier run's database is carried into this one."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests import dbtemplate

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    test_name = connections["default"].creation._get_test_db_name()
    with django_db_blocker.unblock(), dbtemplate.shared_template(test_name) as copied:
        db_cfg = setup_databases(verbosity=request.config.option.verbose, interactive=False, keepdb=copied,
                                 aliases=aliases, serialized_aliases=serialized_aliases)
        if not copied:
            _load_reference_data()
            connections.close_all()
            dbtemplate.save(test_name)
    with django_db_blocker.unblock():
        _load_reference_data()  # a no-op on a copy: the template holds it
    _forget_pending_readings()
    yield
    with django_db_blocker.unblock():
        teardown_databases(db_cfg, verbosity=request.config.option.verbose)


@pytest.fixture(autouse=True)
def _fresh_public_page_cache():
    """Pages cached by an earlier test (whose rows were rolled back) are never served to this one."""
    from disclosure import pagecache

    from disclosure import search

    pagecache.bump_views_epoch()
    pagecache._bump(pagecache.VERSION_KEY)
    search._statistics.clear()  # an earlier test's planner estimates came from its own (rolled-back) rows
    search._compiled.clear()  # statements compiled for an earlier test's filters (its units' ids)


@pytest.fixture(autouse=True)
def _fresh_calendar_snapshot():
    """Each test starts from the calendar in the database, not one a rolled-back test left behind."""
    from tongchuan_portal.clock import workdays

    workdays.reset_local_cache()
    yield
    workdays.reset_local_cache()


@pytest.fixture
def calendar(db):
    """The official calendar, reloaded if a transactional test flushed it."""
    _load_reference_data()
    from tongchuan_portal.clock import workdays

    workdays.reset_local_cache()


@pytest.fixture
def confirm_year(calendar):
    """Tests that move the clock into a year the package has not published say so: they confirm it here.

    deadline_start refuses a working-day clock while today's year is unconfirmed (CLOCK1); a
    test living in such a year confirms it as the office would, with its fixed-date holidays only.
    """
    from tongchuan_portal.clock import workdays
    from tongchuan_portal.clock.services import calendar_year_set
    from tongchuan_portal.core.selectors import system_user

    def confirm(year: int):
        row = calendar_year_set(year=year, confirmed=True, source_notice=f"{year}年放假安排(测试确认)", by=system_user())
        workdays.reset_local_cache()
        return row

    return confirm


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


@pytest.fixture(scope="module")
def live_worker(django_db_setup, tmp_path_factory):
    """A real Celery worker on Redis, against the test database (for transactional tests).

    One per test module, not per session: a worker left running would take the tasks meant
    for the worker a later module starts itself (with its own environment) from the same queue."""
    from tongchuan_portal.celery import app
    from tests.processes import celery_worker_args, child_env, running, wait_for

    app.control.purge()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with running(celery_worker_args(concurrency=2), child_env(), log) as proc:
        wait_for(lambda: b"ready" in log.read_bytes(), timeout=60, what="celery worker ready")
        yield proc
