"""网站监测 (W2): each national check fires on constructed data and resolves itself when fixed."""

import http.server
import threading
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from disclosure import services as disclosure_services
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.services import system_user
from tongchuan_portal.monitoring.models import Check, Finding, FindingState, LinkCheck
from tongchuan_portal.monitoring.services import link_checks_run, monitoring_run
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.disclosure.factories import publish
from tests.sections.factories import published
from tests.units.factories import UserFactory, member

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=BEIJING)


def _open(unit, kind, key=None):
    qs = Finding.objects.filter(unit=unit, kind=kind, state=FindingState.OPEN)
    return qs.filter(item_key=key) if key else qs


@pytest.fixture
def units(tongchuan_units, calendar):
    return tongchuan_units


def test_W2_news_column_15_days_stale_fires_and_resolves_when_updated(units):
    unit = units["yzq-jyj"]
    published(unit, area="execution", published_at=NOW - timedelta(days=15))
    monitoring_run(by=system_user(), now=NOW)
    finding = _open(unit, Check.NEWS_STALE, "column:wgk:execution").get()
    assert finding.since == NOW - timedelta(days=15)
    assert not _open(unit, Check.EMPTY_COLUMN, "column:wgk:execution").exists()
    published(unit, area="execution", published_at=NOW - timedelta(days=1))
    monitoring_run(by=system_user(), now=NOW)
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED and finding.resolved_at == NOW


def test_W2_news_column_13_days_old_is_not_stale(units):
    unit = units["yzq-jyj"]
    published(unit, area="execution", published_at=NOW - timedelta(days=13))
    monitoring_run(by=system_user(), now=NOW)
    assert not _open(unit, Check.NEWS_STALE).exists()
    assert not _open(unit, Check.HOME_STALE).exists()


def test_W2_notice_column_7_months_stale_fires_and_resolves(units):
    unit = units["yzq-jyj"]
    published(unit, area="decision", published_at=datetime(2026, 4, 18, 9, 0, tzinfo=BEIJING))
    monitoring_run(by=system_user(), now=NOW)
    assert _open(unit, Check.NOTICE_STALE, "column:wgk:decision").exists()
    assert _open(unit, Check.HOME_STALE, "home").exists()  # nothing new anywhere for two weeks either
    published(unit, area="decision", published_at=NOW - timedelta(days=2))
    monitoring_run(by=system_user(), now=NOW)
    assert not _open(unit, Check.NOTICE_STALE).exists() and not _open(unit, Check.HOME_STALE).exists()


def test_W2_notice_column_5_months_old_is_not_stale(units):
    unit = units["yzq-jyj"]
    published(unit, area="decision", published_at=datetime(2026, 6, 25, 9, 0, tzinfo=BEIJING))
    monitoring_run(by=system_user(), now=NOW)
    assert not _open(unit, Check.NOTICE_STALE).exists()


def test_W2_empty_column_fires_and_resolves(units):
    unit = units["yzq-jyj"]
    monitoring_run(by=system_user(), now=NOW)
    assert _open(unit, Check.EMPTY_COLUMN, "column:wgk:result").exists()
    published(unit, area="result", published_at=NOW - timedelta(days=1))
    monitoring_run(by=system_user(), now=NOW)
    assert not _open(unit, Check.EMPTY_COLUMN, "column:wgk:result").exists()


def test_W2_district_home_counts_its_departments_items(units):
    published(units["yzq-jyj"], area="execution", published_at=NOW - timedelta(days=1))
    monitoring_run(by=system_user(), now=NOW)
    assert not _open(units["yzq"], Check.HOME_STALE).exists()
    assert _open(units["wyq"], Check.HOME_STALE).exists()


class _Server(http.server.ThreadingHTTPServer):
    status = 404


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(self.server.status)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A local web server (never the internet) that answers 404 until told otherwise."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(tongchuan_units, calendar):
    from tests.disclosure.conftest import World

    from disclosure.services import return_reasons_ensure

    return_reasons_ensure()
    u = tongchuan_units
    people = World(units=u, fgw=u["fgw"], jyj=u["jyj"], szfb=u["szfb"])
    for name, unit, role in [("clerk", "fgw", Role.Code.CLERK), ("head", "fgw", Role.Code.UNIT_HEAD),
                             ("secrecy", "fgw", Role.Code.CONFIDENTIALITY_REVIEWER),
                             ("other_clerk", "jyj", Role.Code.CLERK), ("other_head", "jyj", Role.Code.UNIT_HEAD),
                             ("other_secrecy", "jyj", Role.Code.CONFIDENTIALITY_REVIEWER),
                             ("reviewer", "szfb", Role.Code.CITY_OFFICE_REVIEWER)]:
        user = UserFactory(username=name, first_name=name)
        member(user, u[unit], role)
        people[name] = user
    return people


