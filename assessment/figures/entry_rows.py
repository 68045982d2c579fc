"""The entry page's indicator rows written out in one pass.

The table has a row per indicator (about 80) with three inputs, their errors and the
reference values: through the template engine that is some 2,000 variable lookups and
tag renders, most of the page's time. Here each row is one string built from the
row's prepared values, escaped as the template would escape them; the template writes
the result in place (`templates/assessment/figures/entry.html`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from assessment.figures.forms import FigureInputs

DASH = "—"


@dataclass(frozen=True)
class RowLabels:
    """The translated words every row repeats, looked up once per page."""

    flagged_title: str
    flagged_label: str
    last_month: str
    last_year: str
    history: str
    from_records: str
    see_records: str
    incomplete: str


def render_rows(
    rows: Iterable[Any],
    labels: RowLabels,
    *,
    editable: bool,
    findings_html: Callable[[Sequence[Any]], str],
) -> SafeString:
    """The `<tr>` of every row; `findings_html` writes a row's rule findings (only
    called for the few rows that have some)."""
    flag = (
        f'<span class="badge text-bg-warning follow-up-flag" '
        f'title="{escape(labels.flagged_title)}">{escape(labels.flagged_label)}</span>'
    )
    tail = (
        f'<td class="num text-body-secondary" data-label="{escape(labels.last_month)}">',
        f'</td><td class="num text-body-secondary" data-label="{escape(labels.last_year)}">',
    )
    history = f' tabindex="-1">{escape(labels.history)}</a>'
    off = "" if editable else " disabled"
    parts: list[str] = []
    add = parts.append
    for row in rows:
        indicator = row.indicator
        name = escape(indicator.name)
        inputs: FigureInputs | None = row.inputs
        key = row.key
        findings = findings_html(row.findings) if row.findings else ""
        add(
            '<tr class="table-danger-subtle">'
            if inputs is not None and inputs.has_errors
            else "<tr>"
        )
        add(
            f'<th scope="row" class="fw-normal"><label for="'
            f'{escape(inputs.value_id) if inputs is not None else ""}">{name}</label>'
        )
        if row.follow_ups:
            add(flag)
        if row.target_code is not None:
            add(
                f'<div class="small text-body-secondary">{escape(row.target_code)}</div>'
            )
        add(
            f'</th><td class="text-body-secondary text-nowrap">'
            f"{escape(indicator.unit)}</td>"
        )
        if inputs is not None:
            add(_typed_cells(inputs, name, key, findings, off, labels.incomplete))
        else:
            add(_computed_cells(row.computed, key, findings, labels))
        add(tail[0])
        add(escape(row.last_month) or DASH)
        add(tail[1])
        add(escape(row.last_year) or DASH)
        add(f'</td><td class="small text-body-secondary rule">{escape(row.rule)}</td>')
        add('<td class="small text-nowrap">')
        if row.history_url:
            add(f'<a href="{escape(row.history_url)}"{history}')
        add("</td></tr>\n")
    return mark_safe("".join(parts))


def _typed_cells(
    fields: FigureInputs, name: str, key: str, findings: str, off: str, incomplete: str
) -> str:
    value_id = escape(fields.value_id)
    version = "" if fields.version is None else f' value="{escape(fields.version)}"'
    if fields.value_errors:
        invalid = " is-invalid"
        described = (
            f' aria-invalid="true" aria-describedby="{value_id}-error findings-{key}"'
        )
    else:
        invalid = ""
        described = f' aria-describedby="findings-{key}"'
    errors = ""
    if fields.has_errors:
        errors = (
            "".join(
                f'<div class="invalid-feedback text-start" id="{value_id}-error">'
                f"{escape(error)}</div>"
                for error in fields.value_errors
            )
            + "".join(
                f'<div class="text-danger small text-start">{escape(incomplete)}</div>'
                for _error in fields.version_errors
            )
            + "".join(
                f'<div class="text-danger small text-start">{escape(error)}</div>'
                for error in fields.non_field_errors
            )
        )
    note_errors = "".join(
        f'<div class="invalid-feedback">{escape(error)}</div>'
        for error in fields.note_errors
    )
    return (
        f'<td class="num"><input type="hidden" name="{escape(fields.version_name)}"'
        f"{version}{' disabled' if fields.disabled else ''}"
        f' id="{escape(fields.version_id)}">'
        f'<input type="text" name="{escape(fields.value_name)}" id="{value_id}"'
        f' value="{escape(fields.value)}"'
        f' class="form-control form-control-sm fig-value{invalid}" inputmode="decimal"'
        f' autocomplete="off" aria-label="{name}"{described}{off}>{errors}</td>'
        f'<td><input type="text" name="{escape(fields.note_name)}"'
        f' id="{escape(fields.note_id)}" value="{escape(fields.note)}" maxlength="500"'
        f' class="form-control form-control-sm fig-note'
        f'{" is-invalid" if fields.note_errors else ""}" autocomplete="off"'
        f' aria-label="{escape(fields.note_label)}"{off}>{note_errors}'
        f'<div class="rule-findings" id="findings-{key}" data-indicator="{key}"'
        f' aria-live="polite">{findings}</div></td>'
    )


def _computed_cells(computed: Any, key: str, findings: str, labels: RowLabels) -> str:
    if computed is None:
        value = link = ""
    else:
        value = (
            DASH if computed.value is None else escape(str(localize(computed.value)))
        )
        link = (
            f' <a href="{escape(computed.records_url)}" tabindex="-1">'
            f"{escape(labels.see_records)}</a>"
        )
    return (
        f'<td class="num"><span class="computed-value fw-semibold">{value}</span></td>'
        f'<td class="small"><span class="badge text-bg-light border">'
        f"{escape(labels.from_records)}</span>{link}"
        f'<div class="rule-findings" id="findings-{key}" data-indicator="{key}"'
        f' aria-live="polite">{findings}</div></td>'
    )
