"""The report as a Word document (.docx), from the same `Report` as the PDF.

The outline becomes Word's own heading styles (Heading 1 for a part, 2 for 一、, 3 for
（一）, 4 for 1.), tables are Word tables kept on one page, charts are PNG pictures drawn
from the same SVG (resvg), and the footer holds "— page —", right on odd pages and left
on even ones. The faces are the PDF's (`fonts`), named for East Asian and Latin text.
Interface words come from gettext in the report's language.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from assessment.reporting import charts, fonts, outline
from assessment.reporting.report import Report

LINE = Pt(28.94)  # the PDF's line pitch: 22 lines in the 225 mm text block
BODY_SIZE = Pt(16)
TABLE_SIZE = Pt(12)
RED = RGBColor(0xE6, 0x00, 0x12)


def _fonts(element, face: str) -> None:
    """Name `face` for every script of a run or style (themes would override it)."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(script), face)


def _style(document, name: str, face: str, *, bold: bool = False, size=BODY_SIZE):
    style = document.styles[name]
    style.font.name = face
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element, face)
    paragraph = style.paragraph_format
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.line_spacing = LINE
    paragraph.space_before = Pt(0)
    paragraph.space_after = Pt(0)
    return style


def _setup(document, chinese: bool) -> None:
    body = fonts.BODY if chinese else fonts.SONG
    normal = _style(document, "Normal", body)
    normal.paragraph_format.first_line_indent = Pt(32)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.widow_control = True
    title = _style(document, "Title", fonts.SONG, bold=True, size=Pt(22))
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(32)
    title.paragraph_format.space_after = LINE
    title.paragraph_format.first_line_indent = Pt(0)
    # The title style draws a rule under itself in Word's default template.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    part = _style(document, "Heading 1", fonts.HEI, bold=True)
    part.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    part.paragraph_format.space_before = LINE
    for name, face, bold in (
        ("Heading 2", fonts.HEI, True),
        ("Heading 3", fonts.KAI if chinese else fonts.SONG, False),
        ("Heading 4", body, False),
    ):
        heading = _style(document, name, face, bold=bold)
        heading.paragraph_format.first_line_indent = Pt(32)
        heading.paragraph_format.keep_with_next = True
    part.paragraph_format.keep_with_next = True
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    section.start_type = WD_SECTION_START.NEW_PAGE
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _fonts(run._r, fonts.SONG)
    run.font.size = Pt(14)


def _page_number(paragraph: Paragraph, alignment) -> None:
    """— 3 —, one character in from the outer edge."""
    paragraph.alignment = alignment
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    for text in ("— ", None, " —"):
        if text is None:
            _field(paragraph, "PAGE")
            continue
        run = paragraph.add_run(text)
        _fonts(run._r, fonts.SONG)
        run.font.size = Pt(14)


def _text(document, text: str, *, style: str | None = None, indent: bool = True):
    paragraph = document.add_paragraph(text, style=style)
    if not indent:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    return paragraph


def _table(document, header: list[str], rows: Iterable[list[str]], numeric: set[int]):
    rows = list(rows)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_index, values in enumerate([header, *rows]):
        row = table.rows[row_index]
        trpr = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        trpr.append(cant_split)
        if row_index == 0:
            trpr.append(OxmlElement("w:tblHeader"))
        for column, value in enumerate(values):
            cell = row.cells[column]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            # Every row keeps with the next: the table stays on one page.
            paragraph.paragraph_format.keep_with_next = row_index < len(rows)
            if column in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run = paragraph.add_run(value)
            run.font.size = TABLE_SIZE
            run.bold = row_index == 0
    return table


def chart_png(chart: charts.Chart, zoom: float = 3.0) -> bytes:
    """The chart's SVG drawn as PNG, with the report's faces."""
    return chart.png(zoom)


def _figures_table(document, report: Report, figures: list[outline.FigureLine]) -> None:
    """A target's figures; with last year's value and the change when there is a
    last year (the change and its per cent on two lines of one cell)."""
    header = [
        _("Indicator"),
        _("Unit"),
        _("Annual value"),
        pgettext("target value", "Target"),
        _("Completion"),
    ]
    rows = [
        [
            f.name,
            f.unit,
            f.value,
            f"{f.direction} {f.target}" if f.target != "—" else "—",
            f.completion,
        ]
        for f in figures
    ]
    numeric = {2, 3, 4}
    if report.last_year:
        header += [
            pgettext("value of last year", "Last year"),
            _("Change on last year"),
        ]
        for row, f in zip(rows, figures, strict=True):
            percent = f"\n{f.change_percent}" if f.change_percent != "—" else ""
            row += [f.last_value, f"{f.change}{percent}"]
        numeric |= {5, 6}
    table = _table(document, header, rows, numeric)
    if report.last_year:
        # Seven columns in the 156 mm text block: the indicator's name widest.
        table.autofit = False
        for column, width in zip(table.columns, FIGURE_WIDTHS, strict=True):
            column.width = Mm(width)  # the table's grid, which LibreOffice reads
            for cell in column.cells:
                cell.width = Mm(width)


#: Widths (mm) of the figures table's columns with last year's: 156 mm in all.
FIGURE_WIDTHS = (31, 14, 21, 25, 22, 21, 22)


