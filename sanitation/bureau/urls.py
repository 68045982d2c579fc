from __future__ import annotations

from django.urls import path

from assessment.views import home

app_name = "bureau"

urlpatterns = [
    path("", home.home, name="index"),
]
