from datetime import datetime

from tongchuan_portal.clock.services import deadline_start
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user


def start(rule="test.days", *, unit, target=None, at=None, subject=""):
    """Start a deadline guarding `target` (any row; the unit itself by default)."""
    return deadline_start(rule=rule, target=target or unit, unit=unit, subject=subject or f"测试事项·{unit.short_name}",
                          started_at=at or datetime(2026, 6, 1, 9, 30, tzinfo=BEIJING), by=system_user())
