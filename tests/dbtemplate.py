"""One migrated test database per code version, copied for each pytest-xdist worker.

Every worker used to create its own test database by running every migration — three at once on two
cores, about two minutes before each worker's first test. Now the first worker to get the lock migrates
its database as before, loads the reference data and copies it to a template named after a digest of
everything that can shape it (the project's code, migrations and what they call included, the
requirements, the test settings and set-up); the others wait on the same lock and copy the template
(`CREATE DATABASE … TEMPLATE`, a file copy in PostgreSQL), then Django finds every migration applied.
Any change to that code names a new template, made once by the next run; older ones are dropped then.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "test_tongchuan_tpl_"


SKIP = {".venv", "node_modules", "var", ".git", "bench"}


def _shaping_files() -> list[Path]:
    """What can change the migrated database: the project's code (migrations and whatever they call), the
    requirements, and the tests' settings and set-up — not the tests themselves."""
    files = [p for top in ROOT.iterdir() if top.is_dir() and top.name not in SKIP for p in top.rglob("*.py")
             if top.name != "tests" or p.name in ("conftest.py", "dbtemplate.py") or "support" in p.parts]
    return sorted(files) + [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]


def _digest() -> str:
    digest = hashlib.sha1()
    for path in _shaping_files():
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_name() -> str:
    return PREFIX + _digest()


def _maintenance():
    """A connection to the server's maintenance database, in autocommit (CREATE DATABASE needs it)."""
    import psycopg2
    from django.conf import settings

    db = settings.DATABASES["default"]
    connection = psycopg2.connect(dbname="postgres", host=db.get("HOST") or None, port=db.get("PORT") or None,
                                  user=db.get("USER") or None, password=db.get("PASSWORD") or None)
    connection.autocommit = True
    return connection


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


@contextlib.contextmanager
def shared_template(test_name: str):
    """Within the lock: yields True when `test_name` was just copied from the template (Django is to keep
    it), False when the caller must create it; `save()` afterwards makes the template from it."""
    template = template_name()
    connection = _maintenance()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [template])
            try:
                copied = _exists(cursor, template)
                if copied:
                    cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)}")
                    cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(template)}")
                yield copied
            finally:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [template])
    finally:
        connection.close()


def save(test_name: str) -> None:
    """Copy the freshly migrated `test_name` (no connection may be open to it) to the template, and drop
    the templates of other code versions that nothing is copying now."""
    template = template_name()
    connection = _maintenance()
    try:
        with connection.cursor() as cursor:
            if not _exists(cursor, template):
                cursor.execute(f"CREATE DATABASE {_quote(template)} TEMPLATE {_quote(test_name)}")
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                           [PREFIX + "%", template])
            for (old,) in cursor.fetchall():
                with contextlib.suppress(Exception):  # being copied by another run: its turn will come
                    cursor.execute(f"DROP DATABASE {_quote(old)}")
    finally:
        connection.close()
