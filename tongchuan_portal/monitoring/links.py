"""Links in what the portal publishes (W2 broken links): found in bodies, resolved without the network.

Internal links (a path, or an address on SITE_BASE_URL) are resolved through the URL resolver and,
for pages of published items, the database: a link to a withdrawn document is broken although its
URL still resolves. External links are looked up in the last result the periodic link checker kept.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

HREF = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*(["'])(.*?)\1""", re.I | re.S)
# Public pages whose target row must still be public: (namespace:url_name) → kind of id set.
ROW_PAGES = {
    "disclosure:public_detail": "document",
    "disclosure:attachment": "attachment",
    "interpretation:detail": "interpretation",
    "huiying:detail": "release",
    "sections:unit": "unit",
    "sections:disclosure": "unit",
}


def extract(body: str) -> list[str]:
    """Every href/src in an HTML body, unescaped, without fragments-only and mail/tel links."""
    found = []
    for _, raw in HREF.findall(body or ""):
        url = html.unescape(raw).strip()
        if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        if url not in found:
            found.append(url)
    return found


def site_path(url: str) -> str | None:
    """The path of an internal link, or None for an external one."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return parts.path if parts.path.startswith("/") else None
    own = urlsplit(settings.SITE_BASE_URL)
    if parts.scheme in ("http", "https") and parts.netloc == own.netloc:
        return parts.path or "/"
    return None


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and site_path(url) is None


def internal_target(path: str) -> tuple[str, str] | None | bool:
    """(kind, key) of the row a path shows, True for any other page that resolves, False if none does."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    kind = ROW_PAGES.get(match.view_name)
    if kind is None:
        return True
    key = match.kwargs.get("pk", match.kwargs.get("code"))
    return kind, str(key)
