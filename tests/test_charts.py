"""The report's monthly charts: lean, self-contained, escaped SVG (no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from django.utils import translation

from assessment.reporting import charts

NS = {"svg": charts.SVG_NS}


def parse(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iterfind(".//svg:text", NS)]


def test_bar_chart_has_twelve_months_and_one_bar_per_month_with_a_figure():
    months = {m: D(5000 + m) for m in range(1, 11)}  # no November, no December
    chart = charts.monthly_chart("垃圾清运量", "吨", months)
    root = parse(chart)
    assert chart.caption == "垃圾清运量（吨）"
    labels = texts(root)
    assert [f"{m}月" for m in range(1, 13)] == [t for t in labels if t.endswith("月")]
    assert "4,000" in labels  # grouped thousands on the value axis
    assert len(root.findall(".//svg:rect", NS)) == 10  # gaps, not zero bars


def test_line_chart_draws_an_unfilled_line_and_a_dot_per_month():
    chart = charts.monthly_chart("日均清运量", "吨", {1: D(60), 2: D(61)}, line=True)
    root = parse(chart)
    assert len(root.findall(".//svg:circle", NS)) == 2
    series = [p for p in root.iterfind(".//svg:path", NS) if p.get("stroke-width")]
    assert series and all(p.get("fill") == "none" for p in series)


def test_svg_is_a_plain_drawing_without_style_script_tooltips_or_ids():
    root = parse(charts.monthly_chart("捐款", "元", {6: D(7540)}))
    tags = {element.tag.rpartition("}")[2] for element in root.iter()}
    assert tags <= {"svg", "g", "path", "rect", "circle", "text"}
    assert not any(element.get("class") or element.get("id") for element in root.iter())
    assert not any(element.get("style") for element in root.iter())
    # Styled by presentation attributes, inherited from the root.
    assert root.get("font-family") == charts.FONT
    assert root.get("role") == "img"
    assert root.get("aria-label") == "捐款（元）"


def test_the_same_data_gives_the_same_svg():
    months = {1: D(1), 2: D(2)}
    assert (
        charts.monthly_chart("a", "", months).svg
        == charts.monthly_chart("a", "", months).svg
    )


def test_names_are_text_not_markup():
    chart = charts.monthly_chart('<script>alert("x")</script>', "&", {1: D(1)})
    assert "<script" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    assert parse(chart).get("aria-label") == '<script>alert("x")</script>（&）'
    # The caption is plain text; the template escapes it.
    assert chart.caption == '<script>alert("x")</script>（&）'


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(1234.0, 0, "1,234"), (1234.5, 1, "1,234.5"), (60.0, 1, "60"), (0.25, 2, "0.25")],
)
def test_number_labels(value, decimals, text):
    assert charts.number(value, decimals) == text


GRADES = [("优秀", 1, "#198754"), ("良好", 0, "#0d6efd"), ("合格", 0, "#ffc107")]


def test_grade_chart_counts_departments_in_whole_numbers():
    root = parse(charts.grade_chart("各等次单位数", GRADES))
    labels = texts(root)
    assert {"0", "1"} <= set(labels)
    assert not [t for t in labels if "." in t]  # no 0.2 departments
    assert labels[-3:] == ["1", "0", "0"]  # the counts printed on the bars
    assert "优秀" in labels and "合格" in labels


def test_grade_chart_axis_steps_stay_whole_for_many_departments():
    root = parse(charts.grade_chart("x", [("优秀", 40, "#198754")]))
    axis = [int(t) for t in texts(root)[:-1] if t.isdigit()]
    assert axis[0] == 0 and axis[-1] >= 40 and len(axis) <= 8


def test_grade_chart_keeps_each_grades_colour_and_no_markup():
    chart = charts.grade_chart('<b>"x"</b>', GRADES)
    assert "#198754" in chart.svg and "#0d6efd" in chart.svg
    assert "<b>" not in chart.svg
    root = parse(chart)
    assert not any(element.get("class") or element.get("id") for element in root.iter())
    # Each bar's colour is a fill attribute: the page's CSP refuses style attributes.
    assert not any(element.get("style") for element in root.iter())
    fills = {element.get("fill") for element in root.iter()}
    assert {"#198754", "#0d6efd"} <= fills


def test_grade_chart_prints_each_count_above_its_bar_on_light_guides():
    root = parse(
        charts.grade_chart("x", [("优秀", 7, "#198754"), ("良好", 2, "#0d6efd")])
    )
    bars = root.findall(".//svg:rect", NS)
    counts = [t for t in root.iterfind(".//svg:text", NS) if t.get("stroke") == "none"]
    assert [t.text for t in counts] == ["7", "2"]
    for bar, count in zip(bars, counts, strict=True):
        assert float(count.get("y")) < float(bar.get("y"))  # above the bar's top
    guides = [p for p in root.iterfind(".//svg:path", NS) if p.get("stroke-dasharray")]
    assert guides and {p.get("stroke") for p in guides} == {charts.GUIDE}


def test_month_labels_follow_the_language():
    with translation.override("en"):
        assert charts.month_labels()[:2] == ["Jan", "Feb"]
    with translation.override("zh-hans"):
        assert charts.month_labels()[-1] == "12月"


@pytest.mark.parametrize(
    ("highest", "axis"),
    [
        (155.3, [0, 50, 100, 150, 200]),
        (5400, [0, 2000, 4000, 6000]),
        (60.5, [0, 20, 40, 60, 80]),
        (8, [0, 2, 4, 6, 8]),
        (0.7, [0, 0.2, 0.4, 0.6, 0.8]),
        (0, []),
    ],
)
def test_value_axis_tops_the_highest_value_with_a_round_label(highest, axis):
    assert charts.value_axis(highest) == axis


def test_a_line_charts_highest_point_sits_under_the_top_label():
    chart = charts.monthly_chart("日均清扫面积", "万m²", {1: D("150.8"), 6: D("155.3")})
    labels = texts(parse(chart))
    assert "200" in labels and "150" in labels


def test_a_chart_with_negative_months_keeps_them_on_its_axis():
    chart = charts.monthly_chart("库存变化", "t", {1: D(-40), 2: D(120)}, line=True)
    numbers = [t.replace(",", "") for t in texts(parse(chart)) if not t.endswith("月")]
    assert min(float(n) for n in numbers) < 0
