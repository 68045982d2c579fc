"""The Django admin: every registered model's pages open for a superuser."""

from __future__ import annotations

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from assessment.models import (
    Bulletin,
    Indicator,
    Objection,
    PanelScore,
    Publication,
    TargetAcknowledgement,
    User,
    Veto,
)
from tests.conftest import login


@pytest.fixture
def client_admin(db):
    user = User.objects.create_superuser("root", "root@example.org", "x-pass-4821")
    return login(user)


def test_every_changelist_add_and_change_page_opens(client_admin, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())  # an object of every model
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        response = client_admin.get(reverse(f"{prefix}_changelist"))
        assert response.status_code == 200, model
        request = response.wsgi_request
        if model_admin.has_add_permission(request):
            response = client_admin.get(reverse(f"{prefix}_add"))
            assert response.status_code == 200, model
        obj = model._default_manager.first()
        # The demo has one of each but a veto, a panel score (no target is scored by a
        # panel), an acknowledgement (its years were not issued through the app) and a
        # publication with its objections, nor an issued progress bulletin.
        absent = (
            Veto,
            PanelScore,
            TargetAcknowledgement,
            Publication,
            Objection,
            Bulletin,
        )
        demo_has_none = model in absent + tuple(m.history.model for m in absent)
        if model._meta.app_label in ("assessment", "bureau") and not demo_has_none:
            assert obj is not None, model
        if obj is not None:
            url = reverse(f"{prefix}_change", args=[obj.pk])
            assert client_admin.get(url).status_code == 200, model


def test_indicator_source_is_a_choice_of_registered_sources(client_admin, catalogue):
    area = catalogue["area"]
    response = client_admin.get(
        reverse("admin:assessment_indicator_change", args=[area.pk])
    )
    choices = dict(response.context["adminform"].form.fields["source"].choices)
    assert "" in choices and "bureau.donation_amount" in choices
    data = {
        "year": area.year_id,
        "target": area.target_id,
        "order": 1,
        "code": area.code,
        "name": area.name,
        "unit": area.unit,
        "decimals": 1,
        "aggregation": "avg",
        "annual_target": "150",
        "direction": "at_least",
        "weight": "1",
        "source": "bureau.not-a-source",
        "departments": [d.pk for d in area.departments.all()],
        "month_ranges-TOTAL_FORMS": "0",
        "month_ranges-INITIAL_FORMS": "0",
    }
    response = client_admin.post(
        reverse("admin:assessment_indicator_change", args=[area.pk]), data
    )
    assert response.status_code == 200  # the form comes back with an error
    assert Indicator.objects.get(pk=area.pk).source == ""
    data["source"] = "bureau.donation_amount"
    response = client_admin.post(
        reverse("admin:assessment_indicator_change", args=[area.pk]), data
    )
    assert response.status_code == 302
    assert Indicator.objects.get(pk=area.pk).source == "bureau.donation_amount"


def test_sign_in_throttling_reads_in_chinese(client_admin):
    body = client_admin.get(reverse("admin:index")).content.decode()
    assert "登录尝试" in body and "登录失败" in body and "登录日志" in body
    assert "Access attempts" not in body and "Axes" not in body


def test_the_target_list_shows_each_targets_year(client_admin, catalogue):
    response = client_admin.get(reverse("admin:assessment_target_changelist"))
    assert "column-category__year" in response.content.decode()


def test_the_admin_is_one_click_away_for_staff_only(client_admin, client_a):
    admin_url = reverse("admin:index")
    assert admin_url.encode() in client_admin.get(reverse("assessment:home")).content
    assert admin_url.encode() not in client_a.get(reverse("assessment:home")).content
