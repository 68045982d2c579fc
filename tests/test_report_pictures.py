"""The report PDF's charts as pictures: named by what they show, drawn only when the PDF
is rendered (never when a stored one is served), served by the PDF's own fetcher alone.
The browser preview keeps its inline SVG."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader

from assessment.models import AssessmentYear, Department, StoredReport
from assessment.reporting import charts, pdf, rendering, store
from assessment.reporting.pdf import BASE_URL, RefusedURL, StaticFilesFetcher
from assessment.reporting.report import build_report
from sanitation.bureau import demo as demo_data

MONTHS = {1: D(10), 2: D(12), 3: D(9)}


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """The captions of the monthly charts pygal draws."""
    calls: list[str] = []
    real = charts._monthly_svg

    def counting(caption, *args):
        calls.append(caption)
        return real(caption, *args)

    monkeypatch.setattr(charts, "_monthly_svg", counting)
    return calls


# --- the chart, without a database ----------------------------------------------------


def test_a_monthly_chart_is_drawn_when_its_svg_is_first_asked_for(drawn):
    chart = charts.monthly_chart("垃圾清运量", "吨", MONTHS)
    assert drawn == [] and chart.picture_name.endswith(".svg")
    svg = chart.svg
    assert svg.startswith("<svg") and chart.svg is svg and len(drawn) == 1
    assert chart.picture() == str(svg).encode()


def test_its_name_follows_what_it_shows():
    name = charts.monthly_chart("a", "吨", MONTHS).picture_name
    assert charts.monthly_chart("a", "吨", dict(MONTHS)).picture_name == name
    changed = {**MONTHS, 3: D("9.5")}
    others = [
        charts.monthly_chart("a", "吨", changed),
        charts.monthly_chart("b", "吨", MONTHS),
        charts.monthly_chart("a", "吨", MONTHS, line=True),
        charts.monthly_chart("a", "吨", MONTHS, decimals=1),
        charts.monthly_chart("a", "吨", MONTHS, last_year={1: D(8)}, legend=("x", "y")),
    ]
    with translation.override("en"):
        others.append(charts.monthly_chart("a", "吨", MONTHS))  # Jan, not 1月
    names = [name, *(chart.picture_name for chart in others)]
    assert len(set(names)) == len(names)


def test_the_months_are_labelled_in_the_language_it_was_made_in():
    with translation.override("en"):
        chart = charts.monthly_chart("a", "", MONTHS)
    with translation.override("zh-hans"):
        svg = str(chart.svg)
    assert ">Jan<" in svg and "1月" not in svg


def test_a_chart_needs_a_drawing():
    with pytest.raises(ValueError):
        charts.Chart("x")
    with pytest.raises(ValueError):
        charts.Chart("x", "<svg/>", draw=lambda: "<svg/>", key="k")
    with pytest.raises(ValueError):
        charts.Chart("x", draw=lambda: "<svg/>")  # its name would say nothing
    assert charts.Chart("x", "<svg/>").key != charts.Chart("x", "<svg></svg>").key


# --- the fetcher ----------------------------------------------------------------------


def test_the_fetcher_serves_the_pictures_it_is_handed_and_nothing_else():
    fetcher = StaticFilesFetcher(pictures={"chart-1.svg": lambda: b"<svg/>"})
    response = fetcher.fetch(BASE_URL + "_pictures/chart-1.svg")
    assert response.read() == b"<svg/>"
    response.close()
    assert response.content_type == "image/svg+xml"
    for url in [
        BASE_URL + "_pictures/chart-2.svg",
        BASE_URL + "_pictures/../_pictures/chart-1.svg",
        BASE_URL + "_pictures/chart-1.svg?x=1",
        "https://example.invalid/_pictures/chart-1.svg",
        "http://report.invalid/_pictures/chart-1.svg",
        "data:image/svg+xml,<svg/>",
        BASE_URL + "static/_pictures/chart-1.svg",
    ]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(BASE_URL + "_pictures/chart-1.svg")


# --- the report -----------------------------------------------------------------------


@pytest.fixture
def demo(db, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        call_command("load_demo", "--force", stdout=io.StringIO())
        yield AssessmentYear.objects.get(year=demo_data.YEAR)


def bureau_report(year):
    departments = list(Department.objects.filter(code__in=[*demo_data.UNITS, "bureau"]))
    with translation.override("zh-hans"):
        return build_report(year, None, departments)


def test_the_pdf_names_its_charts_and_the_preview_draws_them_inline(demo):
    report = bureau_report(demo)
    found = rendering.report_charts(report)
    assert len(found) >= 5
    html = rendering.render_report_html(report)
    assert "<svg" not in html
    for chart in found:
        assert f'src="{pdf.PICTURES}{chart.picture_name}"' in html
    preview = rendering.render_body(report)
    assert preview.count("<svg") == len(found) and "_pictures" not in preview
    assert set(rendering.pdf_pictures(report)) == {c.picture_name for c in found}


def test_the_pdf_draws_every_chart_and_a_stored_pdf_draws_none(demo, drawn, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        content = store.report_pdf(bureau_report(demo))
        count = len(rendering.report_charts(bureau_report(demo)))
        assert len(drawn) == count and StoredReport.objects.count() == 1
        drawn.clear()
        assert store.report_pdf(bureau_report(demo)) == content
        assert drawn == []
    reader = PdfReader(io.BytesIO(content))
    text = "".join(page.extract_text() for page in reader.pages)
    # The charts' axis labels are drawn as text in the PDF, as with inline SVG.
    assert "12月" in text
