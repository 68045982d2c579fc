"""Benchmarks: `python benchmarks/run.py [--quick]` prints a markdown table.

Each figure is a ratio to a floor measured in the same run on the same machine, with the
absolute times for reference (the best of a few runs). Everything runs in a throwaway
database created for the run: a temporary SQLite file by default, or, when DATABASE_URL
names a PostgreSQL server, Django's test database beside it (`test_<name>`). The
development database is never touched.

- xlsx import: 10,000 figure rows (half new, half changed), dry run + apply, against
  an openpyxl read-only pass over the same file.
- xlsx export: the bureau's figures and score sheet at district scale, against an
  openpyxl write-only append of the same values.
- roll-up: 100 departments × 80 indicators × 12 months × 10 years through
  `results.year_indicator_values`, against one hand-written SQL GROUP BY.
- validation run: a full year's run (every rule over every month, every value against
  its plausible range) for 100 departments × 80 indicators through
  `quality.run.load_run`, against one SQL GROUP BY over the same figures; interleaved,
  medians of `time.process_time` on SQLite, of the wall clock on PostgreSQL (whose
  server's time the process clock does not see).
- query counts of the dashboard pages, the entry page and the report at 10 and at 100
  departments (the same count at both sizes means no query per department).
- indicator lookups: the bureau's report at 100 departments, the catalogue's indicators
  indexed by (target, department) against a scan of every indicator per lookup.
- report PDF: the demo bureau's full year-end report, a fresh render through the download
  path against WeasyPrint alone turning the same HTML into a PDF, and the download with
  nothing changed (from the store) against the fresh render; CPU time, interleaved medians.
"""

from __future__ import annotations

import argparse
import datetime
import io
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

Row = tuple[str, str, str, str, str]  # benchmark, workload, ours, floor, ratio
ROWS: list[Row] = []


def interleaved_cpu(
    runs: int,
    ours: Callable[[], Any],
    floor: Callable[[], Any],
    clock: Callable[[], float] = time.process_time,
) -> tuple[float, float]:
    """Median seconds of ours and of the floor, run in turn (CPU time by default; the
    wall clock where the floor's work happens in the database server)."""
    ours_times, floor_times = [], []
    for _ in range(runs):
        for func, times in ((ours, ours_times), (floor, floor_times)):
            start = clock()
            func()
            times.append(clock() - start)
    return statistics.median(ours_times), statistics.median(floor_times)


def best_of(runs: int, func: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def record(name: str, workload: str, ours: float, floor: float, target: str) -> None:
    ratio = ours / floor if floor else float("inf")
    ROWS.append(
        (name, workload, seconds(ours), seconds(floor), f"{ratio:.2f}× {target}")
    )
    print(f"  {name}: {seconds(ours)} vs {seconds(floor)} = {ratio:.2f}×", flush=True)


# --- the throwaway database -------------------------------------------------------


def create_database(tmp: Path) -> None:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["TEST"]["NAME"] = str(tmp / "bench.sqlite3")
    setup_test_environment(debug=False)  # as in production: no query log
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")


def destroy_database(old_name: str) -> None:
    connection.creation.destroy_test_db(old_name, verbosity=0)
    teardown_test_environment()


# --- data -------------------------------------------------------------------------

N_INDICATORS = 80
N_TARGETS = 20


def make_catalogue(year_number: int) -> tuple[Any, list[Any], list[Any]]:
    from assessment.models import AssessmentYear, Category, Indicator, Target

    year = AssessmentYear.objects.create(year=year_number, title=f"{year_number}")
    categories = [
        Category.objects.create(year=year, code=str(i), name=name, order=i)
        for i, name in enumerate(["勤政建设", "中心工作", "党建工作", "其他"], 1)
    ]
    targets = Target.objects.bulk_create(
        Target(
            category=categories[i % 4],
            code=f"T{i:02d}",
            name=f"目标 {i}",
            points=Decimal(5),
            is_common=i % 5 == 0,
            order=i,
        )
        for i in range(N_TARGETS)
    )
    aggregations = ["sum", "sum", "avg", "max", "last"]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            year=year,
            target=targets[i % N_TARGETS],
            code=f"I{i:03d}",
            name=f"指标 {i}",
            unit="t",
            decimals=1,
            aggregation=aggregations[i % 5],
            annual_target=Decimal(1000),
            order=i,
        )
        for i in range(N_INDICATORS)
    )
    return year, targets, indicators


