"""The demo: the bureau's departments and accounts, and its years of data.

`people` holds the departments and accounts every year shares; each year is a
package of data modules building a `DemoYear` (`y2021/`: the 2021 self-review);
`loader` writes them. Another year is added by writing its package and listing its
`DATA` in `YEARS`.
"""

from __future__ import annotations

from typing import TextIO

from sanitation.bureau.demo import loader, people
from sanitation.bureau.demo.evidence import evidence_image, evidence_pdf
from sanitation.bureau.demo.loader import monthly_values
from sanitation.bureau.demo.people import PASSWORD, UNITS, USERS
from sanitation.bureau.demo.y2021 import DATA as Y2021
from sanitation.bureau.demo.year import DemoYear

#: Every demo year, oldest first.
YEARS: list[DemoYear] = [Y2021]
#: The year the demo shows first (its newest).
YEAR = YEARS[-1].year

__all__ = [
    "PASSWORD",
    "UNITS",
    "USERS",
    "YEAR",
    "YEARS",
    "DemoYear",
    "delete_demo",
    "demo_exists",
    "evidence_image",
    "evidence_pdf",
    "load",
    "monthly_values",
    "people",
    "responsible_pairs",
]


def demo_exists() -> bool:
    """Every demo year is in the database."""
    return all(loader.year_exists(data) for data in YEARS)


def load(stdout: TextIO) -> None:
    """Load every demo year that is not in the database yet."""
    for data in YEARS:
        if not loader.year_exists(data):
            loader.load_year(data, stdout)


def delete_demo(stdout: TextIO) -> None:
    """Remove every demo year with its records and evidence files."""
    for data in reversed(YEARS):
        loader.delete_year(data, stdout)


def responsible_pairs() -> list[tuple[str, str]]:
    """(target code, department code) of the newest year."""
    return YEARS[-1].responsible_pairs()
