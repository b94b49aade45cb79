"""Reads for 网站监测 (W2): what is wrong now (the detectors), and the findings each person may see.

The detectors read everything in a fixed number of queries whatever the number of units and items:
one grouped query per kind of content, one per kind of link target, one for the link results.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Max, QuerySet
from django.db.models.functions import Coalesce

from tongchuan_portal.units.models import Unit, UnitKind

from . import links
from .columns import COLUMNS, NEWS, column_url
from .models import Check, Finding, FindingState, LinkCheck, MonitoringRun

NEWS_STALE_AFTER = timedelta(days=14)  # 两周 (wall-clock weeks, as the national checks count them)
NOTICE_STALE_MONTHS = 6
HOME_STALE_AFTER = timedelta(days=14)


@dataclass(frozen=True)
class Problem:
    unit_id: int
    kind: str
    item_key: str
    item_label: str
    item_url: str = ""
    detail: str = ""
    since: datetime | None = None


def section_units() -> list[Unit]:
    return list(Unit.objects.filter(is_active=True).exclude(kind=UnitKind.PARTY_ORGAN)
                .only("id", "code", "name", "short_name", "parent_id", "kind"))


def _scopes(units: list[Unit]) -> dict[int, set[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    scopes = {}
    for unit in units:
        found, stack = set(), [unit.pk]
        while stack:
            pk = stack.pop()
            if pk not in found:
                found.add(pk)
                stack.extend(children.get(pk, []))
        scopes[unit.pk] = found
    return scopes


def _latest_by_source() -> dict[str, dict[int, tuple[datetime, int]]]:
    """{source: {unit id: (newest moment, count)}} over everything public, in four grouped queries."""
    from disclosure.selectors import public_documents
    from interpretation.selectors import interpretations_public
    from opinion.models import Release
    from participation.models import DecisionDraft
    from participation.selectors import PUBLIC_DRAFT_STATUSES

    result: dict[str, dict[int, tuple[datetime, int]]] = defaultdict(dict)

    def add(source, unit_id, moment, count):
        if unit_id is None or moment is None:
            return
        old = result[source].get(unit_id)
        result[source][unit_id] = (max(old[0], moment), old[1] + count) if old else (moment, count)

    for row in (public_documents().order_by().values("issuer_id", "issued_by_id", "area")
                .annotate(latest=Max("published_at"), n=Count("id"))):
        add(f"documents:{row['area']}", row["issuer_id"], row["latest"], row["n"])
        if row["issued_by_id"] and row["issued_by_id"] != row["issuer_id"]:
            add(f"documents:{row['area']}", row["issued_by_id"], row["latest"], row["n"])
    for row in (interpretations_public().order_by().values("unit_id")
                .annotate(latest=Max(Coalesce("published_at", "document__published_at")), n=Count("id"))):
        add("interpretations", row["unit_id"], row["latest"], row["n"])
    for row in (DecisionDraft.objects.filter(status__in=PUBLIC_DRAFT_STATUSES, published_at__isnull=False)
                .order_by().values("unit_id").annotate(latest=Max("published_at"), n=Count("id"))):
        add("drafts", row["unit_id"], row["latest"], row["n"])
    for row in (Release.objects.filter(public=True).order_by().values("unit_id")
                .annotate(latest=Max("released_at"), n=Count("id"))):
        add("releases", row["unit_id"], row["latest"], row["n"])
    return result


def _fmt(moment: datetime) -> str:
    from tongchuan_portal.clock.formatting import fmt

    return fmt(moment)


def column_problems(now: datetime, units: list[Unit]) -> list[Problem]:
    """Home not updated for 2 weeks, 动态 columns for 2 weeks, notice/policy columns for 6 months, empty columns."""
    from participation.codes import months_before

    latest = _latest_by_source()
    scopes = _scopes(units)
    notice_cutoff = months_before(now, NOTICE_STALE_MONTHS)
    problems = []
    for unit in units:
        scope = scopes[unit.pk]
        newest_anything = None
        for column in COLUMNS:
            rows = [latest[column.source][u] for u in scope if u in latest[column.source]]
            url = column_url(column, unit.code)
            key = f"column:{column.key}"
            if not rows:
                problems.append(Problem(unit.pk, Check.EMPTY_COLUMN, key, column.label, url, "栏目中没有任何已公开的信息。"))
                continue
            newest = max(moment for moment, _ in rows)
            newest_anything = max(newest_anything, newest) if newest_anything else newest
            if column.kind == NEWS and now - newest > NEWS_STALE_AFTER:
                problems.append(Problem(unit.pk, Check.NEWS_STALE, key, column.label, url,
                                        f"最近一次更新为{_fmt(newest)},已超过两周。", newest))
            elif column.kind != NEWS and newest < notice_cutoff:
                problems.append(Problem(unit.pk, Check.NOTICE_STALE, key, column.label, url,
                                        f"最近一次更新为{_fmt(newest)},已超过6个月。", newest))
        from django.urls import reverse

        home_url = reverse("sections:unit", args=[unit.code])
        if newest_anything is None or now - newest_anything > HOME_STALE_AFTER:
            detail = f"最近一次更新为{_fmt(newest_anything)},已超过两周。" if newest_anything else "首页没有任何已公开的信息。"
            problems.append(Problem(unit.pk, Check.HOME_STALE, "home", "单位首页", home_url, detail, newest_anything))
    return problems


@dataclass
class LinkSource:
    unit_id: int
    label: str
    url: str
    key: str
    links: list[str]


def _link_sources() -> list[LinkSource]:
    """Everything published that carries links: documents, interpretations, responses (three queries)."""
    from disclosure.selectors import public_documents
    from interpretation.selectors import interpretations_public
    from opinion.models import Release

    sources = []
    for doc in public_documents().only("id", "title", "body", "issuer_id").iterator(chunk_size=2000):
        sources.append(LinkSource(doc.issuer_id, doc.title, doc.get_public_url(), f"document:{doc.pk}",
                                  links.extract(doc.body)))
    for item in interpretations_public().only("id", "title", "body", "media_url", "unit_id"):
        found = links.extract(item.body) + ([item.media_url] if item.media_url else [])
        sources.append(LinkSource(item.unit_id, item.title, item.get_absolute_url(), f"interpretation:{item.pk}",
                                  found))
    for release in Release.objects.filter(public=True).exclude(link="").only("id", "title", "link", "unit_id"):
        from django.urls import reverse

        sources.append(LinkSource(release.unit_id, release.title, reverse("huiying:detail", args=[release.pk]),
                                  f"release:{release.pk}", [release.link]))
    return sources


def _public_keys(wanted: dict[str, set[str]]) -> dict[str, set[str]]:
    """Which of the wanted rows are public now: one query per kind of target."""
    from disclosure.models import Attachment
    from disclosure.selectors import public_documents
    from interpretation.selectors import interpretations_public
    from opinion.models import Release

    def ids(values):
        return [int(v) for v in values if v.isdigit()]

    found: dict[str, set[str]] = {}
    if wanted.get("document"):
        found["document"] = {str(pk) for pk in public_documents().filter(pk__in=ids(wanted["document"]))
                             .values_list("pk", flat=True)}
    if wanted.get("attachment"):
        found["attachment"] = {str(pk) for pk in Attachment.objects.filter(
            pk__in=ids(wanted["attachment"]), document__in=public_documents()).values_list("pk", flat=True)}
    if wanted.get("interpretation"):
        found["interpretation"] = {str(pk) for pk in interpretations_public().filter(
            pk__in=ids(wanted["interpretation"])).values_list("pk", flat=True)}
    if wanted.get("release"):
        found["release"] = {str(pk) for pk in Release.objects.filter(
            public=True, pk__in=ids(wanted["release"])).values_list("pk", flat=True)}
    if wanted.get("unit"):
        found["unit"] = set(Unit.objects.filter(is_active=True, code__in=wanted["unit"]).values_list("code", flat=True))
    return found


def _link_key(source: LinkSource, url: str) -> str:
    return f"link:{source.key}:{hashlib.sha1(url.encode()).hexdigest()[:16]}"


def link_problems(sources: list[LinkSource] | None = None) -> list[Problem]:
    """Broken links in published bodies: internal ones resolved now, external ones by their last check."""
    sources = _link_sources() if sources is None else sources
    targets: dict[tuple[str, str], tuple[str, str] | bool] = {}
    wanted: dict[str, set[str]] = defaultdict(set)
    external = set()
    for source in sources:
        for url in source.links:
            path = links.site_path(url)
            if path is not None:
                target = links.internal_target(path)
                targets[(source.key, url)] = target
                if isinstance(target, tuple):
                    wanted[target[0]].add(target[1])
            elif links.is_external(url):
                external.add(url[:500])
    public = _public_keys(wanted)
    results = {c.url: c for c in LinkCheck.objects.filter(url__in=external)} if external else {}
    problems = []
    for source in sources:
        for url in source.links:
            detail = ""
            target = targets.get((source.key, url))
            if target is False:
                detail = "站内链接指向的页面不存在。"
            elif isinstance(target, tuple) and target[1] not in public.get(target[0], set()):
                detail = "站内链接指向的信息未公开或已撤回。"
            elif target is None and url[:500] in results and results[url[:500]].ok is False:
                check = results[url[:500]]
                detail = f"外部链接无法访问({check.status_code or check.error}),检查于{_fmt(check.checked_at)}。"
            if detail:
                problems.append(Problem(source.unit_id, Check.BROKEN_LINK, _link_key(source, url),
                                        f"{source.label}:{url}"[:300], source.url, detail))
    return problems


def attachment_problems() -> list[Problem]:
    """Attachments of published documents whose file is gone from storage (their download link is broken)."""
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from disclosure.models import Attachment
    from disclosure.selectors import public_documents

    problems = []
    for a in (Attachment.objects.filter(document__in=public_documents()).select_related("document")
              .only("id", "file", "original_name", "document__id", "document__title", "document__issuer_id")
              .iterator(chunk_size=2000)):
        if not a.file.name or not default_storage.exists(a.file.name):
            problems.append(Problem(a.document.issuer_id, Check.BROKEN_LINK, f"attachment:{a.pk}",
                                    f"{a.document.title}:附件“{a.original_name}”"[:300],
                                    reverse("disclosure:public_detail", args=[a.document_id]),
                                    f"附件下载地址 {reverse('disclosure:attachment', args=[a.pk])} 无法下载(文件缺失)。"))
    return problems


def navigation_problems(units: list[Unit]) -> list[Problem]:
    """The portal's own navigation: every link of the header and of each section must resolve."""
    from django.urls import NoReverseMatch, reverse

    city = next((u for u in units if u.parent_id is None and u.kind == UnitKind.GOVERNMENT), None)
    problems = []
    for name in ("core:home", "disclosure:column", "disclosure:wgk", "disclosure:search", "huiying:list",
                 "participation:drafts", "interpretation:column", "sections:feeds"):
        try:
            links.internal_target(reverse(name))
        except NoReverseMatch:
            if city:
                problems.append(Problem(city.pk, Check.BROKEN_LINK, f"nav:{name}", f"导航:{name}", "/",
                                        "网站导航中的链接无法打开。"))
    return problems


