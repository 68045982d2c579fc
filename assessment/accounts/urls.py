from __future__ import annotations

from django.urls import path

from assessment.views import accounts

app_name = "accounts"

urlpatterns = [
    # --- two-factor sign-in ---
    path("two-factor/", accounts.overview, name="two-factor"),
    path("two-factor/verify/", accounts.verify, name="two-factor-verify"),
    path("two-factor/set-up/", accounts.enrol, name="two-factor-enrol"),
    path(
        "two-factor/recovery-codes/",
        accounts.recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path(
        "two-factor/recovery-codes/new/",
        accounts.renew_recovery_codes,
        name="two-factor-renew-codes",
    ),
    path("two-factor/turn-off/", accounts.turn_off, name="two-factor-turn-off"),
    # --- the idle session ---
    path("session/keep-alive/", accounts.keep_alive, name="keep-alive"),
]
