"""The Django admin's site, signed in to through the product's own login page.

The admin's own login form knows nothing of the second factor, so it is never shown:
`/admin/login/` sends a visitor to the product's login (password, then the code), and
the admin admits staff only once the second factor is satisfied where it is required.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator

from assessment.accounts import two_factor


class AssessmentAdminSite(admin.AdminSite):
    site_header = site_title = "目标管理考核系统"

    def register(
        self, model_or_iterable: Any, admin_class: Any = None, **options: Any
    ) -> None:
        """Every model admin gets its department, target and category choices in the
        active language (assessment.admin_labels)."""
        from assessment.admin_labels import TranslatedChoicesMixin

        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, TranslatedChoicesMixin):
            admin_class = type(
                admin_class.__name__,
                (TranslatedChoicesMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        from assessment.admin_labels import TranslatedAutocompleteJsonView

        response = TranslatedAutocompleteJsonView.as_view(admin_site=self)(request)
        return cast(HttpResponse, response)

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and two_factor.is_satisfied(request.user)

    @method_decorator(login_not_required)
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.user.is_authenticated:
            # Signed in, but not staff (or not past the second factor, which the
            # two-factor middleware has already asked for): sending them to the login
            # page would only bring them back here.
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, settings.LOGIN_URL)
