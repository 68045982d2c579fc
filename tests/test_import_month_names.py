"""The import pages name months as every other page does ("December 2021",
"2021年12月"), not "Month 12"."""

from __future__ import annotations

import calendar

from django.test import Client
from django.utils import translation

from assessment.figures.workflow import ReturnStatus
from assessment.formatting import month_label
from assessment.models import MonthlyReturn
from tests.test_import_views import MONTH, filled, upload, url


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_the_template_month_picker_names_months_in_english(client_a, catalogue, year):
    page = english(client_a).get(url("import", year)).content.decode()
    assert f">December {year.year}</option>" in page
    assert f">{calendar.month_name[MONTH]} {year.year}</option>" in page
    assert "Month 12" not in page and ">Month " not in page


def test_the_template_month_picker_names_months_in_chinese(client_a, catalogue, year):
    page = client_a.get(url("import", year)).content.decode()
    assert f">{year.year}年12月</option>" in page


def test_the_imported_page_links_each_month_by_its_name(client_a, catalogue, year):
    response = english(client_a).post(
        url("import", year), {"file": upload(filled()), "confirm": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    with translation.override("en"):
        label = month_label(year.year, MONTH)
    assert label == f"{calendar.month_name[MONTH]} {year.year}"
    assert f">{label}</a>" in page
    assert f"Month {MONTH}<" not in page


def test_a_problem_names_its_month(client_a, catalogue, year, dept_a):
    MonthlyReturn.objects.create(
        year=year, department=dept_a, month=MONTH, status=ReturnStatus.APPROVED
    )
    response = english(client_a).post(url("import", year), {"file": upload(filled())})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-field="problem-where"' in page
    assert f"{calendar.month_name[MONTH]} {year.year}" in page
    assert f"Month {MONTH}<" not in page
