"""Hardening: links that reach a public href are checked by the service, whatever path stores them."""

import pytest
from django.core.exceptions import ValidationError

from opinion.models import OpinionCase, Release
from tests.opinion.factories import officer, record, release
from tongchuan_portal.core.links import clean_web_url, clean_web_urls, is_web_url

pytestmark = pytest.mark.usefixtures("calendar")

BAD = ["javascript:alert(document.cookie)", "JavaScript:alert(1)", " data:text/html,<script>x</script>",
       "vbscript:msgbox(1)", "ftp://files.example.cn/a", "//evil.example/x", "www.example.cn", "https://", "http:// x"]


@pytest.mark.parametrize("value", BAD)
def test_hardening_only_complete_http_and_https_addresses_are_web_urls(value):
    assert not is_web_url(value)
    with pytest.raises(ValidationError):
        clean_web_url(value, field="link", message="bad")


def test_hardening_web_urls_keep_good_links_and_drop_blank_lines():
    assert is_web_url("https://weibo.com/tongchuan/1") and is_web_url("http://www.tongchuan.gov.cn/a?b=1#c")
    assert clean_web_url("  ", field="link", message="bad") == ""
    assert clean_web_urls("https://a.example.cn/1\n\n  http://b.example.cn  \n", field="links", message="{}") == \
        "https://a.example.cn/1\nhttp://b.example.cn"
    with pytest.raises(ValidationError) as error:
        clean_web_urls("https://a.example.cn/1\njavascript:alert(1)", field="links", message="不正确:{}")
    assert error.value.message_dict == {"links": ["不正确:javascript:alert(1)"]}


@pytest.fixture
def jtj_officer(tongchuan_units):
    return officer(tongchuan_units["jtj"])


@pytest.mark.parametrize("value", BAD[:4])
def test_hardening_case_record_refuses_script_links_and_records_nothing(jtj_officer, value):
    with pytest.raises(ValidationError) as error:
        record(jtj_officer, links=f"https://weibo.com/ok\n{value}")
    assert "links" in error.value.message_dict
    assert not OpinionCase.objects.exists()


@pytest.mark.parametrize("value", BAD[:4])
def test_hardening_release_record_refuses_script_links_and_stores_nothing(jtj_officer, value):
    from opinion.models import Channel
    from opinion.services import release_record
    from django.utils import timezone

    case = record(jtj_officer)
    with pytest.raises(ValidationError) as error:
        release_record(case=case, by=jtj_officer, title="通报", text="情况如下", channel=Channel.WEBSITE,
                       released_at=timezone.now(), link=value)
    assert "link" in error.value.message_dict
    assert not Release.objects.exists()


def test_hardening_valid_links_are_stored_trimmed(jtj_officer):
    case = record(jtj_officer, links="  https://weibo.com/a \n\nhttp://news.example.cn/b ")
    assert case.links == "https://weibo.com/a\nhttp://news.example.cn/b"
    assert release(case, jtj_officer).link == "https://weibo.com/tongchuan/1"
