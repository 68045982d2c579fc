"""The stored roll-up (YearValue): equal to a full recomputation after any writes."""

from __future__ import annotations

import datetime
import io
import random
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from assessment.figures import returns, stored
from assessment.models import Figure, Indicator, MonthlyReturn, YearValue
from assessment.scoring import results
from assessment.spreadsheets import imports
from sanitation.bureau import records
from sanitation.bureau.models import Donation
from tests.spreadsheet_support import workbook_bytes


@pytest.fixture
def donations(catalogue, year, dept_a) -> Indicator:
    """A record-fed indicator: the department's donations, summed over months."""
    indicator = Indicator.objects.create(
        year=year,
        target=catalogue["target_a"],
        code="donated",
        name="捐款",
        unit="元",
        decimals=2,
        aggregation="sum",
        source="bureau.donation_amount",
        order=9,
    )
    indicator.departments.add(dept_a)
    return indicator


def moment(year, month: int) -> datetime.datetime:
    """A day when the month is open for entry."""
    return datetime.datetime(year.year, month, 3, 10, tzinfo=datetime.UTC)


def stored_values(year) -> dict[tuple[int, int], Decimal | None]:
    return {
        key: entry.value
        for key, entry in results.year_indicator_values(
            year, [d for d in year_department_ids(year)], stored=True
        ).items()
    }


def live_values(year) -> dict[tuple[int, int], Decimal | None]:
    return {
        key: entry.value
        for key, entry in results.year_indicator_values(
            year, year_department_ids(year)
        ).items()
    }


def year_department_ids(year) -> list[int]:
    catalogue = results.load_catalogue(year)
    return sorted(set().union(*catalogue.indicator_departments.values()))


def save(user, year, department, month, indicator, value) -> None:
    with time_machine.travel(moment(year, month), tick=False):
        figure = Figure.objects.filter(
            monthly_return__year=year,
            monthly_return__department=department,
            monthly_return__month=month,
            indicator=indicator,
        ).first()
        result = returns.save_figures(
            user,
            year,
            department,
            month,
            [returns.FigureRow(indicator, value, "", figure.version if figure else 0)],
        )
    assert not result.conflicts


def donate(clerk, department, day: datetime.date, amount: str) -> Donation:
    kind = records.KINDS["donations"]
    form = kind.form_class(
        {
            "department": department.pk,
            "date": day.isoformat(),
            "title": "献爱心捐款",
            "amount": amount,
            "items": "",
            "description": "",
            "once": str(uuid.uuid4()),
        },
        user=clerk,
    )
    assert form.is_valid(), form.errors
    with time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), datetime.UTC), tick=False
    ):
        return records.create_record(kind, form, clerk).record


def import_rows(clerk, year, department, month, rows) -> None:
    with time_machine.travel(moment(year, month), tick=False):
        report = imports.validate_upload(
            io.BytesIO(workbook_bytes(rows)), clerk, year, department
        )
        assert report.ok, [p.message for p in report.problems]
        imports.apply_import(report, clerk)


