"""Reads for public participation, each with what its page shows loaded (constant query counts).

Public selectors return only what is published: drafts whose comment period
has begun (never an exempt one), visible comments (never hidden or pending
text), announced meetings, published evaluations and messages published with
their writer's consent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.units.models import Unit

from . import permissions
from .codes import query_code_digest
from .models import (
    EVENT_KINDS,
    Comment,
    CommentPeriod,
    CommentStatus,
    DecisionDraft,
    DraftStatus,
    Evaluation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingTopic,
    Message,
    MessageStatus,
    OpinionGroup,
    Registration,
    RegistrationStatus,
)

PUBLIC_DRAFT_STATUSES = (DraftStatus.CONSULTING, DraftStatus.DECIDED)


def _latest_period_prefetch() -> Prefetch:
    return Prefetch("periods", queryset=CommentPeriod.objects.order_by("-opens_at"), to_attr="period_list")


def _filter(qs: QuerySet, *, area: str = "", unit: int | str | None = None) -> QuerySet:
    if area:
        qs = qs.filter(area=area)
    if unit:
        qs = qs.filter(unit_id=unit)
    return qs


# --- drafts -------------------------------------------------------------------------------------


def draft_list_public(*, area: str = "", unit=None, now: datetime | None = None) -> tuple[list, list]:
    """意见征集: (open drafts with the days left, closed ones with their adoption report) — three queries."""
    now = now or timezone.now()
    drafts = list(
        _filter(DecisionDraft.objects.filter(status__in=PUBLIC_DRAFT_STATUSES, published_at__lte=now), area=area,
                unit=unit)
        .select_related("unit").prefetch_related(_latest_period_prefetch())
        .order_by("-published_at", "-pk")[:200]
    )
    open_, closed = [], []
    for draft in drafts:
        draft.period = draft.period_list[0] if draft.period_list else None
        if draft.period and draft.period.accepts_comments_at(now):
            open_.append(draft)
        else:
            closed.append(draft)
    open_.sort(key=lambda d: d.period.closes_at)
    return open_, closed


def draft_get_public(pk: int, *, now: datetime | None = None) -> DecisionDraft:
    now = now or timezone.now()
    draft = (DecisionDraft.objects.filter(status__in=PUBLIC_DRAFT_STATUSES, published_at__lte=now)
             .select_related("unit").prefetch_related(_latest_period_prefetch()).get(pk=pk))
    draft.period = draft.period_list[0] if draft.period_list else None
    return draft


def comments_public(period: CommentPeriod) -> QuerySet[Comment]:
    """Only visible comments reach the public; the contact and account never do."""
    return period.comments.filter(status=CommentStatus.VISIBLE).only(
        "pk", "period_id", "section", "body", "display_name", "submitted_at").order_by("submitted_at", "pk")


def groups_with_counts(period: CommentPeriod) -> list[OpinionGroup]:
    return list(period.groups.annotate(n=Count("comments")).order_by("pk"))


def draft_list_for_user(user) -> QuerySet[DecisionDraft]:
    return (permissions.draft_visible_to(user).select_related("unit")
            .prefetch_related(_latest_period_prefetch()).order_by("-created_at", "-pk"))


def draft_get_for_user(user, pk: int) -> DecisionDraft:
    draft = draft_list_for_user(user).select_related("document").get(pk=pk)
    draft.period = draft.period_list[0] if draft.period_list else None
    return draft


def comments_for_staff(period: CommentPeriod, status: str = "") -> QuerySet[Comment]:
    qs = period.comments.select_related("group", "moderated_by").order_by("submitted_at", "pk")
    return qs.filter(status=status) if status else qs


@dataclass(frozen=True)
class WindowPreview:
    opens_at: datetime
    closes_at: datetime
    provisional: bool
    starts_now: bool


def comment_window_preview(*, working_days: int, opens_at: datetime | None,
                           now: datetime | None = None) -> WindowPreview:
    """预览截止时间: when a window of `working_days` would close if it opened at `opens_at` (or now, when the
    reviewer clears it at once) — the same calendar count the comment-window clock makes (M2, CLOCK7)."""
    from tongchuan_portal.clock import workdays

    now = now or timezone.now()
    start = max(opens_at, now) if opens_at else now
    due = workdays.due_moment(started_at=start, days=working_days)
    return WindowPreview(opens_at=start, closes_at=due.due_at, provisional=due.provisional, starts_now=opens_at is None)


def deadlines_of(target) -> list[Deadline]:
    from django.contrib.contenttypes.models import ContentType

    return list(Deadline.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)
                .order_by("started_at", "pk"))


# --- meetings ------------------------------------------------------------------------------------


def _public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(status__in=[MeetingStatus.ANNOUNCED, MeetingStatus.HELD])


def meeting_list_public(*, area: str = "", unit=None, events: bool | None = None,
                        now: datetime | None = None) -> tuple[list, list]:
    """会议: (upcoming with places left, past with outcomes) — three queries at any size."""
    now = now or timezone.now()
    qs = _filter(_public_meetings(), area=area, unit=unit)
    if events is True:
        qs = qs.filter(kind__in=EVENT_KINDS)
    elif events is False:
        qs = qs.exclude(kind__in=EVENT_KINDS)
    qs = (qs.select_related("unit")
          .annotate(taken=Count("registrations", filter=Q(registrations__status__in=[
              RegistrationStatus.APPROVED, RegistrationStatus.ATTENDED])))
          .prefetch_related(Prefetch("topics", queryset=MeetingTopic.objects.order_by("sort_order", "pk"))))
    upcoming = list(qs.filter(status=MeetingStatus.ANNOUNCED, starts_at__gt=now).order_by("starts_at", "pk")[:100])
    past = list(qs.filter(Q(status=MeetingStatus.HELD) | Q(starts_at__lte=now)).order_by("-starts_at", "-pk")[:100])
    return upcoming, past


def meeting_get_public(pk: int) -> Meeting:
    return (_public_meetings().select_related("unit")
            .annotate(taken=Count("registrations", filter=Q(registrations__status__in=[
                RegistrationStatus.APPROVED, RegistrationStatus.ATTENDED])))
            .prefetch_related(Prefetch("topics", queryset=MeetingTopic.objects.select_related("draft")))
            .get(pk=pk))


def meeting_list_for_user(user) -> QuerySet[Meeting]:
    return permissions.meeting_visible_to(user).select_related("unit").order_by("-starts_at", "-pk")


def meeting_get_for_user(user, pk: int) -> Meeting:
    return (permissions.meeting_visible_to(user).select_related("unit")
            .prefetch_related(Prefetch("topics", queryset=MeetingTopic.objects.select_related("draft")),
                              Prefetch("registrations", queryset=Registration.objects.order_by("submitted_at", "pk")))
            .get(pk=pk))


def registration_lookup(code: str) -> Registration | None:
    return Registration.objects.select_related("meeting").filter(query_code_hash=query_code_digest(code)).first()


# --- evaluations -----------------------------------------------------------------------------------


def evaluation_list_public(*, area: str = "", unit=None) -> list[Evaluation]:
    return list(_filter(Evaluation.objects.filter(published_at__isnull=False), area=area, unit=unit)
                .select_related("unit").order_by("-published_at", "-pk")[:100])


def evaluation_list_for_user(user) -> QuerySet[Evaluation]:
    from tongchuan_portal.units.permissions import units_with_role

    return (Evaluation.objects.filter(unit__in=units_with_role(user, *permissions.STAFF_ROLES))
            .select_related("unit").order_by("-created_at", "-pk"))


# --- messages ---------------------------------------------------------------------------------------


def message_list_public(*, area: str = "", unit=None, channel: str = "") -> list[Message]:
    """留言: published questions and replies, newest first — one query."""
    qs = _filter(Message.objects.filter(published_at__isnull=False), area=area, unit=unit)
    if channel:
        qs = qs.filter(channel=channel)
    return list(qs.select_related("unit").only(
        "pk", "channel", "category", "area", "title", "body", "reply", "received_at", "replied_at", "published_at",
        "unit__name", "unit__short_name").order_by("-published_at", "-pk")[:100])


def message_get_public(pk: int) -> Message:
    return Message.objects.filter(published_at__isnull=False).select_related("unit").get(pk=pk)


def message_lookup(code: str) -> Message | None:
    """The citizen's own message by its query code (the only way to see an unpublished one)."""
    if not code or len("".join(ch for ch in code if ch.isalnum())) < 12:
        return None
    return Message.objects.select_related("unit").filter(query_code_hash=query_code_digest(code)).first()


