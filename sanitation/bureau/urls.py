from __future__ import annotations

from django.urls import path

from sanitation.bureau import views

app_name = "bureau"

urlpatterns = [
    path("", views.index, name="index"),
    # One kind of record (donations, petitions, safety, party, tasks).
    path("<slug:kind>/", views.record_list, name="record-list"),
    path("<slug:kind>/add/", views.record_add, name="record-add"),
    path("<slug:kind>/<int:pk>/", views.record_edit, name="record-edit"),
    path("<slug:kind>/<int:pk>/delete/", views.record_delete, name="record-delete"),
    path("<slug:kind>/<int:pk>/history/", views.record_history, name="record-history"),
]