def test_random_saves_imports_and_records_keep_it_equal_to_a_recomputation(
    catalogue, donations, year, dept_a, dept_b, clerk_a, clerk_b
):
    rng = random.Random(20211231)
    area, pits, waste = catalogue["area"], catalogue["pits"], catalogue["waste"]
    gifts: list[Donation] = []
    for step in range(60):
        month = rng.randint(1, 11)
        action = rng.choice(["area", "pits", "waste", "clear", "import", "gift"])
        if action == "area":
            save(
                clerk_a,
                year,
                dept_a,
                month,
                area,
                Decimal(rng.randint(1000, 2000)) / 10,
            )
        elif action == "pits":
            save(clerk_a, year, dept_a, month, pits, Decimal(rng.randint(0, 60000)))
        elif action == "waste":
            value = Decimal(rng.randint(0, 99999)) / 10
            save(clerk_b, year, dept_b, month, waste, value)
        elif action == "clear":
            save(clerk_a, year, dept_a, month, rng.choice([area, pits]), None)
        elif action == "import":
            import_rows(
                clerk_a,
                year,
                dept_a,
                month,
                [
                    ["dept-a", "area", "清扫面积", "万m²", month, 100 + step, ""],
                    ["dept-a", "pits", "垃圾池清掏", "个", month, 7 * step, ""],
                ],
            )
        elif gifts and rng.random() < 0.4:
            gone = gifts.pop(rng.randrange(len(gifts)))
            with time_machine.travel(
                datetime.datetime.combine(gone.date, datetime.time(10), datetime.UTC),
                tick=False,
            ):
                records.delete_record(gone, clerk_a)
        else:
            day = datetime.date(year.year, month, rng.randint(1, 3))
            gifts.append(
                donate(
                    clerk_a, dept_a, day, f"{rng.randint(1, 99999)}.{step % 100:02d}"
                )
            )
        assert stored.differences(year) == [], f"after step {step}: {action}"
    assert stored_values(year) == live_values(year)
    assert any(v is not None for v in stored_values(year).values())
    # The ranking from the stored values is the ranking from the months.
    ranked = results.year_results(year, [dept_a, dept_b], stored=True)
    live = results.year_results(year, [dept_a, dept_b])
    assert [(r.department.pk, r.total_per_100, r.rank) for r in ranked] == [
        (r.department.pk, r.total_per_100, r.rank) for r in live
    ]


def test_values_are_exact_decimals_and_an_average_rounds_once(
    catalogue, year, dept_a, clerk_a
):
    area = catalogue["area"]  # avg, one decimal
    for month, value in [(1, "100.1"), (2, "100.2"), (3, "100.2")]:
        save(clerk_a, year, dept_a, month, area, Decimal(value))
    row = YearValue.objects.get(indicator=area, department=dept_a)
    assert row.value == Decimal("100.2")  # 300.5 / 3 = 100.1666… → 100.2
    assert (row.months, row.through_month) == (3, 3)
    pits = catalogue["pits"]
    for month in (1, 2):
        save(clerk_a, year, dept_a, month, pits, Decimal("999999999999"))
    assert YearValue.objects.get(indicator=pits, department=dept_a).value == Decimal(
        "1999999999998"
    )


def test_a_figure_saved_outside_the_spine_refreshes_its_row(
    catalogue, year, dept_a, clerk_a
):
    monthly_return = MonthlyReturn.objects.create(year=year, department=dept_a, month=4)
    figure = Figure.objects.create(
        monthly_return=monthly_return,
        indicator=catalogue["pits"],
        value=Decimal(12),
        updated_by=clerk_a,
    )
    row = YearValue.objects.get(indicator=catalogue["pits"], department=dept_a)
    assert row.value == Decimal(12)
    figure.delete()
    row.refresh_from_db()
    assert (row.value, row.months) == (None, 0)


def test_a_record_saved_outside_the_spine_refreshes_what_it_feeds(
    donations, year, dept_a, clerk_a
):
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(year.year, 2, 1),
        title="捐款",
        amount=Decimal("3740.50"),
        updated_by=clerk_a,
    )
    assert YearValue.objects.get(indicator=donations).value == Decimal("3740.50")


def test_rebuild_rollup_reports_and_repairs_a_difference(
    catalogue, year, dept_a, clerk_a
):
    save(clerk_a, year, dept_a, 1, catalogue["pits"], Decimal(40))
    YearValue.objects.filter(indicator=catalogue["pits"]).update(value=Decimal(41))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rebuild_rollup", "--check", stdout=out)
    assert "41" in out.getvalue() and "40" in out.getvalue()
    out = io.StringIO()
    call_command("rebuild_rollup", stdout=out)
    assert "1" in out.getvalue()
    assert YearValue.objects.get(indicator=catalogue["pits"]).value == Decimal(40)
    out = io.StringIO()
    call_command("rebuild_rollup", "--check", stdout=out)
    assert stored.differences(year) == []


