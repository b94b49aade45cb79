"""Designed Chinese error pages, the favicon and the request-size limit (hardening, items 12 and 27)."""

import pytest
from django.test import RequestFactory, override_settings
from django.views import defaults

from participation.models import Registration


def _designed(html: str) -> bool:
    return 'class="site-header"' in html and "/static/css/portal.css" in html and 'lang="zh-CN"' in html


def test_hardening_404_is_the_designed_page_not_a_debug_page(client, db):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and _designed(html)
    assert "页面不存在" in html and 'action="/xxgk/search/"' in html
    assert "URLconf" not in html and "Page not found" not in html


def test_hardening_500_is_designed_and_needs_no_request_context():
    response = defaults.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and _designed(html) and "服务暂时不可用" in html
    assert "style=" not in html


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_hardening_400_is_designed(client, db):
    response = client.get("/", HTTP_HOST="evil.example")  # DisallowedHost → 400
    html = response.content.decode()
    assert response.status_code == 400 and _designed(html) and "请求有误" in html


def test_hardening_403_and_csrf_failure_are_designed(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403 and _designed(html) and "页面已过期" in html
    assert "CSRF verification failed" not in html
    forbidden = defaults.permission_denied(RequestFactory().get("/"), exception=None)
    assert forbidden.status_code == 403 and "无权访问" in forbidden.content.decode()


def test_hardening_favicon_is_served_and_linked(client, db):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in html


@pytest.mark.parametrize("url", ["/participation/registrations/query/", "/accounts/login/", "/work/documents/new/"])
def test_hardening_413_before_the_body_is_read(client, db, settings, url):
    """A Content-Length above REQUEST_MAX_BODY_MB is refused from the header alone: nothing is read or saved."""
    settings.REQUEST_MAX_BODY_MB = 1
    before = Registration.objects.count()
    response = client.post(url, {"code": "x"}, CONTENT_LENGTH=str(2 * 1024 * 1024))
    html = response.content.decode()
    assert response.status_code == 413 and _designed(html)
    assert "提交内容过大" in html and "1 MB" in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert Registration.objects.count() == before
    assert client.post(url, {"code": "x"}).status_code != 413  # the same form, honestly sized