def _node(document, report: Report, node: outline.Node) -> None:
    gap = "" if report.is_chinese else " "
    document.add_heading(f"{node.numeral}{gap}{node.heading}", level=node.level + 1)
    for paragraph in node.paragraphs:
        _text(document, paragraph)
    if node.records:
        _text(document, gap.join(node.records))
    target = node.target
    if target is not None:
        colon = "：" if report.is_chinese else ": "
        for text in target.texts:
            for index, paragraph in enumerate(text.paragraphs):
                label = (
                    f"{text.department}{colon}"
                    if index == 0 and text.department
                    else ""
                )
                _text(document, f"{label}{paragraph}")
        if target.records:
            _text(document, gap.join(target.records))
        if target.figures:
            _figures_table(document, report, target.figures)
        if target.chart is not None:
            caption = _text(document, target.chart.caption, indent=False)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.paragraph_format.keep_with_next = True
            caption.runs[0].font.size = TABLE_SIZE
            picture = document.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.first_line_indent = Pt(0)
            picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            picture.add_run().add_picture(
                io.BytesIO(chart_png(target.chart)), width=Mm(150)
            )
        scores = _(
            "Points %(points)s; self score %(self)s; assessed score %(assessed)s"
        ) % {
            "points": target.points,
            "self": target.self_score,
            "assessed": target.assessed,
        }
        line = _text(document, scores, indent=False)
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        line.runs[0].font.size = TABLE_SIZE
    for child in node.children:
        _node(document, report, child)


def _results(document, report: Report) -> None:
    document.add_heading(_("Assessment result"), level=1)
    gap = "" if report.is_chinese else " "
    _table(
        document,
        [_("Category"), _("Points"), _("Self score"), _("Assessed score")],
        [
            *(
                [f"{c.numeral}{gap}{c.name}", c.points, c.self_score, c.assessed]
                for c in report.categories
            ),
            [
                _("Total"),
                report.catalogue_points,
                report.self_total,
                report.scores_total,
            ],
        ],
        {1, 2, 3},
    )
    if report.departments:
        _text(document, "", indent=False)
        _table(
            document,
            [_("Department"), _("Total"), _("Per 100 points"), _("Grade"), _("Rank")],
            ([d.name, d.total, d.per_100, d.grade, d.rank] for d in report.departments),
            {1, 2, 4},
        )
    lines = [
        *(
            [_("Deduction"), a.department, a.reason, f"−{a.points}"]
            for a in report.deductions
        ),
        *([_("Bonus"), a.department, a.reason, f"+{a.points}"] for a in report.bonuses),
        *([_("One-vote veto"), a.department, a.reason, "—"] for a in report.vetoes),
    ]
    if lines:
        _text(document, "", indent=False)
        _table(
            document, [_("Item"), _("Department"), _("Reason"), _("Points")], lines, {3}
        )
    _text(document, "", indent=False)
    if report.departments:
        totals = [[_("Bureau total (of 100 points)"), report.total]]
    else:
        totals = [
            [_("Scores of the targets"), report.scores_total],
            [_("Deductions"), f"−{report.deductions_total}"],
            [_("Total"), report.total],
            [_("Per 100 points"), report.total_per_100],
        ]
    _table(
        document, [_("Item"), _("Points")], [*totals, [_("Grade"), report.grade]], {1}
    )


def build_document(report: Report):
    with translation.override(report.language):
        document = Document()
        _setup(document, report.is_chinese)
        properties = document.core_properties
        properties.title = report.title
        properties.author = report.unit_name
        properties.language = report.language
        if report.letterhead:
            unit = _text(document, report.letterhead, indent=False)
            unit.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = unit.runs[0]
            run.font.size, run.font.bold, run.font.color.rgb = Pt(36), True, RED
            _fonts(run._r, fonts.SONG)
            if report.document_number:
                number = _text(document, report.document_number, indent=False)
                number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title = document.add_paragraph(report.title_lines[0], style="Title")
        for line in report.title_lines[1:]:
            title.add_run().add_break()
            title.add_run(line)
        if report.is_draft:
            note = _text(
                document, _("Draft: the results are not final yet."), indent=False
            )
            note.alignment = WD_ALIGN_PARAGRAPH.CENTER
            note.runs[0].font.color.rgb = RED
        for paragraph in report.overview:
            _text(document, paragraph)
        for part in report.parts:
            if part.name:
                colon = "：" if report.is_chinese else ": "
                document.add_heading(f"{part.label}{colon}{part.name}", level=1)
            for category in part.categories:
                gap = "" if report.is_chinese else " "
                document.add_heading(
                    f"{category.numeral}{gap}{category.heading}", level=2
                )
                for node in category.nodes:
                    _node(document, report, node)
        if report.other_records:
            document.add_heading(_("Other work of the year"), level=1)
            _text(document, " ".join(report.other_records))
        _results(document, report)
        if report.rectification:
            document.add_heading(
                _("Rectification of %(year)s") % {"year": report.previous_year},
                level=1,
            )
            _table(
                document,
                [_("Department"), _("To rectify"), _("Deadline"), _("Status")],
                (
                    [line.department, line.item, line.deadline, line.state]
                    for line in report.rectification
                ),
                set(),
            )
        for paragraph in report.closing:
            _text(document, paragraph).paragraph_format.keep_with_next = True
        for index, line in enumerate((report.unit_name, report.date_text)):
            signature = _text(document, line, indent=False)
            signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            signature.paragraph_format.right_indent = Pt(64)
            signature.paragraph_format.keep_with_next = index == 0
            if index == 0:
                signature.paragraph_format.space_before = LINE * 2
    return document


def render_report_docx(report: Report) -> bytes:
    buffer = io.BytesIO()
    build_document(report).save(buffer)
    return buffer.getvalue()
