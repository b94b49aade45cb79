"""Issue 15, item 8: the admin in Chinese and Beijing time — model names, the history view's columns and
values, the rule filter by name, and an attachment's deletion on its document's history."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from disclosure import services
from disclosure.models import Document
from tests.disclosure.factories import draft, pdf
from tests.units.factories import UserFactory

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def root(client, world):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_hardening_every_model_in_the_admin_has_a_chinese_name(root, client):
    with translation.override("zh-hans"):
        english = [m._meta.label for m in admin.site._registry
                   if not CJK.search(str(m._meta.verbose_name)) or not CJK.search(str(m._meta.verbose_name_plural))]
    assert english == []
    html = client.get("/admin/").content.decode()
    for words in ("Document group object permissions", "Access attempts", "Interpretation plan user object"):
        assert words not in html
    assert "公文用户组权限" in html and "登录失败计数" in html


def test_hardening_history_view_speaks_chinese_in_beijing_time(root, client, world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    services.document_accept(document=Document.objects.get(pk=document.pk), by=world.head)
    html = client.get(reverse("admin:disclosure_document_history", args=[document.pk])).content.decode()
    table = html.split('id="change-history"')[1].split("</table>")[0]
    headings = re.findall(r"<th scope=\"col\">(.*?)</th>", table)
    assert headings == ["记录", "状态", "公开属性", "时间(北京时间)", "操作", "操作人", "变更原因", "变更内容"]
    assert "主动公开" in table and "已报送待审核" in table  # labels, not codes
    for raw in ("proactive", "accepted", "submitted", "draft", "None", "+00:00"):
        assert not re.search(rf">\s*{raw}\s*<|{re.escape(raw)}\s*&nbsp;|&rarr;&nbsp;&nbsp;{raw}", table), raw
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{3,6}", table)  # no microseconds
    stamps = re.findall(r"<td>(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})</td>", table)
    first = document.history.order_by("history_date").first().history_date
    from tongchuan_portal.clock.workdays import BEIJING

    assert first.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") in stamps
    assert "新增" in table and "修改" in table and "起草公文" in table


def test_hardening_deadline_rule_filter_lists_chinese_names(root, client, world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    html = client.get(reverse("admin:clock_deadline_changelist")).content.decode()
    assert "单位负责人审核办理时限(本平台设定" in html
    assert ">review.turnaround.unit_head<" not in html
    assert "?rule=review.turnaround.unit_head" in html.replace("&amp;", "&")  # the code stays in the URL


def test_hardening_attachment_deletion_is_on_the_documents_admin_history(root, client, world):
    document = draft(world.clerk, world.fgw, files=[pdf("附表.pdf")])
    services.attachment_remove(attachment=document.attachments.get(), by=world.clerk)
    html = client.get(reverse("admin:disclosure_document_history", args=[document.pk])).content.decode()
    assert "删除附件:附表.pdf" in html
