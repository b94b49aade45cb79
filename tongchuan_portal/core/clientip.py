"""The client's address — one source for every limit (rate limits, the login lockout).

Behind reverse proxies REMOTE_ADDR is the nearest proxy, so a limit keyed on it
is one limit for the whole city. With TRUSTED_PROXY_COUNT = N, each of the N
proxies in front of the portal appends the address it received the request
from to X-Forwarded-For, so the client is the N-th entry from the right;
anything further left was written by the client and is never trusted. 0 (the
default) means no proxy: REMOTE_ADDR.
"""

import ipaddress

from django.conf import settings


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    hops = settings.TRUSTED_PROXY_COUNT or 0
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:  # the request did not pass through all our proxies
        return remote
    return _valid(forwarded[-hops]) or remote
