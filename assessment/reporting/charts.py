"""Charts as SVG (pygal): the report's monthly charts, the same in the browser and in
the PDF, and the ranking's grade distribution.

pygal lays the chart out; `_lean` then turns its tree into a plain drawing: pygal's
stylesheet (some sixty rules, matched against every node by the PDF renderer) becomes a
few presentation attributes, and what only serves its interactive tooltips (hidden
values, coordinates, hover guides) is dropped. The chart's title is an HTML caption
beside it, so the SVG holds only the axes and the series.

The SVG is placed inline in the page; the PDF names it as a picture that only the
PDF's own fetcher serves (`pdf.PICTURES`), which WeasyPrint draws a little faster than
inline markup, and which a stored PDF's check never draws (`Chart.key` names it from
its data). PNG pictures (resvg, at 2×) were measured too: WeasyPrint drew them about
5 % faster, but drawing them cost a quarter of the PDF; they remain for Word. pygal builds the document with an XML library, so labels are escaped as text; no
script is attached, and no style attribute is left (the page's Content-Security-Policy
refuses inline styles).
"""

from __future__ import annotations

import hashlib
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pygal
import resvg_py
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext, pgettext_lazy
from pygal.style import Style

from assessment.reporting import fonts

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
# pygal builds its tree with lxml when lxml is importable (python-docx brings it);
# `_lean` works on the standard library's tree, which pygal then uses instead.
pygal.etree.etree.to_etree()

# The report's body face: one more embedded face would cost the PDF ~150 KB.
FONT = '"Noto Serif CJK SC", serif'
TEXT = "#333333"
STRONG = "#111111"
GUIDE = "#aaaaaa"
SERIES = "#1f5f8b"
#: Last year's months beside this year's: orange beside the dark blue, told apart by
#: hue and, printed in greyscale, by lightness (luminance about 0.67 against 0.33).
LAST_YEAR = "#e69f00"
#: The series' colours by pygal's index: this year, or last year then this year.
PALETTE = (SERIES,)
YEAR_ON_YEAR = (LAST_YEAR, SERIES)
LABEL_SIZE = 11

#: The ranking page's face, as the rest of the app's screens.
SANS = 'system-ui, "Noto Sans CJK SC", sans-serif'
GRADE_LABEL_SIZE = 14


def _style(font: str, size: int, background: str) -> Style:
    """pygal's style for laying a chart out; `_lean` turns it into attributes."""
    return Style(
        background=background,
        plot_background=background,
        foreground=TEXT,
        foreground_strong=STRONG,
        foreground_subtle=GUIDE,
        colors=(SERIES,),
        font_family=font,
        label_font_family=font,
        major_label_font_family=font,
        value_font_family=font,
        label_font_size=size,
        major_label_font_size=size,
        value_font_size=size,
    )


STYLE = _style(FONT, LABEL_SIZE, "#ffffff")
GRADE_STYLE = _style(SANS, GRADE_LABEL_SIZE, "transparent")


#: Bumped whenever a chart's drawing changes for the same data, so that the picture
#: names in a report's PDF HTML (and so the stored PDF's key) change with it.
DRAWING = 1


class Chart:
    """A chart's caption (HTML text) and its drawing: an inline <svg> element on the
    page, an SVG picture (`picture`, named `picture_name`) in the PDF, PNG in Word.

    With `draw` instead of `svg`, the SVG is drawn only when first asked for: a report
    whose PDF is served from the store names its charts by `key` (a digest of what they
    show) without drawing them.
    """

    def __init__(
        self,
        caption: str,
        svg: str | None = None,
        *,
        draw: Callable[[], str] | None = None,
        key: str = "",
    ) -> None:
        if (svg is None) == (draw is None) or (draw is not None and not key):
            raise ValueError("a chart needs its svg, or a way to draw it and a key")
        self.caption = caption
        self._svg = mark_safe(svg) if svg is not None else None  # noqa: S308 - serialised XML
        self._draw = draw
        self.key = key or hashlib.sha256(str(svg).encode()).hexdigest()[:32]

    @property
    def svg(self) -> SafeString:
        # Two threads asking at once would both draw the same SVG: harmless.
        if self._svg is None:
            assert self._draw is not None
            self._svg = mark_safe(self._draw())  # noqa: S308 - serialised XML, text escaped
        return self._svg

    @property
    def picture_name(self) -> str:
        """The picture's file name in the PDF's HTML (served by the PDF's fetcher)."""
        return f"chart-{self.key}.svg"

    def picture(self) -> bytes:
        """The chart as a standalone SVG document, for the PDF."""
        return str(self.svg).encode()

    def png(self, zoom: float = 2.0) -> bytes:
        """The SVG drawn as PNG at `zoom` times its size, with the report's faces."""
        return bytes(
            resvg_py.svg_to_bytes(
                svg_string=str(self.svg),
                zoom=zoom,
                background="#ffffff",
                font_dirs=fonts.font_dirs(),
                serif_family=fonts.SONG,
                sans_serif_family=fonts.HEI,
            )
        )


