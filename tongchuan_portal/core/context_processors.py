from urllib.parse import quote

from django.conf import settings
from django.urls import get_urlconf

from .cached_urls import CachedURLs

FONT_SIZES = {"small": "小", "medium": "中", "large": "大"}


def site(request):
    """Site identity for every template, the reader's font size, and staff unread count."""
    font_size = request.COOKIES.get("font_size", "medium")
    if font_size not in FONT_SIZES:
        font_size = "medium"
    nav = NAV_URLS.for_urlconf(get_urlconf())
    back = quote(request.get_full_path(), safe="/")
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_DOMAIN": settings.SITE_DOMAIN,
        "SITE_ID_CODE": settings.SITE_ID_CODE,
        "SITE_CONTACT": settings.SITE_CONTACT,
        "font_size": font_size,
        # (label, link back to this page, current): built here once, not by lookups in every page's header
        "font_links": [(label, f"{nav[f'font_{key}']}?next={back}", key == font_size)
                       for key, label in FONT_SIZES.items()],
        "print_mode": request.GET.get("print") == "1",
        "unread_count": _unread(request),
        "nav": nav,
        "nav_on": _nav_on(request),
    }


def _nav_on(request) -> dict[str, bool]:
    """Which main-navigation entries the page belongs to (aria-current)."""
    match = getattr(request, "resolver_match", None)
    app, name = (match.app_name, match.url_name) if match else ("", "")
    path = request.path
    return {
        "home": name == "home", "xxgk": "/xxgk/" in path, "huiying": app == "huiying",
        "participation": app == "participation", "interpretation": app == "interpretation" and "/jiedu/" in path,
        "workspace": name == "workspace", "mine": app == "disclosure" and "/work/" in path, "deadlines": app == "clock",
    }


# The header's and footer's links on every page: reversed once per process (per URLconf), not per render.
NAV_URLS = CachedURLs({
    "home": "core:home", "column": "disclosure:column", "search": "disclosure:search", "huiying": "huiying:list",
    "drafts": "participation:drafts", "interpretation": "interpretation:column", "login": "login",
    "logout": "logout", "inbox": "notifications:inbox", "workspace": "core:workspace", "mine": "disclosure:mine",
    "deadlines": "clock:mine", **{f"font_{key}": ("core:font_size", key) for key in FONT_SIZES},
})


def _unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    from tongchuan_portal.notifications.selectors import unread_count

    return unread_count(user)
