"""A database failure in the middle of a request: a clear 503 page ("nothing was saved,
try again") in the product's look, nothing half-written, and the next request works."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.urls import reverse
from django.utils import timezone

from assessment.models import Figure, MonthlyReturn
from tests.test_import_views import filled, upload, url

MONTH = timezone.localdate().month
SAVEPOINTS = ("SAVEPOINT", "ROLLBACK TO SAVEPOINT", "RELEASE SAVEPOINT")


@contextmanager
def database_fails(when, error=OperationalError, only_those=False):
    """From the first statement `when(sql)` accepts on, every statement fails, as when
    the connection drops mid-request (but for the test's own savepoints, so that the
    test's transaction can roll back to where the request began). `only_those`: just
    the statements `when` accepts fail, as with a statement timeout."""
    failed = False

    def wrapper(execute, sql, params, many, context):
        nonlocal failed
        failed = when(sql) if only_those else failed or when(sql)
        if failed and not sql.lstrip().upper().startswith(SAVEPOINTS):
            raise error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def writes_figures(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and (
        "assessment_figure" in sql or "assessment_historicalfigure" in sql
    )


def state() -> tuple[object, ...]:
    return (
        list(Figure.objects.values_list("pk", "value", "version")),
        Figure.history.count(),
        list(MonthlyReturn.objects.values_list("pk", "status", "version")),
    )


def assert_try_again_page(response, saving: bool = True) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    assert 'id="database-failure"' in body
    assert "bootstrap.min.css" in body  # the product's look
    assert ("Nothing was saved" in body) is saving
    assert "OperationalError" not in body and "Traceback" not in body


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def client_a(client_a):
    client_a.raise_request_exception = False  # answer as the server would
    return client_a


def test_an_import_whose_database_fails_mid_way_saves_nothing(
    client_a, catalogue, year
):
    dry_run = client_a.post(url("import", year), {"file": upload(filled())})
    fingerprint = dry_run.context["report"].fingerprint
    before = state()
    with database_fails(writes_figures):
        response = client_a.post(
            url("import", year), {"confirm": "1", "fingerprint": fingerprint}
        )
    assert_try_again_page(response)
    assert state() == before
    # The next request works: the same import goes through.
    again = client_a.post(
        url("import", year), {"confirm": "1", "fingerprint": fingerprint}
    )
    assert again.status_code == 200
    assert Figure.objects.count() == 2


def test_a_dry_run_whose_database_fails_is_not_called_a_bad_workbook(
    client_a, catalogue, year
):
    def reads_indicators(sql: str) -> bool:
        return "assessment_indicator" in sql

    with database_fails(reads_indicators, InterfaceError, only_those=True):
        response = client_a.post(url("import", year), {"file": upload(filled())})
    assert_try_again_page(response)
    assert "could not be read" not in response.content.decode()


def test_a_figure_save_whose_database_fails_saves_nothing(client_a, catalogue, year):
    entry = reverse("assessment:entry", args=[year.year, "dept-a", MONTH])
    area = catalogue["area"]
    before = state()
    with database_fails(writes_figures):
        response = client_a.post(
            entry, {f"f-{area.pk}-value": "150", f"f-{area.pk}-version": "0"}
        )
    assert_try_again_page(response)
    assert state() == before
    assert client_a.get(entry).status_code == 200


@pytest.mark.urls("tests.error_urls")
def test_other_errors_still_get_the_plain_500_page(client_a):
    response = client_a.get("/broken/")
    assert response.status_code == 500
    assert 'id="database-failure"' not in response.content.decode()


def test_a_page_whose_database_fails_says_so_without_saving_words(client_a, year):
    with database_fails(lambda sql: True):
        response = client_a.get(reverse("assessment:board", args=[year.year]))
    assert_try_again_page(response, saving=False)
    assert "could not be loaded" in response.content.decode()


def test_an_unreadable_workbook_is_named_without_exception_class_names(
    client_a, catalogue, year
):
    from tests.spreadsheet_support import rezip, workbook_bytes

    broken = rezip(
        workbook_bytes([["dept-a", "area", "", "", MONTH, 150, ""]]),
        replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"},
    )
    response = client_a.post(url("import", year), {"file": upload(broken)})
    assert response.status_code == 400  # the report of problems
    body = response.content.decode()
    assert "The workbook could not be read." in body
    assert not any(
        name in body
        for name in ("ValueError", "ParseError", "KeyError", "Exception", "Error）")
    )
    assert Figure.objects.count() == 0
