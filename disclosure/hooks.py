"""Extension points other apps plug into, so disclosure never imports them.

The interpretation app, for example, refuses a submission without an approved
plan (I5) and publishes interpretations together with their document (I8).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User

_submission_checks: list[Callable] = []
_publication_hooks: list[Callable] = []
_withdrawal_hooks: list[Callable] = []


def register_submission_check(check: Callable) -> None:
    """`check(document)` raises ValidationError to refuse a submission."""
    if check not in _submission_checks:
        _submission_checks.append(check)


def register_publication_hook(hook: Callable) -> None:
    """`hook(document, by=user)` runs inside the publishing transaction."""
    if hook not in _publication_hooks:
        _publication_hooks.append(hook)


def run_submission_checks(document) -> None:
    for check in _submission_checks:
        check(document)


def run_publication_hooks(document, *, by: User) -> None:
    for hook in _publication_hooks:
        hook(document, by=by)


def register_withdrawal_hook(hook: Callable) -> None:
    """`hook(document, by=user, reason=str)` runs inside the transaction that withdraws a document."""
    if hook not in _withdrawal_hooks:
        _withdrawal_hooks.append(hook)


def run_withdrawal_hooks(document, *, by: User, reason: str) -> None:
    for hook in _withdrawal_hooks:
        hook(document, by=by, reason=reason)


_clearance_providers: list[Callable] = []


def register_clearance_provider(provider: Callable) -> None:
    """`provider(document) -> clearance.ClearanceSection | None`: what publishing the document also releases
    (D7), so 保密审查 shows it and the clearance records it."""
    if provider not in _clearance_providers:
        _clearance_providers.append(provider)


def run_clearance_providers(document) -> list:
    return [section for provider in _clearance_providers if (section := provider(document)) is not None]


_repeated_request_providers: list[Callable] = []


def register_repeated_request_provider(provider: Callable) -> None:
    """`provider(unit, year) -> [(description, count), ...]`: information applied for repeatedly in the same
    words, which names no document yet (条例第四十四条) — listed on the unit's self-check (D12)."""
    if provider not in _repeated_request_providers:
        _repeated_request_providers.append(provider)


def repeated_requests(unit, year: int) -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    for provider in _repeated_request_providers:
        rows.extend(provider(unit, year))
    return sorted(rows, key=lambda row: -row[1])
