"""计算依据 of a page of deadlines, rendered once per state of what they say.

An explanation lists every skipped day of the count, the pauses and the extensions: on 我的时限
it was most of the page's cost, computed again for every row on every visit although it changes
only when the deadline moves or the calendar does. Each row's HTML is kept in the shared cache
under a key made of everything the text depends on — the deadline's timing fields and the
calendar's version — so a moved deadline or a changed calendar is never shown from before.
Names of the people who paused or extended are the one input not in the key: a renamed account
shows in an explanation within EXPLANATION_TTL.
"""

import hashlib
import logging

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import workdays
from .models import Deadline
from .selectors import EXPLANATION_PREFETCH, explain

logger = logging.getLogger(__name__)

EXPLANATION_TTL = 600
TEMPLATE = "clock/_explanation.html"

#: The fields an explanation is computed from; any change gives the row a new key.
_INPUTS = ("rule", "kind", "started_at", "basis_at", "length_days", "remaining_days", "remaining_time", "due_at",
           "provisional", "state", "paused_at", "extensions_used")


def _key(deadline: Deadline, calendar_version) -> str:
    parts = (deadline.pk, calendar_version, *(getattr(deadline, name) for name in _INPUTS))
    return "clock:explained:" + hashlib.sha1(repr(parts).encode()).hexdigest()


def explanations_html(deadlines: list[Deadline]) -> dict[int, SafeString]:
    """{deadline pk: its 计算依据 as HTML}: read in one round trip, the missing ones rendered (with
    their pauses and extensions fetched for them only) and stored."""
    version = workdays.calendar_version()
    keys = {d.pk: _key(d, version) for d in deadlines}
    try:
        found = cache.get_many(list(keys.values()))
    except Exception:  # a cache outage costs time, never the page
        logger.exception("could not read stored deadline explanations")
        found = {}
    missing = [d for d in deadlines if keys[d.pk] not in found]
    if missing:
        prefetch_related_objects(missing, *EXPLANATION_PREFETCH)
        fresh = {keys[d.pk]: render_to_string(TEMPLATE, {"explanation": explain(d)}) for d in missing}
        try:
            cache.set_many(fresh, EXPLANATION_TTL)
        except Exception:
            logger.exception("could not store deadline explanations")
        found.update(fresh)
    return {pk: mark_safe(found[key]) for pk, key in keys.items()}  # noqa: S308 — rendered by our template
