"""WSGI entry point for gunicorn."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchuan_portal.settings.production")

application = get_wsgi_application()

# gunicorn runs no system checks: say at start-up what manage.py check would warn about.
from tongchuan_portal.core.checks import trusted_proxy_count_set  # noqa: E402

for _warning in trusted_proxy_count_set():
    logging.getLogger("tongchuan_portal").warning("%s: %s %s", _warning.id, _warning.msg, _warning.hint)
