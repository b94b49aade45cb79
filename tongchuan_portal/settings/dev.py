"""Development only (`make dev`): Django's debug pages, any host, console e-mail.

Never the default: manage.py, wsgi.py and celery.py fall back to `production`,
so this module is used only when DJANGO_SETTINGS_MODULE names it.
"""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])
