"""Links that end up in a public `href`: only complete http(s) web addresses (hardening).

A `javascript:` or `data:` link stored by any path — a form, the admin, the
shell, a task — would run in every reader's browser, so services check links
here rather than trusting their forms. Used by interpretation (media and
reprint links) and opinion (case and release links).
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

WEB_SCHEMES = ("http", "https")
_validate = URLValidator(schemes=list(WEB_SCHEMES))


def is_web_url(value: str | None) -> bool:
    """True for a complete http:// or https:// address (nothing else may become an href)."""
    value = (value or "").strip()
    if not value.lower().startswith(("http://", "https://")):
        return False
    try:
        _validate(value)
    except ValidationError:
        return False
    return True


def clean_web_url(value: str | None, *, field: str, message: str, required: bool = False) -> str:
    """The trimmed address, or "" when blank and optional; ValidationError({field: message}) otherwise."""
    value = (value or "").strip()
    if not value and not required:
        return ""
    if not is_web_url(value):
        raise ValidationError({field: message})
    return value


def clean_web_urls(value: str | None, *, field: str, message: str) -> str:
    """One address per line, blank lines dropped; `message` may hold `{}` for the offending line."""
    lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
    for line in lines:
        if not is_web_url(line):
            raise ValidationError({field: message.format(line)})
    return "\n".join(lines)
