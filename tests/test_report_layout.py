"""The bureau's 2021 report as a PDF, laid out as an official document (GB/T 9704-2012):
what a page must never look like, checked on the PDF itself (rendered once per module).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessment.models import Department
from assessment.reporting.rendering import render_report_pdf
from assessment.reporting.report import build_report
from tests.report_support import demo_module_fixture, plain

pytestmark = pytest.mark.django_db

MM = 72 / 25.4
PAGE_HEIGHT = 297 * MM
BLOCK_TOP = 37 * MM
BLOCK_BOTTOM = PAGE_HEIGHT - 35 * MM
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


@dataclass
class Line:
    top: float  # distance from the page's top edge, in points
    x: float
    text: str


@dataclass
class Page:
    number: int
    lines: list[Line]
    text: str

    @property
    def body(self) -> list[Line]:
        """Lines inside the text block, without the draft marks."""
        return [
            line
            for line in self.lines
            if BLOCK_TOP - 2 <= line.top <= BLOCK_BOTTOM + 2
            and plain(line.text) not in ("草稿", "Draft")
        ]


def pages_of(pdf: bytes) -> list[Page]:
    pages = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        lines: list[Line] = []

        def visit(text, cm, tm, _font, _size, lines=lines):
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                lines.append(Line(PAGE_HEIGHT - y, x, text.strip()))

        text = page.extract_text(visitor_text=visit)
        pages.append(Page(number, lines, plain(text)))
    return pages


def _build(year):
    departments = Department.objects.all()
    chinese = build_report(year, None, departments)
    english = build_report(year, None, departments, language="en")
    return {
        "report": chinese,
        "pdf": render_report_pdf(chinese),
        "english": english,
        "english_pdf": render_report_pdf(english),
    }


rendered = demo_module_fixture(_build)


@pytest.fixture
def pages(rendered):
    return pages_of(rendered["pdf"])


def headings(report) -> list[str]:
    found = [f"{p.label}：{p.name}" for p in report.parts if p.name]

    def walk(nodes):
        for node in nodes:
            found.append(f"{node.numeral}{node.heading}")
            walk(node.children)

    for category in report.categories:
        found.append(f"{category.numeral}{category.heading}")
        walk(category.nodes)
    return found


def test_pages_are_numbered_on_alternating_sides(pages):
    assert len(pages) > 8
    for page in pages:
        (number,) = [
            line for line in page.lines if re.fullmatch(r"—\s*\d+\s*—", line.text)
        ]
        assert plain(number.text) == f"—{page.number}—"
        assert number.top > BLOCK_BOTTOM  # in the foot margin, below the text block
        if page.number % 2:
            assert number.x > 300  # right on odd pages
        else:
            assert number.x < 150  # left on even pages


def test_the_signature_is_never_alone_on_the_last_page(pages, rendered):
    report = rendered["report"]
    signature = plain(report.unit_name) + plain(report.date_text)
    last = "".join(plain(line.text) for line in pages[-1].body)
    assert last.endswith(signature)
    # The closing's last paragraph (at least) stands on the page with it.
    assert len(last) - len(signature) > 28


def test_no_table_is_split_before_its_total_row(pages):
    def page_with(text: str) -> int:
        return next(p.number for p in pages if plain(text) in p.text)

    results = page_with("考核结果")
    summary_total = next(p.number for p in pages[results - 1 :] if "合计" in p.text)
    assert "三、加强和改进党建工作" in pages[summary_total - 1].text
    assert page_with("全局总分") == page_with("目标任务得分")


def test_no_heading_stands_at_a_pages_foot(pages, rendered):
    titles = [plain(h) for h in headings(rendered["report"])]
    for page in pages[:-1]:
        last = plain(page.body[-1].text)
        assert not any(title.endswith(last) and len(last) >= 4 for title in titles), (
            page.number,
            last,
        )


def test_no_page_is_less_than_half_full_but_before_a_part(pages):
    height = BLOCK_BOTTOM - BLOCK_TOP
    for page, following in zip(pages, pages[1:], strict=False):
        lowest = max(line.top for line in page.body)
        if (lowest - BLOCK_TOP) / height >= 0.5:
            continue
        first = plain(following.body[0].text)
        assert re.match(r"第.部分|考核结果", first), (page.number, lowest)


def test_nothing_is_printed_in_place_of_a_missing_text(pages, rendered):
    text = "".join(page.text for page in pages)
    for placeholder in ("尚未撰写", "尚无内容", "未翻译", "No overview", "placeholder"):
        assert placeholder not in text
    # The unscored section the self-review gives no text prints its heading only.
    assert rendered["report"].missing
    assert plain("（六）认真做好各项接待和检查工作") in text


def test_the_draft_bears_the_date_of_its_latest_change_labelled_draft(pages):
    last = pages[-1].text
    assert "2022年1月21日（草稿）" in last
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" not in "".join(
        p.text for p in pages
    )


def test_the_chinese_report_is_wholly_chinese(pages):
    text = "".join(page.text for page in pages)
    assert not re.findall(r"[A-Za-z]{2,}", text)


def test_the_english_translation_is_wholly_english(rendered):
    english = pages_of(rendered["english_pdf"])
    text = "".join(page.text for page in english)
    assert not CJK.findall(" ".join(line.text for p in english for line in p.lines))
    assert "Part1:DiligentGovernment" in text
    assert "Street area cleaned per day" in " ".join(
        line.text for p in english for line in p.lines
    )
    assert not rendered["english"].untranslated


def test_the_pdf_names_the_official_faces(rendered):
    reader = PdfReader(io.BytesIO(rendered["pdf"]))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    for face in (
        "FandolFang",
        "AR-PL-UKai-CN",
        "Noto-Sans-CJK-SC",
        "Noto-Serif-CJK-SC",
    ):
        assert any(face in name for name in fonts), (face, fonts)


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
def test_page_images_of_the_cover_a_part_a_chart_and_the_last_page(
    rendered, pages, tmp_path
):
    """The pages to look at (pdftoppm): the first page, the part opening, a chart
    page and the last page."""
    wanted = {
        "cover": 1,
        "part": next(p.number for p in pages if "第一部分：勤政建设" in p.text),
        "chart": next(
            p.number for p in pages if "日均清扫保洁面积（万平方米）" in p.text
        ),
        "last": len(pages),
    }
    source = tmp_path / "report.pdf"
    source.write_bytes(rendered["pdf"])
    for name, number in wanted.items():
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "40",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(source),
                str(tmp_path / name),
            ],
            check=True,
            timeout=60,
        )
        image = (tmp_path / f"{name}.png").read_bytes()
        assert image.startswith(b"\x89PNG") and len(image) > 5000