def number(value: float, decimals: int) -> str:
    """An axis or value label: grouped thousands, no trailing zeros."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


#: The months under a chart's axis (1月 … 12月 in Chinese).
MONTH_LABELS = (
    pgettext_lazy("month under a chart", "Jan"),
    pgettext_lazy("month under a chart", "Feb"),
    pgettext_lazy("month under a chart", "Mar"),
    pgettext_lazy("month under a chart", "Apr"),
    pgettext_lazy("month under a chart", "May"),
    pgettext_lazy("month under a chart", "Jun"),
    pgettext_lazy("month under a chart", "Jul"),
    pgettext_lazy("month under a chart", "Aug"),
    pgettext_lazy("month under a chart", "Sep"),
    pgettext_lazy("month under a chart", "Oct"),
    pgettext_lazy("month under a chart", "Nov"),
    pgettext_lazy("month under a chart", "Dec"),
)


def month_labels() -> list[str]:
    return [str(label) for label in MONTH_LABELS]


def value_axis(highest: float, ticks: int = 4) -> list[float]:
    """Labels for a value axis from 0 to a round number at or above `highest`, in
    steps of 1, 2 or 5 times a power of ten, so the top point sits under a label."""
    if highest <= 0:
        return []
    rough = highest / ticks
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    count = math.ceil(round(highest / step, 9))
    return [round(i * step, 9) for i in range(count + 1)]


def monthly_chart(
    title: str,
    unit: str,
    months: Mapping[int, Decimal],
    *,
    line: bool = False,
    decimals: int = 0,
    width: int = 640,
    height: int = 210,
    last_year: Mapping[int, Decimal] | None = None,
    legend: tuple[str, str] = ("", ""),
) -> Chart:
    """A 12-month bar (or line) chart of one indicator.

    Months without a figure are gaps, not zeros. With `last_year`'s months (any of
    them), those are drawn beside this year's in their own colour, and a legend under
    the chart names both: `legend` is (this year's name, last year's name).
    """
    months = dict(months)
    earlier = dict(last_year or {})
    caption = (
        pgettext("chart caption", "%(title)s (%(unit)s)")
        % {"title": title, "unit": unit}
        if unit
        else title
    )
    labels = month_labels()  # now, in the report's language, not when drawn
    key = hashlib.sha256(
        repr(
            (
                DRAWING,
                caption,
                labels,
                sorted(months.items()),
                sorted(earlier.items()),
                line,
                decimals,
                width,
                height,
                legend,
            )
        ).encode()
    ).hexdigest()[:32]

    def draw() -> str:
        return _monthly_svg(
            caption, labels, months, earlier, line, decimals, width, height, legend
        )

    return Chart(caption, draw=draw, key=key)


def _monthly_svg(
    caption: str,
    labels: list[str],
    months: Mapping[int, Decimal],
    earlier: Mapping[int, Decimal],
    line: bool,
    decimals: int,
    width: int,
    height: int,
    legend: tuple[str, str],
) -> str:
    two = bool(earlier)
    chart_class = pygal.Line if line else pygal.Bar
    # A round top label above the highest month; pygal's own scale for negative values.
    values = [float(value) for value in [*months.values(), *earlier.values()]]
    axis = value_axis(max(values)) if values and min(values) >= 0 else []
    scale: dict[str, Any] = (
        {"y_labels": axis, "range": (0, axis[-1])} if axis else {"max_scale": 6}
    )
    chart = chart_class(
        style=STYLE,
        js=[],
        css=[],  # pygal's stylesheets would only be dropped again by _lean
        disable_xml_declaration=True,
        width=width,
        height=height + (LEGEND_HEIGHT if two else 0),
        explicit_size=True,
        show_legend=two,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        legend_box_size=LABEL_SIZE,
        x_labels=labels,
        print_values=False,
        margin=8,
        spacing=8,
        show_y_guides=True,
        show_x_guides=False,
        value_formatter=lambda value: number(value, decimals),
        **scale,
        allow_interruptions=True,
        include_x_axis=True,
        no_data_text="",
    )
    if two:
        chart.add(legend[1], _twelve(earlier))
    chart.add(legend[0] if two else caption, _twelve(months))
    return _lean(chart.render_tree(), caption, palette=YEAR_ON_YEAR if two else PALETTE)


#: The legend's row under a chart of two years.
LEGEND_HEIGHT = 24


def _twelve(months: Mapping[int, Decimal]) -> list[float | None]:
    return [float(months[month]) if month in months else None for month in range(1, 13)]


def grade_chart(caption: str, bars: Sequence[tuple[str, int, str]]) -> Chart:
    """How many departments got each grade: one bar per (grade, count, colour), with the
    count printed above the bar and whole numbers on the axis."""
    most = max([count for _label, count, _colour in bars] + [1])
    step = math.ceil(most / 6)
    top = step * math.ceil(most / step)
    chart = pygal.Bar(
        style=GRADE_STYLE,
        js=[],
        css=[],  # pygal's stylesheets would only be dropped again by _lean
        disable_xml_declaration=True,
        width=560,
        height=280,
        explicit_size=False,
        show_legend=False,
        x_labels=[label for label, _count, _colour in bars],
        y_labels=list(range(0, top + 1, step)),
        range=(0, top),
        print_values=True,
        print_values_position="top",  # above the bar: zero bars still show their 0
        include_x_axis=True,
        no_data_text="",
    )
    chart.add(
        caption, [{"value": count, "color": colour} for _label, count, colour in bars]
    )
    svg = _lean(chart.render_tree(), caption, font=SANS, size=GRADE_LABEL_SIZE)
    return Chart(caption, svg)


def _classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def _local(element: ET.Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


#: Tooltip data, accessibility text (moved to aria-label), pygal's stylesheet and script.
_DROPPED_TAGS = {"", "defs", "desc", "title", "script"}
#: White backgrounds on a white page, and the hidden tooltip box.
_DROPPED_CLASSES = {"background", "tooltip"}


def _lean(
    root: ET.Element,
    label: str,
    *,
    font: str = FONT,
    size: int = LABEL_SIZE,
    palette: Sequence[str] = PALETTE,
) -> str:
    """pygal's tree as a self-contained drawing styled by presentation attributes."""
    _prune(root, in_x_axis=False, palette=palette)
    root.attrib.pop("id", None)
    root.attrib.pop("class", None)
    root.attrib.update(
        {
            "role": "img",
            "aria-label": label,
            "font-family": font,
            "font-size": str(size),
            "fill": TEXT,
        }
    )
    return ET.tostring(root, encoding="unicode")


