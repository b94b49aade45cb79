"""`make run`: the whole portal on one machine, debug off, nothing but Python needed.

Embedded defaults (SQLite under `var/`, kombu's filesystem broker, a file cache)
unless DATABASE_URL, CELERY_BROKER_URL and REDIS_URL are set. DEBUG stays off,
so visitors see the designed error pages and WhiteNoise serves the collected
static files, exactly as in production; only the transport security that needs
TLS (HTTPS redirect, HSTS, secure cookies) is left out, since it serves plain
http://127.0.0.1. Use `settings.dev` (`make dev`) for Django's debug pages.
"""

import secrets

from .base import *  # noqa: F401,F403
from .base import VAR_DIR, env

DEBUG = False


def _local_secret_key() -> str:
    """One random key per machine, kept under var/: sessions survive restarts, nothing is shared."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
