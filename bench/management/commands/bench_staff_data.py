"""Staff-page benchmark data (issue 17): running deadlines, queues, opinion cases and a city-office
account with a session, on the benchmark database. Not for a real database; run by bench/staff.py.

Idempotent: tops the running deadlines up to --deadlines, moves documents into the review and
confidentiality queues up to --queue each, adds opinion cases up to --cases, and prints the session
key of `bench-city` (市政府办公室: reviewer, confidentiality reviewer, clerk, head, opinion officer).
"""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.utils import timezone

from disclosure.deadlines import PUBLISH_WITHIN_20
from disclosure.models import Document, Status
from opinion.deadlines import RESPONSE
from opinion.models import OpinionCase
from opinion.services import cases_next_due_refresh
from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import Deadline, DeadlineState, RuleKind
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.units.models import Role, Unit
from tongchuan_portal.units.services import membership_grant, roles_ensure
from tongchuan_portal.units.models import SpecialUnit
from tongchuan_portal.units.selectors import special_unit


class Command(BaseCommand):
    help = "员工页面基准数据:计时中的时限、审核与保密审查队列、舆情事件和市政府办公室账号。"

    def add_arguments(self, parser):
        parser.add_argument("--deadlines", type=int, default=100_000)
        parser.add_argument("--queue", type=int, default=2_000)
        parser.add_argument("--cases", type=int, default=2_000)

    def handle(self, *args, deadlines, queue, cases, **options):
        rng = random.Random(17)
        roles_ensure()
        city = special_unit(SpecialUnit.CITY_OFFICE)
        user, created = get_user_model().objects.get_or_create(username="bench-city", defaults={"first_name": "基准"})
        if created:
            membership_grant(user=user, unit=city, roles=[Role.Code.CITY_OFFICE_REVIEWER, Role.Code.CONFIDENTIALITY_REVIEWER,
                                                          Role.Code.CLERK, Role.Code.UNIT_HEAD, Role.Code.OPINION_OFFICER],
                             by=user)
        self._queues(queue)
        self._deadlines(deadlines, rng)
        self._cases(cases, city, user, rng)
        self._case_clocks()
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(24 * 3600)
        session.save()
        self.stdout.write(f"SESSION {session.session_key}")

    def _queues(self, size):
        now = timezone.now()
        for status, extra in ((Status.SUBMITTED, {}), (Status.CONFIDENTIALITY_REVIEW, {"accepted_at": now})):
            missing = size - Document.objects.filter(status=status).count()
            if missing > 0:
                ids = list(Document.objects.filter(status=Status.PUBLISHED, issuer=special_unit(SpecialUnit.CITY_OFFICE))
                           .order_by("pk").values_list("pk", flat=True)[:missing])
                Document.objects.filter(pk__in=ids).update(status=status, published_at=None, publish_at=None,
                                                           confidentiality_cleared_at=None, submitted_at=now, **extra)
                self.stdout.write(f"{status}: +{len(ids)}")

    def _deadlines(self, total, rng):
        rule = get_rule(PUBLISH_WITHIN_20)
        open_states = [DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED]
        missing = total - Deadline.objects.filter(state__in=open_states).count()
        if missing <= 0:
            return
        doc_type = ContentType.objects.get_for_model(Document)
        docs = list(Document.objects.order_by("pk").values_list("pk", "issuer_id", "title")[:missing])
        now = timezone.now()
        starts = [now - timedelta(days=d) for d in range(0, 40)]
        moments = {s: workdays.due_moment(started_at=s, days=rule.days) for s in starts}
        rows = []
        for pk, unit_id, title in docs:
            started = rng.choice(starts)
            moment = moments[started]
            state = DeadlineState.MISSED if moment.due_at < now else DeadlineState.RUNNING
            rows.append(Deadline(content_type=doc_type, object_id=pk, subject=f"公开:{title}"[:200], rule=rule.code,
                                 rule_id=rule.rule_id, kind=RuleKind.WORKING_DAYS, unit_id=unit_id, started_at=started,
                                 basis_at=started, remaining_days=rule.days, state=state, due_at=moment.due_at,
                                 provisional=moment.provisional))
            if len(rows) == 5000:
                Deadline.objects.bulk_create(rows)
                rows = []
        Deadline.objects.bulk_create(rows)
        self.stdout.write(f"deadlines: +{len(docs)}")

    def _cases(self, total, city, user, rng):
        missing = total - OpinionCase.objects.count()
        if missing <= 0:
            return
        now = timezone.now()
        field = OpinionCase._meta.get_field
        choices = {name: [c[0] for c in field(name).choices] for name in ("source", "category", "scope", "subject_area")}
        units = list(Unit.objects.filter(is_active=True).exclude(kind="party_organ"))
        OpinionCase.objects.bulk_create([OpinionCase(
            title=f"基准舆情事件{i}", source=rng.choice(choices["source"]), summary="基准测试用舆情概要。",
            first_seen_at=now - timedelta(hours=i % 500), category=rng.choice(choices["category"]),
            scope=rng.choice(choices["scope"]), subject_area=rng.choice(choices["subject_area"]),
            responsible_unit=rng.choice(units), recorded_at=now - timedelta(hours=i % 500), recorded_by=user,
        ) for i in range(missing)], batch_size=1000)
        self.stdout.write(f"opinion cases: +{missing}")

    def _case_clocks(self):
        """A 48-hour response clock on every case that has none (running, or missed for the older ones), so
        the dashboard sorts and shows real clocks."""
        case_type = ContentType.objects.get_for_model(OpinionCase)
        bare = list(OpinionCase.objects.exclude(pk__in=Deadline.objects.filter(content_type=case_type).values("object_id"))
                    .values_list("pk", "title", "responsible_unit_id", "first_seen_at"))
        if not bare:
            return
        rule, now = get_rule(RESPONSE), timezone.now()
        rows = [Deadline(content_type=case_type, object_id=pk, subject=f"舆情:{title}"[:200], rule=rule.code,
                         rule_id=rule.rule_id, kind=RuleKind.HOURS, unit_id=unit_id, started_at=seen, basis_at=seen,
                         remaining_time=rule.duration, due_at=seen + rule.duration,
                         state=DeadlineState.MISSED if seen + rule.duration < now else DeadlineState.RUNNING)
                for pk, title, unit_id, seen in bare]
        cases_next_due_refresh(Deadline.objects.bulk_create(rows, batch_size=2000))
        self.stdout.write(f"opinion clocks: +{len(rows)}")
