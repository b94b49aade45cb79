"""Applications settings, each overridable in Django settings (defaults below)."""

from django.conf import settings

PAGE_SIZE = 30


def apply_rate_ip() -> str:
    """Online applications (and corrections) per client IP (django-ratelimit syntax)."""
    return getattr(settings, "APPLICATIONS_APPLY_RATE_IP", "5/h")


def query_rate_ip() -> str:
    """申请查询 tries per client IP: enough for a person, too few to guess a 查询码."""
    return getattr(settings, "APPLICATIONS_QUERY_RATE_IP", "20/h")
