"""Overlapping imports and a dropped connection, on PostgreSQL with real threads."""

from __future__ import annotations

import io
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.urls import reverse
from django.utils import timezone

from assessment import spine
from assessment.models import Figure, MonthlyReturn
from assessment.spreadsheets import imports
from tests.conftest import login
from tests.spreadsheet_support import workbook_bytes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks"
    ),
]

MONTH = timezone.localdate().month


def file_with(area: str, pits: int) -> bytes:
    return workbook_bytes(
        [
            ["dept-a", "area", "", "", MONTH, float(area), ""],
            ["dept-a", "pits", "", "", MONTH, pits, ""],
        ]
    )


def state() -> dict[str, tuple[Decimal, int]]:
    return {
        code: (value, version)
        for code, value, version in Figure.objects.values_list(
            "indicator__code", "value", "version"
        )
    }


@pytest.mark.parametrize("existing", [True, False], ids=["update", "create"])
def test_two_overlapping_imports_never_mix(
    existing, transactional_db, catalogue, year, dept_a, clerk_a
):
    if existing:
        monthly_return = MonthlyReturn.objects.create(
            year=year, department=dept_a, month=MONTH
        )
        for indicator, value in ((catalogue["area"], "120"), (catalogue["pits"], "1")):
            Figure.objects.create(
                monthly_return=monthly_return,
                indicator=indicator,
                value=Decimal(value),
                updated_by=clerk_a,
            )
    files = {"first": file_with("150.5", 41000), "second": file_with("160.5", 42000)}
    # Both dry runs see the same starting state, as two clerks' uploads would.
    reports = {
        name: imports.validate_upload(io.BytesIO(data), clerk_a, year, dept_a)
        for name, data in files.items()
    }
    assert all(r.can_apply for r in reports.values())
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}
    original = imports.apply._returns_for_update

    def slow_lock(*args, **kwargs):
        barrier.wait(timeout=10)  # both transactions are open before either locks
        return original(*args, **kwargs)

    def run(name: str) -> None:
        try:
            imports.apply_import(reports[name], clerk_a)
            outcomes[name] = "applied"
        except spine.Refused as refused:
            outcomes[name] = "refused: " + refused.message
        finally:
            connections.close_all()

    with mock.patch.object(imports.apply, "_returns_for_update", slow_lock):
        threads = [threading.Thread(target=run, args=(n,)) for n in files]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["applied", "refused"]
    winner = next(n for n, o in outcomes.items() if o == "applied")
    expected = {
        "first": {"area": Decimal("150.5"), "pits": Decimal(41000)},
        "second": {"area": Decimal("160.5"), "pits": Decimal(42000)},
    }[winner]
    stored = state()
    assert {code: value for code, (value, _v) in stored.items()} == expected
    assert {version for _value, version in stored.values()} == {2 if existing else 1}
    # Exactly one history row per figure change of the winner.
    assert Figure.history.filter(history_change_reason__startswith="xlsx").count() == 2
    assert MonthlyReturn.objects.filter(department=dept_a, month=MONTH).count() == 1


def test_a_dropped_connection_mid_import_rolls_back_everything(
    transactional_db, catalogue, year, dept_a, clerk_a
):
    monthly_return = MonthlyReturn.objects.create(
        year=year, department=dept_a, month=MONTH
    )
    Figure.objects.create(
        monthly_return=monthly_return,
        indicator=catalogue["area"],
        value=Decimal("120"),
        updated_by=clerk_a,
    )
    before = (state(), Figure.history.count(), MonthlyReturn.history.count())
    client = login(clerk_a)
    address = reverse(
        "assessment:import", kwargs={"year": year.year, "code": dept_a.code}
    )

    def upload():
        return SimpleUploadedFile("f.xlsx", file_with("150.5", 41000))

    real_create = imports.apply.bulk_create_with_history

    def drop(*args, **kwargs):
        # The updates are written; the connection dies before the new figures are.
        assert Figure.objects.filter(version=2).exists()
        raise OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(imports.apply, "bulk_create_with_history", drop):
        client.raise_request_exception = True
        with pytest.raises(OperationalError):
            client.post(address, {"file": upload(), "confirm": "1"})
    assert (state(), Figure.history.count(), MonthlyReturn.history.count()) == before
    assert real_create is imports.apply.bulk_create_with_history
    # The next request works and applies the whole file.
    response = client.post(address, {"file": upload(), "confirm": "1"})
    assert response.status_code == 200
    assert state() == {
        "area": (Decimal("150.5"), 2),
        "pits": (Decimal(41000), 1),
    }
