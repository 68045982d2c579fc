"""Two-factor sign-in: required of supervisors and administrators when it is on (the
default with DEBUG off), offered to everyone, with recovery codes; /admin/ too."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.accounts import two_factor
from assessment.models import Role, User
from tests.conftest import PASSWORD, make_user
from tests.test_security import _run_with_production_env
from tests.totp import totp

ENROL = reverse("accounts:two-factor-enrol")
VERIFY = reverse("accounts:two-factor-verify")
CODES = reverse("accounts:two-factor-recovery-codes")


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.LANGUAGE_CODE = "en"


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def board(year) -> str:
    return reverse("assessment:board", args=[year.year])


def secret_of(page) -> str:
    match = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode())
    assert match, "the enrolment page shows the key"
    return match.group(1)


def enrol(client: Client) -> tuple[str, list[str]]:
    """Set up an authenticator through the pages; returns its secret and the codes."""
    secret = secret_of(client.get(ENROL))
    response = client.post(ENROL, {"code": totp(secret)})
    assert response.status_code == 302 and response["Location"] == CODES
    page = client.get(CODES).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    return secret, codes


def enrolled(user: User) -> str:
    """An authenticator set up directly; returns its base32 secret."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    two_factor.new_recovery_codes(user)
    return two_factor.secret_text(device)


def next_step_code(secret: str) -> str:
    # The code of the next 30-second step: accepted (one step of tolerance), and never
    # the one just used at enrolment, which is refused as a replay.
    return totp(secret, at=datetime.datetime.now().timestamp() + 30)


# Who must use it -----------------------------------------------------------------


def test_it_is_required_by_default_with_debug_off_and_not_with_debug_on():
    code = "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
    production = _run_with_production_env("shell", "--no-imports", "-c", code)
    assert production.stdout.split() == ["True"]
    debug = _run_with_production_env("shell", "--no-imports", "-c", code, debug=True)
    assert debug.stdout.split() == ["False"]


def test_a_supervisor_without_a_second_factor_is_sent_to_set_it_up(
    required, supervisor, year
):
    client = Client()
    response = sign_in(client, "supervisor")
    assert response.status_code == 302
    page = client.get(board(year))
    assert page.status_code == 302
    assert page["Location"].startswith(ENROL)
    # Every page, the admin's included, until it is set up.
    assert client.get("/admin/")["Location"].startswith(ENROL)
    assert client.get(ENROL).status_code == 200


def test_a_clerk_is_not_required_to_use_it(required, clerk_a, year, catalogue):
    client = Client()
    sign_in(client, "clerk_a")
    assert client.get(board(year)).status_code == 200


def test_the_demo_signs_in_with_a_password_alone_when_it_is_off(
    settings, supervisor, year
):
    settings.TWO_FACTOR_REQUIRED = False
    client = Client()
    sign_in(client, "supervisor")
    assert client.get(board(year)).status_code == 200


@pytest.mark.parametrize(
    ("role", "staff", "expected"),
    [
        (Role.CLERK, False, False),
        (Role.LEADER, False, False),
        (Role.SUPERVISOR, False, True),
        (Role.ADMIN, False, True),
        (Role.CLERK, True, True),
    ],
)
def test_who_must_use_it(required, db, role, staff, expected):
    user = make_user(f"u-{role}-{staff}", role)
    user.is_staff = staff
    assert two_factor.required_for(user) is expected


# Enrolment -----------------------------------------------------------------------


def test_enrolment_shows_a_local_qr_code_and_the_key(required, supervisor):
    client = Client()
    sign_in(client, "supervisor")
    page = client.get(ENROL)
    body = page.content.decode()
    assert '<svg role="img" class="qr-code"' in body
    assert "<img" not in body.split("qr-box", 1)[1].split("</div>", 1)[0]
    secret = secret_of(page)
    assert len(secret.replace(" ", "")) == 32
    device = TOTPDevice.objects.get(user=supervisor)
    assert device.confirmed is False
    # The same unconfirmed device (and key) on a reload.
    assert secret_of(client.get(ENROL)) == secret
    assert TOTPDevice.objects.filter(user=supervisor).count() == 1


def test_a_wrong_first_code_confirms_nothing(required, supervisor, year):
    client = Client()
    sign_in(client, "supervisor")
    secret = secret_of(client.get(ENROL))
    wrong = str((int(totp(secret)) + 1) % 1_000_000).zfill(6)
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not two_factor.is_enrolled(supervisor)
    assert client.get(board(year))["Location"].startswith(ENROL)


def test_enrolment_gives_recovery_codes_once_and_lets_the_person_in(
    required, supervisor, year
):
    client = Client()
    sign_in(client, "supervisor")
    _secret, codes = enrol(client)
    assert len(set(codes)) == len(codes)
    # Shown once: a reload does not show them again.
    again = client.get(CODES)
    assert again.status_code == 302
    assert client.get(board(year)).status_code == 200
    assert two_factor.recovery_codes_left(supervisor) == len(codes)


def test_enrolment_signs_the_account_out_everywhere_else(required, supervisor):
    other = Client()
    other.force_login(supervisor)
    client = Client()
    sign_in(client, "supervisor")
    enrol(client)
    keys = set(Session.objects.values_list("session_key", flat=True))
    assert other.session.session_key not in keys
    assert client.session.session_key in keys


# Signing in with the second factor ----------------------------------------------


