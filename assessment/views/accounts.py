"""Signing in and the second factor: login, code step, enrolment, recovery codes, and the
idle session's keep-alive."""

from __future__ import annotations

from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from assessment.accounts import two_factor
from assessment.accounts.middleware import two_factor_exempt
from assessment.models import User


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
    )


class SignInView(auth_views.LoginView):
    """The password step. Whoever has a second factor set up is not signed in yet:
    the code is asked for next."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signed_out_idle"] = "idle" in self.request.GET
        context["idle_minutes"] = settings.SESSION_IDLE_MINUTES
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.is_enrolled(user):
            two_factor.start_pending(self.request, user, self.get_success_url())
            return redirect("accounts:two-factor-verify")
        return super().form_valid(form)


def _safe_next(request: HttpRequest, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@two_factor_exempt
def verify(request: HttpRequest) -> HttpResponse:
    """The code step: after the password, or for a session opened before it was set."""
    state = None if request.user.is_authenticated else two_factor.pending(request)
    if request.user.is_authenticated:
        user: User = request.user
        next_url = request.GET.get("next", "")
        if not two_factor.is_enrolled(user) or two_factor.is_verified(user):
            return redirect(_safe_next(request, next_url))
    elif state is not None:
        user, backend, next_url = state
    else:
        return redirect(settings.LOGIN_URL)
    credentials = {"username": user.get_username()}
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if AxesProxyHandler.is_locked(request, credentials):
            two_factor.clear_pending(request)
            return get_lockout_response(request, None, credentials)
        if form.is_valid():
            outcome = two_factor.check_code(user, form.cleaned_data["code"])
            if outcome.accepted:
                if state is not None:
                    two_factor.clear_pending(request)
                    auth_login(request, user, backend=backend)
                else:
                    request.session.cycle_key()
                    user_logged_in.send(sender=User, request=request, user=user)
                django_otp.login(request, outcome.device)
                if isinstance(outcome.device, StaticDevice):
                    messages.warning(
                        request,
                        _(
                            "You signed in with a recovery code; %(left)d are left. "
                            "Make new ones on the two-factor page if you are running "
                            "out."
                        )
                        % {"left": two_factor.recovery_codes_left(user)},
                    )
                return redirect(_safe_next(request, next_url))
            # A wrong code counts as a failed login, so guessing codes locks out too.
            user_login_failed.send(
                sender=__name__, credentials=credentials, request=request
            )
            if getattr(request, "axes_locked_out", False):
                two_factor.clear_pending(request)
                return get_lockout_response(request, None, credentials)
            form.add_error("code", outcome.message)
    return render(
        request,
        "assessment/accounts/verify.html",
        {"form": form, "person": user},
    )


@two_factor_exempt
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then a code."""
    user: User = request.user  # type: ignore[assignment]
    if two_factor.is_enrolled(user) and not two_factor.is_verified(user):
        # Replacing an authenticator needs the current one first.
        return redirect(f"{reverse('accounts:two-factor-verify')}?next={request.path}")
    device = two_factor.enrolling_device(user)
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["inputmode"] = "numeric"
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(user, device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            request.session.cycle_key()
            django_otp.login(request, device)
            two_factor.end_other_sessions(user, keep=request.session.session_key)
            request.session[two_factor.NEW_CODES_KEY] = codes
            request.session["two_factor_next"] = request.GET.get("next", "")
            return redirect("accounts:two-factor-recovery-codes")
        form.add_error(
            "code",
            _(
                "That code is not right. Check that the phone's clock is correct and "
                "type the code the app shows now."
            ),
        )
    return render(
        request,
        "assessment/accounts/enrol.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "issuer": settings.OTP_TOTP_ISSUER,
            "required": two_factor.required_for(user),
            "replacing": two_factor.is_enrolled(user),
        },
    )


@two_factor_exempt
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown this once."""
    codes = request.session.pop(two_factor.NEW_CODES_KEY, None)
    if not codes:
        return redirect("accounts:two-factor")
    next_url = _safe_next(request, request.session.pop("two_factor_next", ""))
    return render(
        request,
        "assessment/accounts/recovery_codes.html",
        {"codes": codes, "next_url": next_url},
    )


def overview(request: HttpRequest) -> HttpResponse:
    """The person's two-factor page: set it up, renew recovery codes, or turn it off."""
    user: User = request.user  # type: ignore[assignment]
    enrolled = two_factor.is_enrolled(user)
    device = two_factor.authenticator(user) if enrolled else None
    off_form = CodeForm()
    off_form.fields["code"].widget.attrs.pop("autofocus", None)
    return render(
        request,
        "assessment/accounts/two_factor.html",
        {
            "enrolled": enrolled,
            "device": device,
            "codes_left": two_factor.recovery_codes_left(user) if enrolled else 0,
            "required": two_factor.required_for(user),
            "verified": two_factor.is_verified(user),
            "off_form": off_form,
        },
    )


@require_POST
def renew_recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not (two_factor.is_enrolled(user) and two_factor.is_verified(user)):
        raise PermissionDenied
    request.session[two_factor.NEW_CODES_KEY] = two_factor.new_recovery_codes(user)
    return redirect("accounts:two-factor-recovery-codes")


@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    """Only for those not obliged to use it, and only with a current code."""
    user: User = request.user  # type: ignore[assignment]
    if two_factor.required_for(user) or not two_factor.is_enrolled(user):
        raise PermissionDenied
    form = CodeForm(request.POST)
    if (
        form.is_valid()
        and two_factor.check_code(user, form.cleaned_data["code"]).accepted
    ):
        two_factor.turn_off(user)
        messages.success(request, _("Two-factor sign-in is turned off."))
    else:
        messages.error(
            request, _("That code is not right: two-factor sign-in stays on.")
        )
    return redirect("accounts:two-factor")


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in": any request renews the session; this one says for how long."""
    return JsonResponse({"seconds": settings.SESSION_COOKIE_AGE})