@dataclass
class MessageRow:
    message: Message
    deadline: Deadline | None


def message_list_for_user(user, *, status: str = "", flagged: bool = False) -> list[MessageRow]:
    """Staff queue: messages of the user's units (all for the city office), with their reply clocks — two queries."""
    from django.contrib.contenttypes.models import ContentType

    qs = permissions.message_visible_to(user).select_related("unit")
    if status:
        qs = qs.filter(status=status)
    if flagged:
        qs = qs.filter(unanswered_flagged_at__isnull=False, status=MessageStatus.RECEIVED)
    messages = list(qs.order_by("status", "received_at", "pk")[:300])
    deadlines = {}
    if messages:
        for d in Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(Message), object_id__in=[m.pk for m in messages],
            state__in=[DeadlineState.RUNNING, DeadlineState.MISSED, DeadlineState.MET],
        ).order_by("started_at", "pk"):
            deadlines[d.object_id] = d
    return [MessageRow(m, deadlines.get(m.pk)) for m in messages]


def documents_for_draft(draft: DecisionDraft) -> QuerySet:
    """The documents a draft may become (M6): filed or co-filed by the draft's unit, not withdrawn."""
    from disclosure.models import Document, Status

    return (Document.objects.filter(Q(issuer_id=draft.unit_id) | Q(co_issuers=draft.unit_id))
            .exclude(status=Status.WITHDRAWN).distinct().order_by("-created_at"))


