"""Public pages of the annual report (A6, W4, W5): the list, the report in the national format, PDF/CSV/XLSX."""

import csv
import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from disclosure.annual_report import tables
from disclosure.annual_report.models import Report
from tongchuan_portal.clock.workdays import BEIJING

from .factories import document, published_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(world):
    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=BEIJING), tick=False):
        document(world, issued_on=date(2025, 5, 1))
        return published_report(world)


def _cells(html: str) -> list[str]:
    """The numbers of tables 二 to 四 in the page, in document order."""
    body = html.split('id="sec-2"', 1)[1].split('id="sec-5"', 1)[0]
    return re.findall(r"<td[^>]*>([^<]*)</td>", body)


def test_A6_the_list_shows_published_reports_and_the_city_summary_instead_of_the_empty_note(client, report):
    response = client.get(reverse("disclosure:annual_reports"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "本平台尚未收录年度报告" not in html
    assert report.title in html and report.get_public_url() in html
    assert 'id="city-summary"' in html and "2025年度全市汇总" in html


def test_A6_the_list_filters_by_unit_code_and_year(client, world, report):
    url = reverse("disclosure:annual_reports")
    assert report.title in client.get(url, {"unit": "fgw"}).content.decode()
    assert report.title not in client.get(url, {"unit": "jyj"}).content.decode()
    assert report.title not in client.get(url, {"year": "2024"}).content.decode()
    assert client.get(url, {"unit": "<script>", "year": "abc"}).status_code == 200


def test_A6_the_list_has_constant_queries(client, world, report, django_assert_num_queries):
    url = reverse("disclosure:annual_reports")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"year": 2025})
    assert len(small.captured_queries) <= 12
    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=BEIJING), tick=False):
        published_report(world, unit=world.jyj, clerk=world.other_clerk, head=world.other_head,
                         secrecy=world.other_secrecy)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url, {"year": 2025})


def test_A6_report_page_in_the_national_format(client, report):
    response = client.get(report.get_public_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row" rowspan="22">三、本年度办理结果</th>' in html
    assert 'rowspan="8">(三)不予公开</th>' in html
    assert tables.CORNER_NOTE in html
    assert "<caption>收到和处理政府信息公开申请情况(单位:件)</caption>" in html
    assert "本年度共收取政府信息公开信息处理费0.00元" in html
    assert '<svg class="chart" role="img"' in html and "以表格查看" in html
    cells = _cells(html)
    assert cells[:7] == ["0", "0", "0", "1", "0", "1", "120"]  # 规章, 行政规范性文件, 行政许可
    assert client.get(reverse("annual_report:public_detail", args=["jyj", 2025])).status_code == 404


def test_A6_an_unpublished_report_is_not_public(client, world):
    from disclosure.annual_report import services

    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=BEIJING), tick=False):
        services.report_open(unit=world.jyj, year=2025, by=world.other_clerk)
    assert client.get(reverse("annual_report:public_detail", args=["jyj", 2025])).status_code == 404
    assert client.get(reverse("annual_report:pdf", args=["jyj", 2025])).status_code == 404


def test_A6_pdf_renders_with_the_same_numbers_as_the_html(client, report):
    from pypdf import PdfReader

    html = client.get(report.get_public_url()).content.decode()
    response = client.get(reverse("annual_report:pdf", args=["fgw", 2025]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert report.title in text.replace("\n", "")
    assert "三、本年度办理结果" in text.replace("\n", "") and "行政规范性文件" in text
    tables_text = text.split("二、主动公开政府信息情况", 1)[1].split("五、存在的主要问题", 1)[0]
    tables_text = re.sub(r"\d+\.(?=\s*[\u4e00-\u9fff])", "", tables_text)  # the leaf rows' numbering 1. 2. …
    tables_text = re.sub(r"第 \d+ 页 / 共 \d+ 页", "", tables_text)  # the page footers
    pdf_numbers = re.findall(r"\d+(?:\.\d+)?", tables_text)
    html_numbers = [n for cell in _cells(html) for n in re.findall(r"\d+(?:\.\d+)?", cell)]
    assert len(html_numbers) == 2 * 3 + 3 + 1 + 25 * 7 + 15
    assert pdf_numbers == html_numbers


def test_A6_csv_and_xlsx_open_with_the_same_numbers(client, report):
    from openpyxl import load_workbook

    snapshot = report.snapshots.get()
    expected = tables.flat_cells(snapshot.data)
    response = client.get(reverse("annual_report:csv", args=["fgw", 2025]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["表格", "项目", "栏目", "数值"]
    assert [tuple(r) for r in rows[1:]] == expected
    assert ("二、主动公开政府信息情况", "第二十条第(五)项 行政许可", "本年处理决定数量", "120") in expected
    workbook = load_workbook(io.BytesIO(client.get(reverse("annual_report:xlsx", args=["fgw", 2025])).content))
    got = list(workbook.active.iter_rows(min_row=3, values_only=True))
    assert [row[:3] for row in got] == [row[:3] for row in expected]
    assert [row[3] for row in got] == [float(v) if "." in v else int(v) for *_, v in expected]
