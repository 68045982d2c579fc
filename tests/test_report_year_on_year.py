"""Year-on-year in the year-end report: last year's value and the change in each
target's figures table, last year's months beside this year's in the charts, in the
browser preview, the PDF and the Word copy, for the bureau and for a department.

The arithmetic is tested on Decimal tables without a database; the demo (2021 against
2020) is loaded once per module and its PDF and Word copy are rendered once.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from docx.shared import Mm

from assessment.figures import rollup
from assessment.models import AssessmentYear, Department, Figure, Indicator
from assessment.reporting import charts
from assessment.reporting.formatting import signed_number, signed_percent
from assessment.reporting.rendering import render_body, render_report_pdf
from assessment.reporting.report import build_report, last_year_value
from assessment.reporting.word import render_report_docx
from assessment.scoring.results import IndicatorYear
from tests.report_support import demo_module_fixture, plain

# --- the change (同比增减), pure ---


@pytest.mark.parametrize(
    ("value", "last", "decimals", "change", "percent"),
    [
        (D("170.0"), D("157.9"), 1, D("12.1"), D("7.7")),
        (D("150"), D("160"), 0, D("-10"), D("-6.3")),  # 6.25 % rounds half up
        (D("6"), D("6"), 0, D("0"), D("0.0")),
        (D("5"), D("0"), 0, D("5"), None),  # nothing to take a per cent of
        (D("0"), D("0"), 1, D("0.0"), None),
        (None, D("10"), 0, None, None),  # no value this year
        (D("10"), None, 0, None, None),  # none last year
        (D("-5"), D("-10"), 0, D("5"), D("50.0")),  # less negative: an increase
        (D("-15"), D("-10"), 0, D("-5"), D("-50.0")),
        (D("3"), D("-2"), 0, D("5"), D("250.0")),
        (D("1.005"), D("1"), 2, D("0.01"), D("0.5")),  # the indicator's places
        (D("10.04"), D("10"), 1, D("0.0"), D("0.4")),
        (D("21290"), D("19300"), 0, D("1990"), D("10.3")),
    ],
)
def test_the_change_on_last_year(value, last, decimals, change, percent):
    got_change, got_percent = rollup.year_on_year(value, last, decimals)
    assert got_change == change
    assert got_percent == percent
    if change is not None:
        assert got_change.as_tuple().exponent == -decimals


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (D("12.1"), 1, "+12.1"),
        (D("-4618"), 0, "\u22124,618"),
        (D("0"), 0, "0"),
        (D("-0.0"), 1, "0.0"),  # a change rounded away has no sign
        (D("1990"), 0, "+1,990"),
        (None, 0, "—"),
    ],
)
def test_a_change_is_written_with_its_sign(value, decimals, text):
    assert signed_number(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("7.7"), "+7.7%"), (D("-6.3"), "\u22126.3%"), (D("0.0"), "0.0%"), (None, "—")],
)
def test_a_per_cent_change_is_written_with_its_sign(value, text):
    assert signed_percent(value) == text


def indicator(aggregation: str, decimals: int) -> Indicator:
    return Indicator(code="x", aggregation=aggregation, decimals=decimals)


def test_last_years_value_of_one_department_rolls_its_months_up():
    line = IndicatorYear(indicator("avg", 1), 1, {1: D("10"), 2: D("11"), 3: D("11")})
    value, months = last_year_value([line], decimals=1)
    assert value == D("10.7")
    assert months == {1: D("10"), 2: D("11"), 3: D("11")}


def test_last_years_value_of_several_departments_adds_them_up():
    sums = indicator("sum", 0)
    lines = [
        IndicatorYear(sums, 1, {1: D(5), 2: D(6)}),
        IndicatorYear(sums, 2, {2: D(4), 3: D(1)}),
        IndicatorYear(sums, 3, {}),  # reported nothing last year
    ]
    value, months = last_year_value(lines, decimals=0)
    assert value == D(16)
    assert months == {1: D(5), 2: D(10), 3: D(1)}


def test_no_last_year_is_no_value():
    assert last_year_value([], decimals=0) == (None, {})
    line = IndicatorYear(indicator("sum", 0), 1, {})
    assert last_year_value([line], decimals=0) == (None, {})


# --- the charts, pure ---

NS = {"svg": charts.SVG_NS}


def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def series_fills(root: ET.Element) -> list[str]:
    return [
        g.get("fill", "")
        for g in root.iter(f"{{{charts.SVG_NS}}}g")
        if g.get("fill") in (charts.SERIES, charts.LAST_YEAR)
    ]


def test_last_years_months_stand_beside_this_years_with_a_legend():
    with translation.override("zh-hans"):
        chart = charts.monthly_chart(
            "日均垃圾清运量",
            "吨",
            {m: D(170) for m in range(1, 13)},
            last_year={m: D(158) for m in range(1, 11)},
            legend=("2021年", "2020年"),
        )
    root = ET.fromstring(str(chart.svg))
    assert len(root.findall(".//svg:rect", NS)) == 12 + 10 + 2  # bars + legend boxes
    labels = [t.text for t in root.iterfind(".//svg:text", NS)]
    assert "2021年" in labels and "2020年" in labels
    fills = set(series_fills(root))
    assert fills == {charts.SERIES, charts.LAST_YEAR}
    # Told apart in greyscale too.
    assert abs(luminance(charts.SERIES) - luminance(charts.LAST_YEAR)) > 0.25
    # The legend's boxes carry the series' colours.
    boxes = {r.get("fill") for r in root.iterfind(".//svg:rect", NS) if r.get("fill")}
    assert {charts.SERIES, charts.LAST_YEAR} <= boxes
    assert not any(e.get("id") or e.get("class") for e in root.iter())
    assert chart.caption == "日均垃圾清运量（吨）"


def test_last_years_highest_month_fits_under_the_axis():
    chart = charts.monthly_chart(
        "x", "", {1: D(50), 2: D(60)}, last_year={1: D(230)}, legend=("b", "a")
    )
    labels = [t.text for t in ET.fromstring(str(chart.svg)).iterfind(".//svg:text", NS)]
    assert labels[labels.index("0") : labels.index("0") + 4] == [
        "0",
        "100",
        "200",
        "300",
    ]


def test_a_line_chart_draws_two_lines_in_two_colours():
    chart = charts.monthly_chart(
        "日均粪便清运量",
        "吨",
        {1: D(60), 2: D(61)},
        line=True,
        last_year={1: D(56), 2: D(57)},
        legend=("2021", "2020"),
    )
    root = ET.fromstring(str(chart.svg))
    assert len(root.findall(".//svg:circle", NS)) == 4
    assert set(series_fills(root)) == {charts.SERIES, charts.LAST_YEAR}


@pytest.mark.parametrize("last_year", [None, {}])
def test_without_last_year_the_chart_keeps_one_series_and_no_legend(last_year):
    chart = charts.monthly_chart(
        "捐款", "元", {6: D(7540), 9: D(6160)}, last_year=last_year, legend=("a", "b")
    )
    root = ET.fromstring(str(chart.svg))
    assert set(series_fills(root)) == {charts.SERIES}
    labels = [t.text for t in root.iterfind(".//svg:text", NS)]
    assert "a" not in labels and "b" not in labels
    assert len(root.findall(".//svg:rect", NS)) == 2
    assert chart.svg == charts.monthly_chart("捐款", "元", {6: D(7540), 9: D(6160)}).svg


# --- the demo: 2021 against 2020 ---

pytestmark = pytest.mark.django_db


def _build(year):
    with translation.override("zh-hans"):
        bureau = build_report(year, None, Department.objects.all())
        waste = build_report(year, Department.objects.get(code="waste"))
        earlier = build_report(
            AssessmentYear.objects.get(year=2020), None, Department.objects.all()
        )
        english = build_report(year, None, Department.objects.all(), language="en")
        return {
            "bureau": bureau,
            "bureau_html": render_body(bureau),
            "waste": waste,
            "waste_html": render_body(waste),
            "earlier_html": render_body(earlier),
            "english_html": render_body(english),
            "pdf": render_report_pdf(bureau),
            "docx": render_report_docx(bureau),
            # Computed here from the 2020 figures, not through the report's roll-up.
            "waste_daily_2020": _average_2020("waste_daily"),
        }


def _average_2020(code: str) -> str:
    values = list(
        Figure.objects.filter(
            monthly_return__year__year=2020, indicator__code=code
        ).values_list("value", flat=True)
    )
    assert len(values) == 12
    return f"{rollup.quantize(sum(values, D(0)) / 12, 1):,}"


demo = demo_module_fixture(_build)


def figure(report, name):
    for category in report.categories:
        stack = list(category.nodes)
        while stack:
            node = stack.pop()
            stack += node.children
            for line in node.target.figures if node.target else []:
                if line.name == name:
                    return line
    raise AssertionError(name)


def test_the_demo_waste_figure_against_2020(demo):
    assert demo["waste_daily_2020"] == "157.9"
    for report in (demo["bureau"], demo["waste"]):
        assert report.last_year == 2020
        line = figure(report, "日均垃圾清运量")
        assert (line.value, line.last_value) == ("170.0", "157.9")
        assert (line.change, line.change_percent) == ("+12.1", "+7.7%")


@pytest.mark.parametrize("html", ["bureau_html", "waste_html"])
def test_the_report_html_shows_last_years_value_and_the_change(demo, html):
    body = demo[html]
    assert '<th class="num">上年</th>' in body
    assert '<th class="num">同比增减</th>' in body
    row = body[body.index("<td>日均垃圾清运量</td>") :]
    row = row[: row.index("</tr>")]
    assert f'<td class="num">{demo["waste_daily_2020"]}</td>' in row
    assert "+12.1" in row and "+7.7%" in row
    # The chart draws both years, named in its legend.
    assert "2020年</text>" in body and "2021年</text>" in body


def test_the_department_report_holds_no_other_departments_last_year(demo):
    body = demo["waste_html"]
    assert "日均清扫保洁面积" not in body
    assert "140.8" not in plain(body)  # 清扫保洁队's 2020 area


def test_a_year_without_a_year_before_has_no_such_columns(demo):
    body = demo["earlier_html"]
    assert "同比增减" not in body and "上年" not in body
    assert "2019年</text>" not in body and "2020年</text>" not in body


def test_the_english_translation_names_the_columns(demo):
    body = demo["english_html"]
    assert ">Last year</th>" in body and ">Change on last year</th>" in body


def pdftotext(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def test_the_pdf_shows_the_columns(demo, tmp_path):
    source = tmp_path / "report.pdf"
    source.write_bytes(demo["pdf"])
    text = pdftotext(source)
    assert "上年" in text and "同比增减" in text
    squeezed = plain(text)
    assert "170.0不低于170.0100.0%157.9+12.1+7.7%" in squeezed
    assert "2020年" in text and "2021年" in text  # the charts' legends


def test_the_pdf_pages_stay_within_a4(demo, tmp_path):
    """Nothing drawn beyond the page: the PDF's pages are A4 and pdftoppm's image of
    each page is white in its outer margins (no table or chart runs into them)."""
    from PIL import Image

    source = tmp_path / "report.pdf"
    source.write_bytes(demo["pdf"])
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-gray", str(source), str(tmp_path / "p")],
        check=True,
        timeout=120,
    )
    images = sorted(tmp_path.glob("p-*.png"))
    assert images
    for path in images:
        with Image.open(path) as opened:
            image = opened.convert("L")
            width, height = image.size
            assert abs(width - 248) <= 1 and abs(height - 351) <= 1  # A4, 30 dpi
            # The outer 15 mm (18 px) left and right stay white.
            for box in ((0, 0, 18, height), (width - 18, 0, width, height)):
                darkest, _lightest = image.crop(box).getextrema()
                assert darkest > 240, (path.name, box)


def docx_table_with(document, heading: str):
    return next(t for t in document.tables if t.rows[0].cells[-1].text == heading)


def test_the_word_copy_carries_the_columns(demo):
    document = Document(io.BytesIO(demo["docx"]))
    table = docx_table_with(document, "同比增减")
    header = [cell.text for cell in table.rows[0].cells]
    assert header[-2:] == ["上年", "同比增减"]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows}
    assert rows["日均清扫保洁面积"][-2:] == ["140.8", "+9.2\n+6.5%"]
    # Seven columns within the text block (210 mm less 28 and 26 mm of margins).
    widths = [column.width for column in table.columns]
    assert all(widths) and sum(widths) <= Mm(156)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_opens_the_word_copy_with_the_columns(demo, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(demo["docx"])
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    text = pdftotext(tmp_path / "report.pdf")
    assert "上年" in text and "同比增减" in text
    assert "157.9" in text and "+12.1" in text and "+7.7%" in text


# --- the pages, by role ---


def report_url(department: str | None = None) -> str:
    if department is None:
        return reverse("assessment:report", args=[2021])
    return reverse("assessment:department-report", args=[2021, department])


def user(username: str):
    from assessment.models import User

    return User.objects.get(username=username)


def test_a_clerk_sees_the_columns_in_the_own_departments_report(demo, client):
    client.force_login(user("clerk_waste"))
    body = client.get(report_url("waste")).content.decode()
    assert "同比增减" in body and demo["waste_daily_2020"] in body
    assert client.get(report_url("street")).status_code == 404


@pytest.mark.parametrize("username", ["supervisor", "leader"])
def test_supervisors_and_leaders_see_the_columns_in_the_bureaus(demo, client, username):
    client.force_login(user(username))
    response = client.get(report_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "同比增减" in body and "2020年</text>" in body


def test_anonymous_visitors_are_sent_to_log_in(demo, client):
    response = client.get(report_url("waste"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# --- queries: the same at 10 and at 100 departments, with a year before ---


def _year_with_a_year_before(departments: int):
    from assessment.models import Category, MonthlyReturn, Target

    years = {
        number: AssessmentYear.objects.create(year=number, title=f"{number}")
        for number in (2030, 2031)
    }
    units = Department.objects.bulk_create(
        Department(code=f"unit-{n:03d}", name=f"单位{n}", order=n)
        for n in range(departments)
    )
    for number, year in years.items():
        category = Category.objects.create(year=year, code="1", name="勤政建设")
        target = Target.objects.create(
            category=category, code="1.1", name="垃圾清运", points=D(100)
        )
        target.departments.set(units)
        waste = Indicator.objects.create(
            year=year, target=target, code="waste", name="垃圾清运量", unit="吨"
        )
        waste.departments.set(units)
        returns = MonthlyReturn.objects.bulk_create(
            MonthlyReturn(year=year, department=unit, month=month)
            for unit in units
            for month in (1, 2)
        )
        Figure.objects.bulk_create(
            Figure(monthly_return=r, indicator=waste, value=D(number - 2000 + r.month))
            for r in returns
        )
    return years[2031], units


@pytest.mark.parametrize("scope", ["bureau", "department"])
def test_the_report_takes_the_same_queries_at_10_and_100_departments(scope):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    counts = []
    for departments in (10, 100):
        with transaction.atomic():
            year, units = _year_with_a_year_before(departments)
            department = units[0] if scope == "department" else None
            with CaptureQueriesContext(connection) as queries:
                report = build_report(year, department, Department.objects.all())
            counts.append(len(queries.captured_queries))
            line = figure(report, "垃圾清运量")
            expected = "63" if department else f"{63 * departments:,}"
            assert (report.last_year, line.last_value) == (2030, expected)
            transaction.set_rollback(True)
    assert counts[0] == counts[1]
