"""Reads across applications (STYLE.md): lists with what their pages show loaded, and the annual report's rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from .models import Application, Fee


def applications_for_annual_report(*, unit_ids: list[int], year: int) -> QuerySet[Application]:
    """Every application of the units that concerns `year`'s table 三 (A6), in one query.

    Received on or before 31 December of `year`, and not replied before 1 January of `year`: the rows the annual
    report counts as 本年新收 / 上年结转 / 本年度办理结果 / 结转下年度. Rows carry `applicant_column`,
    `received_on`, `replied_on` and `outcome` only.
    """
    return (
        Application.objects.filter(unit_id__in=list(unit_ids), received_on__isnull=False,
                                   received_on__lte=date(year, 12, 31))
        .filter(Q(replied_on__isnull=True) | Q(replied_on__gte=date(year, 1, 1)))
        .only("pk", "unit_id", "applicant_column", "received_on", "replied_on", "outcome")
        .order_by("pk")
    )


def fees_collected(*, unit_ids: list[int], year: int) -> Decimal:
    """信息处理费 actually paid in `year` (元), for table 六 of the annual report."""
    total = Fee.objects.filter(application__unit_id__in=list(unit_ids), paid_on__gte=date(year, 1, 1),
                              paid_on__lte=date(year, 12, 31)).aggregate(
        total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0")


# --- the staff queue, the supervision view, the status page ---------------------------------------------------

QUEUE_TABS = (
    ("submitted", "待确认"), ("correction", "待补正"), ("processing", "办理中"), ("consulting", "征求意见中"),
    ("awaiting_fee", "待缴费"), ("replied", "已答复"),
)
WARNING_DAYS = 5  # 预警: this many working days or fewer left
YELLOW_DAYS = 2  # 黄牌


def _with_clocks(qs: QuerySet[Application]) -> QuerySet[Application]:
    from tongchuan_portal.clock.selectors import open_deadlines_prefetch

    return qs.select_related("unit").prefetch_related(open_deadlines_prefetch())


def queue(user, *, status: str = "", q: str = "") -> QuerySet[Application]:
    """The unit's queue (its handlers, readers), newest first; filtered by tab and by number, name or description."""
    from .permissions import handled_by

    qs = handled_by(user)
    if status:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__iexact=q) | Q(name__icontains=q) | Q(description__icontains=q))
    return _with_clocks(qs).order_by("-submitted_at", "-pk")


def queue_counts(user) -> dict[str, int]:
    from django.db.models import Count

    from .permissions import handled_by

    return dict(handled_by(user).values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def supervision(user) -> QuerySet[Application]:
    """The city office's view over every unit: open applications, overdue and nearly due first (the soonest
    open clock), then unconfirmed ones by age."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Min, OuterRef, Subquery

    from tongchuan_portal.clock.models import Deadline, DeadlineState

    from .models import OPEN_STATUSES
    from .permissions import can_supervise

    if not can_supervise(user):
        return Application.objects.none()
    soonest = (Deadline.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                       object_id=OuterRef("pk"),
                                       state__in=[DeadlineState.RUNNING, DeadlineState.MISSED])
               .order_by("due_at").values("due_at")[:1])
    return (_with_clocks(Application.objects.filter(status__in=OPEN_STATUSES))
            .annotate(next_due=Subquery(soonest)).order_by(models_nulls_last("next_due"), "submitted_at", "pk"))


def models_nulls_last(field: str):
    from django.db.models import F

    return F(field).asc(nulls_last=True)


def lookup(number: str, code: str) -> Application | None:
    """申请查询: the application with this number and 查询码, or None (the same answer for either wrong)."""
    from tongchuan_portal.core.querycodes import query_code_digest

    number = "".join((number or "").split()).upper()
    return Application.objects.filter(number=number, query_code_hash=query_code_digest(code)).first()


def status_page(pk: int) -> Application:
    """The applicant's status page: the application with its public timeline, clocks, fee and files."""
    from django.db.models import Prefetch

    from .models import ApplicationStep

    return (_with_clocks(Application.objects.filter(pk=pk))
            .select_related("disclosed_document", "matched_document", "fee")
            .prefetch_related(Prefetch("steps", queryset=ApplicationStep.objects.filter(public=True),
                                       to_attr="public_steps"), "attachments")
            .get())


def staff_detail(pk: int, user) -> Application:
    from django.db.models import Prefetch

    from .models import ApplicationStep
    from .permissions import visible_to

    return (_with_clocks(visible_to(user).filter(pk=pk))
            .select_related("disclosed_document", "matched_document", "first_unit", "registered_by",
                            "extension_approved_by", "replied_by", "fee")
            .prefetch_related(Prefetch("steps", queryset=ApplicationStep.objects.select_related("by")),
                              "attachments", "consultations")
            .get())


def urgency(application: Application, now=None) -> tuple[str, str]:
    """(css class, words) for the soonest open clock: 红牌 overdue, 黄牌 ≤ 2, 预警 ≤ 5 working days left."""
    from django.utils import timezone

    from tongchuan_portal.clock import workdays
    from tongchuan_portal.clock.models import DeadlineState

    rows = [d for d in getattr(application, "open_deadlines", []) if d.state != DeadlineState.PAUSED]
    if not rows:
        paused = [d for d in getattr(application, "open_deadlines", []) if d.state == DeadlineState.PAUSED]
        return ("paused", "暂停计时") if paused else ("", "")
    due = min(rows, key=lambda d: d.due_at)
    now = now or timezone.now()
    if due.state == DeadlineState.MISSED or due.due_at < now:
        return "red", "红牌(已逾期)"
    left = workdays.working_days_between(workdays.beijing_date(now), workdays.beijing_date(due.due_at))
    if left <= YELLOW_DAYS:
        return "yellow", f"黄牌(剩{left}个工作日)"
    if left <= WARNING_DAYS:
        return "warning", f"预警(剩{left}个工作日)"
    return "normal", f"剩{left}个工作日"


# --- 第四十四条 and the yearly self-check (D12) --------------------------------------------------------------

MOST_APPLIED_MIN = 2


def most_applied_documents(unit, year: int) -> list[tuple]:
    """The unit's documents applied for most often in `year` (by matched 文号/索引号): [(document, count)], for
    the D12 self-check, which lets the unit convert them to 主动公开 (第四十四条)."""
    from django.db.models import Count

    from disclosure.models import Document

    counts = (Application.objects.filter(matched_document__issuer=unit, submitted_at__year=year)
              .values("matched_document").annotate(n=Count("pk")).filter(n__gte=MOST_APPLIED_MIN)
              .order_by("-n")[:50])
    by_id = {row["matched_document"]: row["n"] for row in counts}
    documents = Document.objects.in_bulk(list(by_id))
    return [(documents[pk], n) for pk, n in by_id.items() if pk in documents]


def most_applied_descriptions(unit, year: int) -> list[tuple[str, int]]:
    """Descriptions applied for identically (after normalising) at least twice in `year` at the unit."""
    from django.db.models import Count, Min

    rows = (Application.objects.filter(unit=unit, submitted_at__year=year).exclude(description_key="")
            .values("description_key").annotate(n=Count("pk"), first=Min("pk")).filter(n__gte=MOST_APPLIED_MIN)
            .order_by("-n")[:50])
    firsts = dict(Application.objects.filter(pk__in=[r["first"] for r in rows]).values_list("pk", "description"))
    return [(firsts.get(r["first"], r["description_key"]), r["n"]) for r in rows]