def make_departments(start: int, count: int) -> list[Any]:
    from assessment.models import Department

    return Department.objects.bulk_create(
        Department(code=f"d{i:03d}", name=f"单位{i:03d}", order=i)
        for i in range(start, start + count)
    )


def assign(targets: list[Any], indicators: list[Any], departments: list[Any]) -> None:
    from assessment.models import Indicator, Target

    Target.departments.through.objects.bulk_create(
        Target.departments.through(target_id=t.pk, department_id=d.pk)
        for t in targets
        if not t.is_common
        for d in departments
    )
    Indicator.departments.through.objects.bulk_create(
        Indicator.departments.through(indicator_id=i.pk, department_id=d.pk)
        for i in indicators
        for d in departments
    )


def make_figures(year: Any, indicators: list[Any], departments: list[Any]) -> int:
    from assessment.models import Figure, MonthlyReturn

    returns = MonthlyReturn.objects.bulk_create(
        MonthlyReturn(year=year, department=d, month=m, status="approved")
        for d in departments
        for m in range(1, 13)
    )
    batch: list[Figure] = []
    count = 0
    for r in returns:
        for n, indicator in enumerate(indicators):
            batch.append(
                Figure(
                    monthly_return_id=r.pk,
                    indicator_id=indicator.pk,
                    value=Decimal(100 + (n * 7 + r.month * 3) % 50) / 2,
                )
            )
        if len(batch) >= 20000:
            Figure.objects.bulk_create(batch, batch_size=2000)
            count += len(batch)
            batch = []
    Figure.objects.bulk_create(batch, batch_size=2000)
    return count + len(batch)


# --- query counts -----------------------------------------------------------------


def page_urls(year: int, department_code: str) -> dict[str, str]:
    candidates = {
        "dashboard (completeness)": ("assessment:matrix", [year]),
        "dashboard (board)": ("assessment:board", [year]),
        "entry page": ("assessment:entry", [year, department_code, 3]),
        "ranking": ("assessment:ranking", [year]),
        "report (HTML)": ("assessment:report", [year]),
        "validation run": ("assessment:validation-run", [year]),
    }
    urls = {}
    for label, (name, args) in candidates.items():
        try:
            urls[label] = reverse(name, args=args)
        except NoReverseMatch:
            continue
    return urls