def drafts_for_document(document) -> list[DecisionDraft]:
    """The decision drafts that became `document` (M6), for its staff page — one query."""
    return list(DecisionDraft.objects.filter(document=document).select_related("unit").order_by("pk"))


def messages_open_count(user) -> int:
    """How many messages the user's units still have to answer (办理中) — one COUNT query, no cap."""
    return permissions.message_visible_to(user).filter(status=MessageStatus.RECEIVED).count()


def messages_unanswered_for_months(*, now: datetime | None = None, visible=None) -> QuerySet[Message]:
    """W2: valid messages still unanswered three months after receipt."""
    from . import conf
    from .codes import months_before

    cutoff = months_before(now or timezone.now(), conf.UNANSWERED_FLAG_MONTHS)
    qs = Message.objects.filter(status=MessageStatus.RECEIVED, received_at__lte=cutoff).select_related("unit")
    return qs.filter(pk__in=visible.values("pk")) if visible is not None else qs


# --- filters and search -------------------------------------------------------------------------------


def units_for_filter() -> list[Unit]:
    """Units that own something public here, for the filter box — one query."""
    return list(Unit.objects.filter(
        Q(decision_drafts__status__in=PUBLIC_DRAFT_STATUSES) | Q(meetings__status__in=[
            MeetingStatus.ANNOUNCED, MeetingStatus.HELD]) | Q(messages__published_at__isnull=False)
        | Q(evaluations__published_at__isnull=False)
    ).distinct().order_by("sort_order", "code").only("pk", "name", "short_name"))


@dataclass
class SearchHit:
    kind: str  # "draft" | "message" | "meeting" | "evaluation"
    title: str
    url: str
    excerpt: str
    unit: str
    date: datetime | None


def search_public(query: str, *, limit: int = 50) -> list[SearchHit]:
    """Published drafts, messages, meetings and evaluations matching a keyword, for the site search."""
    from django.urls import reverse

    query = (query or "").strip()
    if not query:
        return []
    now = timezone.now()
    hits: list[SearchHit] = []
    for d in (DecisionDraft.objects.filter(status__in=PUBLIC_DRAFT_STATUSES, published_at__lte=now)
              .filter(Q(title__icontains=query) | Q(text__icontains=query) | Q(basis__icontains=query))
              .select_related("unit").order_by("-published_at")[:limit]):
        hits.append(SearchHit("draft", d.title, reverse("participation:draft_detail", args=[d.pk]), d.text[:120],
                              d.unit.short_name, d.published_at))
    for m in (Message.objects.filter(published_at__isnull=False)
              .filter(Q(title__icontains=query) | Q(body__icontains=query) | Q(reply__icontains=query))
              .select_related("unit").order_by("-published_at")[:limit]):
        hits.append(SearchHit("message", m.title, reverse("participation:message_detail", args=[m.pk]), m.body[:120],
                              m.unit.short_name, m.published_at))
    for mt in (_public_meetings().filter(Q(title__icontains=query) | Q(description__icontains=query)
                                         | Q(outcome__icontains=query))
               .select_related("unit").order_by("-starts_at")[:limit]):
        hits.append(SearchHit("meeting", mt.title, reverse("participation:meeting_detail", args=[mt.pk]),
                              (mt.outcome or mt.description)[:120], mt.unit.short_name, mt.starts_at))
    for e in (Evaluation.objects.filter(published_at__isnull=False)
              .filter(Q(title__icontains=query) | Q(summary__icontains=query) | Q(policy_title__icontains=query))
              .select_related("unit").order_by("-published_at")[:limit]):
        hits.append(SearchHit("evaluation", e.title, reverse("participation:evaluation_detail", args=[e.pk]),
                              e.summary[:120], e.unit.short_name, e.published_at))
    hits.sort(key=lambda h: h.date or now, reverse=True)
    return hits[:limit]


def draft_executive_adoption(draft: DecisionDraft) -> MeetingTopic | None:
    """The executive meeting topic that adopted this draft, once its outcome is published (M6)."""
    return (MeetingTopic.objects.filter(draft=draft, adopted=True, meeting__kind=MeetingKind.EXECUTIVE,
                                        meeting__outcome_published_at__isnull=False)
            .select_related("meeting").first())
