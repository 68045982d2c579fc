"""Monthly charts as SVG strings (pygal), the same in the browser and in the PDF.

The SVG is generated on the server and placed inline in the page, so the PDF renderer never
fetches anything for it. pygal builds the document with an XML library, so names and units
in labels are escaped as text; no script is attached.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from decimal import Decimal

import pygal
from pygal.style import Style

# The report's body face: one more embedded face would cost the PDF ~150 KB.
FONT = '"Noto Serif CJK SC", serif'

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#333333",
    foreground_strong="#111111",
    foreground_subtle="#aaaaaa",
    colors=("#1f5f8b", "#c0392b"),
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    title_font_family=FONT,
    legend_font_family=FONT,
    tooltip_font_family=FONT,
    label_font_size=11,
    major_label_font_size=11,
    value_font_size=10,
    title_font_size=13,
    legend_font_size=11,
    opacity="1",
    opacity_hover="1",
    transition="none",
)


def number(value: float, decimals: int) -> str:
    """An axis or value label: grouped thousands, no trailing zeros."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def month_labels() -> list[str]:
    return [f"{month}月" for month in range(1, 13)]


def monthly_chart(
    title: str,
    unit: str,
    months: Mapping[int, Decimal],
    *,
    line: bool = False,
    decimals: int = 0,
    width: int = 640,
    height: int = 230,
) -> str:
    """A 12-month bar (or line) chart of one indicator as an inline <svg> element.

    Months without a figure are gaps, not zeros.
    """
    chart_class = pygal.Line if line else pygal.Bar
    chart = chart_class(
        style=STYLE,
        js=[],
        disable_xml_declaration=True,
        width=width,
        height=height,
        explicit_size=True,
        show_legend=False,
        title=f"{title}（{unit}）" if unit else title,
        x_labels=month_labels(),
        print_values=False,
        margin=8,
        spacing=8,
        show_y_guides=True,
        value_formatter=lambda value: number(value, decimals),
        max_scale=6,
        allow_interruptions=True,
        include_x_axis=True,
        no_data_text="",
        tooltip_fancy_mode=False,
    )
    chart.add(
        title,
        [float(months[month]) if month in months else None for month in range(1, 13)],
    )
    return _without_scripts(chart.render_tree())


def _without_scripts(root: ET.Element) -> str:
    """Serialise pygal's tree without its config <script> and its comments."""
    for parent in root.iter():
        for child in list(parent):
            if child.tag == "script" or child.tag is ET.Comment:
                parent.remove(child)
    return ET.tostring(root, encoding="unicode")
