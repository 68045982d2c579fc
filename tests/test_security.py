"""Cross-cutting guarantees: login everywhere, CSRF, hosts, throttling, error pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import PASSWORD

#: The only URLs an anonymous visitor may open: the two login pages.
PUBLIC = {"login", "admin:login", "favicon"}
SAMPLE = {"int": "1", "slug": "dept-a", "str": "x", "path": "x"}
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern)


def concrete(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        # Admin's regex routes: fill the common groups, skip what cannot be guessed.
        route = route.lstrip("^").rstrip("$").replace("\\Z", "")
        route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
        if any(ch in route for ch in "()[]*+?\\"):
            return None
    return "/" + PARAM.sub(lambda m: SAMPLE.get(m["conv"] or "str", "x"), route)


def all_routes() -> list[tuple[str, str]]:
    routes = []
    for name, route in walk(get_resolver().url_patterns):
        url = concrete(route)
        if url is not None and not url.startswith(settings.STATIC_URL):
            routes.append((name, url))
    return routes


def test_the_walk_finds_the_application_urls():
    names = {name for name, _ in all_routes()}
    assert {"assessment:home", "login", "logout", "admin:index"} <= names
    assert len(names) > 15


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url"), all_routes())
def test_every_url_but_login_needs_login(name, url):
    client = Client()
    for method in (client.get, client.post):
        response = method(url)
        if name in PUBLIC:
            assert response.status_code in (200, 301, 302, 403, 405)
            continue
        assert response.status_code == 302, (name, url, response.status_code)
        assert "login" in response["Location"], (name, url, response["Location"])


@pytest.mark.django_db
def test_csrf_missing_or_wrong_is_refused(clerk_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk_a)
    assert client.post("/logout/").status_code == 403
    client.cookies["csrftoken"] = "a" * 32
    response = client.post("/logout/", {"csrfmiddlewaretoken": "b" * 32})
    assert response.status_code == 403


@pytest.mark.django_db
def test_unknown_host_is_a_bad_request():
    response = Client(HTTP_HOST="evil.example").get("/login/")
    assert response.status_code == 400


@pytest.mark.django_db
def test_login_page_is_the_products_own_and_works(clerk_a):
    client = Client()
    page = client.get("/login/")
    assert page.status_code == 200
    assert b"bootstrap.min.css" in page.content
    response = client.post("/login/", {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code in (200, 302)


@pytest.mark.django_db
def test_repeated_failures_lock_out_user_and_address(clerk_a):
    client = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "clerk_a", "password": "wrong"})
    locked = client.post("/login/", {"username": "clerk_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_from_many_addresses_lock_the_account_everywhere(clerk_a):
    # One guess from each of five machines: no single address reaches the limit.
    for n in range(settings.AXES_FAILURE_LIMIT):
        guesser = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        response = guesser.post("/login/", {"username": "clerk_a", "password": "x"})
        assert (
            response.status_code == 200 if n + 1 < settings.AXES_FAILURE_LIMIT else 429
        )
    owner = Client(REMOTE_ADDR="10.9.8.8")
    locked = owner.post("/login/", {"username": "clerk_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in owner.session


@pytest.mark.django_db
def test_a_locked_account_does_not_lock_its_address(clerk_a, clerk_b):
    # An office shares one address: a colleague's lock-out is not everyone's.
    client = Client(REMOTE_ADDR="10.9.8.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": "clerk_a", "password": "wrong"})
    colleague = Client(REMOTE_ADDR="10.9.8.7")
    response = colleague.post("/login/", {"username": "clerk_b", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_moving_a_user_takes_effect_on_the_next_request(clerk_a, dept_a, dept_b):
    from assessment.access import departments_for

    assert list(departments_for(clerk_a)) == [dept_a]
    clerk_a.departments.set([dept_b])
    assert list(departments_for(clerk_a)) == [dept_b]


def _run_with_production_env(
    *args: str, debug: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "true" if debug else "false",
        "SECRET_KEY": "production-like-secret-key-for-the-deploy-check-0123456789abcdef",
        "ALLOWED_HOSTS": "assessment.bureau.example",
        "DJANGO_SETTINGS_MODULE": "sanitation.settings",
    }
    root = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings():
    result = _run_with_production_env("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": ""}
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_debug_off_shows_plain_error_pages(settings, clerk_a):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(clerk_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content
    assert b"urlpatterns" not in response.content.lower()


def test_defusedxml_is_in_use_for_spreadsheets():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
