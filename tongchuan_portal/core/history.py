"""Kept for existing imports: save-with-history lives in :mod:`tongchuan_portal.core.workflow`."""

from tongchuan_portal.core.workflow import save_with_history  # noqa: F401
