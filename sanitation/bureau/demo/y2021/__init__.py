"""The 2021 demo year, from the bureau's self-review (年度目标管理考核自查总结)."""

from __future__ import annotations

from sanitation.bureau.demo.y2021 import (
    catalogue,
    english,
    figures,
    records,
    scoring,
    texts,
)
from sanitation.bureau.demo.year import DemoYear

DATA = DemoYear(
    year=2021,
    settings=catalogue.SETTINGS,
    categories=catalogue.CATEGORIES,
    sections=[
        {
            **spec,
            "heading": catalogue.SECTION_HEADINGS[spec["code"]],
            "text": texts.SECTION_TEXTS[spec["code"]],
        }
        for spec in catalogue.SECTIONS
    ],
    targets=catalogue.TARGETS,
    outline=catalogue.OUTLINE,
    indicators=figures.INDICATORS,
    figure_notes=figures.FIGURE_NOTES,
    month_states=figures.MONTH_STATES,
    month_ranges=figures.MONTH_RANGES,
    follow_ups=figures.FOLLOW_UPS,
    records=records.RECORDS,
    self_assessments=scoring.SELF_ASSESSMENTS,
    score_overrides=scoring.SCORE_OVERRIDES,
    adjustments=scoring.ADJUSTMENTS,
    report_texts=texts.REPORT_TEXTS,
    evidence=scoring.EVIDENCE,
    english=english.ENGLISH,
)
