"""Hardening: the disclosure reference data kept in the real admin — catalogs (D10), annual priorities
(D14), guides (W4), annual reports (A6), return reasons — is saved through services: the same checks as
the workspace, who and why in history, Chinese form errors instead of 500s, and nothing changed by a
refused write."""

from datetime import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from disclosure import services
from disclosure.models import AnnualPriority, AnnualReport, CatalogEntry, DisclosureGuide, ReturnReason
from tests.disclosure.factories import draft, publish
from tests.units.factories import UserFactory
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.notifications.models import Notification

ENTRY = {"area": "decision", "subject": "市发展改革委", "content": "年度计划", "time_limit": "20个工作日内",
         "channel": "政府网站", "topic": "", "sort_order": 100}


@pytest.fixture
def admin_user(world, client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def form_errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- catalogs (D10) ------------------------------------------------------------------------------


def entry_form(entry_catalog, documents=(), **changes):
    data = {"catalog": entry_catalog.pk, **ENTRY, "documents": [str(d.pk) for d in documents]}
    data.update(changes)
    return data


def test_hardening_D10_admin_catalog_entry_links_only_the_units_published_items(client, world, admin_user):
    own = publish(world, title="2026年重大项目计划")
    others = publish(world, title="教育局招生公告", clerk=world.other_clerk, unit=world.jyj)
    entry = services.catalog_entry_save(unit=world.fgw, by=world.office, data=ENTRY)
    before = (CatalogEntry.objects.count(), entry.history.count())

    response = client.post(reverse("admin:disclosure_catalogentry_add"), entry_form(entry.catalog, [own, others]))
    html = form_errors(response)
    assert "目录条目只能关联本单位已公开的信息" in html and "《教育局招生公告》" in html
    assert (CatalogEntry.objects.count(), entry.history.count()) == before

    url = reverse("admin:disclosure_catalogentry_change", args=[entry.pk])
    response = client.post(url, entry_form(entry.catalog, [others]))
    assert "目录条目只能关联本单位已公开的信息" in form_errors(response)
    assert list(entry.documents.all()) == [] and entry.history.count() == before[1]

    response = client.post(url, entry_form(entry.catalog, [own], content="年度重大项目计划"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.content == "年度重大项目计划" and list(entry.documents.all()) == [own]
    assert entry.history.first().history_user == admin_user


def test_hardening_D10_admin_catalog_entry_cannot_link_a_draft(client, world, admin_user):
    entry = services.catalog_entry_save(unit=world.fgw, by=world.office, data=ENTRY)
    unpublished = draft(world.clerk, world.fgw, title="尚未公开的草稿")
    response = client.post(reverse("admin:disclosure_catalogentry_change", args=[entry.pk]),
                           entry_form(entry.catalog, [unpublished]))
    form_errors(response)
    assert not entry.documents.exists()
    with pytest.raises(ValidationError) as refused:
        services.catalog_entry_save(unit=world.fgw, by=admin_user, entry=entry, data=ENTRY,
                                   document_ids=[unpublished.pk])
    assert "目录条目只能关联本单位已公开的信息" in str(refused.value)
    assert not entry.documents.exists()


def test_hardening_D10_catalog_inline_edits_go_through_the_service_and_the_publication_time_is_fixed(
        client, world, admin_user):
    first = services.catalog_entry_save(unit=world.fgw, by=world.office, data=ENTRY)
    second = services.catalog_entry_save(unit=world.fgw, by=world.office, data={**ENTRY, "content": "财政预算"})
    services.catalog_publish(unit=world.fgw, by=world.office)
    the_catalog = first.catalog
    the_catalog.refresh_from_db()
    published_at = the_catalog.published_at
    prefix = "entries"
    data = {f"{prefix}-TOTAL_FORMS": "3", f"{prefix}-INITIAL_FORMS": "2", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000", "published_at_0": "2016-01-01", "published_at_1": "00:00:00"}
    for i, (entry, changes) in enumerate([(first, {"content": "年度计划(修订)"}), (second, {"DELETE": "on"})]):
        row = {**ENTRY, "content": entry.content, **changes, "id": entry.pk, "catalog": the_catalog.pk}
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    data.update({f"{prefix}-2-{k}": v for k, v in {**ENTRY, "content": "项目审批", "catalog": the_catalog.pk}.items()})

    response = client.post(reverse("admin:disclosure_catalog_change", args=[the_catalog.pk]), data)
    assert response.status_code == 302
    the_catalog.refresh_from_db()
    assert the_catalog.published_at == published_at
    assert sorted(the_catalog.entries.values_list("content", flat=True)) == ["年度计划(修订)", "项目审批"]
    assert first.history.first().history_user == admin_user
    deleted = CatalogEntry.history.get(id=second.pk, history_type="-")
    assert deleted.history_user == admin_user and deleted.history_change_reason == "删除主动公开目录条目"
    assert the_catalog.history.first().history_change_reason == "目录动态更新"
    assert client.get(reverse("admin:disclosure_catalog_add")).status_code == 403
    assert client.post(reverse("admin:disclosure_catalog_delete", args=[the_catalog.pk]),
                       {"post": "yes"}).status_code == 403


def test_hardening_D10_bulk_delete_of_catalog_entries_writes_history(client, world, admin_user):
    entries = [services.catalog_entry_save(unit=world.fgw, by=world.office, data={**ENTRY, "content": c})
               for c in ("甲", "乙")]
    response = client.post(reverse("admin:disclosure_catalogentry_changelist"), {
        "action": "delete_selected", "_selected_action": [e.pk for e in entries], "post": "yes"})
    assert response.status_code == 302
    assert not CatalogEntry.objects.exists()
    assert CatalogEntry.history.filter(history_type="-", history_user=admin_user).count() == 2


def test_hardening_D10_staff_without_catalog_rights_are_refused_in_admin_and_service(client, world):
    entry = services.catalog_entry_save(unit=world.fgw, by=world.office, data=ENTRY)
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_catalogentry"))
    client.force_login(viewer)
    response = client.post(reverse("admin:disclosure_catalogentry_change", args=[entry.pk]),
                           entry_form(entry.catalog, content="改了"))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.catalog_entry_save(unit=world.fgw, by=viewer, entry=entry, data={**ENTRY, "content": "改了"})
    entry.refresh_from_db()
    assert entry.content == "年度计划" and entry.history.count() == 1


# --- annual priorities (D14) -------------------------------------------------------------------


def priority_form(unit, **changes):
    data = {"unit": unit.pk, "year": 2026, "title": "2026年政务公开工作要点", "body": "一、推进决策公开。",
            "published_at_0": "2026-03-01", "published_at_1": "09:00:00"}
    data.update(changes)
    return data


def test_hardening_D14_priority_added_in_admin_goes_through_the_service(client, world, admin_user, time_machine):
    time_machine.move_to(datetime(2026, 11, 26, 10, tzinfo=BEIJING))
    response = client.post(reverse("admin:disclosure_annualpriority_add"),
                           priority_form(world.szfb, published_at_0="2026-12-31"))
    assert "发布时间不能晚于现在" in form_errors(response)
    assert not AnnualPriority.objects.exists()

    response = client.post(reverse("admin:disclosure_annualpriority_add"), priority_form(world.szfb))
    assert response.status_code == 302
    priority = AnnualPriority.objects.get()
    created = priority.history.get()
    assert created.history_user == admin_user and created.history_change_reason == "管理后台新增年度政务公开工作要点"

    response = client.post(reverse("admin:disclosure_annualpriority_change", args=[priority.pk]),
                           priority_form(world.szfb, title="2026年全市政务公开工作要点"))
    assert response.status_code == 302
    latest = priority.history.first()
    assert latest.title == "2026年全市政务公开工作要点" and latest.history_change_reason == "管理后台修改年度政务公开工作要点:标题"


def test_hardening_D14_published_priority_cannot_be_deleted_in_admin_alone_or_in_bulk(client, world, admin_user):
    published = AnnualPriority.objects.create(unit=world.szfb, year=2025, title="2025年要点", body="……",
                                              published_at=datetime(2025, 3, 1, tzinfo=BEIJING))
    unpublished = AnnualPriority.objects.create(unit=world.fgw, year=2026, title="2026年要点(草)", body="……")

    response = client.post(reverse("admin:disclosure_annualpriority_delete", args=[published.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert AnnualPriority.objects.filter(pk=published.pk).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("已发布的年度工作要点是公开记录,不能删除" in m for m in messages)

    response = client.post(reverse("admin:disclosure_annualpriority_changelist"), {
        "action": "delete_selected", "_selected_action": [published.pk, unpublished.pk], "post": "yes"})
    assert response.status_code == 302
    assert AnnualPriority.objects.count() == 2  # all or nothing
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("未删除任何记录" in m for m in messages) and not any("成功" in m for m in messages)

    response = client.post(reverse("admin:disclosure_annualpriority_delete", args=[unpublished.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AnnualPriority.objects.filter(pk=unpublished.pk).exists()
    assert AnnualPriority.history.get(id=unpublished.pk, history_type="-").history_user == admin_user


# --- guides (W4) and annual reports (A6) --------------------------------------------------------


def test_hardening_W4_guide_edited_in_admin_has_history_and_is_never_deleted(client, world, admin_user):
    guide = DisclosureGuide.objects.create(unit=world.szfb, categories="按主题分类", how_to_obtain="网站查阅",
                                           office_name="市政府办公室政务公开科", address="新区正阳路", hours="工作日",
                                           phone="0919-3185000", email="gk@tongchuan.gov.cn")
    data = {"unit": world.szfb.pk, "categories": "按主题分类", "how_to_obtain": "网站查阅",
            "office_name": "市政府办公室政务公开科", "address": "新区正阳路", "hours": "工作日",
            "phone": "0919-3185001", "email": "不是邮箱", "postcode": ""}
    url = reverse("admin:disclosure_disclosureguide_change", args=[guide.pk])
    form_errors(client.post(url, data))
    guide.refresh_from_db()
    assert guide.phone == "0919-3185000" and guide.history.count() == 1

    response = client.post(url, {**data, "email": "gk@tongchuan.gov.cn"})
    assert response.status_code == 302
    latest = guide.history.first()
    assert latest.phone == "0919-3185001" and latest.history_user == admin_user
    assert latest.history_change_reason == "管理后台修改政府信息公开指南:联系电话"
    assert client.post(reverse("admin:disclosure_disclosureguide_delete", args=[guide.pk]),
                       {"post": "yes"}).status_code == 403


def report_form(unit, document=None, **changes):
    data = {"unit": unit.pk, "year": 2025, "title": "2025年政府信息公开工作年度报告",
            "document": document.pk if document else "", "published_at_0": "2026-01-20",
            "published_at_1": "09:00:00"}
    data.update(changes)
    return data


def test_hardening_A6_annual_report_links_only_the_units_published_document(client, world, admin_user):
    own = publish(world, title="市发展改革委2025年政府信息公开工作年度报告")
    unpublished = draft(world.clerk, world.fgw, title="年度报告(草稿)")
    others = publish(world, title="市教育局2025年年度报告", clerk=world.other_clerk, unit=world.jyj)
    add = reverse("admin:disclosure_annualreport_add")
    for wrong in (unpublished, others):
        assert "报告原文只能是本单位已公开的信息" in form_errors(client.post(add, report_form(world.fgw, wrong)))
    assert not AnnualReport.objects.exists()

    assert client.post(add, report_form(world.fgw, own)).status_code == 302
    report = AnnualReport.objects.get()
    assert report.document == own and report.history.get().history_user == admin_user
    assert client.post(reverse("admin:disclosure_annualreport_delete", args=[report.pk]),
                       {"post": "yes"}).status_code == 403


# --- return reasons and read-only rows ----------------------------------------------------------


def test_hardening_return_reason_code_is_fixed_and_reasons_are_not_deleted(client, world, admin_user):
    reason = ReturnReason.objects.order_by("pk").first()
    code = reason.code
    response = client.post(reverse("admin:disclosure_returnreason_change", args=[reason.pk]), {
        "code": "renamed", "label": "不公开理由不充分", "rule_id": reason.rule_id, "sort_order": reason.sort_order,
        "is_active": "on"})
    assert response.status_code == 302
    reason.refresh_from_db()
    assert (reason.code, reason.label) == (code, "不公开理由不充分")
    assert reason.history.first().history_user == admin_user
    assert client.post(reverse("admin:disclosure_returnreason_delete", args=[reason.pk]),
                       {"post": "yes"}).status_code == 403


def test_hardening_notifications_are_read_only_in_admin(client, world, admin_user):
    note = Notification.objects.create(recipient=world.clerk, title="提醒", body="请处理")
    url = reverse("admin:notifications_notification_change", args=[note.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"recipient": world.clerk.pk, "title": "改过", "body": "", "level": note.level}
                       ).status_code == 403
    assert client.post(reverse("admin:notifications_notification_delete", args=[note.pk]),
                       {"post": "yes"}).status_code == 403
    note.refresh_from_db()
    assert note.title == "提醒"


# --- issue 11 item 6: no history-less .update() in disclosure/services.py -----------------------


def test_hardening_co_issuer_names_change_is_in_the_documents_history(world):
    document = draft(world.clerk, world.fgw, co_issuers=[world.jyj])
    latest = document.history.first()
    assert latest.co_issuer_names == world.jyj.name
    assert latest.history_change_reason == "调整联合发文机构" and latest.history_user == world.clerk
    services.document_update(document=document, by=world.clerk, data={}, co_issuers=[])
    assert document.history.first().co_issuer_names == ""
