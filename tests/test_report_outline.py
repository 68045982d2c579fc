"""The report's outline, numbering, formatting and date rule: pure tables first, then
the date on the database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assessment.models import AssessmentYear, ReportSection, Score
from assessment.reporting import formatting, outline
from assessment.reporting.report import build_report
from assessment.reporting.translation import Translator


@pytest.mark.parametrize(
    ("level", "number", "language", "expected"),
    [
        (1, 1, "zh-hans", "一、"),
        (1, 12, "zh-hans", "十二、"),
        (2, 3, "zh-hans", "（三）"),
        (3, 4, "zh-hans", "4."),
        (1, 2, "en", "2."),
        (2, 3, "en", "(3)"),
        (3, 2, "en", "(b)"),
    ],
)
def test_heading_numbers(level, number, language, expected):
    assert formatting.level_numeral(level, number, language) == expected


def test_part_labels_and_points():
    assert formatting.part_label(1, "zh-hans") == "第一部分"
    assert formatting.part_label(2, "en") == "Part 2"
    assert formatting.format_points(D("9.50")) == "9.5"
    assert formatting.format_points(D("100")) == "100"
    assert formatting.format_points(None) == "—"
    assert formatting.format_number(D("21290"), 0) == "21,290"


def test_a_drafts_date_says_draft():
    with translation.override("zh-hans"):
        assert (
            formatting.report_date(datetime.date(2022, 1, 21), True)
            == "2022年1月21日（草稿）"
        )
        assert (
            formatting.report_date(datetime.date(2022, 1, 21), False) == "2022年1月21日"
        )


@dataclass
class Row:
    pk: int
    code: str
    order: int
    category_id: int = 1
    name: str = ""
    heading: str = ""
    part: str = ""
    text: str = ""
    parent_id: int | None = None
    section_id: int | None = None


def told(name: str, points: str = "1") -> outline.TargetContent:
    return outline.TargetContent(
        code=name,
        name=name,
        points=points,
        texts=[outline.DepartmentText("", [f"{name}的完成情况"])],
        records=[],
        figures=[],
        chart=None,
        self_score=points,
        suggested="",
        assessed=points,
        provisional=False,
        points_value=D(points),
        self_value=D(points),
        assessed_value=D(points),
    )


def build(with_empty: bool = True):
    categories = [
        Row(1, "1", 1, name="甲", heading="甲类工作", part="勤政建设"),
        Row(2, "2", 2, name="乙", part="勤政建设"),
        Row(3, "3", 3, name="丙", part=""),
    ]
    sections = [
        Row(10, "S1", 1, category_id=1, heading="第一节", text="节的正文"),
        Row(11, "S1a", 4, category_id=1, heading="一个小节", parent_id=10),
        Row(12, "S2", 6, category_id=1, heading="无分章节"),
        Row(13, "S3", 1, category_id=2, heading="只含一项"),
    ]
    targets = [
        Row(100, "1.1", 2, category_id=1, section_id=10),
        Row(101, "1.2", 3, category_id=1, section_id=10),
        Row(102, "1.3", 5, category_id=1),
        Row(103, "2.1", 2, category_id=2, section_id=13),
        Row(104, "3.1", 1, category_id=3),
    ]
    content = {t.pk: told(f"目标{t.code}") for t in targets}
    return outline.build(
        categories,
        sections,
        targets,
        content,
        {"S1a": ["小节的记录。"]},
        with_section_texts=True,
        with_empty_sections=with_empty,
        translate=lambda text: text,
        language="zh-hans",
    )


def test_the_outline_numbers_parts_categories_sections_and_items():
    parts = build()
    assert [(p.label, p.name, len(p.categories)) for p in parts] == [
        ("第一部分", "勤政建设", 2),
        ("", "", 1),
    ]
    first = parts[0].categories[0]
    assert (first.numeral, first.heading, first.points) == ("一、", "甲类工作", "3")
    assert [(n.numeral, n.heading) for n in first.nodes] == [
        ("（一）", "第一节"),
        ("（二）", "目标1.3"),
        ("（三）", "无分章节"),
    ]
    section = first.nodes[0]
    assert section.paragraphs == ["节的正文"]
    assert [(n.numeral, n.heading) for n in section.children] == [
        ("1.", "目标1.1"),
        ("2.", "目标1.2"),
        ("3.", "一个小节"),
    ]
    assert section.children[2].records == ["小节的记录。"]
    # A section holding one target tells it under its own heading.
    (only,) = parts[0].categories[1].nodes
    assert only.heading == "只含一项" and only.target.name == "目标2.1"
    assert parts[1].categories[0].numeral == "三、"


def test_a_departments_outline_leaves_out_sections_without_its_targets():
    first = build(with_empty=False)[0].categories[0]
    assert [n.heading for n in first.nodes] == ["第一节", "目标1.3"]


def test_a_missing_translation_is_marked_never_shown_in_the_original():
    translate = Translator("en", {"道路清扫保洁": "Street cleaning"})
    with translation.override("en"):
        assert translate("道路清扫保洁。") == "Street cleaning"
        assert translate("未译") == "[not translated]"
    assert translate.missing == ["未译"]


# --- the report's date ------------------------------------------------------------


def test_closing_the_year_stamps_when_its_results_became_final(year, client_supervisor):
    response = client_supervisor.post(
        reverse("assessment:close-year", args=[year.year]), {"confirm": "on"}
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.is_closed and year.results_final_at is not None
    stamped = year.results_final_at
    year.save()
    year.refresh_from_db()
    assert year.results_final_at == stamped  # once


def test_a_final_report_bears_the_date_its_results_became_final(year, catalogue):
    year.status = "closed"
    year.results_final_at = timezone.make_aware(datetime.datetime(2022, 2, 18, 9))
    year.save()
    report = build_report(year, None, [catalogue["target_a"].departments.first()])
    assert report.date == datetime.date(2022, 2, 18) and not report.is_draft
    assert report.date_text == "2022年2月18日"


def test_a_draft_bears_the_date_of_its_latest_change(year, catalogue, dept_a):
    report = build_report(year, dept_a)
    assert report.is_draft
    assert report.date == datetime.date(year.year, 1, 1)  # nothing yet: never today
    score = Score.objects.create(
        target=catalogue["target_a"], department=dept_a, assessed_score=D(5)
    )
    Score.objects.filter(pk=score.pk).update(
        scored_at=timezone.make_aware(datetime.datetime(year.year + 1, 1, 9, 10))
    )
    report = build_report(year, dept_a)
    assert report.date == datetime.date(year.year + 1, 1, 9)
    assert report.date_text.endswith("（草稿）")


def test_an_unscored_section_prints_its_heading_and_is_listed_as_missing(
    year, catalogue, client_supervisor
):
    category = catalogue["target_a"].category
    ReportSection.objects.create(
        year=year, category=category, code="S9", heading="接待和检查工作", order=99
    )
    response = client_supervisor.get(reverse("assessment:report", args=[year.year]))
    body = response.content.decode()
    assert "接待和检查工作" in body
    assert "report-missing" in body and "尚未撰写概述" in body
    assert isinstance(year, AssessmentYear)


def test_the_letterhead_is_printed_only_when_the_year_asks_for_it(
    year, catalogue, client_supervisor
):
    url = reverse("assessment:report", args=[year.year])
    assert 'class="letterhead"' not in client_supervisor.get(url).content.decode()
    year.letterhead = True
    year.document_number = "环卫发〔2021〕3号"
    year.save()
    body = client_supervisor.get(url).content.decode()
    assert 'class="letterhead"' in body and "环卫发〔2021〕3号" in body
    assert 'class="red-rule"' in body
    assert "文件</p>" in body


def test_the_system_check_names_the_missing_report_faces(monkeypatch):
    from assessment import checks

    monkeypatch.setattr(
        checks, "_font_families", lambda pattern: "Noto Sans CJK SC,Noto Sans CJK JP\n"
    )
    assert checks.missing_report_faces() == [
        "FandolFang",
        "AR PL UKai CN",
        "Noto Serif CJK SC",
    ]
    warnings = checks.pdf_prerequisites(None)
    assert any(w.id == "assessment.W004" for w in warnings)
