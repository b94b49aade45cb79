"""System checks for settings a deployment must not leave at a silent default."""

from django.conf import settings
from django.core import checks


@checks.register()
def trusted_proxy_count_set(app_configs=None, **kwargs):
    """tongchuan.W001 — production must say how many proxies stand in front of it.

    Left unset, every abuse limit and the login lockout would key on the proxy's
    address: one limit for every citizen at once.
    """
    if settings.DEBUG or getattr(settings, "TRUSTED_PROXY_COUNT", 0) is not None:
        return []
    return [checks.Warning(
        "TRUSTED_PROXY_COUNT is not set.",
        hint="Set it to the number of reverse proxies that append to X-Forwarded-For in front of the portal "
             "(0 when clients connect directly); otherwise rate limits and the login lockout count every "
             "client as the proxy.",
        id="tongchuan.W001",
    )]