def test_after_the_password_the_code_is_asked_and_the_person_is_not_yet_in(
    required, supervisor, year
):
    secret = enrolled(supervisor)
    client = Client()
    response = sign_in(client, "supervisor")
    assert response["Location"] == VERIFY
    assert not signed_in(client)
    assert client.get(board(year))["Location"].startswith(reverse("login"))
    wrong = client.post(VERIFY, {"code": "000000"})
    assert wrong.status_code == 200 and not signed_in(client)
    assert "That code is not right" in wrong.content.decode()
    # The first wrong code makes the device wait a second.
    with time_machine.travel(datetime.timedelta(seconds=3)):
        right = client.post(VERIFY, {"code": next_step_code(secret)})
    assert right.status_code == 302
    assert signed_in(client)
    assert client.get(board(year)).status_code == 200


def test_a_code_works_once(required, supervisor):
    secret = enrolled(supervisor)
    code = next_step_code(secret)
    first = Client()
    sign_in(first, "supervisor")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = Client()
    sign_in(second, "supervisor")
    assert second.post(VERIFY, {"code": code}).status_code == 200
    assert not signed_in(second)


def test_a_recovery_code_signs_in_once(required, supervisor, year):
    enrolled(supervisor)
    code = StaticToken.objects.filter(device__user=supervisor).first().token
    client = Client()
    sign_in(client, "supervisor")
    response = client.post(VERIFY, {"code": code.upper()[:4] + "-" + code[4:]})
    assert response.status_code == 302
    assert client.get(board(year)).status_code == 200
    assert two_factor.recovery_codes_left(supervisor) == 9
    again = Client()
    sign_in(again, "supervisor")
    with time_machine.travel(datetime.timedelta(seconds=3)):
        assert again.post(VERIFY, {"code": code}).status_code == 200
    assert not signed_in(again)


def test_the_password_step_is_forgotten_after_five_minutes(required, supervisor):
    secret = enrolled(supervisor)
    client = Client()
    sign_in(client, "supervisor")
    with time_machine.travel(datetime.timedelta(minutes=6)):
        response = client.post(VERIFY, {"code": next_step_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not signed_in(client)


def test_wrong_codes_count_as_failed_logins(required, settings, supervisor):
    enrolled(supervisor)
    client = Client(REMOTE_ADDR="10.1.2.3")
    sign_in(client, "supervisor")
    response = None
    for n in range(settings.AXES_FAILURE_LIMIT):
        with time_machine.travel(datetime.timedelta(minutes=n)):
            response = client.post(VERIFY, {"code": "123456"})
    assert response.status_code == 429
    assert not signed_in(client)
    # Locked: the right password alone no longer starts a sign-in.
    assert sign_in(Client(REMOTE_ADDR="10.1.2.4"), "supervisor").status_code == 429


def test_verify_without_a_password_step_goes_to_the_login(db):
    response = Client().get(VERIFY)
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_a_session_from_before_enrolment_is_asked_for_the_code(required, supervisor):
    client = Client()
    client.force_login(supervisor)
    secret = enrolled(supervisor)
    response = client.get("/admin/")
    assert response["Location"].startswith(VERIFY)
    response = client.post(
        response["Location"], {"code": next_step_code(secret)}, follow=False
    )
    assert response.status_code == 302


# The admin -----------------------------------------------------------------------


def test_the_admins_own_login_sends_to_the_products_login(db):
    response = Client().get("/admin/login/?next=/admin/assessment/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/assessment/"


def test_the_admin_needs_the_second_factor_when_required(required, db):
    admin = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    sign_in(client, "root")
    assert client.get("/admin/")["Location"].startswith(ENROL)
    enrol(client)
    assert client.get("/admin/").status_code == 200
    assert two_factor.is_enrolled(admin)


def test_a_signed_in_non_staff_user_gets_403_at_the_admin_login(client_a):
    assert client_a.get("/admin/login/").status_code == 403


# Settings page -------------------------------------------------------------------


def test_a_clerk_may_turn_it_on_and_off_with_a_code(required, clerk_a):
    client = Client()
    sign_in(client, "clerk_a")
    assert "Off" in client.get(reverse("accounts:two-factor")).content.decode()
    secret, _codes = enrol(client)
    assert "On" in client.get(reverse("accounts:two-factor")).content.decode()
    off = reverse("accounts:two-factor-turn-off")
    client.post(off, {"code": "000000"})
    assert two_factor.is_enrolled(clerk_a)
    with time_machine.travel(datetime.timedelta(seconds=3)):
        client.post(off, {"code": next_step_code(secret)})
    assert not two_factor.is_enrolled(clerk_a)


def test_a_supervisor_may_not_turn_it_off(required, supervisor):
    client = Client()
    sign_in(client, "supervisor")
    secret, _codes = enrol(client)
    off = reverse("accounts:two-factor-turn-off")
    response = client.post(off, {"code": next_step_code(secret)})
    assert response.status_code == 403
    assert two_factor.is_enrolled(supervisor)


def test_new_recovery_codes_replace_the_old_ones(required, supervisor):
    client = Client()
    sign_in(client, "supervisor")
    _secret, old = enrol(client)
    response = client.post(reverse("accounts:two-factor-renew-codes"))
    assert response["Location"] == CODES
    new = re.findall(
        r"<li><code>([a-z2-7]{8})</code></li>", client.get(CODES).content.decode()
    )
    assert len(new) == 10 and not set(new) & set(old)
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert tokens == set(new)


def test_renewing_codes_needs_a_verified_session(client_a):
    assert client_a.post(reverse("accounts:two-factor-renew-codes")).status_code == 403
