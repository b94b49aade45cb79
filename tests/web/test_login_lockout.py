"""Login throttling (hardening, issue 11 item 11): django-axes locks a username and an address.

The semantics chosen (AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]): after AXES_FAILURE_LIMIT
failures a username is locked from every address (guessing one account from many machines) and an
address is locked for every username (spraying passwords over many accounts); a success clears both.
"""

import pytest
from axes.models import AccessAttempt
from django.test import override_settings

from tests.units.factories import UserFactory

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/?next=/admin/"
A, B = "198.51.100.7", "198.51.100.8"  # documentation addresses: only strings in REMOTE_ADDR


@pytest.fixture
def staff(db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    return UserFactory(username="clerk"), UserFactory(username="other", is_staff=True)


def _login(client, username, password, ip=A, url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _fail(client, username, times, ip=A, url=LOGIN):
    return [_login(client, username, "wrong", ip, url).status_code for _ in range(times)]


def test_hardening_login_locks_after_the_failure_limit_with_a_chinese_page(client, staff):
    assert _fail(client, "clerk", 2) == [200, 200]
    assert _login(client, "clerk", "pw-123456").status_code == 302  # below the limit a login still works
    client.logout()
    assert _fail(client, "clerk", 3)[-1] == 429
    locked = _login(client, "clerk", "pw-123456")  # even the right password is refused now
    html = locked.content.decode()
    assert locked.status_code == 429
    assert "登录已暂时锁定" in html and "15 分钟" in html and 'class="site-header"' in html
    assert "_auth_user_id" not in client.session
    assert "Account locked" not in html


def test_hardening_success_resets_the_count(client, staff):
    assert _fail(client, "clerk", 2) == [200, 200]
    assert _login(client, "clerk", "pw-123456").status_code == 302
    client.logout()
    assert _fail(client, "clerk", 2) == [200, 200]  # counted from zero again: 2 + 2 > 3 without the reset
    assert _login(client, "clerk", "pw-123456").status_code == 302


def test_hardening_lockout_is_per_user_and_per_address(client, staff):
    """clerk locked from A: clerk is locked from B too, address A for other too; other from B is unaffected."""
    _fail(client, "clerk", 3, ip=A)
    assert _login(client, "clerk", "pw-123456", ip=B).status_code == 429  # the username, everywhere
    assert _login(client, "other", "pw-123456", ip=A).status_code == 429  # the address, for everyone
    assert _login(client, "other", "pw-123456", ip=B).status_code == 302  # neither: unaffected


def test_hardening_failures_spread_over_users_lock_the_address(client, staff):
    for name in ("a1", "a2", "a3"):
        _login(client, name, "wrong", ip=A)
    assert _login(client, "clerk", "pw-123456", ip=A).status_code == 429
    assert _login(client, "clerk", "pw-123456", ip=B).status_code == 302


def test_hardening_admin_login_is_covered(client, staff):
    assert _fail(client, "other", 3, url=ADMIN_LOGIN)[-1] == 429
    response = _login(client, "other", "pw-123456", url=ADMIN_LOGIN)
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
    assert _login(client, "other", "pw-123456", ip=A).status_code == 429  # and the portal login with it


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_hardening_lockout_keys_on_the_client_behind_the_proxy(client, staff):
    """Behind one proxy every request comes from the proxy: the lockout must key on the forwarded client."""
    proxy = "127.0.0.1"
    for name in ("a1", "a2", "a3"):
        _login(client, name, "wrong", ip=proxy, HTTP_X_FORWARDED_FOR=f"203.0.113.99, {A}")
    assert AccessAttempt.objects.filter(ip_address=A).exists()
    assert _login(client, "clerk", "pw-123456", ip=proxy, HTTP_X_FORWARDED_FOR=A).status_code == 429
    # Another citizen behind the same proxy is not locked with them.
    assert _login(client, "clerk", "pw-123456", ip=proxy, HTTP_X_FORWARDED_FOR=B).status_code == 302


@pytest.mark.django_db
def test_hardening_an_over_long_username_is_a_failed_attempt_not_a_500(client):
    """Found by the fuzz: axes stored the typed username in a 255-character column and the insert failed."""
    response = client.post("/accounts/login/", {"username": "x" * 20_000, "password": "测试内容"})
    assert response.status_code == 200
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * 150 and attempt.failures_since_start == 1
