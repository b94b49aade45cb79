"""Unit sections (W1), the 订阅 page and the share QR code (W3): parse → selector → render."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from disclosure.models import FiveDisclosure
from tongchuan_portal.units.models import Unit
from tongchuan_portal.units.selectors import unit_public, unit_trail, unit_directory

from . import selectors, share


def _unit(code: str) -> Unit:
    try:
        return unit_public(code)
    except Unit.DoesNotExist:
        raise Http404("该单位不存在。") from None


@require_safe
def home(request, code):
    """A unit's section: its latest items in every column (a district's include its departments')."""
    section = selectors.section_home(_unit(code))
    return render(request, "sections/home.html", {"section": section, "site": section.unit,
                                                  "share_title": section.unit.name})


@require_safe
def disclosure_column(request, code):
    """The unit's own 政府信息公开 column: the city's column page, every entry narrowed to the unit (W4)."""
    unit = _unit(code)
    return render(request, "disclosure/public/index.html", {
        "site": unit, "trail": unit_trail(unit), "areas": FiveDisclosure.choices,
        "has_guide": selectors.has_guide(unit)})


@require_safe
def feeds(request):
    """订阅 — what a feed is, in plain words, and every unit's and area's feed."""
    return render(request, "sections/feeds.html", {"directory": unit_directory(),
                                                   "areas": FiveDisclosure.choices})


@require_safe
@cache_control(public=True, max_age=86400)
def qr(request):
    """微信扫一扫: the QR code (SVG) of one of the site's public pages."""
    path = share.shareable_path(request.GET.get("path", ""))
    if path is None:
        raise Http404("无法为该地址生成二维码。")
    return HttpResponse(share.qr_svg(path), content_type="image/svg+xml")
