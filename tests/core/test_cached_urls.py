"""The header's links are reversed once per URLconf and script prefix, and equal what reverse gives."""

from django.urls import reverse, set_script_prefix

from tongchuan_portal.core.cached_urls import CachedURLs
from tongchuan_portal.core.context_processors import NAV_URLS


def test_nav_links_equal_reverse_and_follow_the_script_prefix():
    urls = NAV_URLS.for_urlconf()
    assert urls["search"] == reverse("disclosure:search")
    assert urls["font_large"] == reverse("core:font_size", args=["large"])
    assert NAV_URLS.for_urlconf() is urls  # built once
    set_script_prefix("/portal/")
    try:
        prefixed = CachedURLs({"home": "core:home"}).for_urlconf()
        assert prefixed["home"] == "/portal/"
    finally:
        set_script_prefix("/")
    assert CachedURLs({"home": "core:home"}).for_urlconf()["home"] == "/"