def test_rebuild_drops_rows_of_departments_no_longer_assigned(
    catalogue, year, dept_a, dept_b, clerk_a
):
    save(clerk_a, year, dept_a, 1, catalogue["pits"], Decimal(40))
    catalogue["pits"].departments.remove(dept_a)
    stored.rebuild(year)
    assert not YearValue.objects.filter(indicator=catalogue["pits"]).exists()


def test_a_stored_entry_has_no_months_to_draw(catalogue, year, dept_a):
    entry = results.year_indicator_values(year, [dept_a.pk], stored=True)[
        catalogue["area"].pk, dept_a.pk
    ]
    assert entry.value is None
    with pytest.raises(ValueError):
        entry.month_list()


def test_the_stored_read_without_the_catalogue_equals_the_one_with_it(
    django_assert_num_queries, catalogue, year, dept_a, dept_b, clerk_a
):
    area, pits, waste = catalogue["area"], catalogue["pits"], catalogue["waste"]
    for month, value in [(1, "100.1"), (2, "100.2"), (3, "100.2")]:
        save(clerk_a, year, dept_a, month, area, Decimal(value))
    save(clerk_a, year, dept_a, 1, pits, Decimal(-40))
    waste.departments.add(dept_a)  # assigned, no row yet
    pits.departments.remove(dept_a)  # a row left over until the rebuild
    ids = [dept_a.pk, dept_b.pk]
    with django_assert_num_queries(2):
        fast = results.year_indicator_values(year, ids, stored=True)
    loaded = results.load_catalogue(year)
    full = results._stored_values(
        year, loaded.indicators, loaded.indicator_departments, ids
    )
    shown = {
        key: (str(e.value), e.indicator.pk, e.from_store) for key, e in fast.items()
    }
    assert shown == {
        key: (str(e.value), e.indicator.pk, e.from_store) for key, e in full.items()
    }
    assert fast[area.pk, dept_a.pk].value == Decimal("100.2")
    assert str(fast[area.pk, dept_a.pk].value) == "100.2"
    assert fast[waste.pk, dept_a.pk].value is None
    assert (pits.pk, dept_a.pk) not in fast
    assert {k: e.value for k, e in fast.items()} == {
        k: e.value for k, e in results.year_indicator_values(year, ids).items()
    }


def test_stored_read_is_one_query_whatever_the_departments(
    django_assert_num_queries, catalogue, year, dept_a, dept_b
):
    with django_assert_num_queries(1):
        results._stored_values(
            year,
            [catalogue["area"], catalogue["waste"]],
            {catalogue["area"].pk: {dept_a.pk}, catalogue["waste"].pk: {dept_b.pk}},
            [dept_a.pk, dept_b.pk],
        )


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks")
def test_two_months_saved_at_once_are_both_counted(
    transactional_db, catalogue, year, dept_a, clerk_a
):
    import threading

    from django.db import connections

    pits = catalogue["pits"]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(month: int) -> None:
        try:
            barrier.wait(timeout=10)
            returns.save_figures(
                clerk_a,
                year,
                dept_a,
                month,
                [returns.FigureRow(pits, Decimal(month * 100), "", 0)],
                on=datetime.date(year.year, month, 3),
            )
        except BaseException as exc:  # the test reports it
            errors.append(exc)
        finally:
            connections.close_all()

    for _round in range(3):
        Figure.objects.filter(indicator=pits).delete()
        stored.rebuild(year)
        threads = [threading.Thread(target=run, args=(m,)) for m in (3, 4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors, errors
        assert YearValue.objects.get(indicator=pits, department=dept_a).value == 700


def test_the_collector_is_paused_while_entries_are_built_and_then_as_it_was():
    import gc

    assert gc.isenabled()
    with results._collector_paused():
        assert not gc.isenabled()
        with results._collector_paused():  # a read inside another one
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with results._collector_paused():
            pass
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()
    with pytest.raises(KeyError), results._collector_paused():
        raise KeyError
    assert gc.isenabled()
