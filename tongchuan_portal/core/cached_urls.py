"""URLs that never change while the process runs, reversed once (per URLconf) instead of per render."""

from __future__ import annotations

from django.conf import settings
from django.urls import get_script_prefix, reverse


class CachedURLs:
    """`{name: "app:view"}` or `{name: ("app:view", arg, ...)}` → a dict of paths, built on first use.

    An argument given as `CachedURLs.ID` (a primary key) or `CachedURLs.SLUG` (a code) is left as `{}`
    in the path, for `str.format` (a list's rows link to their pages without a `reverse()` each)."""

    ID = 9_081_726_354  # an integer no real path contains
    SLUG = "cachedurls-slug-placeholder"

    def __init__(self, names: dict[str, str | tuple]):
        self.names = names
        self._built: dict[object, dict[str, str]] = {}

    def for_urlconf(self, urlconf=None) -> dict[str, str]:
        """Keyed by the URLconf in force (a request's own, else ROOT_URLCONF) and the script prefix."""
        key = (urlconf or settings.ROOT_URLCONF, get_script_prefix())
        built = self._built.get(key)
        if built is None:
            built = {}
            for name, target in self.names.items():
                view, *args = (target,) if isinstance(target, str) else target
                built[name] = (reverse(view, urlconf=urlconf, args=args)
                               .replace(str(self.ID), "{}").replace(self.SLUG, "{}"))
            self._built[key] = built
        return built


_by_view: dict[str, CachedURLs] = {}


def id_url(view: str, pk) -> str:
    """`reverse(view, args=[pk])` for a view that takes one primary key, reversed once per process and
    URLconf: a staff queue links each of its rows to a page (some fifty `reverse()` calls a render)."""
    from django.urls import get_urlconf

    urls = _by_view.get(view)
    if urls is None:
        urls = _by_view[view] = CachedURLs({"url": (view, CachedURLs.ID)})
    return urls.for_urlconf(get_urlconf())["url"].format(int(pk))
