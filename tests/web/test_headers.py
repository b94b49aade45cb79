"""Response headers (hardening, issue 11 item 26): CSP and Permissions-Policy, private caching, HEAD."""

import re
from pathlib import Path

import pytest

from tests.disclosure.conftest import world  # noqa: F401  (fixture)
from tests.disclosure.factories import pdf, publish
from tests.processes import ROOT

PUBLIC_PAGES = ["/", "/xxgk/", "/xxgk/wgk/", "/xxgk/search/?q=政务", "/xxgk/system/", "/xxgk/catalogs/",
                "/participation/", "/participation/meetings/", "/participation/messages/", "/huiying/", "/jiedu/"]


def test_hardening_html_pages_have_csp_and_permissions_policy(client, world):  # noqa: F811
    for url in PUBLIC_PAGES + ["/accounts/login/", "/no-such-page/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "'unsafe-inline'" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, url
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_hardening_templates_have_no_inline_script_or_style():
    """What the policy forbids must not be in the site's own templates (the admin's are Django's)."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"<style\b|\sstyle=\"|\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_hardening_downloads_keep_their_sandbox_policy(client, world):  # noqa: F811
    document = publish(world, files=[pdf()])
    response = client.get(f"/attachments/{document.attachments.get().pk}/")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_hardening_admin_allows_its_inline_styles_only(admin_client):
    csp = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in csp and "script-src 'self';" in csp


def _no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


def test_hardening_signed_in_pages_and_private_downloads_are_private_no_store(client, world):  # noqa: F811
    assert not _no_store(client.get("/xxgk/wgk/"))  # anonymous public pages may be cached by browsers
    assert _no_store(client.get("/accounts/login/"))
    client.force_login(world.clerk)
    for url in ["/", "/xxgk/wgk/", "/workspace/", "/work/documents/", "/deadlines/", "/inbox/", "/participation/staff/"]:
        assert _no_store(client.get(url)), url
    from disclosure import services
    from tests.disclosure.factories import document_data

    draft = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(title="草稿"),
                                     number_text="", co_issuers=(), files=[pdf()])
    download = client.get(f"/attachments/{draft.attachments.get().pk}/")
    assert download.status_code == 200 and _no_store(download)


def test_hardening_staff_prefixes_are_no_store_even_signed_out(client, db):
    for url in ["/work/documents/", "/admin/login/", "/deadlines/", "/opinion/"]:
        assert _no_store(client.get(url)), url


@pytest.mark.parametrize("url", PUBLIC_PAGES + ["/xxgk/key-points/", "/robots.txt", "/sitemap.xml"])
def test_hardening_head_is_answered_like_get(client, world, url):  # noqa: F811
    assert client.head(url).status_code == client.get(url).status_code == 200


def test_hardening_no_view_uses_require_get():
    """require_GET answers HEAD with 405; every read-only page uses require_safe."""
    apps = ["disclosure", "interpretation", "participation", "opinion", "tongchuan_portal", "bench"]
    users = [str(p.relative_to(ROOT)) for app in apps for p in (ROOT / app).rglob("*.py")
             if "require_GET" in Path(p).read_text()]
    assert users == []
