from urllib.parse import urlencode

from django.conf import settings
from django.urls import get_urlconf

from tongchuan_portal.core.cached_urls import CachedURLs
from tongchuan_portal.core.siteurl import site_url

from .share import shareable_path


COLUMN_NAMES = {
    "core": "首页", "disclosure": "政府信息公开", "interpretation": "政策解读", "participation": "公众参与",
    "huiying": "回应关切", "sections": "单位子站", "opinion": "政务舆情", "api": "开放数据",
}


QR_URL = CachedURLs({"qr": "sections:qr"})


def share(request):
    """The page's own address for the share widget (W3), from SITE_BASE_URL, never the Host header.

    Only public pages are shareable; staff pages (工作台, admin, inbox) get no widget.
    """
    params = request.GET.copy()
    params.pop("print", None)
    query = params.urlencode()
    path = request.path + (f"?{query}" if query else "")
    match = getattr(request, "resolver_match", None)
    shareable = (shareable_path(path, resolved=match is not None) is not None
                 and not request.path.startswith(("/api/", "/share/")))
    return {
        "column_name": COLUMN_NAMES.get(getattr(match, "app_name", ""), settings.SITE_NAME),
        "share_page": shareable,
        "share_url": site_url(path),
        "share_qr": f"{QR_URL.for_urlconf(get_urlconf())['qr']}?{urlencode({'path': path})}" if shareable else "",
    }
