"""The current calendar year: open, in progress up to last month.

Built from the day the demo loads (the bureau's time zone), so the demo is always
"this year": `build(today)`.
"""

from __future__ import annotations

import datetime

from sanitation.bureau.demo.current import figures, records
from sanitation.bureau.demo.y2021 import DATA as Y2021
from sanitation.bureau.demo.y2021 import catalogue
from sanitation.bureau.demo.year import DemoYear


def build(today: datetime.date) -> DemoYear | None:
    """The demo's current year on `today`; None while that is 2021 or earlier (the
    self-review's year and the one before are demo years of their own)."""
    if today.year <= Y2021.year:
        return None
    months = today.month - 1  # the current month is not due yet
    return DemoYear(
        year=today.year,
        settings={
            **catalogue.SETTINGS,
            "title": f"{today.year}年度目标管理考核",
            "status": "open",
        },
        categories=Y2021.categories,
        sections=[{**spec, "text": ""} for spec in Y2021.sections],
        targets=Y2021.targets,
        outline=Y2021.outline,
        indicators=figures.INDICATORS,
        figure_notes={},
        month_states=figures.month_states(months),
        records=records.records(today.year, months),
        self_assessments={},
        score_overrides={},
        adjustments=[],
        report_texts={},
        evidence=[],
        english=dict(records.ENGLISH),
        months=months,
    )
