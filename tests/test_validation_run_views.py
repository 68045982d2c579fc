"""The validation run's page and export, by role, and its query count."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessment.models import (
    Department,
    Figure,
    Indicator,
    MonthlyReturn,
    RuleTerm,
    ValidationRule,
)
from tests.spreadsheet_support import load


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def data(catalogue, year, dept_a, dept_b, clerk_a):
    """dept-a's pits must not exceed dept-b's waste; dept-a's area is 100–200."""
    rule = ValidationRule.objects.create(
        name="pits within waste",
        message="More pits than waste",
        importance="block",
        operator="le",
    )
    RuleTerm.objects.create(
        rule=rule, side="left", indicator_code="pits", department=dept_a
    )
    RuleTerm.objects.create(
        rule=rule, side="right", indicator_code="waste", department=dept_b
    )

    def put(department, indicator, month, value, note=""):
        monthly_return, _ = MonthlyReturn.objects.get_or_create(
            year=year, department=department, month=month
        )
        return Figure.objects.create(
            monthly_return=monthly_return,
            indicator=indicator,
            value=Decimal(value),
            note=note,
            updated_by=clerk_a,
        )

    put(dept_a, catalogue["pits"], 3, "6000")
    put(dept_b, catalogue["waste"], 3, "5123.7", note="台账已核对")
    put(dept_a, catalogue["pits"], 4, "100")
    put(dept_b, catalogue["waste"], 4, "5000")
    put(dept_a, catalogue["area"], 4, "250")  # above 200
    put(dept_b, catalogue["waste"], 5, "12000")  # above 10,000
    return {"rule": rule, **catalogue}


def url(year, **params):
    base = reverse("assessment:validation-run", args=[year.year])
    if not params:
        return base
    from urllib.parse import urlencode

    return base + "?" + urlencode(params, doseq=True)


def lines(response):
    return [
        (line.name, line.department_code, line.month, line.left, line.right)
        for line in response.context["lines"]
    ]


def test_the_supervisor_sees_every_violation(client_supervisor, data, year):
    response = client_supervisor.get(url(year))
    assert response.status_code == 200
    assert lines(response) == [
        ("pits within waste", "dept-a", 3, "6,000.0", "5,123.7"),
        ("Plausible range: 清扫面积", "dept-a", 4, "250.0", ""),
        ("Plausible range: 垃圾清运量", "dept-b", 5, "12,000.0", ""),
    ]
    counts = {c[0]: c[3] for c in response.context["counts"]}
    assert counts == {"block": 1, "note": 2, "warn": 0}
    line = response.context["lines"][0]
    assert line.noted is True  # the note on dept-b's waste
    assert line.url == (
        reverse("assessment:entry", args=[year.year, "dept-a", 3])
        + f"#id_f-{data['pits'].pk}-value"
    )
    page = response.content.decode()
    assert line.url in page
    assert "More pits than waste" in page


def test_the_leader_reads_the_run(client_leader, data, year):
    response = client_leader.get(url(year))
    assert response.status_code == 200
    assert len(response.context["lines"]) == 3


def test_filters_by_department_month_and_importance(client_supervisor, data, year):
    response = client_supervisor.get(url(year, department="dept-b"))
    # The cross-department rule is found from dept-b's side too, listed under it.
    assert lines(response) == [
        ("pits within waste", "dept-b", 3, "6,000.0", "5,123.7"),
        ("Plausible range: 垃圾清运量", "dept-b", 5, "12,000.0", ""),
    ]
    response = client_supervisor.get(url(year, start=4, end=5))
    assert [line[2] for line in lines(response)] == [4, 5]
    response = client_supervisor.get(url(year, importance="block"))
    assert [line[0] for line in lines(response)] == ["pits within waste"]
    # the counts stay those of the whole selection
    assert {c[0]: c[3] for c in response.context["counts"]}["note"] == 2


def test_a_clerk_sees_only_the_own_departments_run(client_a, data, year):
    response = client_a.get(url(year))
    assert response.status_code == 200
    assert {line[1] for line in lines(response)} == {"dept-a"}
    assert [line[2] for line in lines(response)] == [3, 4]
    choices = [
        code for code, _label in response.context["form"].fields["department"].choices
    ]
    assert [str(c) for c in choices] == ["dept-a"]


