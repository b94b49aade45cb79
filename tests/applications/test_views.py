"""The pages: the public form, 申请查询 and the status page; the staff queue, detail and supervision (A1–A5)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from disclosure.applications import services
from disclosure.applications.models import Application, PersonalDataView, Status
from disclosure.applications.outcomes import Outcome

from .conftest import bj, pdf, png
from .helpers import PERSON, REQUEST, received, submit

pytestmark = pytest.mark.django_db
MONDAY = bj(2026, 6, 1, 10, 0)


def pdf_font_names(data: bytes) -> list[bytes]:
    """The embedded fonts' names (WeasyPrint compresses its objects into streams)."""
    import re
    import zlib

    names = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            names += re.findall(rb"/FontName\s*/([^\s/]+)", zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return names


def form_data(world, **overrides):
    data = {"unit": world.fgw.pk, **PERSON, **REQUEST, "website": ""}
    data.update(overrides)
    return data


def test_A1_online_form_applies_and_shows_the_code_once(client, world):
    with time_machine.travel(MONDAY, tick=True):
        response = client.post(reverse("applications:apply"), {**form_data(world), "identity_proof": png()})
        assert response.status_code == 302
        page = client.get(reverse("applications:submitted"))
        assert page.status_code == 200
        application = Application.objects.get()
        assert application.number in page.content.decode()
        assert client.get(reverse("applications:submitted")).status_code == 302  # shown once


def test_A1_form_keeps_input_and_says_what_is_wrong_in_chinese(client, world):
    response = client.post(reverse("applications:apply"),
                           {**form_data(world, id_number="110105194912310021"), "identity_proof": png()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "校验位不正确" in body and "2025年度铜川市城市公共交通" in body
    assert not Application.objects.exists()


def test_A1_honeypot_drops_the_submission(client, world):
    response = client.post(reverse("applications:apply"),
                           {**form_data(world, website="http://spam"), "identity_proof": png()})
    assert response.status_code == 302 and not Application.objects.exists()


def test_A1_apply_presets_the_unit_from_its_code(client, world):
    response = client.get(reverse("applications:apply") + "?unit=fgw")
    assert f'<option value="{world.fgw.pk}" selected' in response.content.decode()


def test_query_with_the_right_code_opens_the_status_page_and_a_wrong_one_reveals_nothing(client, world):
    with time_machine.travel(MONDAY, tick=True):
        application, code = received(world)
        wrong = client.post(reverse("applications:query"), {"number": application.number, "code": "AAAA-BBBB-CCCC-DDDD"})
        assert wrong.status_code == 400 and "申请编号或查询码不正确" in wrong.content.decode()
        assert client.get(reverse("applications:status", args=[application.number])).status_code == 404
        right = client.post(reverse("applications:query"), {"number": application.number, "code": code.lower()})
        assert right.status_code == 302
        page = client.get(right["Location"]).content.decode()
    assert "办理中" in page and "答复期限(条例第三十三条" in page
    assert PERSON["id_number"] not in page and PERSON["phone"] not in page and "张三" not in page


def test_repeated_wrong_codes_are_rate_limited(client, world, settings):
    settings.APPLICATIONS_QUERY_RATE_IP = "3/h"
    application, _ = submit(world)
    statuses = [client.post(reverse("applications:query"), {"number": application.number, "code": "X" * 16}).status_code
                for _ in range(5)]
    assert statuses[:3] == [400, 400, 400] and statuses[3:] == [429, 429]


def test_A2_applicant_corrects_through_the_status_page(client, world):
    with time_machine.travel(MONDAY, tick=True):
        application, code = received(world)
        services.correction_request(application=application, items="请写明年份", by=world.clerk)
        client.post(reverse("applications:query"), {"number": application.number, "code": code})
        url = reverse("applications:status", args=[application.number])
        assert "补正申请" in client.get(url).content.decode()
        assert client.post(url, {"text": ""}).status_code == 400
        assert client.post(url, {"text": "2025年度"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.PROCESSING and application.correction_text == "2025年度"


def test_A4_reply_letter_and_pdf_for_the_applicant(client, world):
    with time_machine.travel(MONDAY, tick=True):
        application, code = received(world)
        services.reply_submit(application=application, outcome=Outcome.NOT_HELD, reply_text="经检索,本机关不掌握。",
                              responsible_office="铜川市统计局", remedies=services.default_remedies(world.fgw),
                              by=world.clerk)
        client.post(reverse("applications:query"), {"number": application.number, "code": code})
        letter = client.get(reverse("applications:reply_letter", args=[application.number]))
        assert letter.status_code == 200 and "答复告知书" in letter.content.decode()
        assert "60日内" in letter.content.decode()
        pdf_response = client.get(reverse("applications:reply_letter", args=[application.number]) + "?format=pdf")
    assert pdf_response.status_code == 200 and pdf_response.content.startswith(b"%PDF")
    assert any(b"CJK" in name for name in pdf_font_names(pdf_response.content))  # Noto CJK embedded
    assert "张三" not in letter.content.decode() and "张*" in letter.content.decode()  # masked for the public


def test_blank_form_downloads(client, db):
    assert "政府信息公开申请表" in client.get(reverse("applications:blank_form")).content.decode()
    assert client.get(reverse("applications:blank_form") + "?format=pdf").content.startswith(b"%PDF")


# --- staff ------------------------------------------------------------------------------------------------


def test_handler_detail_shows_personal_data_in_full_and_logs_the_view(client, world):
    application, _ = submit(world)
    client.force_login(world.clerk)
    page = client.get(reverse("applications:staff_detail", args=[application.pk])).content.decode()
    assert PERSON["id_number"] in page
    assert PersonalDataView.objects.filter(application=application, viewer=world.clerk).count() == 1
    queue = client.get(reverse("applications:queue")).content.decode()
    assert "张*" in queue and PERSON["id_number"] not in queue


def test_city_office_sees_masked_data_and_supervises(client, world):
    application, _ = submit(world)
    client.force_login(world.reviewer)
    page = client.get(reverse("applications:staff_detail", args=[application.pk])).content.decode()
    assert PERSON["id_number"] not in page and "1101**********002X" in page
    assert not PersonalDataView.objects.exists()
    sup = client.get(reverse("applications:supervision")).content.decode()
    assert application.number in sup
    client.post(reverse("applications:staff_detail", args=[application.pk]), {"action": "supervise", "note": "请尽快确认"})
    application.refresh_from_db()
    assert application.supervision_note == "请尽快确认"


def test_confirm_then_reply_through_the_detail_page(client, world):
    with time_machine.travel(MONDAY, tick=True):
        application, _ = submit(world)
        client.force_login(world.clerk)
        url = reverse("applications:staff_detail", args=[application.pk])
        assert client.post(url, {"action": "confirm"}).status_code == 302
        missing = client.post(url, {"action": "reply", "outcome": "partial", "reply_text": "提供部分",
                                    "remedies": "可复议"})
        assert missing.status_code == 400 and "请写明不予公开的内容" in missing.content.decode()
        ok = client.post(url, {"action": "reply", "outcome": "partial", "reply_text": "提供部分", "remedies": "可复议",
                               "withheld": "个人信息", "attachments": [pdf()]})
        assert ok.status_code == 302
    application.refresh_from_db()
    assert application.reply_clearance == "pending" and application.status == Status.PROCESSING


def test_registered_application_by_post(client, world):
    client.force_login(world.clerk)
    with time_machine.travel(MONDAY, tick=True):
        response = client.post(reverse("applications:staff_register"), {
            **form_data(world), "channel": "post", "received_on": "2026-05-29"})
    assert response.status_code == 302
    assert Application.objects.get().received_on == date(2026, 5, 29)


def test_admin_lists_mask_personal_data(client, world, django_user_model):
    application, _ = submit(world)
    admin = django_user_model.objects.create_superuser("a-admin", password="pw-123456")
    client.force_login(admin)
    page = client.get(reverse("admin:applications_application_changelist") + f"?unit__id__exact={world.fgw.pk}")
    body = page.content.decode()
    assert page.status_code == 200 and application.number in body
    assert "张*" in body and PERSON["id_number"] not in body
    assert client.get(reverse("admin:applications_application_history", args=[application.pk])).status_code == 200
