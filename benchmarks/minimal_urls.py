"""The product's URLs plus the floor of the entry page benchmark: the smallest view a
signed-in person can ask for, through the same middleware (sessions, authentication,
idle expiry, two-factor, headers) and nothing else."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from sanitation.urls import urlpatterns as product_urls


@login_required
def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *product_urls]
