"""微信扫一扫 (W3): the QR code of a page's address, drawn on the server by segno.

segno is pure Python (no Pillow, no compiler), writes SVG directly and is actively kept; the code
works without JavaScript and is cached by the browser.
"""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import Resolver404, resolve

from tongchuan_portal.core.siteurl import site_url

MAX_PATH = 300


def shareable_path(path: str, *, resolved: bool = False) -> str | None:
    """The site path a QR code may encode: one of our own public pages, nothing else.

    `resolved`: the caller knows the path is one of our routes (the request being answered), so it
    is not resolved again."""
    if not path or len(path) > MAX_PATH or not path.startswith("/") or path.startswith("//"):
        return None
    bare = path.split("?", 1)[0].split("#", 1)[0]
    if any(bare.startswith(p) for p in ("/work/", "/admin/", "/accounts/", "/inbox/", "/deadlines/")):
        return None
    if not resolved:
        try:
            resolve(bare)
        except Resolver404:
            return None
    return path


def qr_svg(path: str) -> bytes:
    """An SVG QR code of SITE_BASE_URL + path (error correction M, dark on white)."""
    qr = segno.make(site_url(path), error="m", micro=False)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=4, border=2, dark="#000", light="#fff", xmldecl=False,
            title=f"{settings.SITE_NAME}页面二维码")
    return out.getvalue()
