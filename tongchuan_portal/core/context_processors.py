from django.conf import settings

FONT_SIZES = {"small": "小", "medium": "中", "large": "大"}


def site(request):
    """Site identity for every template, the reader's font size, and staff unread count."""
    font_size = request.COOKIES.get("font_size", "medium")
    if font_size not in FONT_SIZES:
        font_size = "medium"
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_DOMAIN": settings.SITE_DOMAIN,
        "SITE_ID_CODE": settings.SITE_ID_CODE,
        "SITE_CONTACT": settings.SITE_CONTACT,
        "font_size": font_size,
        "font_sizes": FONT_SIZES,
        "print_mode": request.GET.get("print") == "1",
        "unread_count": _unread(request),
    }


def _unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    from tongchuan_portal.notifications.selectors import unread_count

    return unread_count(user)
