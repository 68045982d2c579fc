"""The demo: the bureau's departments and accounts, and its years of data.

`people` holds the departments and accounts every year shares; each year is a
package of data modules building a `DemoYear`: `y2021/` (the 2021 self-review),
`y2020/` (the year before, closed, 2021's pattern scaled back) and `current/` (this
calendar year, open and in progress, built from the day the demo loads). `loader`
writes them. Another year is added by writing its package and listing it in `years`.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.utils import timezone

from assessment.figures import stored
from assessment.models import AssessmentYear
from sanitation.bureau.demo import current, loader, people
from sanitation.bureau.demo.evidence import evidence_image, evidence_pdf
from sanitation.bureau.demo.loader import monthly_values
from sanitation.bureau.demo.people import PASSWORD, UNITS, USERS
from sanitation.bureau.demo.y2020 import DATA as Y2020
from sanitation.bureau.demo.y2021 import DATA as Y2021
from sanitation.bureau.demo.year import DemoYear

#: The self-review's year: the one whose report the demo tells in full.
YEAR = Y2021.year

__all__ = [
    "PASSWORD",
    "UNITS",
    "USERS",
    "YEAR",
    "Y2020",
    "Y2021",
    "DemoYear",
    "delete_demo",
    "demo_exists",
    "evidence_image",
    "evidence_pdf",
    "load",
    "monthly_values",
    "people",
    "responsible_pairs",
    "years",
]


def years(today: datetime.date | None = None) -> list[DemoYear]:
    """Every demo year, oldest first: 2020, 2021 and the current calendar year
    (the bureau's date, `TIME_ZONE`) when that is later than 2021."""
    this_year = current.build(today or timezone.localdate())
    return [Y2020, Y2021, *([this_year] if this_year else [])]


def demo_exists() -> bool:
    """Every demo year is in the database."""
    return all(loader.year_exists(data) for data in years())


def load(stdout: TextIO, only: list[DemoYear] | None = None) -> None:
    """Load every demo year (or those in `only`) that is not in the database yet."""
    loaded = []
    for data in years() if only is None else only:
        if not loader.year_exists(data):
            loader.load_year(data, stdout)
            loaded.append(data.year)
    # The figures and records were bulk-created: the stored roll-up follows once.
    for year in AssessmentYear.objects.filter(year__in=loaded):
        stored.rebuild(year)


def delete_demo(stdout: TextIO) -> None:
    """Remove every demo year with its records and evidence files."""
    for data in reversed(years()):
        loader.delete_year(data, stdout)


def responsible_pairs() -> list[tuple[str, str]]:
    """(target code, department code) of the self-review's year."""
    return Y2021.responsible_pairs()
