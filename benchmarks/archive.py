"""Benchmark: the year archive at district scale on one process (as on one worker).

`python benchmarks/archive.py [--departments 101]` builds a throwaway database (as
run.py does) with 80 indicators under 20 targets and a year of monthly figures for each
department, then measures, in CPU time (`time.process_time`):

- one department's documents alone (report PDF, score sheet PDF, figures spreadsheet),
  the median of three;
- the whole archive (`assessment.jobs.work.make_archive`: every department's documents
  and the bureau's), once, with its size; and the archive's time per document set
  (departments + the bureau) against the single department's.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from django.db import connection
from django.utils import timezone, translation
from run import (
    assign,
    create_database,
    destroy_database,
    make_catalogue,
    make_departments,
    make_figures,
)


def one_department(year, department) -> float:
    from assessment.reporting import score_sheet
    from assessment.reporting.rendering import render_report_pdf
    from assessment.reporting.report import build_report
    from assessment.scoring import results
    from assessment.spreadsheets import exports

    started = time.process_time()
    render_report_pdf(build_report(year, department))
    score_sheet.department_pdf(results.department_result(year, department))
    exports.figures_workbook(year, [department], "figures")
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=101)
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    with tempfile.TemporaryDirectory() as tmp:
        create_database(Path(tmp))
        try:
            run(args.departments)
        finally:
            destroy_database(old_name)


def run(count: int) -> None:
    from assessment.jobs import work
    from assessment.models import Job, JobKind, Role, User

    year, targets, indicators = make_catalogue(timezone.localdate().year - 1)
    departments = make_departments(0, count)
    assign(targets, indicators, departments)
    make_figures(year, indicators, departments)
    supervisor = User.objects.create_user(
        "bench-sup", password="x", role=Role.SUPERVISOR
    )
    with translation.override("zh-hans"):
        single = statistics.median(
            one_department(year, departments[0]) for _ in range(3)
        )
        job = Job(started_by=supervisor, kind=JobKind.ARCHIVE, year=year)
        wall = time.perf_counter()
        cpu = time.process_time()
        output = work.make_archive(job, lambda *a: None)
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
    output.file.seek(0, 2)
    size = output.file.tell()
    per_set = cpu / (count + 1)
    print(f"departments: {count}, indicators: {len(indicators)}")
    print(f"one department's documents: {single:.2f} s CPU (median of 3)")
    print(
        f"archive: {cpu:.1f} s CPU, {wall:.1f} s wall, {size / 1024 / 1024:.1f} MB; "
        f"per document set {per_set:.2f} s = {per_set / single:.2f}x one department"
    )


if __name__ == "__main__":
    main()
