"""Tests run on the real PostgreSQL and Redis (never SQLite or mocks in their place)."""

from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS, env

# Short deadline rules defined by the tests, known to the workers the tests start.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.support"]

DEBUG = False
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/tongchuan"),
}
# TEST_ISOLATION=<name> gives a parallel test run its own database, queue and cache keys.
# Under pytest-xdist each worker (gw0, gw1…) is a parallel run of its own; its children inherit the variable.
ISOLATION = "_".join(filter(None, [env.str("TEST_ISOLATION", default=""), env.str("PYTEST_XDIST_WORKER", default="")]))
_suffix = f"_{ISOLATION}" if ISOLATION else ""
# Short-lived connections as before, health-checked as everywhere (DB_CONN_MAX_AGE lets a test
# run a server with persistent ones).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=f"test_tongchuan{_suffix}")}
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/14")
CACHES = {
    "default": {
        "BACKEND": "tongchuan_portal.core.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test{_suffix}",
    }
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60}
CELERY_TASK_DEFAULT_QUEUE = f"portal-test{_suffix}"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Tests search many times from one address; tests/disclosure/test_search.py sets a low limit of its own.
DISCLOSURE_SEARCH_RATE_IP = "100000/m"
# The open-data API's per-address limit is tested on its own (tests/api); elsewhere it never bites.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api": "100000/min"}}  # noqa: F405
