from __future__ import annotations

from django.urls import include, path

from .views import home

app_name = "assessment"

# Monthly figures of one department's month, and their review.
month_patterns = [
    path("", home.placeholder_redirect, name="month"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path(
        "years/<int:year>/departments/<slug:code>/months/<int:month>/",
        include(month_patterns),
    ),
]