def unanswered_problems(now: datetime) -> list[Problem]:
    """Valid messages unanswered for three months (the participation app's own W2 selector)."""
    from django.urls import reverse

    from participation.selectors import messages_unanswered_for_months

    return [Problem(m.unit_id, Check.UNANSWERED_MESSAGE, f"message:{m.pk}", m.title[:300],
                    reverse("participation:staff_message", args=[m.pk]), "留言受理后超过3个月仍未答复。", m.received_at)
            for m in messages_unanswered_for_months(now=now).only("id", "title", "unit_id", "received_at")]


def current_problems(now: datetime) -> list[Problem]:
    units = section_units()
    unit_ids = {u.pk for u in units}
    problems = (column_problems(now, units) + link_problems() + attachment_problems() + navigation_problems(units)
                + unanswered_problems(now))
    return [p for p in problems if p.unit_id in unit_ids]


# --- the 网站监测 page -------------------------------------------------------------------------------

WEIGHTS = {Check.HOME_STALE: 20, Check.NEWS_STALE: 10, Check.NOTICE_STALE: 10, Check.EMPTY_COLUMN: 5,
           Check.BROKEN_LINK: 2, Check.UNANSWERED_MESSAGE: 5}


def scores(open_counts: dict[int, dict[str, int]], units: list[Unit]) -> dict[str, int]:
    """A score per unit (100 less a weight per open finding, broken links capped at 20; never below 0)."""
    result = {}
    for unit in units:
        counts = open_counts.get(unit.pk, {})
        lost = sum(min(WEIGHTS[kind] * n, 20) if kind == Check.BROKEN_LINK else WEIGHTS[kind] * n
                   for kind, n in counts.items())
        result[unit.code] = max(100 - lost, 0)
    return result


def open_counts() -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in Finding.objects.filter(state=FindingState.OPEN).values("unit_id", "kind").annotate(n=Count("id")):
        counts[row["unit_id"]][row["kind"]] = row["n"]
    return counts


def findings_for_units(unit_ids, *, state: str = FindingState.OPEN) -> QuerySet[Finding]:
    return (Finding.objects.filter(unit_id__in=list(unit_ids), state=state).select_related("unit")
            .order_by("unit__sort_order", "kind", "-found_at", "-pk"))


def recent_runs(limit: int = 7) -> list[MonitoringRun]:
    return list(MonitoringRun.objects.order_by("-ran_at")[:limit])