def test_a_clerk_asking_for_another_department_gets_404(client_a, data, year):
    assert client_a.get(url(year, department="dept-b")).status_code == 404
    export = reverse("assessment:validation-export", args=[year.year])
    assert client_a.get(export + "?department=dept-b").status_code == 404


def test_anonymous_is_sent_to_log_in(client, data, year):
    response = client.get(url(year))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    export = reverse("assessment:validation-export", args=[year.year])
    assert client.get(export).status_code == 302


def test_an_unknown_year_is_404(client_supervisor, data, year):
    response = client_supervisor.get(
        reverse("assessment:validation-run", args=[year.year + 5])
    )
    assert response.status_code == 404


# --- the review panel -------------------------------------------------------------


def test_the_review_panel_counts_the_months_violations(
    client_supervisor, client_a, data, year
):
    entry = reverse("assessment:entry", args=[year.year, "dept-a", 3])
    response = client_supervisor.get(entry)
    assert response.context["violation_count"] == 1
    page = response.content.decode()
    assert "1 violation of rules or ranges this month" in page
    target = url(year, department="dept-a", start=3, end=3).replace("&", "&amp;")
    assert target in page
    empty = client_supervisor.get(
        reverse("assessment:entry", args=[year.year, "dept-a", 6])
    )
    assert empty.context["violation_count"] == 0
    # Clerks do not get the panel.
    assert client_a.get(entry).context["violation_count"] is None


# --- the export -------------------------------------------------------------------


@pytest.fixture
def export(client_supervisor, data, year):
    response = client_supervisor.get(
        reverse("assessment:validation-export", args=[year.year])
    )
    assert response.status_code == 200
    page = client_supervisor.get(url(year))
    return response.content, page


def test_the_export_lists_the_same_lines_as_the_page(export):
    content, page = export
    rows = list(load(content).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Validation run " + str(page.context["year"].year)
    data_rows = rows[3:]
    assert [(r[0], r[2], r[3], r[8]) for r in data_rows] == [
        (line.name, line.department, line.month, "yes" if line.noted else "no")
        for line in page.context["lines"]
    ]
    assert data_rows[0][5] == Decimal("6000") or data_rows[0][5] == 6000
    assert data_rows[1][7] == "100.0 – 200.0"


def test_the_export_opens_in_libreoffice(export, tmp_path):
    content, page = export
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "run.xlsx"
    source.write_bytes(content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = (tmp_path / "run.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    listed = [row for row in rows[3:] if any(row)]
    assert [(r[0], r[2], r[3], r[8]) for r in listed] == [
        (line.name, line.department, str(line.month), "yes" if line.noted else "no")
        for line in page.context["lines"]
    ]
    # The numbers as LibreOffice shows them, in the indicator's format.
    assert [(r[5], r[6], r[7]) for r in listed] == [
        (line.left, line.right, line.span) for line in page.context["lines"]
    ]


# --- query counts -----------------------------------------------------------------


def _grow(year, catalogue, start, count):
    departments = Department.objects.bulk_create(
        Department(code=f"q{i:03d}", name=f"单位{i:03d}", order=10 + i)
        for i in range(start, start + count)
    )
    through = Indicator.departments.through
    through.objects.bulk_create(
        through(indicator_id=catalogue[code].pk, department_id=d.pk)
        for d in departments
        for code in ("area", "pits")
    )
    returns = MonthlyReturn.objects.bulk_create(
        MonthlyReturn(year=year, department=d, month=m)
        for d in departments
        for m in (1, 2)
    )
    Figure.objects.bulk_create(
        Figure(monthly_return=r, indicator=catalogue["area"], value=Decimal(300))
        for r in returns
    )


def test_the_run_reads_the_same_number_of_queries_at_10_and_100(
    client_supervisor, data, year
):
    def count() -> tuple[int, int]:
        client_supervisor.get(url(year))
        with CaptureQueriesContext(connection) as queries:
            response = client_supervisor.get(url(year))
        assert response.status_code == 200
        return len(queries), response.context["total"]

    _grow(year, data, 0, 8)
    at_10, lines_10 = count()
    _grow(year, data, 8, 90)
    at_100, lines_100 = count()
    assert Department.objects.count() == 100
    assert at_10 == at_100
    assert lines_100 - lines_10 == 90 * 2
