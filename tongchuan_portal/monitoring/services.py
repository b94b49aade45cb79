"""Writes of 网站监测 (W2): the daily run turns what is wrong now into findings, and the link checker.

`monitoring_run` is idempotent: a problem already open stays one open finding (a partial unique
constraint says so), a problem whose cause is gone is resolved, and each new finding tells its unit
once (the notice is keyed by the finding). Running it twice at the same moment changes nothing more.
"""

from __future__ import annotations

import logging
import socket
import urllib.error
import urllib.request
from datetime import datetime

from django.contrib.auth.models import User
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.units.models import Role

from . import links, selectors
from .models import Finding, FindingState, LinkCheck, MonitoringRun

logger = logging.getLogger(__name__)
NOTIFY_ROLES = (Role.Code.CLERK, Role.Code.UNIT_HEAD, Role.Code.TRANSPARENCY_OFFICE)


@transaction.atomic
def monitoring_run(*, by: User, now: datetime | None = None) -> MonitoringRun:
    """Compute every section's findings now: open the new, resolve the gone, score each unit."""
    now = now or timezone.now()
    problems = {(p.unit_id, p.kind, p.item_key): p for p in selectors.current_problems(now)}
    open_rows = {(f.unit_id, f.kind, f.item_key): f
                 for f in Finding.objects.select_for_update().filter(state=FindingState.OPEN)}
    resolved = 0
    for key, finding in open_rows.items():
        if key not in problems:
            finding.state, finding.resolved_at = FindingState.RESOLVED, now
            save_with_history(finding, by=by, reason="监测复查:问题已消除", fields=["state", "resolved_at"])
            resolved += 1
    opened = []
    for key, problem in problems.items():
        if key in open_rows:
            continue
        finding = Finding(unit_id=problem.unit_id, kind=problem.kind, item_key=problem.item_key,
                          item_label=problem.item_label, item_url=problem.item_url, detail=problem.detail,
                          since=problem.since, found_at=now)
        save_with_history(finding, by=by, reason="网站监测发现问题")
        opened.append(finding)
    _register_external_links(now, by=by)
    units = selectors.section_units()
    run = MonitoringRun(ran_at=now, scores=selectors.scores(selectors.open_counts(), units),
                        opened=len(opened), resolved=resolved)
    save_with_history(run, by=by, reason="网站监测每日运行")
    _notify(opened, by=by)
    return run


def _notify(findings: list[Finding], *, by: User) -> None:
    """One notice per new finding to the unit's clerks, head and transparency office."""
    from tongchuan_portal.notifications.recipients import role_holders
    from tongchuan_portal.notifications.services import notify_event

    holders: dict[int, list[int]] = {}
    for finding in findings:
        if finding.unit_id not in holders:
            holders[finding.unit_id] = role_holders([finding.unit_id], *NOTIFY_ROLES)
        notify_event(f"monitoring.finding:{finding.pk}", holders[finding.unit_id],
                     title=f"网站监测发现问题:{finding.get_kind_display()}",
                     body=f"{finding.item_label}。{finding.detail}", url=reverse("monitoring:mine"), by=by)


def _register_external_links(now: datetime, *, by: User) -> None:
    """Every external address in what is published gets a LinkCheck row for the periodic checker."""
    wanted = {url[:500] for source in selectors._link_sources() for url in source.links if links.is_external(url)}
    if not wanted:
        return
    known = set(LinkCheck.objects.filter(url__in=wanted).values_list("url", flat=True))
    for url in sorted(wanted - known):
        save_with_history(LinkCheck(url=url, first_seen_at=now), by=by, reason="收录外部链接")


def _fetch(url: str, timeout: float) -> tuple[int | None, str]:
    """(status code, error) of one external address: HEAD, then GET where HEAD is refused."""
    headers = {"User-Agent": "TongchuanPortal-LinkCheck/1.0 (+website monitoring)"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 (http/https only)
                return answer.status, ""
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return exc.code, ""
        except (urllib.error.URLError, socket.timeout, ConnectionError, ValueError, OSError) as exc:
            return None, str(getattr(exc, "reason", exc))[:300]
    return None, "无法访问"


def link_checks_run(*, by: User, limit: int | None = None, timeout: float | None = None,
                    now: datetime | None = None) -> int:
    """Check the external links least recently checked, at most `limit` per run, each with a short timeout.

    The network is never touched inside a transaction; each result is saved with history as it comes.
    """
    limit = limit or settings.MONITORING_LINK_CHECKS_PER_RUN
    timeout = timeout or settings.MONITORING_LINK_TIMEOUT_SECONDS
    rows = list(LinkCheck.objects.order_by("checked_at", "pk").only("id", "url")[:limit])
    for row in rows:
        if not row.url.startswith(("http://", "https://")):
            continue
        status, error = _fetch(row.url, timeout)
        with transaction.atomic():
            check = LinkCheck.objects.select_for_update().get(pk=row.pk)
            check.checked_at = now or timezone.now()
            check.status_code, check.error = status, error
            check.ok = status is not None and status < 400
            save_with_history(check, by=by, reason="外部链接检查",
                              fields=["checked_at", "status_code", "error", "ok"])
    return len(rows)