def _prune(parent: ET.Element, in_x_axis: bool, palette: Sequence[str]) -> None:
    for child in list(parent):
        local, classes = _local(child), _classes(child)
        if (
            local in _DROPPED_TAGS
            or classes & _DROPPED_CLASSES
            # Vertical guides show only on hover in pygal: never drawn here.
            or (in_x_axis and local == "path" and "guide" in classes)
        ):
            parent.remove(child)
            continue
        x_axis = {"axis", "x"} <= classes and "always_show" not in classes
        _prune(child, in_x_axis or x_axis, palette)
        if local == "g" and not len(child):
            parent.remove(child)
            continue
        child.attrib.pop("class", None)
        child.attrib.pop("id", None)  # the legend's hooks for pygal's script
        child.attrib.update(_presentation(local, classes, palette))
        # A bar's own colour comes as a style attribute, which the page's
        # Content-Security-Policy refuses: the same declarations as attributes.
        child.attrib.update(_declarations(child.attrib.pop("style", "")))
        if local == "g" and not child.attrib:  # a bare group: its children move up
            index = list(parent).index(child)
            parent[index : index + 1] = list(child)


def _declarations(style: str) -> dict[str, str]:
    """`fill: #c00; stroke: #c00` as {"fill": "#c00", "stroke": "#c00"}."""
    pairs = (item.partition(":") for item in style.split(";"))
    return {
        name.strip(): value.strip()
        for name, colon, value in pairs
        if colon and name.strip() and value.strip()
    }


def _colour(classes: set[str], palette: Sequence[str]) -> str | None:
    """The colour of pygal's `color-N` class from the palette (None without one)."""
    for name in classes:
        index = name.removeprefix("color-")
        if index != name and index.isdigit():
            return palette[int(index) % len(palette)]
    return None


def _presentation(
    tag: str, classes: set[str], palette: Sequence[str] = PALETTE
) -> dict[str, str]:
    """What pygal's stylesheet gives an element with these classes, as attributes."""
    colour = _colour(classes, palette)
    if tag == "g":
        if {"axis", "y"} <= classes:
            return {"text-anchor": "end"}
        if {"axis", "x"} <= classes:
            return {"text-anchor": "middle"}
        if "series" in classes:
            colour = colour or palette[0]
            return {"fill": colour, "stroke": colour}
        return {}
    if tag == "rect" and colour:  # a legend's box
        return {"fill": colour, "stroke": colour}
    if tag == "path" and "guide" in classes:  # light, major or not: the data stand out
        return {"fill": "none", "stroke": GUIDE, "stroke-dasharray": "4,4"}
    if tag == "path" and "axis" in classes:  # the zero line
        return {"fill": "none", "stroke": TEXT}
    if tag == "path" and "nofill" in classes:  # a line series
        return {"fill": "none", "stroke-width": "1.5"}
    if tag == "path" and "line" in classes:  # an axis
        return {"fill": "none", "stroke": STRONG}
    if tag == "text" and "value" in classes:  # a value printed on its bar
        return {"fill": STRONG, "stroke": "none"}
    if tag == "text" and "major" in classes:
        return {"fill": STRONG}
    return {}
