"""Production settings plus the benchmark's ceiling page (`bench/urls.py`); used only by bench/run.py."""

from tongchuan_portal.settings.production import *  # noqa: F401,F403
from tongchuan_portal.settings.production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # for bench/templates/
ROOT_URLCONF = "bench.urls"
