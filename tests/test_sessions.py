"""Sessions end after an idle time (30 minutes unless configured) and when the browser
closes; every request renews them, and the page warns before the end."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

MINUTE = datetime.timedelta(minutes=1)


def board(year) -> str:
    return reverse("assessment:board", args=[year.year])


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("login")
    )


def test_the_idle_time_is_thirty_minutes_by_default():
    assert settings.SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_a_session_ends_after_thirty_idle_minutes(clerk_a, year, catalogue):
    with time_machine.travel(
        datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC), tick=False
    ) as clock:
        client = Client()
        client.force_login(clerk_a)
        assert client.get(board(year)).status_code == 200
        clock.shift(29 * MINUTE)
        assert client.get(board(year)).status_code == 200
        # 58 minutes after signing in, but only 29 idle: still signed in.
        clock.shift(29 * MINUTE)
        assert client.get(board(year)).status_code == 200
        clock.shift(31 * MINUTE)
        assert is_login_redirect(client.get(board(year)))
        # Ended for good: coming back does not revive it.
        clock.shift(-31 * MINUTE)
        assert is_login_redirect(client.get(board(year)))


def test_the_idle_time_is_configurable(settings, clerk_a, year, catalogue):
    settings.SESSION_COOKIE_AGE = 5 * 60
    with time_machine.travel(
        datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC), tick=False
    ) as clock:
        client = Client()
        client.force_login(clerk_a)
        clock.shift(4 * MINUTE)
        assert client.get(board(year)).status_code == 200
        clock.shift(6 * MINUTE)
        assert is_login_redirect(client.get(board(year)))


def test_the_session_cookie_ends_with_the_browser(clerk_a):
    client = Client()
    response = client.post(
        reverse("login"), {"username": "clerk_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""
    assert cookie["httponly"] is True


def test_keep_alive_renews_the_session(clerk_a, year, catalogue):
    url = reverse("accounts:keep-alive")
    with time_machine.travel(
        datetime.datetime(2030, 3, 1, 9, tzinfo=datetime.UTC), tick=False
    ) as clock:
        client = Client()
        client.force_login(clerk_a)
        clock.shift(25 * MINUTE)
        response = client.post(url)
        assert response.status_code == 200
        assert response.json() == {"seconds": 1800}
        clock.shift(25 * MINUTE)
        assert client.get(board(year)).status_code == 200


def test_keep_alive_is_post_only_and_needs_a_session(client_a, db):
    url = reverse("accounts:keep-alive")
    assert client_a.get(url).status_code == 405
    assert is_login_redirect(Client().post(url))


def test_signed_in_pages_carry_the_warning_and_its_script(client_a, year, catalogue):
    body = client_a.get(board(year)).content.decode()
    assert 'id="session-timeout"' in body
    assert 'data-idle-seconds="1800"' in body
    assert 'data-warning-seconds="120"' in body
    assert "js/session.js" in body


@pytest.mark.django_db
def test_the_login_page_has_no_countdown_and_explains_an_idle_sign_out(client):
    page = client.get(reverse("login"))
    assert "session.js" not in page.content.decode()
    assert 'id="signed-out-idle"' not in page.content.decode()
    after = client.get(reverse("login") + "?idle=1").content.decode()
    assert 'id="signed-out-idle"' in after
