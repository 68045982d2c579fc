"""Year archive benchmark: `python benchmarks/archive.py [--departments 100] [--runs 5]`.

Builds a throwaway database (as benchmarks/run.py does: a temporary SQLite file, or
Django's test database beside DATABASE_URL's) with a bureau and N units (80 indicators,
20 targets, a year of approved figures, every target scored) and measures, on one
process as on one worker:

- the year archive (`assessment.jobs.work.make_archive`: every unit's report PDF, score
  sheet PDF and figures spreadsheet, and the bureau's, zipped with the manifest), its
  CPU time (`time.process_time`), wall time and size;
- every PDF rendered anew (the report store emptied before each measurement);
- a single department's documents (its report PDF, score sheet and figures spreadsheet,
  the archive's work for one unit), and its report PDF alone, medians of `--runs`;
- the archive's time per department (its time over the N + 1 documents' sets) against
  a single department's set: the target is within 1.2×.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# Stored report PDFs and the like go to a throwaway folder, not the worktree's.
os.environ.setdefault("TEST_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-archive-"))

import run as bench  # noqa: E402  (sets up Django with the test settings)
from django.db import connection  # noqa: E402
from django.utils import timezone, translation  # noqa: E402


def make_data(n_units: int) -> tuple[Any, Any, list[Any]]:
    from assessment.models import Department, Role, Score, User

    year, targets, indicators = bench.make_catalogue(timezone.localdate().year - 1)
    bureau = Department.objects.create(code="bureau", name="区环境卫生管理局", order=0)
    units = bench.make_departments(1, n_units)
    Department.objects.filter(pk__in=[u.pk for u in units]).update(parent=bureau)
    bench.assign(targets, indicators, units)
    bench.make_figures(year, indicators, units)
    supervisor = User.objects.create_user(
        "bench-archive", password="x", role=Role.SUPERVISOR, is_superuser=True
    )
    Score.objects.bulk_create(
        Score(
            target=target,
            department=unit,
            assessed_score=Decimal(4),
            scored_by=supervisor,
        )
        for unit in units
        for target in targets
    )
    return year, supervisor, units


def measure(func: Any) -> tuple[float, float, Any]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = func()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--archive-runs", type=int, default=1)
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory() as tmp:
        bench.create_database(Path(tmp))
        try:
            run(args.departments, args.runs, args.archive_runs)
        finally:
            bench.destroy_database(old_name)


def run(n_units: int, runs: int, archive_runs: int) -> None:
    from assessment.jobs import work
    from assessment.models import Job, JobKind, StoredReport
    from assessment.reporting import score_sheet
    from assessment.reporting.report import build_report
    from assessment.reporting.store import report_pdf
    from assessment.scoring import results
    from assessment.spreadsheets import exports

    started = time.perf_counter()
    year, supervisor, units = make_data(n_units)
    print(f"data: 1 bureau + {n_units} units in {time.perf_counter() - started:.0f} s")
    job = Job.objects.create(started_by=supervisor, kind=JobKind.ARCHIVE, year=year)

    def fresh() -> None:
        # Every measurement renders anew: no PDF served from the report store.
        StoredReport.objects.all().delete()

    def archive() -> int:
        fresh()
        output = work.make_archive(job, lambda done, total, label: None)
        with output.file:
            output.file.seek(0, os.SEEK_END)
            return output.file.tell()

    unit = units[len(units) // 2]

    def one_report() -> bytes:
        fresh()
        return report_pdf(build_report(year, unit))

    def one_set() -> int:
        fresh()
        size = len(one_report())
        size += len(score_sheet.department_pdf(results.department_result(year, unit)))
        size += len(exports.figures_workbook(year, [unit], "figures"))
        return size

    with translation.override("zh-hans"):
        one_set()  # warm the fonts and caches for both sides alike
        set_cpu, set_wall, report_cpu, report_wall = [], [], [], []
        for _ in range(runs):
            cpu, wall, _size = measure(one_set)
            set_cpu.append(cpu)
            set_wall.append(wall)
            cpu, wall, _pdf = measure(one_report)
            report_cpu.append(cpu)
            report_wall.append(wall)
        archive_cpu, archive_wall, size = [], [], 0
        for _ in range(archive_runs):
            cpu, wall, size = measure(archive)
            archive_cpu.append(cpu)
            archive_wall.append(wall)
    median = statistics.median
    sets = n_units + 1
    per_cpu = median(archive_cpu) / sets
    per_wall = median(archive_wall) / sets
    print()
    print("| measure | CPU | wall |")
    print("| --- | ---: | ---: |")
    print(
        f"| year archive, bureau + {n_units} units ({size / 1024 / 1024:.1f} MB, "
        f"{archive_runs} run{'s' if archive_runs > 1 else ''}) | "
        f"{median(archive_cpu):.1f} s | {median(archive_wall):.1f} s |"
    )
    print(
        f"| archive per department ({sets} sets) | {per_cpu:.2f} s | {per_wall:.2f} s |"
    )
    print(
        f"| one department's set: report PDF, score sheet, figures (median of {runs}) | "
        f"{median(set_cpu):.2f} s | {median(set_wall):.2f} s |"
    )
    print(
        f"| one department's report PDF alone (median of {runs}) | "
        f"{median(report_cpu):.2f} s | {median(report_wall):.2f} s |"
    )
    print(
        f"| ratio: per department / one set | {per_cpu / median(set_cpu):.2f}× | "
        f"{per_wall / median(set_wall):.2f}× (target ≤ 1.2×) |"
    )
    print(
        f"| ratio: per department / one report PDF | "
        f"{per_cpu / median(report_cpu):.2f}× | {per_wall / median(report_wall):.2f}× |"
    )


if __name__ == "__main__":
    main()
