"""Unit rows cached outside the database follow every change: `units_by_id` and the public pages."""

import logging

from django.core.cache import cache
from django.db import transaction

from .selectors import DIRECTORY_VERSION_KEY

logger = logging.getLogger(__name__)


def _bump() -> None:
    try:
        try:
            cache.incr(DIRECTORY_VERSION_KEY)
        except ValueError:
            cache.set(DIRECTORY_VERSION_KEY, 1, None)
    except Exception:  # the rows are read again once the cache is back (its version restarts)
        logger.exception("could not bump the units version")


def unit_changed(sender, **kwargs) -> None:
    """On every save or delete of a unit: now (nothing read before is reused) and at commit (nothing
    read from the old rows while the transaction was open survives it)."""
    _bump()
    transaction.on_commit(_bump)
