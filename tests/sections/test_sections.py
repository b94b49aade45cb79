"""Unit sections on the one platform (W1), the 订阅 page and sharing (W3)."""

import re

import pytest
from django.urls import reverse

from tests.sections.factories import published


@pytest.fixture
def units(tongchuan_units, calendar):
    return tongchuan_units


def test_W1_district_section_lists_its_departments_items_and_not_another_districts(client, units):
    own = published(units["yzq"], title="耀州区政府自己的通知")
    dept = published(units["yzq-jyj"], title="耀州区教育局的通知")
    other = published(units["wyq-jyj"], title="王益区教育局的通知")
    html = client.get(reverse("sections:unit", args=["yzq"])).content.decode()
    assert own.title in html and dept.title in html
    assert other.title not in html
    # A department's section holds its own items, not its district's.
    dept_html = client.get(reverse("sections:unit", args=["yzq-jyj"])).content.decode()
    assert dept.title in dept_html and own.title not in dept_html


def test_W1_breadcrumb_runs_city_district_department(client, units):
    html = client.get(reverse("sections:unit", args=["yzq-jyj"])).content.decode()
    crumb = re.search(r'<nav class="breadcrumb[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert crumb.index("市政府") < crumb.index("耀州区政府") < crumb.index("耀州区教育局")
    assert reverse("sections:unit", args=["yzq"]) in crumb


def test_W1_directory_links_every_unit_to_its_section(client, units):
    html = client.get(reverse("core:home")).content.decode()
    for code, unit in units.items():
        if unit.kind == "party_organ":
            continue
        assert f'href="{reverse("sections:unit", args=[code])}"' in html, code


def test_W1_unknown_or_inactive_unit_has_no_section(client, units):
    assert client.get("/site/nosuch/").status_code == 404


def test_W1_section_search_box_submits_to_the_one_search_scoped_to_the_unit(client, units):
    html = client.get(reverse("sections:unit", args=["yzq"])).content.decode()
    form = re.search(r'<form class="search-box"[^>]*action="([^"]+)"[^>]*>(.*?)</form>', html, re.S)
    assert form.group(1) == reverse("disclosure:search")
    assert '<input type="hidden" name="unit" value="yzq">' in form.group(2)


def test_W1_scoped_search_finds_only_the_units_items(client, units):
    dept = published(units["yzq-jyj"], title="耀州区校车安全管理办法")
    other = published(units["wyq-jyj"], title="王益区校车安全管理办法")
    html = client.get(reverse("disclosure:search"), {"q": "校车", "unit": "yzq"}).content.decode()
    assert dept.get_public_url() in html and other.get_public_url() not in html  # titles carry <mark>
    everywhere = client.get(reverse("disclosure:search"), {"q": "校车"}).content.decode()
    assert dept.get_public_url() in everywhere and other.get_public_url() in everywhere


def test_W4_section_disclosure_column_links_the_units_own_entries(client, units):
    html = client.get(reverse("sections:disclosure", args=["yzq-jyj"])).content.decode()
    assert f'{reverse("disclosure:wgk")}?unit=yzq-jyj' in html
    assert reverse("disclosure:unit_catalog", args=["yzq-jyj"]) in html
    assert f'{reverse("disclosure:annual_reports")}?unit=yzq-jyj' in html
    assert "政府信息公开指南" in html and "法定主动公开内容" in html and "工作要点" in html
    # The application entry appears only once applications exist (its URL can be reversed).
    from django.urls import NoReverseMatch

    try:
        reverse("applications:apply")
    except NoReverseMatch:
        assert "依申请公开" not in html
    else:
        assert "依申请公开" in html


def test_W1_a_sections_annual_reports_entry_opens_the_list_narrowed_to_the_unit(client, units):
    html = client.get(reverse("sections:disclosure", args=["yzq"])).content.decode()
    link = f'{reverse("disclosure:annual_reports")}?unit=yzq'
    assert f'href="{link}"' in html
    page = client.get(link)
    assert page.status_code == 200
    assert "铜川市耀州区人民政府" in page.content.decode()  # the list says which unit it is narrowed to


def test_W1_other_columns_narrowed_to_the_section(client, units):
    html = client.get(reverse("interpretation:column"), {"site": "yzq"}).content.decode()
    assert "范围:铜川市耀州区人民政府" in html
    assert client.get(reverse("participation:drafts"), {"site": "yzq"}).status_code == 200
    assert client.get(reverse("huiying:list"), {"site": "yzq"}).status_code == 200
    assert client.get(reverse("huiying:list"), {"site": "x" * 80}).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_W1_section_home_query_count_is_constant(client, units, size, django_assert_max_num_queries):
    for i in range(size):
        published(units["yzq-jyj" if i % 2 else "yzq"])
    client.get(reverse("sections:unit", args=["yzq"]))  # warm the session/calendar caches
    with django_assert_max_num_queries(10):
        assert client.get(reverse("sections:unit", args=["yzq"])).status_code == 200


def test_W3_feeds_page_explains_feeds_and_lists_every_unit_and_area(client, units):
    html = client.get(reverse("sections:feeds")).content.decode()
    assert "什么是订阅" in html
    assert reverse("disclosure:feed_unit_rss", args=["yzq-jyj"]) in html
    assert reverse("disclosure:feed_area_rss", args=["decision"]) in html
    assert reverse("sections:feeds") in client.get(reverse("core:home")).content.decode()


def test_W3_every_public_page_offers_weibo_qr_and_copy_link(client, units):
    doc = published(units["yzq-jyj"])
    for url in (reverse("core:home"), reverse("sections:unit", args=["yzq"]), doc.get_public_url()):
        html = client.get(url).content.decode()
        assert "分享到微博" in html and "微信扫一扫" in html and 'id="share-link"' in html, url
        qr = re.search(r'<img src="([^"]+)"[^>]*alt="本页地址的二维码', html).group(1).replace("&amp;", "&")
        answer = client.get(qr)
        assert answer.status_code == 200 and answer["Content-Type"] == "image/svg+xml"
        assert b"<svg" in answer.content


def test_W3_qr_code_encodes_the_configured_site_address_not_the_host_header(client, units, settings):
    import segno

    settings.SITE_BASE_URL = "https://www.tongchuan.gov.cn"
    html = client.get(reverse("sections:unit", args=["yzq"]), HTTP_HOST="evil.example").content.decode()
    assert 'value="https://www.tongchuan.gov.cn/site/yzq/"' in html
    expected = segno.make("https://www.tongchuan.gov.cn/site/yzq/", error="m", micro=False)
    assert client.get(reverse("sections:qr"), {"path": "/site/yzq/"}).status_code == 200
    assert expected.designator  # the same payload segno draws on the page


@pytest.mark.parametrize("path", ["https://evil.example/", "//evil.example/", "/work/documents/", "/no/such/page/",
                                  "", "/" + "a" * 400])
def test_W3_qr_only_for_the_sites_own_public_pages(client, units, path):
    assert client.get(reverse("sections:qr"), {"path": path}).status_code == 404


def test_W3_section_pages_carry_national_metadata_with_the_sections_values(client, units):
    html = client.get(reverse("sections:unit", args=["yzq-jyj"])).content.decode()
    for tag in ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ContentSource"):
        assert f'<meta name="{tag}"' in html, tag
    assert '<meta name="ColumnName" content="铜川市耀州区教育局">' in html
    assert '<meta name="ContentSource" content="铜川市耀州区教育局">' in html
    home = client.get(reverse("core:home")).content.decode()
    assert '<meta name="ColumnName" content="首页">' in home and '<meta name="ColumnType" content="首页">' in home
