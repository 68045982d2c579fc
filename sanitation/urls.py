from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import set_language

from assessment.accounts.middleware import two_factor_exempt
from assessment.views.accounts import SignInView


@login_not_required
@two_factor_exempt
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on every page; it lives with the static files."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", include("assessment.urls")),
    path("records/", include("sanitation.bureau.urls")),
    # Accounts: the product's own pages, throttled by django-axes, with a second factor.
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", two_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path("account/", include("assessment.accounts.urls")),
    path("i18n/setlang/", two_factor_exempt(set_language), name="set-language"),
    path("admin/", admin.site.urls),
]

# A database failure answers 503 "nothing was saved, try again"; anything else, 500.
handler500 = "assessment.views.errors.server_error"

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
