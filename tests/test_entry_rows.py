"""The entry page's rows written out in one pass are the markup the template wrote
row by row: the same rows through both, compared with whitespace between tags dropped."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from assessment.figures.entry_rows import RowLabels, render_rows
from assessment.figures.forms import FigureForm, initial_inputs
from assessment.models import Figure, Indicator
from assessment.views.figures.month import EntryRow, _row_labels

#: The rows as the page's template wrote them before (the reference).
REFERENCE = Template(
    """{% load i18n %}{% translate "Flagged for follow-up" as flagged_title %}{% translate "Follow-up" as flagged_label %}{% translate "Last month" as last_month_label %}{% translate "Same month last year" as last_year_label %}{% translate "History" as history_label %}
          {% for row in rows %}
            <tr{% if row.inputs.has_errors %} class="table-danger-subtle"{% endif %}>
              <th scope="row" class="fw-normal">
                <label for="{{ row.inputs.value_id }}">{{ row.indicator.name }}</label>
                {% if row.follow_ups %}<span class="badge text-bg-warning follow-up-flag" title="{{ flagged_title }}">{{ flagged_label }}</span>{% endif %}
                {% if row.target_code is not None %}<div class="small text-body-secondary">{{ row.target_code }}</div>{% endif %}
              </th>
              <td class="text-body-secondary text-nowrap">{{ row.indicator.unit }}</td>
              {% if row.inputs %}{% with fields=row.inputs pk=row.key %}
                <td class="num">
                  <input type="hidden" name="{{ fields.version_name }}"{% if fields.version is not None %} value="{{ fields.version }}"{% endif %}{% if fields.disabled %} disabled{% endif %} id="{{ fields.version_id }}">
                  <input type="text" name="{{ fields.value_name }}" id="{{ fields.value_id }}" value="{{ fields.value }}"
                    class="form-control form-control-sm fig-value{% if fields.value_errors %} is-invalid{% endif %}" inputmode="decimal" autocomplete="off"
                    aria-label="{{ row.indicator.name }}"{% if fields.value_errors %} aria-invalid="true" aria-describedby="{{ fields.value_id }}-error findings-{{ pk }}"{% else %} aria-describedby="findings-{{ pk }}"{% endif %}{% if not editable %} disabled{% endif %}>
                  {% if fields.has_errors %}{% for error in fields.value_errors %}<div class="invalid-feedback text-start" id="{{ fields.value_id }}-error">{{ error }}</div>{% endfor %}
                  {% for error in fields.version_errors %}<div class="text-danger small text-start">{% translate "The page was incomplete; reload it and try again." %}</div>{% endfor %}
                  {% for error in fields.non_field_errors %}<div class="text-danger small text-start">{{ error }}</div>{% endfor %}{% endif %}
                </td>
                <td>
                  <input type="text" name="{{ fields.note_name }}" id="{{ fields.note_id }}" value="{{ fields.note }}" maxlength="500"
                    class="form-control form-control-sm fig-note{% if fields.note_errors %} is-invalid{% endif %}" autocomplete="off"
                    aria-label="{{ fields.note_label }}"{% if not editable %} disabled{% endif %}>
                  {% for error in fields.note_errors %}<div class="invalid-feedback">{{ error }}</div>{% endfor %}
                  <div class="rule-findings" id="findings-{{ pk }}" data-indicator="{{ pk }}" aria-live="polite">{% if row.findings %}{% include "assessment/figures/rule_findings.html" with findings=row.findings %}{% endif %}</div>
                </td>
              {% endwith %}{% else %}
                <td class="num">
                  <span class="computed-value fw-semibold">{{ row.computed.value|default_if_none:"—" }}</span>
                </td>
                <td class="small">
                  <span class="badge text-bg-light border">{% translate "From work records" %}</span>
                  {% if row.computed %}<a href="{{ row.computed.records_url }}" tabindex="-1">{% translate "See the records" %}</a>{% endif %}
                  <div class="rule-findings" id="findings-{{ row.key }}" data-indicator="{{ row.key }}" aria-live="polite">{% if row.findings %}{% include "assessment/figures/rule_findings.html" with findings=row.findings %}{% endif %}</div>
                </td>
              {% endif %}
              <td class="num text-body-secondary" data-label="{{ last_month_label }}">{{ row.last_month|default:"—" }}</td>
              <td class="num text-body-secondary" data-label="{{ last_year_label }}">{{ row.last_year|default:"—" }}</td>
              <td class="small text-body-secondary rule">{{ row.rule }}</td>
              <td class="small text-nowrap">{% if row.history_url %}<a href="{{ row.history_url }}" tabindex="-1">{{ history_label }}</a>{% endif %}</td>
            </tr>{% endfor %}"""
)


def _squeeze(html: str) -> str:
    html = re.sub(r">\s+<", "><", html.strip())
    html = re.sub(r"\s+", " ", html)
    return html.replace("> ", ">").replace(" <", "<")


def _finding(rule_id: int, importance: str = "warn") -> SimpleNamespace:
    return SimpleNamespace(
        rule_id=rule_id,
        importance=importance,
        importance_label="Warning",
        name="A <rule>",
        message="Check & correct",
        span="",
        left="1",
        right="2",
        expression="A ≤ B",
        from_others=False,
        others=(),
        blocks=importance == "block",
    )


def _row(indicator: Indicator, **kwargs) -> EntryRow:
    values = {
        "indicator": indicator,
        "key": str(indicator.pk),
        "form": None,
        "inputs": None,
        "target_code": None,
        "figure": None,
        "history_url": "",
        "computed": None,
        "last_month": "",
        "last_year": "",
        "rule": "",
        "findings": [],
        "follow_ups": [],
    }
    values.update(kwargs)
    return EntryRow(**values)


def _rows() -> list[EntryRow]:
    plain = Indicator(pk=1, code="A", name='清扫面积 <m²> & "x"', unit="m²", decimals=1)
    saved = Figure(value=Decimal("12.5"), note="rain 'heavy'", version=3)
    bound = FigureForm(
        {"f-2-value": "1,5", "f-2-note": "", "f-2-version": "x"},
        indicator=Indicator(pk=2, code="B", name="B", decimals=0),
        figure=None,
    )
    bound.is_valid()
    noted = FigureForm(
        {"f-3-value": "", "f-3-note": "why", "f-3-version": "0"},
        indicator=Indicator(pk=3, code="C", name="C", decimals=0),
        figure=None,
    )
    noted.is_valid()
    fed = Indicator(pk=4, code="D", name="D", source="trips")
    return [
        _row(
            plain,
            inputs=initial_inputs(plain, saved),
            target_code="1.1",
            history_url="/figures/9/history/",
            last_month="11.0",
            last_year="9.5",
            rule="100–200, 1 decimal",
            findings=[_finding(5), _finding(6, "block")],
            follow_ups=[object()],
        ),
        _row(bound.indicator, inputs=bound.inputs(), target_code=""),
        _row(noted.indicator, inputs=noted.inputs()),
        _row(fed),
        _row(
            fed,
            key="5",
            computed=SimpleNamespace(value=Decimal("7.25"), records_url="/r?a=1&b=2"),
            findings=[_finding(7)],
        ),
    ]


@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_are_what_the_template_wrote(editable, language):
    unmet_ids = {6}
    findings = get_template("assessment/figures/rule_findings.html")
    with translation.override(language):
        rows = _rows()
        reference = REFERENCE.render(
            Context({"rows": rows, "editable": editable, "unmet_ids": unmet_ids})
        )
        ours = render_rows(
            rows,
            _row_labels(),
            editable=editable,
            findings_html=lambda found: findings.render(
                {"findings": found, "unmet_ids": unmet_ids}
            ),
        )
    assert _squeeze(ours) == _squeeze(reference)
    assert "&lt;m²&gt; &amp; &quot;x&quot;" in ours  # escaped once, as the template did


def test_a_row_without_findings_never_asks_for_them():
    asked = []
    indicator = Indicator(pk=1, code="A", name="A")
    labels = RowLabels(*"abcdefgh")
    html = render_rows(
        [_row(indicator, inputs=initial_inputs(indicator, None))],
        labels,
        editable=True,
        findings_html=asked.append,
    )
    assert asked == []
    assert 'id="findings-1"' in html and " disabled" not in html
