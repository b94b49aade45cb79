"""Participation settings, each overridable in Django settings (with the defaults below).

The numbers the law leaves to the city are kept here, not in code paths, so the
office can change them without a release.
"""

from django.conf import settings

# M2: the shortest and longest comment window the service accepts, in working days.
COMMENT_WINDOW_MIN_DAYS = 7
COMMENT_WINDOW_MAX_DAYS = getattr(settings, "PARTICIPATION_COMMENT_WINDOW_MAX_DAYS", 60)


def adoption_report_days() -> int:
    """M3/P3: working days after the window closes to publish the adoption report."""
    return getattr(settings, "PARTICIPATION_ADOPTION_REPORT_DAYS", 10)


def concentrated_threshold() -> int:
    """P3: an opinion group with at least this many comments is a concentrated opinion (集中意见)."""
    return getattr(settings, "PARTICIPATION_CONCENTRATED_THRESHOLD", 5)


def reply_days(channel: str) -> int:
    """P5: working days to reply, per channel (网民留言, 领导信箱)."""
    defaults = {"netizen": 5, "leader_mailbox": 5}
    return getattr(settings, "PARTICIPATION_REPLY_DAYS", {}).get(channel, defaults[channel])


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
