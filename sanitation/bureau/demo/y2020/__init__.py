"""The 2020 demo year: closed, 2021's pattern scaled back (y2020/figures.py)."""

from __future__ import annotations

from sanitation.bureau.demo.y2020 import appeals, figures, records, scoring, texts
from sanitation.bureau.demo.y2021 import DATA as Y2021
from sanitation.bureau.demo.y2021 import catalogue
from sanitation.bureau.demo.year import DemoYear

DATA = DemoYear(
    year=2020,
    settings={
        **catalogue.SETTINGS,
        "title": "2020年度目标管理考核",
        "status": "closed",
    },
    categories=Y2021.categories,
    sections=[
        {**spec, "text": texts.SECTION_TEXTS[spec["code"]]} for spec in Y2021.sections
    ],
    targets=Y2021.targets,
    outline=Y2021.outline,
    indicators=figures.INDICATORS,
    figure_notes=figures.FIGURE_NOTES,
    month_states=figures.MONTH_STATES,
    records=records.RECORDS,
    self_assessments=scoring.SELF_ASSESSMENTS,
    score_overrides=scoring.SCORE_OVERRIDES,
    adjustments=[],
    report_texts=texts.REPORT_TEXTS,
    evidence=[],
    english={**Y2021.english, **scoring.ENGLISH, **texts.ENGLISH, **appeals.ENGLISH},
    appeals=appeals.APPEALS,
)
