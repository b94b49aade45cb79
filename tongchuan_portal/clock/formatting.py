"""How the site writes moments, for every app's pages, messages and history reasons (CLOCK7).

Kept out of the services: templates' filters and readers format dates without importing writers.
"""

from __future__ import annotations

from datetime import datetime

from .workdays import BEIJING


def fmt(moment: datetime) -> str:
    """Times as the site shows them: YYYY-MM-DD HH:MM, Beijing time (CLOCK7)."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
