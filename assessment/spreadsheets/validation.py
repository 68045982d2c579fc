"""The validation run as .xlsx: the same lines as the page, one row each."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from assessment.quality import listing
from assessment.quality.run import Run, Violation
from assessment.spreadsheets.exports import Column, Row, SheetSpec, render_xlsx


def run_columns() -> list[Column]:
    return [
        Column(_("Rule or range"), 28),
        Column(_("Importance"), 12),
        Column(_("Department"), 16),
        Column(_("Month"), 8),
        Column(_("Indicator"), 24),
        Column(_("Left side / value"), 14, numeric=True),
        Column(_("Right side"), 14, numeric=True),
        Column(_("Allowed"), 20),
        Column(_("Note given"), 10),
        Column(_("Message"), 40),
    ]


def run_rows(run: Run, violations: Iterable[Violation]) -> Iterator[Row]:
    yes, no = _("yes"), _("no")
    for line in listing.lines(run, violations):
        yield Row(
            [
                line.name,
                line.importance_label,
                line.department,
                line.month,
                line.indicator,
                line.left_value,
                line.right_value,
                line.span,
                yes if line.noted else no,
                line.detail,
            ],
            decimals=line.decimals,
        )


def run_workbook(run: Run, violations: Iterable[Violation], *, title: str) -> bytes:
    months = run.months
    subtitle = _("Months %(start)d–%(end)d") % {"start": months[0], "end": months[-1]}
    return render_xlsx(
        [
            SheetSpec(
                name=_("Validation run"),
                title=title,
                subtitle=subtitle,
                columns=run_columns(),
                rows=run_rows(run, violations),
                freeze_columns=1,
            )
        ]
    )
