"""Site-wide response hardening: body size, security headers, private caching."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers

# Pages only staff reach: never kept by a browser's or a proxy's cache, signed in or not.
STAFF_PREFIXES = ("/work/", "/admin/", "/accounts/", "/inbox/", "/deadlines/", "/opinion/", "/participation/staff/",
                  "/workspace/")


class RequestBodyLimitMiddleware:
    """413 from the declared Content-Length, before a byte of the body is read.

    Django reads no more than Content-Length, and a request without one has no
    body for it, so this bound holds for every view; the reverse proxy should
    refuse the same size itself (client_max_body_size) so nothing is buffered.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BODY_MB * 1024 * 1024
        if length > limit:
            response = render(request, "413.html", {"limit_mb": settings.REQUEST_MAX_BODY_MB}, status=413)
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every HTML page.

    The site has no inline script or style (JavaScript only as enhancement, from
    /static/), so the policy allows only its own origin. Django's admin sets
    style attributes from its widgets, so admin pages also allow inline styles.
    A view that sets its own policy (downloads: `sandbox`) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            policy = settings.CONTENT_SECURITY_POLICY
            if request.path.startswith("/admin/"):
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on whatever a signed-in person gets, and on staff pages.

    A signed-in person's pages carry their name and unread count, their downloads
    may be unpublished drafts: no shared cache may keep them, no browser cache may
    show them after logout.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(STAFF_PREFIXES):
            response.headers.pop("Expires", None)
            patch_cache_control(response, private=True, no_store=True)
            if "max-age" in response.get("Cache-Control", ""):
                patch_cache_control(response, max_age=0)
            patch_vary_headers(response, ("Cookie",))
        return response
