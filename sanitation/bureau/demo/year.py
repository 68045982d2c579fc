"""The shape of one demo year: plain data that `loader` writes.

A year of demo data is a `DemoYear` built in its own package: `y2021/` (the
self-review), `y2020/` (the year before, closed) and `current/` (this calendar year,
in progress, built from the day the demo loads); `demo.years()` lists them. The loader
knows nothing of any particular year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DemoYear:
    year: int
    #: AssessmentYear fields besides the year.
    settings: dict[str, Any]
    #: (code, name, heading in the report, part of the report)
    categories: list[tuple[str, str, str, str]]
    #: {"code", "category", "parent" (code or None), "heading", "text"}
    sections: list[dict[str, Any]]
    #: {"code", "category", "name", "points", "departments" (codes), "rule",
    #:  "standard", "evidence", optional "section", "combine", "deduction_per_unit"}
    targets: list[dict[str, Any]]
    #: Section and target codes in reading order: their shared `order`.
    outline: list[str]
    #: {"code", "name", "target", "unit", "decimals", "aggregation", "range",
    #:  "annual_target", "departments", "monthly" (12 values) or "source"}
    indicators: list[dict[str, Any]]
    figure_notes: dict[tuple[str, int], str]
    #: (department, month) -> (status, comment, reopen reason); every other month of
    #: every unit is approved.
    month_states: dict[tuple[str, int], tuple[str, str, str]]
    #: Work records by model name ("Donation", "Petition", ...): lists of field dicts
    #: with a "department" code and ISO dates.
    records: dict[str, list[dict[str, Any]]]
    #: (target, department) -> (self score, 完成情况)
    self_assessments: dict[tuple[str, str], tuple[str, str]]
    #: (target, department) -> (assessed score, reason); others at the self score.
    score_overrides: dict[tuple[str, str], tuple[str, str]]
    #: (department, kind, points, target code or None, reason)
    adjustments: list[tuple[str, str, str, str | None, str]]
    #: department code or None (the bureau) -> (overview, closing)
    report_texts: dict[str | None, tuple[str, str]]
    #: (kind "png"/"pdf", original name, caption, ("sa", target, dept) or
    #:  ("adjustment", department, target code))
    evidence: list[tuple[str, str, str, tuple[str, str, str]]]
    #: The report's texts in English: Chinese text -> English.
    english: dict[str, str] = field(default_factory=dict)
    #: How many months have returns and figures (from January): fewer than 12 for
    #: the year in progress, whose later months are not due yet.
    months: int = 12
    #: (indicator code, month) -> (plausible min, max) of that month.
    month_ranges: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    #: (department, indicator code, month) -> why the supervisor marked the value.
    follow_ups: dict[tuple[str, str, int], str] = field(default_factory=dict)
    #: A finished round of publication (公示), objections and rectification, or {}:
    #: "window" (ISO start, end), "published" and "final" ((month, day, hour) of the
    #: following year, by `supervisor`), "objections" ({"department", "target",
    #: "grounds", "filed", "upheld", "new_points", "answer", "answered",
    #: "answered_by", optional "reason"}) and "rectifications" ({"department",
    #: "target", "measures", "owner", "planned"}).
    appeals: dict[str, Any] = field(default_factory=dict)

    def responsible_pairs(self) -> list[tuple[str, str]]:
        """(target code, department code) for every target and responsible unit."""
        return [
            (spec["code"], code)
            for spec in self.targets
            for code in spec["departments"]
        ]
