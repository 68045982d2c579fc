"""Two-factor sign-in (django-otp): who needs it, enrolment, recovery codes, checking.

A person signs in with a password, then with a six-digit code from an authenticator app
(TOTP, RFC 6238) or one of ten single-use recovery codes. It is offered to everyone and
required of supervisors and administrators when `TWO_FACTOR_REQUIRED` is on (the default
with DEBUG off). Between the two steps the person is not signed in: the session only
remembers, for a few minutes, whose password was right (`start_pending`).
"""

from __future__ import annotations

import io
import time
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.models import User

RECOVERY_CODE_COUNT = 10
#: How long the password step is remembered while the code is asked for.
PENDING_SECONDS = 5 * 60
PENDING_KEY = "two_factor_pending"
NEW_CODES_KEY = "two_factor_new_codes"
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def required_for(user: Any) -> bool:
    """Supervisors and administrators must use a second factor (when it is on)."""
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and (user.is_supervisor or user.is_staff or user.is_superuser)
    )


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def is_satisfied(user: Any) -> bool:
    """May use the application now: past the second factor, or not obliged to it."""
    return is_verified(user) or not required_for(user)


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Enrolment -----------------------------------------------------------------------


def enrolling_device(user: User) -> TOTPDevice:
    """The authenticator being set up: unconfirmed until a code from it is typed."""
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// link as an inline SVG QR code, drawn here: nothing is fetched."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8
    )
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg.replace("<svg ", '<svg role="img" class="qr-code" ', 1)
    return mark_safe(svg)  # noqa: S308 - drawn by qrcode from our own URL


def confirm_enrolment(user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code; returns fresh recovery codes.

    Any earlier authenticator of the user is replaced. None when the code is wrong.
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device.pk, user=user, confirmed=False)
            .first()
        )
        if device is None or not device.verify_token(normalise(code)):
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=code) for code in codes
        )
    return codes


def turn_off(user: User) -> None:
    """Remove the authenticator and the recovery codes (for those not obliged)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def end_other_sessions(user: User, keep: str | None) -> int:
    """Sign the user out everywhere else: sessions opened before the second factor was
    set up were opened with the password alone."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()):
        if session.session_key == keep:
            continue
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


# Checking a code ------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    device: Device | None
    message: str = ""

    @property
    def accepted(self) -> bool:
        return self.device is not None


def normalise(code: str) -> str:
    """What people type: spaces and dashes dropped, recovery codes in any case."""
    return "".join(code.split()).replace("-", "").lower()


def check_code(user: User, code: str) -> Outcome:
    """A six-digit code is checked against the authenticator, anything else against the
    recovery codes (each works once). Repeated failures make a device wait, doubling."""
    code = normalise(code)
    model: type[Device] = (
        TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    )
    with transaction.atomic():
        devices = list(
            model.objects.select_for_update().filter(user=user, confirmed=True)
        )
        for device in devices:
            allowed, details = device.verify_is_allowed()
            if not allowed:
                return Outcome(None, _wait_message(details))
            if device.verify_token(code):
                return Outcome(device)
    return Outcome(None, _("That code is not right. Check it and try again."))


def _wait_message(details: dict[str, Any] | None) -> str:
    if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        until = details.get("locked_until")
        seconds = max(1, int((until - timezone.now()).total_seconds())) if until else 1
        return _("Too many wrong codes. Wait %(seconds)d seconds, then try again.") % {
            "seconds": seconds
        }
    return _("This code cannot be checked now. Try again in a moment.")


# The step between password and code ----------------------------------------------


def start_pending(request: HttpRequest, user: User, next_url: str) -> None:
    """Remember that the password was right; the user is not signed in yet."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1]),
        "at": time.time(),
        "next": next_url,
    }


def pending(request: HttpRequest) -> tuple[User, str, str] | None:
    """(user, backend, next URL) of a password step made in the last few minutes."""
    state = request.session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    if time.time() - float(state.get("at", 0)) > PENDING_SECONDS:
        clear_pending(request)
        return None
    user_id = state.get("user")
    if not isinstance(user_id, int):
        clear_pending(request)
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        clear_pending(request)
        return None
    return user, str(state["backend"]), str(state.get("next") or "")


def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)