def count_queries(client: Client, urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    counts = {}
    for label, url in urls.items():
        client.get(url)  # warm caches (sessions, content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counts[label] = (len(queries), response.status_code)
    return counts


# --- benchmarks -------------------------------------------------------------------


def make_rules(year: Any, indicators: list[Any], departments: list[Any]) -> None:
    """Ten rules of every kind over the catalogue's codes, and plausible ranges: a flat
    one on every indicator, a month's own on a few, past years' on some."""
    from assessment.models import MonthRange, RuleTerm, ValidationRule

    d = departments
    specs: list[tuple[str, dict[str, Any], list[tuple[str, str, str, Any, bool]]]] = [
        ("le", {}, [("left", "I000", "1", None, False),
                    ("right", "I001", "1", None, False),
                    ("right", "I002", "1", None, False)]),
        ("ge", {"importance": "note"}, [("left", "I003", "1", None, False),
                                        ("right", "I004", "0.5", None, False)]),
        ("eq", {"importance": "warn"}, [("left", "I005", "1", None, False),
                                        ("right", "I006", "1", None, False)]),
        ("change", {"change_base": "last_month", "change_limit": Decimal(10)},
         [("left", "I007", "1", None, False)]),
        ("change", {"change_base": "last_year", "change_limit": Decimal(25)},
         [("left", "I008", "1", None, False)]),
        ("le", {"period": "ytd"}, [("left", "I009", "1", None, False),
                                   ("right", "I010", "1", None, False)]),
        ("le", {}, [("left", "I011", "1", d[0], False),
                    ("right", "I012", "1", d[1], False),
                    ("right", "I013", "1", d[2], False)]),
        ("le", {}, [("left", "I014", "1", None, True),
                    ("right", "I015", "40", None, False)]),
        ("lt", {}, [("left", "I016", "1", None, False),
                    ("right", "I017", "1", None, False)]),
        ("gt", {"importance": "warn"}, [("left", "I018", "1", None, False),
                                        ("right", "I019", "1", None, False)]),
    ]  # fmt: skip
    for order, (operator, extra, terms) in enumerate(specs):
        rule = ValidationRule.objects.create(
            name=f"规则 {order}",
            message=f"规则 {order} 未满足",
            importance=extra.pop("importance", "block"),
            operator=operator,
            order=order,
            **extra,
        )
        rule.years.add(year)
        RuleTerm.objects.bulk_create(
            RuleTerm(
                rule=rule,
                side=side,
                indicator_code=code,
                coefficient=Decimal(coefficient),
                department=owner,
                per_day=per_day,
                order=index,
            )
            for index, (side, code, coefficient, owner, per_day) in enumerate(terms)
        )
    for n, indicator in enumerate(indicators):
        indicator.plausible_min = Decimal(50)
        indicator.plausible_max = Decimal(72)
        indicator.seasonal_k = Decimal(3) if n % 10 == 9 else None
    type(indicators[0]).objects.bulk_update(
        indicators, ["plausible_min", "plausible_max", "seasonal_k"]
    )
    MonthRange.objects.bulk_create(
        MonthRange(
            indicator=indicator,
            month=month,
            plausible_min=Decimal(55),
            plausible_max=Decimal(70),
        )
        for indicator in indicators[20:30]
        for month in (1, 7, 12)
    )


def bench_validation(year: Any, n_departments: int, runs: int) -> None:
    from assessment.models import AssessmentYear, Figure, Indicator, MonthlyReturn
    from assessment.quality import checks
    from assessment.quality.run import load_run

    def ours() -> int:
        return len(load_run(year).violations)

    context = checks.load_context(year)
    rule_codes = sorted({code for rule in context.rules for code in rule.indicators()})
    seasonal = list(
        Indicator.objects.filter(year=year, seasonal_k__isnull=False).values_list(
            "code", flat=True
        )
    )
    previous = AssessmentYear.objects.filter(year=year.year - 1).first()
    figure = Figure._meta.db_table
    monthly = MonthlyReturn._meta.db_table
    indicator = Indicator._meta.db_table
    codes = ", ".join(f"'{code}'" for code in sorted(set(rule_codes) | set(seasonal)))
    earlier = (
        f" OR (r.year_id = {previous.pk} AND i.code IN ({codes}))" if previous else ""
    )
    sql = (
        f"SELECT r.department_id, i.code, r.year_id, r.month, SUM(f.value), "
        f"MAX(f.note) FROM {figure} f JOIN {monthly} r ON r.id = f.monthly_return_id "
        f"JOIN {indicator} i ON i.id = f.indicator_id "
        f"WHERE r.year_id = {year.pk}{earlier} "
        f"GROUP BY r.department_id, i.code, r.year_id, r.month"
    )

    def floor() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return len(cursor.fetchall())

    cpu: dict[str, list[float]] = {"ours": [], "floor": []}
    wall: dict[str, list[float]] = {"ours": [], "floor": []}
    found = rows = 0
    floor()  # warm the database's cache before either side is timed
    for _ in range(max(runs * 2 + 1, 7)):
        for label, func in (("floor", floor), ("ours", ours)):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            result = func()
            cpu[label].append(time.process_time() - start_cpu)
            wall[label].append(time.perf_counter() - start_wall)
            if label == "ours":
                found = result
            else:
                rows = result
    # The process clock sees all of SQLite's work (it runs in this process) but none
    # of a PostgreSQL server's: there the wall clock is the fair measure.
    in_process = connection.vendor == "sqlite"
    main, other = (cpu, wall) if in_process else (wall, cpu)
    ours_time, floor_time = median(main["ours"]), median(main["floor"])
    ratio = ours_time / floor_time if floor_time else float("inf")
    clock = "process time" if in_process else "wall clock"
    record(
        "validation run",
        f"full year, {n_departments} departments × {N_INDICATORS} indicators, "
        f"{len(context.rules)} rules + ranges ({rows:,} figure rows, "
        f"{found:,} violations); {clock}, median of {len(main['ours'])}",
        ours_time,
        floor_time,
        f"(target ≤ 2×: {'met' if ratio <= 2 else 'MISSED'})",
    )
    record(
        "validation run, " + ("wall clock" if in_process else "process time"),
        "the same runs, the other clock (reference)",
        median(other["ours"]),
        median(other["floor"]),
        "",
    )


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def bench_entry(client: Client, url: str, runs: int) -> None:
    """An entry page GET against the minimal signed-in view, CPU time, interleaved: the
    benchmark's month 3 (approved, so read-only), and month 4 reopened (open to the
    clerk: every input enabled, the save button and the live checks); and the product's
    empty page (base template, navigation) against the same floor, the part of the
    ratio any page of the product has before its own work."""
    from django.test import override_settings

    from assessment.models import MonthlyReturn

    open_url = url.replace("/months/3/", "/months/4/")
    reopened = MonthlyReturn.objects.filter(
        department__code=url.split("/departments/")[1].split("/")[0], month=4
    )
    before = list(reopened.values_list("pk", "status", "reopened_at", "reopen_reason"))
    reopened.update(status="draft", reopened_at=timezone.now(), reopen_reason="bench")
    pages = {url: "month 3, read-only", open_url: "month 4, open"}
    with override_settings(ROOT_URLCONF="benchmarks.minimal_urls"):
        for address in (*pages, "/bench/minimal/", "/bench/frame/"):
            response = client.get(address)  # warm: templates, translations, session
            assert response.status_code == 200, (address, response.status_code)
        for address, what in pages.items():
            ours, floor = interleaved_cpu(
                max(runs, 5) * 4,
                lambda address=address: client.get(address),
                lambda: client.get("/bench/minimal/"),
            )
            record(
                "entry page GET (CPU)",
                f"{N_INDICATORS} indicators, {what}, clerk",
                ours,
                floor,
                "(target ≤ 4×)",
            )
        frame, floor = interleaved_cpu(
            max(runs, 5) * 4,
            lambda: client.get("/bench/frame/"),
            lambda: client.get("/bench/minimal/"),
        )
    record(
        "empty product page GET (CPU)",
        "base template and navigation, no content, clerk",
        frame,
        floor,
        "(the frame every page has)",
    )
    for pk, status, reopened_at, reason in before:
        MonthlyReturn.objects.filter(pk=pk).update(
            status=status, reopened_at=reopened_at, reopen_reason=reason
        )


def bench_rollup(years: list[Any], department_ids: list[int], runs: int) -> None:
    from assessment.figures import rollup
    from assessment.models import Figure, Indicator, MonthlyReturn
    from assessment.scoring import results

    def ours() -> int:
        n = 0
        for year in years:
            for entry in results.year_indicator_values(year, department_ids).values():
                if entry.value is not None:
                    n += 1
        return n

    figure = Figure._meta.db_table
    monthly = MonthlyReturn._meta.db_table
    sql = (
        f"SELECT r.year_id, r.department_id, f.indicator_id, SUM(f.value), "
        f"AVG(f.value), MAX(f.value) FROM {figure} f JOIN {monthly} r "
        f"ON r.id = f.monthly_return_id "
        f"WHERE r.year_id IN ({', '.join(str(y.pk) for y in years)}) "
        f"AND r.department_id IN ({', '.join(str(d) for d in department_ids)}) "
        f"GROUP BY r.year_id, r.department_id, f.indicator_id"
    )

    def floor() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return len(cursor.fetchall())

    def from_store() -> int:
        n = 0
        for year in years:
            for entry in results.year_indicator_values(
                year, department_ids, stored=True
            ).values():
                if entry.value is not None:
                    n += 1
        return n

    from assessment.figures import stored

    started = time.perf_counter()
    for year in years:
        stored.rebuild(year)
    print(f"  rebuild_rollup: {seconds(time.perf_counter() - started)}", flush=True)
    analyze()
    workload = (
        f"{len(department_ids)} departments × {N_INDICATORS} indicators × 12 months "
        f"× {len(years)} years"
    )
    ours_time, n_ours = best_of(runs, ours)
    floor_time, n_floor = best_of(runs, floor)
    assert n_ours == n_floor == from_store(), (n_ours, n_floor)
    record(
        "roll-up from the months",
        f"{workload} ({n_ours:,} year values)",
        ours_time,
        floor_time,
        "",
    )
    # Wall clock: on PostgreSQL the GROUP BY runs in the server, not in this process.
    stored_time, floor_time = interleaved_cpu(
        max(runs, 5), from_store, floor, clock=time.perf_counter
    )
    record(
        "roll-up read from the stored table",
        f"{workload}, wall-clock medians",
        stored_time,
        floor_time,
        "(target ≤ 0.3×)",
    )

    # Where the stored read's time goes: the query's rows alone, then with each value
    # turned into its Decimal, against the same GROUP BY.
    def fetch() -> None:
        for year in years:
            results._stored_rows(year, department_ids)

    def fetch_and_convert() -> None:
        for year in years:
            decimals = dict(
                Indicator.objects.filter(year=year).values_list("pk", "decimals")
            )
            for indicator_id, group in itertools.groupby(
                results._stored_rows(year, department_ids), key=lambda row: row[0]
            ):
                rollup.stored_values([row[2] for row in group], decimals[indicator_id])

    parts = [
        interleaved_cpu(max(runs, 5), part, floor, clock=time.perf_counter)
        for part in (fetch, fetch_and_convert)
    ]
    print(
        "  of which the query's rows alone: "
        + " and with the Decimals: ".join(
            f"{seconds(ours)} vs {seconds(floor)} = {ours / floor:.2f}×"
            for ours, floor in parts
        ),
        flush=True,
    )


def bench_rollup_upkeep(year: Any, department: Any, indicators: list[Any]) -> None:
    """What keeping the stored roll-up costs a save: the same saves with and without
    the spine's hook, interleaved (wall clock: the database does part of the work)."""
    from assessment import spine
    from assessment.figures import returns, stored
    from assessment.models import Role, User

    user = User.objects.create_user("bench-upkeep", password="x", role=Role.CLERK)
    user.departments.add(department)
    month = 4
    from assessment.models import MonthlyReturn

    MonthlyReturn.objects.filter(year=year, department=department, month=month).update(
        status="draft"
    )
    versions: dict[int, int] = {}
    flip = [0]

    def save_all(count: int) -> None:
        flip[0] += 1
        from assessment.models import Figure

        versions.update(
            Figure.objects.filter(
                monthly_return__year=year,
                monthly_return__department=department,
                monthly_return__month=month,
            ).values_list("indicator_id", "version")
        )
        rows = [
            returns.FigureRow(
                indicator, Decimal(flip[0] % 7 + 1), "", versions.get(indicator.pk, 0)
            )
            for indicator in indicators[:count]
        ]
        result = returns.save_figures(
            user,
            year,
            department,
            month,
            rows,
            on=datetime.date(year.year, month, 3),
        )
        assert len(result.changed) == count, (count, result)

    def without_hook(count: int) -> Callable[[], None]:
        def run() -> None:
            spine._before_commit.remove(stored.on_write)
            try:
                save_all(count)
            finally:
                spine._before_commit.append(stored.on_write)

        return run

    from django.db import transaction

    from assessment.models import ValidationRule

    # Saves of made-up values: without the rules (their checks are not what is timed),
    # and rolled back afterwards, so the later benchmarks see the data as generated.
    with transaction.atomic():
        ValidationRule.objects.all().delete()
        _upkeep_rows(save_all, without_hook, len(indicators))
        transaction.set_rollback(True)


def _upkeep_rows(
    save_all: Callable[[int], None],
    without_hook: Callable[[int], Callable[[], None]],
    n_indicators: int,
) -> None:
    for count in (1, n_indicators):
        ours, floor = interleaved_cpu(
            15,
            lambda count=count: save_all(count),
            without_hook(count),
            clock=time.perf_counter,
        )
        per_figure = (ours - floor) / count
        ROWS.append(
            (
                f"roll-up upkeep, {count} figure(s) per save",
                "save_figures with the hook vs without, wall-clock medians",
                seconds(ours),
                seconds(floor),
                f"{per_figure * 1000:.2f} ms per figure (target ≤ 1 ms)",
            )
        )
        print(f"  upkeep {count}: {per_figure * 1000:.2f} ms per figure", flush=True)


def bench_export(year: Any, runs: int) -> None:
    from assessment.models import Department
    from assessment.spreadsheets import exports

    departments = list(Department.objects.all())

    def figures() -> bytes:
        return exports.figures_workbook(year, departments, "figures")

    def score_sheet() -> bytes:
        return exports.score_sheet_workbook(year, None, departments=departments)

    def plain(sheets: list[tuple[str, list[list[Any]]]]) -> bytes:
        wb = openpyxl.Workbook(write_only=True)
        for name, rows in sheets:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()

    ours_time, content = best_of(runs, figures)
    values = [
        (ws.title, [list(r) for r in ws.iter_rows(values_only=True)])
        for ws in openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    ]
    floor_time, _ = best_of(runs, lambda: plain(values))
    record(
        "xlsx export: figures",
        f"bureau, {len(departments)} departments × {N_INDICATORS} indicators",
        ours_time,
        floor_time,
        "",
    )
    ours_time, content = best_of(runs, score_sheet)
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    values = [
        (ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb
    ]
    floor_time, _ = best_of(runs, lambda: plain(values))
    record(
        "xlsx export: score sheet",
        f"bureau + {len(values) - 1} department sheets",
        ours_time,
        floor_time,
        "",
    )


def bench_import(runs: int) -> None:
    from assessment.models import Figure, MonthlyReturn, Role, User
    from assessment.spreadsheets import imports

    year, _targets, _ = make_catalogue(2000)
    from assessment.models import Indicator

    department = make_departments(900, 1)[0]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            year=year,
            code=f"M{i:04d}",
            name=f"导入指标 {i}",
            decimals=1,
            aggregation="sum",
            plausible_min=Decimal(0),
            plausible_max=Decimal(100000),
        )
        for i in range(1000)
    )
    Indicator.departments.through.objects.bulk_create(
        Indicator.departments.through(indicator_id=i.pk, department_id=department.pk)
        for i in indicators
    )
    user = User.objects.create_user("bench-clerk", password="x", role=Role.CLERK)
    user.departments.add(department)
    now = timezone.now()
    returns = MonthlyReturn.objects.bulk_create(
        MonthlyReturn(year=year, department=department, month=m, reopened_at=now)
        for m in range(1, 11)
    )
    Figure.objects.bulk_create(
        (
            Figure(monthly_return=r, indicator=i, value=Decimal(1))
            for r in returns[:5]
            for i in indicators
        ),
        batch_size=2000,
    )
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(imports.SHEET_NAME)
    ws.append([header for _key, header in imports.COLUMNS])
    for month in range(1, 11):
        for n, indicator in enumerate(indicators):
            ws.append(
                [
                    department.code,
                    indicator.code,
                    indicator.name,
                    "",
                    month,
                    n + 0.5,
                    "",
                ]
            )
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    today = datetime.date(2001, 6, 1)

    def raw_read() -> int:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        n = sum(1 for _row in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        return n

    def dry_run() -> imports.ImportReport:
        return imports.validate_upload(data, user, year, department, today=today)

    floor_time, n = best_of(runs, raw_read)
    dry_time, report = best_of(runs, dry_run)
    assert report.ok and len(report.changes) == 10000, report.problems[:3]
    start = time.perf_counter()
    result = imports.apply_import(report, user, today=today)
    apply_time = time.perf_counter() - start
    assert (result.created, result.updated) == (5000, 5000)
    record(
        "xlsx import: dry run",
        f"{n - 1:,} rows ({len(data) // 1024} KB)",
        dry_time,
        floor_time,
        "(target ≤ 3×)",
    )
    record(
        "xlsx import: dry run + apply",
        "5,000 new + 5,000 changed figures, with history",
        dry_time + apply_time,
        floor_time,
        "(target ≤ 3×)",
    )


def bench_report_pdf() -> None:
    """The demo bureau's full report PDF: a fresh render against WeasyPrint alone on the
    same HTML, and a download with nothing changed against the fresh render (CPU time,
    medians of interleaved runs)."""
    from benchmarks.report_pdf import bench_report_pdf as measure

    result = measure(runs=7)
    size = result["pdf_bytes"]
    fresh, alone = result["fresh_seconds"], result["weasyprint_seconds"]
    stored = result["stored_seconds"]
    record(
        "report PDF, fresh render",
        f"demo bureau's full report, {result['pages']} pages, {size / 1024:.0f} KB; "
        f"CPU, median of {result['runs']} interleaved runs",
        fresh,
        alone,
        f"(target ≤ 1.1×: {'met' if fresh <= 1.1 * alone else 'MISSED'}; "
        f"< 1 MB: {'met' if size < 1024 * 1024 else 'MISSED'})",
    )
    record(
        "report PDF, nothing changed",
        "the same download served from the store, against the fresh render",
        stored,
        fresh,
        f"(target ≤ 0.05×: {'met' if stored <= 0.05 * fresh else 'MISSED'})",
    )


# --- main -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="2 years instead of 10, one run each"
    )
    parser.add_argument(
        "--only",
        default="queries,entry,rollup,export,import,validation,catalogue,pdf",
        help="comma-separated subset of: queries, entry, rollup, export, import, "
        "validation, catalogue, pdf",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    n_years = 2 if args.quick else 10
    runs = 1 if args.quick else 3
    old_name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory() as tmp:
        if only - {"pdf"}:
            create_database(Path(tmp))
            try:
                run(n_years, runs, only)
            finally:
                destroy_database(old_name)
        if "pdf" in only:
            # The demo bureau's report, in a database holding the 2021 demo alone (the
            # roll-up's generated years would otherwise include 2021).
            (Path(tmp) / "pdf").mkdir()
            create_database(Path(tmp) / "pdf")
            try:
                bench_report_pdf()
            finally:
                destroy_database(old_name)
    print()
    print("| benchmark | workload | ours | floor | ratio |")
    print("| --- | --- | --- | --- | --- |")
    for row in ROWS:
        print("| " + " | ".join(row) + " |")


def run(n_years: int, runs: int, only: set[str]) -> None:
    from assessment.models import Role, User
    from tests.conftest import login

    latest = timezone.localdate().year - 1
    started = time.perf_counter()
    if "import" in only:
        bench_import(runs)
    if not only & {"queries", "rollup", "export", "validation", "entry", "catalogue"}:
        return
    year, targets, indicators = make_catalogue(latest)
    first = make_departments(0, 10)
    make_rules(year, indicators, first)
    assign(targets, indicators, first)
    make_figures(year, indicators, first)
    supervisor = User.objects.create_user(
        "bench-sup", password="x", role=Role.SUPERVISOR
    )
    clerk = User.objects.create_user("bench-clerk-a", password="x", role=Role.CLERK)
    clerk.departments.add(first[0])
    urls = page_urls(latest, first[0].code)
    clients = {
        label: login(clerk if "entry" in label else supervisor) for label in urls
    }
    at_10 = {
        label: count_queries(clients[label], {label: url})[label]
        for label, url in urls.items()
    }
    rest = make_departments(10, 90)
    assign(targets, indicators, rest)
    make_figures(year, indicators, rest)
    at_100 = {
        label: count_queries(clients[label], {label: url})[label]
        for label, url in urls.items()
    }
    for label in urls if "queries" in only else []:
        (q10, s10), (q100, s100) = at_10[label], at_100[label]
        verdict = "same" if q10 == q100 else "GROWS"
        ROWS.append(
            (
                f"query count: {label}",
                "10 vs 100 departments",
                f"{q100} queries (HTTP {s100})",
                f"{q10} queries (HTTP {s10})",
                verdict,
            )
        )
        print(f"  queries {label}: {q10} → {q100}", flush=True)
    if "entry" in only and "entry page" in urls:
        bench_entry(clients["entry page"], urls["entry page"], runs)

    departments = first + rest
    years = [year]
    wanted_years = n_years if "rollup" in only else 2 if "validation" in only else 1
    for offset in range(1, wanted_years):
        other, other_targets, other_indicators = make_catalogue(latest - offset)
        assign(other_targets, other_indicators, departments)
        make_figures(other, other_indicators, departments)
        years.append(other)
    print(f"data generated in {time.perf_counter() - started:.0f} s", flush=True)
    analyze()

    if "rollup" in only:
        bench_rollup(years, [d.pk for d in departments], runs)
        bench_rollup_upkeep(year, departments[0], indicators)
    if "export" in only:
        bench_export(year, runs)
    if "validation" in only:
        bench_validation(year, len(departments), runs)
    if "catalogue" in only:
        bench_catalogue_index(year, departments, max(runs, 5))


def analyze() -> None:
    """Planner statistics for the tables just filled, as autovacuum (PostgreSQL) or a
    routine ANALYZE gives a database in use: a freshly loaded one has none, and
    PostgreSQL then plans the stored roll-up's join badly."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_catalogue_index(year: Any, departments: list[Any], runs: int) -> None:
    """The bureau's report at 100 departments with the catalogue's indicators indexed by
    (target, department), against the same report scanning every indicator per lookup
    (as before the index); CPU time, medians of interleaved runs."""
    from assessment.reporting.report import build_report
    from assessment.scoring import results

    indexed = results._Catalogue.indicators_of

    def scan(self: Any, target_id: int, department_id: int) -> list[Any]:
        return [
            i
            for i in self.indicators
            if i.target_id == target_id
            and department_id in self.indicator_departments[i.pk]
        ]

    def with_lookup(lookup: Callable[..., list[Any]]) -> Callable[[], Any]:
        def report() -> Any:
            results._Catalogue.indicators_of = lookup  # type: ignore[method-assign]
            try:
                return build_report(year, None, departments)
            finally:
                results._Catalogue.indicators_of = indexed  # type: ignore[method-assign]

        return report

    ours, floor = interleaved_cpu(runs, with_lookup(indexed), with_lookup(scan))
    record(
        "bureau report, indicator lookups",
        f"{len(departments)} departments × {N_INDICATORS} indicators: build_report "
        "indexed by (target, department), against a scan per lookup",
        ours,
        floor,
        "(lower is better)",
    )


if __name__ == "__main__":
    main()
