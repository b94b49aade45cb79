"""Participation settings other than its clocks, each overridable in Django settings (defaults below).

The clocks' lengths (comment window, adoption report, replies) live with their rules in `deadlines.py`.
"""

from django.conf import settings


def concentrated_threshold() -> int:
    """P3: an opinion group with at least this many comments is a concentrated opinion (集中意见)."""
    return getattr(settings, "PARTICIPATION_CONCENTRATED_THRESHOLD", 5)


# Rate limits (django-ratelimit syntax), per client IP and per contact (phone or e-mail).
def comment_rate_ip() -> str:
    return getattr(settings, "PARTICIPATION_COMMENT_RATE_IP", "10/10m")


def comment_rate_contact() -> str:
    return getattr(settings, "PARTICIPATION_COMMENT_RATE_CONTACT", "5/h")


def message_rate_ip() -> str:
    return getattr(settings, "PARTICIPATION_MESSAGE_RATE_IP", "5/h")


def query_rate_ip() -> str:
    return getattr(settings, "PARTICIPATION_QUERY_RATE_IP", "30/h")


# W2: valid messages unanswered this many months are flagged.
UNANSWERED_FLAG_MONTHS = 3

# P4 (行政许可法第四十八条): the hearing is announced at least seven days before it is held.
HEARING_NOTICE_DAYS = 7

COMMENT_MAX_CHARS = 2000
MESSAGE_MAX_CHARS = 3000
