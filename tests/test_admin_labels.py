"""The admin's choosers of departments, targets and categories read in the active
language: English names in English (from the report's translations), Chinese in
Chinese, never a mix; a name without a translation keeps its own words."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Department, ReportTranslation, User
from tests.conftest import login

NAMES = {
    "清扫保洁队": "Street Cleaning Team",
    "垃圾清运队": "Waste Collection Team",
    "道路清扫保洁": "Street sweeping",
    "勤政建设": "Diligent administration",
}


@pytest.fixture
def translated(catalogue):
    for source, text in NAMES.items():
        ReportTranslation.objects.create(language="en", source=source, text=text)
    Department.objects.create(code="dept-c", name="填埋场", order=3)  # untranslated
    return catalogue


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("root", "root@example.org", "x-pass-4821")


def client_in(user: User, language: str) -> Client:
    client = login(user)
    client.cookies["django_language"] = language
    return client


def test_the_target_admins_department_chooser_reads_in_english(translated, admin_user):
    target = translated["target_a"]
    response = client_in(admin_user, "en").get(
        reverse("admin:assessment_target_change", args=[target.pk])
    )
    assert response.status_code == 200
    field = response.context["adminform"].form.fields["departments"]
    labels = {label for _value, label in field.choices}
    assert {"Street Cleaning Team", "Waste Collection Team"} <= labels
    assert "清扫保洁队" not in labels and "垃圾清运队" not in labels
    assert "填埋场" in labels  # no translation: its own name, not a gap
    category = response.context["adminform"].form.fields["category"]
    assert "Diligent administration" in {label for _v, label in category.choices}
    html = response.content.decode()
    assert ">Street Cleaning Team</option>" in html
    assert ">清扫保洁队</option>" not in html


def test_in_chinese_the_chooser_reads_in_chinese(translated, admin_user):
    target = translated["target_a"]
    response = client_in(admin_user, "zh-hans").get(
        reverse("admin:assessment_target_change", args=[target.pk])
    )
    field = response.context["adminform"].form.fields["departments"]
    labels = {label for _value, label in field.choices}
    assert {"清扫保洁队", "垃圾清运队"} <= labels
    assert "Street Cleaning Team" not in labels


def test_the_users_departments_chooser_reads_in_english(translated, admin_user):
    response = client_in(admin_user, "en").get(
        reverse("admin:assessment_user_change", args=[admin_user.pk])
    )
    field = response.context["adminform"].form.fields["departments"]
    labels = {label for _value, label in field.choices}
    assert "Street Cleaning Team" in labels and "清扫保洁队" not in labels


def test_the_list_filters_by_department_read_in_english(translated, admin_user):
    client = client_in(admin_user, "en")
    for page in (
        "admin:assessment_target_changelist",
        "admin:assessment_user_changelist",
    ):
        html = client.get(reverse(page)).content.decode()
        assert "Street Cleaning Team" in html, page
        assert "清扫保洁队" not in html.split('id="changelist-filter"', 1)[-1], page


def test_the_target_autocomplete_reads_in_english(translated, admin_user):
    response = client_in(admin_user, "en").get(
        reverse("admin:autocomplete"),
        {
            "app_label": "assessment",
            "model_name": "indicator",
            "field_name": "target",
            "term": "1.1",
        },
    )
    assert response.status_code == 200
    texts = [r["text"] for r in json.loads(response.content)["results"]]
    assert "1.1 Street sweeping" in texts
    assert all("道路清扫保洁" not in t for t in texts)


def test_the_admin_is_for_administrators_only(translated, client_supervisor, client_a):
    page = reverse("admin:assessment_target_change", args=[translated["target_a"].pk])
    for client in (client_supervisor, client_a, Client()):
        response = client.get(page)
        assert response.status_code in (302, 403)
        assert "Street Cleaning Team" not in response.content.decode()
