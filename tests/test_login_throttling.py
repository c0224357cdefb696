"""Issue 17.2 / 19.5: the admin login is throttled by django-axes: after AXES_FAILURE_LIMIT wrong passwords for a
username from one address, further attempts (even with the right password) are refused until the cool-off or an
unlock (`manage.py axes_reset_username`); other users and addresses still log in; a success resets the count."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the throttling is under test


@pytest.fixture
def staff():
    return User.objects.create_user("editor", password="correct horse battery", is_staff=True)


def attempt(password, username="editor", ip="203.0.113.7"):
    client = Client(REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def fail_until_locked(username="editor", ip="203.0.113.7"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _client, response = attempt("wrong", username, ip)
    return response


def test_normal_login_still_works(staff):
    client, response = attempt("correct horse battery")
    assert response.status_code == 302 and logged_in(client)


def test_a_wrong_password_shows_the_form_again(staff):
    client, response = attempt("wrong")
    assert response.status_code == 200 and "Please enter the correct username and password" in response.content.decode()
    assert not logged_in(client)


def test_repeated_failures_lock_the_username_from_that_address(staff):
    assert fail_until_locked().status_code == 429
    client, response = attempt("correct horse battery")
    assert response.status_code == 429 and "locked" in response.content.decode().lower()
    assert not logged_in(client)


def test_other_addresses_and_users_are_not_locked(staff):
    User.objects.create_user("other", password="another good password", is_staff=True)
    fail_until_locked()
    client, response = attempt("correct horse battery", ip="198.51.100.9")
    assert response.status_code == 302 and logged_in(client)
    client, response = attempt("another good password", username="other")
    assert response.status_code == 302 and logged_in(client)


def test_a_success_resets_the_count(staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("wrong")
    assert attempt("correct horse battery")[1].status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt("wrong")
    assert attempt("correct horse battery")[1].status_code == 302


def test_an_administrator_unlocks_with_the_documented_command(staff):
    fail_until_locked()
    out = StringIO()
    call_command("axes_reset_username", "editor", stdout=out)
    client, response = attempt("correct horse battery")
    assert response.status_code == 302 and logged_in(client)


def test_the_lockout_is_configured_for_production():
    assert settings.AXES_FAILURE_LIMIT <= 10
    assert settings.AXES_COOLOFF_TIME is not None
    assert settings.AXES_RESET_ON_SUCCESS
    assert "axes.backends.AxesStandaloneBackend" == settings.AUTHENTICATION_BACKENDS[0]


def test_the_client_address_behind_trusted_proxies(settings, rf):
    from documents.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "10.0.0.2"  # no trusted proxy: a client-sent header is ignored
    settings.EDITION_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # what our one proxy saw, not what the client claimed


def test_a_locked_attempt_costs_no_password_hashing(staff, monkeypatch):
    """The lockout is checked before any backend hashes the password (each hash costs ~0.7 s of CPU)."""
    fail_until_locked()
    calls = []
    original = User.check_password
    monkeypatch.setattr(User, "check_password", lambda self, raw: calls.append(raw) or original(self, raw))
    for _ in range(5):
        assert attempt("correct horse battery")[1].status_code == 429
    assert calls == []
    attempt("correct horse battery", ip="198.51.100.9")  # not locked: the password is checked
    assert calls == ["correct horse battery"]
