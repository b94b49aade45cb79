"""Per-IP rate limit of the open-data API (W3): DRF's throttle, counting by our one client address."""

from rest_framework.throttling import AnonRateThrottle

from tongchuan_portal.core.clientip import client_ip


class ClientIpRateThrottle(AnonRateThrottle):
    """Every caller is counted by address (the API has no accounts); scope `api` in DEFAULT_THROTTLE_RATES."""

    scope = "api"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}
