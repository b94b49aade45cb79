"""Unit rows cached outside the database follow every change: `units_by_id` and the public pages."""

from django.db import transaction

from tongchuan_portal.core import versions

from .selectors import DIRECTORY_VERSION_KEY


def _bump() -> None:
    versions.bump(DIRECTORY_VERSION_KEY)  # on an outage the rows are read again once the cache is back


def unit_changed(sender, **kwargs) -> None:
    """On every save or delete of a unit: now (nothing read before is reused) and at commit (nothing
    read from the old rows while the transaction was open survives it)."""
    _bump()
    transaction.on_commit(_bump)
