"""Test-only tasks, known to the workers the tests start (hardening: stale connections)."""

from celery import shared_task


@shared_task(name="test_support.backend_pid", ignore_result=False)
def backend_pid(token: str) -> int:
    """The PostgreSQL backend serving this worker's connection, left in the cache under `token`."""
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    cache.set(f"test:backend-pid:{token}", pid, 300)
    return pid
