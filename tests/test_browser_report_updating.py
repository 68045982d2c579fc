"""A clerk changes a figure: the report page says "updating" while the new PDF is
made, with the previous one offered meanwhile, and then "ready", and the PDF has the
new figure. Without workers the page itself asks the server to make it (in-process);
the render is held on an event here so that "updating" can be looked at."""

from __future__ import annotations

import datetime
import subprocess
import threading
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from assessment.models import Figure, MonthlyReturn, StoredReport
from assessment.reporting import store
from tests.browser_support import axe_violations, log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser]

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
PREVIOUS = b"%PDF-1.7 previous"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    # The live server runs in a thread of this process, so the patch reaches it.
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def held(monkeypatch):
    """The PDF render waits for `gate` (set it to let it go); `renders` counts; with
    `real` False it returns a stub instead of WeasyPrint's PDF."""
    hold = SimpleNamespace(gate=threading.Event(), renders=[], real=True)
    weasyprint = store.pdf.render_pdf

    def render_pdf(html, **options):
        hold.renders.append(1)
        assert hold.gate.wait(timeout=60), "the test never let the render go"
        return weasyprint(html, **options) if hold.real else b"%PDF-1.7 stub"

    monkeypatch.setattr(store.pdf, "render_pdf", render_pdf)
    return hold


def _month_with_a_stored_pdf(year, dept_a, pits):
    """February typed (1,200 pits), and a PDF of the report kept from before."""
    monthly_return = MonthlyReturn.objects.create(year=year, department=dept_a, month=2)
    Figure.objects.create(
        monthly_return=monthly_return, indicator=pits, value=Decimal(1200)
    )
    name = default_storage.save(
        f"reports/{year.year}/{dept_a.code}-previous.pdf", ContentFile(PREVIOUS)
    )
    StoredReport.objects.create(
        year=year,
        scope=dept_a.code,
        department=dept_a,
        language="zh-hans",
        html_sha256="0" * 64,
        data_versions={},
        file_name=name,
        size=len(PREVIOUS),
    )


def _change_the_figure(page, year, dept_a, pits, value: str) -> None:
    page.goto(reverse("assessment:entry", args=[year.year, dept_a.code, 2]))
    page.fill(f"#id_f-{pits.pk}-value", value)
    with page.expect_navigation():
        page.click("#save-button")
    assert page.locator(".alert-success").count() == 1


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_changed_figure_shows_updating_then_the_new_figure(
    transactional_db, new_page, clerk_a, year, dept_a, catalogue, held, width, tmp_path
):
    held.real = width != 390  # one real render (desktop); the phone's is a stub
    pits = catalogue["pits"]
    _month_with_a_stored_pdf(year, dept_a, pits)
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, clerk_a.username, PASSWORD)
    _change_the_figure(page, year, dept_a, pits, "4321")

    page.goto(reverse("assessment:department-report", args=[year.year, dept_a.code]))
    # The preview is of the current data at once; the PDF is being made.
    assert "4,321" in page.locator(".report-sheet").inner_text()
    page.wait_for_selector("#report-status[data-state=rendering]")
    assert page.locator("#report-updating").is_visible()
    assert page.locator("#report-updating").inner_text() == "更新中"
    assert "正在按当前数据生成新的 PDF" in page.inner_text("#report-status-text")
    assert "第 2 步，共 3 步" in page.inner_text("#report-status-text")
    progress = page.locator("#report-progress")
    assert progress.is_visible()
    assert progress.get_attribute("aria-valuenow") == "2"
    # Meanwhile the previous PDF, labelled with its time, can be downloaded.
    assert "上一版" in page.inner_text("#report-previous-line")
    with page.expect_download() as previous:
        page.click("#report-previous")
    previous.value.save_as(tmp_path / "previous.pdf")
    assert (tmp_path / "previous.pdf").read_bytes() == PREVIOUS
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )
    if width == 1280:
        assert axe_violations(page) == []
    page.screenshot(path=f"/tmp/shots/report-updating-{width}.png")

    held.gate.set()
    page.wait_for_selector("#report-status[data-state=ready]", timeout=60_000)
    assert page.locator("#report-updating").is_hidden()
    assert page.locator("#report-progress").is_hidden()
    assert page.locator("#report-previous-line").is_hidden()
    made = timezone.localtime(StoredReport.objects.get(scope=dept_a.code).rendered_at)
    assert page.inner_text("#report-status-text") == (
        f"本报告的 PDF 已生成（{made:%Y-%m-%d %H:%M}）。"
    )
    page.screenshot(path=f"/tmp/shots/report-ready-{width}.png")
    assert len(held.renders) == 1

    with page.expect_download() as download:
        page.click("#report-pdf")
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert len(held.renders) == 1  # served from the store, not rendered again
    if held.real:
        text = subprocess.run(
            ["pdftotext", str(saved), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "4,321" in text
        assert "1,200" not in text
