"""The portal's URLs, plus the ceiling page when PORTAL_BENCH_CEILING=1 (never in the production app)."""

import os

from django.urls import path

from tongchuan_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = list(portal_urlpatterns)

if os.environ.get("PORTAL_BENCH_CEILING") == "1":
    from .ceiling import ceiling

    urlpatterns.insert(0, path("bench/ceiling/", ceiling, name="bench_ceiling"))
