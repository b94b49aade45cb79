"""Reading request parameters — the one parsing layer between a query string or a POST and the code
(hardening, issue 11: no malformed value may reach the database or `int()` unchecked).

Two kinds of value, two behaviours:

- a **filter** of a list page (year, unit, page, status…) that cannot be read is dropped: the page
  shows as if it were absent, the way a search box ignores what it does not understand;
- a value an **action** needs (which message to mark read, which item to decide) that is missing or
  malformed raises `BadRequest` (``required=True``); `CleanInputMiddleware` answers it with the
  designed 400 page in Chinese.

Digits are ASCII only: ``"²".isdigit()`` is true but ``int("²")`` fails, so nothing here uses
`str.isdigit`. Every text value has its NUL bytes removed by the middleware before a view sees it
(PostgreSQL rejects them in text), and is cut to a length here.
"""

import logging
import re
from collections.abc import Iterable

from django.core.exceptions import BadRequest as DjangoBadRequest
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseBadRequest, QueryDict
from django.template import loader

MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_PAGE = 100_000
_DIGITS = re.compile(r"[0-9]{1,40}")
_SIGNED = re.compile(r"-?[0-9]{1,40}")


class BadRequest(DjangoBadRequest):
    """A parameter an action needs is missing or cannot be read; the message is shown to the person."""

    def __init__(self, message: str = "提交的内容无法识别,请返回上一页检查后重试。"):
        super().__init__(message)
        self.message = message


def _raw(params, name: str) -> str:
    value = params.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _fail(required: bool, default, message: str):
    if required:
        raise BadRequest(message)
    return default


def parse_int(value, *, min_value: int | None = None, max_value: int | None = None) -> int | None:
    """`value` as an int within the bounds, or None: ASCII digits only, never an exception."""
    text = value.strip() if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    pattern = _SIGNED if min_value is not None and min_value < 0 else _DIGITS
    if not pattern.fullmatch(text):
        return None
    number = int(text)
    if (min_value is not None and number < min_value) or (max_value is not None and number > max_value):
        return None
    return number


def integer(params, name: str, *, default=None, min_value: int | None = 0, max_value: int | None = MAX_ID,
            required: bool = False, label: str = "参数"):
    number = parse_int(_raw(params, name), min_value=min_value, max_value=max_value)
    return number if number is not None else _fail(required, default, f"{label}无法识别。")


def ident(params, name: str, *, default=None, required: bool = False, label: str = "编号"):
    """A row's id (a positive integer the database can hold)."""
    return integer(params, name, default=default, min_value=1, max_value=MAX_ID, required=required, label=label)


def year(params, name: str = "year", *, default=None):
    """A year filter between 2000 and 2100; anything else is dropped."""
    return integer(params, name, default=default, min_value=MIN_YEAR, max_value=MAX_YEAR)


def month(params, name: str = "month", *, default=None):
    return integer(params, name, default=default, min_value=1, max_value=12)


def page(params, name: str = "page", *, max_page: int = MAX_PAGE) -> int:
    """A page number from 1; unreadable means the first page, a huge one the last allowed."""
    number = parse_int(_raw(params, name), min_value=1)
    return 1 if number is None else min(number, max_page)


def _values(choices) -> set[str]:
    if hasattr(choices, "values") and not isinstance(choices, dict):
        return {str(v) for v in choices.values}
    return {str(c[0]) if isinstance(c, tuple | list) else str(c) for c in choices}


def choice(params, name: str, choices, *, default: str = "", required: bool = False, label: str = "选项") -> str:
    """One of `choices` (a TextChoices class, a dict, values or (value, label) pairs)."""
    value = _raw(params, name)
    return value if value in _values(choices) else _fail(required, default, f"{label}不在可选范围内。")


def text(params, name: str, *, default: str = "", max_length: int = 200) -> str:
    """Free text, stripped and cut to `max_length` characters."""
    return _raw(params, name)[:max_length] or default


def flag(params, name: str) -> bool:
    return _raw(params, name) == "1"


def ids(params, name: str, *, required: bool = False, limit: int = 1000, label: str = "编号") -> list[int]:
    """Every value of a repeated id parameter; one that cannot be read makes the request a bad one."""
    raw = [v for v in params.getlist(name) if v.strip()][:limit]
    parsed = [parse_int(v, min_value=1, max_value=MAX_ID) for v in raw]
    if None in parsed or (required and not parsed):
        raise BadRequest(f"{label}无法识别。")
    return list(dict.fromkeys(parsed))


def texts(params, name: str, *, limit: int = 200, max_length: int = 10_000) -> list[str]:
    """Every value of a repeated text parameter (e.g. the question/answer rows of a Q&A list)."""
    return [v[:max_length] for v in params.getlist(name)[:limit]]


# --- the boundary ----------------------------------------------------------------------------------


def _without_nul(value: str) -> str:
    return value.replace("\x00", "")


def _clean_querydict(query):
    if not any("\x00" in k or any("\x00" in v for v in values if isinstance(v, str)) for k, values in query.lists()):
        return query
    cleaned = query.copy()
    cleaned.clear()
    for key, values in query.lists():
        cleaned.setlist(_without_nul(key), [_without_nul(v) if isinstance(v, str) else v for v in values])
    cleaned._mutable = False
    return cleaned


def bad_request_response(request, message: str = ""):
    html = loader.render_to_string("400.html", {"message": message}, request)
    return HttpResponseBadRequest(html)


class CleanInputMiddleware:
    """Removes NUL bytes from every GET and POST key and value (and uploaded file names) before a view
    reads them, and answers `BadRequest` raised by a view with the designed 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET = _clean_querydict(request.GET)
        except SuspiciousOperation as error:  # too many parameters
            request.GET = QueryDict()
            return _refuse(request, error)
        if request.method == "POST":
            try:
                request.POST = _clean_querydict(request.POST)
                uploads = _uploads(f for _, files in request.FILES.lists() for f in files)
            except SuspiciousOperation as error:  # too many fields or files, or too large
                request._mark_post_parse_error()
                return _refuse(request, error)
            for upload in uploads:
                upload.name = _without_nul(upload.name)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DjangoBadRequest):
            return bad_request_response(request, getattr(exception, "message", ""))
        return None


def _refuse(request, error: SuspiciousOperation):
    """What Django does for a request it cannot parse (log it as a security event, answer 400), with the
    parameters emptied first: Django's own 400 page would read them again in a context processor and fail."""
    logging.getLogger(f"django.security.{error.__class__.__name__}").error(
        str(error), exc_info=error, extra={"status_code": 400, "request": request})
    return bad_request_response(request, "提交的参数过多或内容过大,无法处理。")


def _uploads(files: Iterable):
    return [f for f in files if isinstance(getattr(f, "name", None), str)]


def login_username(request, credentials: dict | None = None) -> str:
    """The username django-axes records for a login attempt, cut to what a username can be (150).

    Axes stores it in a 255-character column: a 20,000-character name typed into the login
    form must count as a failed attempt, not fail the insert with a 500.
    """
    from django.contrib.auth import get_user_model

    username_field = get_user_model().USERNAME_FIELD
    value = (credentials or {}).get(username_field) or request.POST.get(username_field, "")
    return str(value).replace("\x00", "")[:150]
