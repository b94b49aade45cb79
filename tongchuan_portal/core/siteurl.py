"""Absolute URLs on the configured site (SITE_BASE_URL), never on the request's Host header.

Behind more than one allowed host (and in development, any host) the Host header
is the visitor's to choose; a page, feed or sitemap that builds links from it
can be made to point anywhere, for every later reader of a cached copy.
"""

from functools import lru_cache, wraps
from urllib.parse import urlsplit

from django.conf import settings


def site_url(path: str = "") -> str:
    return f"{settings.SITE_BASE_URL}{path}"


@lru_cache(maxsize=None)
def _site_request_class(request_class):
    """The request's class, answering host and scheme from SITE_BASE_URL."""

    class SiteRequest(request_class):
        @property
        def scheme(self):
            return urlsplit(settings.SITE_BASE_URL).scheme

        def get_host(self):
            return urlsplit(settings.SITE_BASE_URL).netloc

    return SiteRequest


def on_site_url(view):
    """Wrap a view built on request.get_host() (syndication feeds, sitemaps) so it links to the site."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        site_request = _site_request_class(type(request)).__new__(_site_request_class(type(request)))
        site_request.__dict__.update(request.__dict__)
        return view(site_request, *args, **kwargs)

    return wrapped