def test_W2_broken_links_internal_withdrawn_and_external_404_fire_and_resolve(world, local_server):
    target = publish(world, title="被链接的通知")
    external = f"http://127.0.0.1:{local_server.server_address[1]}/missing"
    source = publish(world, title="含链接的通知", body=(
        f'<p>详见<a href="/xxgk/documents/{target.pk}/">通知</a>和<a href="{external}">外部页面</a>,'
        f'以及<a href="/no/such/page/">旧地址</a>。</p>'))
    by = system_user()
    monitoring_run(by=by)
    links = _open(world.fgw, Check.BROKEN_LINK)
    assert [f.detail for f in links] == ["站内链接指向的页面不存在。"]  # the dead path; the target is public
    assert LinkCheck.objects.filter(url=external, checked_at__isnull=True).exists()

    disclosure_services.document_withdraw(document=target, reason="内容有误", by=world.head)
    assert link_checks_run(by=by, timeout=2) == 1
    check = LinkCheck.objects.get(url=external)
    assert check.ok is False and check.status_code == 404
    monitoring_run(by=by)
    details = sorted(f.detail for f in _open(world.fgw, Check.BROKEN_LINK))
    assert len(details) == 3
    assert "站内链接指向的信息未公开或已撤回。" in details
    assert any("外部链接无法访问(404)" in d for d in details)
    assert all(f.item_url == source.get_public_url() for f in _open(world.fgw, Check.BROKEN_LINK))

    local_server.status = 200
    link_checks_run(by=by, timeout=2)
    assert LinkCheck.objects.get(url=external).ok is True
    monitoring_run(by=by)
    assert [f.detail for f in _open(world.fgw, Check.BROKEN_LINK)].count("站内链接指向的信息未公开或已撤回。") == 1
    assert not any("外部链接" in f.detail for f in _open(world.fgw, Check.BROKEN_LINK))


def test_W2_external_link_checks_are_bounded_per_run(units, settings):
    now = NOW
    for i in range(5):
        LinkCheck.objects.create(url=f"http://127.0.0.1:9/{i}", first_seen_at=now)
    assert link_checks_run(by=system_user(), limit=2, timeout=0.5) == 2
    assert LinkCheck.objects.filter(checked_at__isnull=False).count() == 2
    assert LinkCheck.objects.filter(ok=False).count() == 2  # a refused connection is a failed check


def test_W2_daily_run_is_idempotent_and_notifies_once_per_new_finding(world):
    publish(world, title="市发改委通知")
    by = system_user()
    monitoring_run(by=by, now=NOW)
    findings = set(Finding.objects.values_list("pk", "state"))
    history = Finding.history.count()
    notices = Notification.objects.filter(recipient__in=[world.clerk, world.head]).count()
    assert notices > 0
    monitoring_run(by=by, now=NOW)
    assert set(Finding.objects.values_list("pk", "state")) == findings
    assert Finding.history.count() == history
    assert Notification.objects.filter(recipient__in=[world.clerk, world.head]).count() == notices


def test_W2_each_new_finding_gives_one_notice_to_its_units_staff(world):
    by = system_user()
    monitoring_run(by=by, now=NOW)
    own = Finding.objects.filter(unit=world.fgw, state=FindingState.OPEN).count()
    assert own > 0
    assert Notification.objects.filter(recipient=world.clerk).count() == own
    assert Notification.objects.filter(recipient=world.other_clerk).count() == \
        Finding.objects.filter(unit=world.jyj, state=FindingState.OPEN).count()


def test_W2_unit_sees_its_own_findings_and_another_units_are_404(client, world):
    monitoring_run(by=system_user(), now=NOW)
    client.force_login(world.clerk)
    html = client.get(reverse("monitoring:mine")).content.decode()
    assert "铜川市发展和改革委员会" in html or "市发展改革委" in html
    assert "市教育局" not in html.split('id="findings-title"')[1]
    before = set(Finding.objects.values_list("pk", "state"))
    assert client.get(reverse("monitoring:mine"), {"unit": "jyj"}).status_code == 404
    assert set(Finding.objects.values_list("pk", "state")) == before
    assert "各单位得分与趋势" not in html


def test_W2_city_office_sees_every_unit_with_score_and_trend(client, world):
    monitoring_run(by=system_user(), now=NOW - timedelta(days=1))
    monitoring_run(by=system_user(), now=NOW)
    client.force_login(world.reviewer)
    html = client.get(reverse("monitoring:mine")).content.decode()
    assert "各单位得分与趋势" in html and "市教育局" in html and "市发展改革委" in html
    assert client.get(reverse("monitoring:mine"), {"unit": "jyj"}).status_code == 200


def test_W2_anonymous_and_unit_less_users_get_no_monitoring_page(client, world):
    assert client.get(reverse("monitoring:mine")).status_code == 302
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("monitoring:mine")).status_code == 404


@pytest.mark.parametrize("extra", [0, 30])
def test_W2_monitoring_page_query_count_is_constant(client, world, extra, django_assert_max_num_queries):
    for i in range(extra):
        Finding.objects.create(unit=world.fgw, kind=Check.BROKEN_LINK, item_key=f"x{i}", item_label=f"链接{i}",
                               found_at=NOW)
    monitoring_run(by=system_user(), now=NOW)
    client.force_login(world.reviewer)
    client.get(reverse("monitoring:mine"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("monitoring:mine")).status_code == 200


def test_W2_tasks_are_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"monitoring.daily_run", "monitoring.check_external_links"} <= tasks


def test_W2_attachment_whose_file_is_gone_is_a_broken_link_until_restored(world):
    from django.core.files.storage import default_storage

    from tests.disclosure.factories import pdf

    doc = publish(world, title="带附件的通知", files=[pdf("名单.pdf")])
    attachment = doc.attachments.get()
    monitoring_run(by=system_user(), now=NOW)
    assert not _open(world.fgw, Check.BROKEN_LINK, f"attachment:{attachment.pk}").exists()
    content = default_storage.open(attachment.file.name).read()
    default_storage.delete(attachment.file.name)
    monitoring_run(by=system_user(), now=NOW)
    assert _open(world.fgw, Check.BROKEN_LINK, f"attachment:{attachment.pk}").exists()
    from django.core.files.base import ContentFile

    default_storage.save(attachment.file.name, ContentFile(content))
    monitoring_run(by=system_user(), now=NOW)
    assert not _open(world.fgw, Check.BROKEN_LINK, f"attachment:{attachment.pk}").exists()
