"""The dashboard's charts, drawn as the rest of the app's (`reporting.charts`): each
department's projected result, and a key indicator's months this year beside last
year's. Every chart has its table beside it on the page, for who cannot see it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

import pygal
from django.utils.safestring import mark_safe

from assessment.reporting import charts
from assessment.reporting.charts import Chart

LAST_YEAR_COLOUR = "#9aa5b1"
STYLE = charts._style(charts.SANS, 13, "transparent")
TREND_STYLE = charts._style(charts.SANS, 12, "transparent")
TREND_STYLE.colors = (charts.SERIES, LAST_YEAR_COLOUR)


def projected_chart(
    caption: str, bars: Sequence[tuple[str, Decimal | None, str]]
) -> Chart:
    """One horizontal bar per (department, projected per 100, colour), 0 to 100."""
    chart = pygal.HorizontalBar(
        style=STYLE,
        js=[],
        css=[],
        disable_xml_declaration=True,
        width=560,
        height=max(120, 44 * len(bars) + 60),
        explicit_size=False,
        show_legend=False,
        x_labels=[label for label, _value, _colour in bars],
        y_labels=[0, 20, 40, 60, 80, 100],
        range=(0, 100),
        print_values=True,
        value_formatter=lambda value: charts.number(value, 2),
        include_x_axis=True,
        no_data_text="",
    )
    chart.add(
        caption,
        [
            {"value": float(value), "color": colour} if value is not None else None
            for _label, value, colour in bars
        ],
    )
    svg = charts._lean(chart.render_tree(), caption, font=charts.SANS, size=13)
    return Chart(caption, mark_safe(svg))  # noqa: S308 - serialised XML, text escaped


def trend_chart(
    caption: str,
    this_year: Mapping[int, Decimal],
    last_year: Mapping[int, Decimal],
    labels: tuple[str, str],
    decimals: int = 0,
) -> Chart:
    """Twelve months as two lines: this year's and last year's (months without a
    figure are gaps)."""
    values = [float(v) for v in [*this_year.values(), *last_year.values()]]
    axis = charts.value_axis(max(values)) if values and min(values) >= 0 else []
    scale: dict[str, object] = (
        {"y_labels": axis, "range": (0, axis[-1])} if axis else {"max_scale": 6}
    )
    chart = pygal.Line(
        style=TREND_STYLE,
        js=[],
        css=[],
        disable_xml_declaration=True,
        width=560,
        height=240,
        explicit_size=False,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        x_labels=charts.month_labels(),
        value_formatter=lambda value: charts.number(value, max(decimals, 2)),
        allow_interruptions=True,
        include_x_axis=True,
        no_data_text="",
        **scale,
    )
    for label, months in zip(labels, (this_year, last_year), strict=True):
        chart.add(
            label,
            [float(months[m]) if m in months else None for m in range(1, 13)],
        )
    tree = chart.render_tree()
    # Each series in its own colour, last year's dashed (the legend says which is
    # which; colour is not the only difference).
    for element in tree.iter():
        classes = set(element.get("class", "").split())
        if "color-0" in classes:
            element.set("style", f"fill: {charts.SERIES}; stroke: {charts.SERIES}")
        elif "color-1" in classes:
            element.set(
                "style",
                f"fill: {LAST_YEAR_COLOUR}; stroke: {LAST_YEAR_COLOUR}; "
                "stroke-dasharray: 6,4",
            )
    svg = charts._lean(tree, caption, font=charts.SANS, size=12)
    return Chart(caption, mark_safe(svg))  # noqa: S308 - serialised XML, text escaped
