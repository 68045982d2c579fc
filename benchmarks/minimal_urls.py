"""The product's URLs plus the floors of the entry page benchmark: the smallest view a
signed-in person can ask for, through the same middleware (sessions, authentication,
idle expiry, two-factor, headers) and nothing else; and the product's empty page (the
base template, its navigation and context processors, no content), what any page of the
product costs before its own work."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from sanitation.urls import urlpatterns as product_urls


@login_required
def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def frame(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/frame/", frame),
    *product_urls,
]
