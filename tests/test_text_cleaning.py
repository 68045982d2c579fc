"""Bidirectional controls (U+202A–U+202E, U+2066–U+2069) never reach what is stored.

Invisible, they make text print in another order ("Trojan Source"): a figure note
typed as "\u202e…" would read backwards in the PDF. They are removed whichever way the
text arrives: a page, a reason or comment, an import, the admin.
"""

from __future__ import annotations

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessment import text as text_rules
from assessment.figures import returns
from assessment.figures.workflow import SubmissionStatus
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    Figure,
    MonthlyReturn,
    ReportText,
    Score,
    SelfAssessment,
    SelfAssessmentSubmission,
    User,
    Veto,
)
from assessment.reporting.rendering import render_report_pdf
from assessment.reporting.report import build_report
from assessment.spreadsheets import imports
from sanitation.bureau.models import SafetyActivity, Task
from tests.conftest import login
from tests.spreadsheet_support import workbook_bytes

#: Every control that is removed, between two halves of a word.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def hostile(clean: str) -> str:
    """`clean` with every bidi control in its middle: what an attacker would type."""
    half = len(clean) // 2
    return clean[:half] + BIDI + clean[half:]


def assert_clean(stored: str, expected: str) -> None:
    assert stored == expected
    assert not text_rules.BIDI_CONTROLS.intersection(stored)


def test_the_controls_are_exactly_the_nine_bidi_embeddings_overrides_and_isolates():
    assert text_rules.BIDI_CONTROLS == set(BIDI)
    assert text_rules.strip_bidi(hostile("gnp.exe")) == "gnp.exe"
    # Marks that only hint at direction (LRM, RLM, ALM) and ordinary text stay.
    kept = "\u200e\u200f\u061c 清扫 abc"
    assert text_rules.strip_bidi(kept) == kept


# --- monthly figures and their review ---------------------------------------------------


@pytest.fixture
def march(monkeypatch, year):
    """Early March of the year under test: February is open."""
    today = datetime.date(year.year, 3, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    return today


def entry_url(year, month: int = 2, code: str = "dept-a") -> str:
    return reverse("assessment:entry", args=[year.year, code, month])


def test_a_figure_note_is_stored_without_them(client_a, year, catalogue, march):
    area = catalogue["area"]
    data = {
        f"f-{area.pk}-value": "150.5",
        f"f-{area.pk}-note": hostile("含新增路段"),
        f"f-{area.pk}-version": "0",
    }
    assert client_a.post(entry_url(year), data).status_code == 302
    assert_clean(Figure.objects.get().note, "含新增路段")
    # The same form posted again is the same value: no conflict, no second change.
    response = client_a.post(entry_url(year), data)
    assert response.status_code == 302
    figure = Figure.objects.get()
    assert (figure.version, figure.history.count()) == (1, 1)


def february_with_a_figure(year, clerk, catalogue, today) -> MonthlyReturn:
    department = Department.objects.get(code="dept-a")
    returns.save_figures(
        clerk,
        year,
        department,
        2,
        [returns.FigureRow(catalogue["area"], Decimal(150), "", 0)],
        on=today,
    )
    return MonthlyReturn.objects.get(department=department, month=2)


def test_review_comments_and_reopen_reasons_are_stored_without_them(
    client_a, client_supervisor, clerk_a, year, catalogue, march
):
    monthly_return = february_with_a_figure(year, clerk_a, catalogue, march)
    args = [year.year, "dept-a", 2]
    client_a.post(reverse("assessment:submit", args=args))
    client_supervisor.post(
        reverse("assessment:return", args=args), {"comment": hostile("请核实面积")}
    )
    assert_clean(MonthlyReturn.objects.get().comment, "请核实面积")
    client_a.post(reverse("assessment:submit", args=args))
    client_supervisor.post(reverse("assessment:approve", args=args))
    client_supervisor.post(
        reverse("assessment:reopen", args=args), {"reason": hostile("区里要求更正")}
    )
    monthly_return.refresh_from_db()
    assert monthly_return.status == "draft"
    assert_clean(monthly_return.reopen_reason, "区里要求更正")


def test_a_comment_of_nothing_but_controls_is_no_comment(
    client_a, client_supervisor, clerk_a, year, catalogue, march
):
    february_with_a_figure(year, clerk_a, catalogue, march)
    args = [year.year, "dept-a", 2]
    client_a.post(reverse("assessment:submit", args=args))
    client_supervisor.post(reverse("assessment:return", args=args), {"comment": BIDI})
    assert MonthlyReturn.objects.get().status == "submitted"


# --- work records -----------------------------------------------------------------------


def test_record_titles_and_descriptions_are_stored_without_them(client_a, dept_a, year):
    day = datetime.date(year.year, 1, 15)
    response = client_a.post(
        reverse("bureau:record-add", args=["safety"]),
        {
            "department": dept_a.pk,
            "kind": "meeting",
            "date": day.isoformat(),
            "title": hostile("安全例会"),
            "participants": "",
            "fatalities": "",
            "description": hostile("传达上级文件精神"),
            "once": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    record = SafetyActivity.objects.get()
    assert_clean(record.title, "安全例会")
    assert_clean(record.description, "传达上级文件精神")


def test_a_record_edit_posted_twice_is_one_change(client_a, dept_a, year):
    day = datetime.date(year.year, 1, 15)
    record = SafetyActivity.objects.create(
        department=dept_a, date=day, title="安全例会", kind="meeting"
    )
    data = {
        "department": dept_a.pk,
        "kind": "meeting",
        "date": day.isoformat(),
        "title": hostile("月度安全例会"),
        "participants": "",
        "fatalities": "",
        "description": "",
        "version": "1",
    }
    url = reverse("bureau:record-edit", args=["safety", record.pk])
    assert client_a.post(url, data).status_code == 302
    assert client_a.post(url, data).status_code == 302  # no conflict with itself
    record.refresh_from_db()
    assert_clean(record.title, "月度安全例会")
    assert (record.version, record.history.count()) == (2, 2)


def test_a_record_title_of_nothing_but_controls_is_missing(client_a, dept_a, year):
    response = client_a.post(
        reverse("bureau:record-add", args=["safety"]),
        {
            "department": dept_a.pk,
            "kind": "meeting",
            "date": datetime.date(year.year, 1, 15).isoformat(),
            "title": BIDI,
            "participants": "",
            "fatalities": "",
            "description": "",
            "once": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert not SafetyActivity.objects.exists()


# --- self-assessment, report texts ------------------------------------------------------


def test_self_assessment_texts_are_stored_without_them(client_a, year, catalogue):
    target = catalogue["target_a"]
    prefix = f"t{target.pk}"
    data = {
        "target": str(target.pk),
        f"{prefix}-self_score": "15",
        f"{prefix}-text": hostile("全年完成清扫任务"),
        f"{prefix}-version": "0",
        f"{prefix}-once": str(uuid.uuid4()),
    }
    url = reverse("assessment:self-assessment", args=[year.year, "dept-a"])
    assert client_a.post(url, data).status_code == 302
    assert_clean(SelfAssessment.objects.get().text, "全年完成清扫任务")
    # Posted again, the same text is no change (and no conflict).
    response = client_a.post(url, {**data, f"{prefix}-once": str(uuid.uuid4())})
    assert response.status_code == 302
    assert SelfAssessment.objects.get().version == 1


def test_a_self_assessment_return_comment_is_stored_without_them(
    client_supervisor, year, catalogue, dept_a
):
    SelfAssessmentSubmission.objects.create(
        year=year, department=dept_a, status=SubmissionStatus.SUBMITTED
    )
    url = reverse("assessment:self-assessment-return", args=[year.year, "dept-a"])
    client_supervisor.post(url, {"comment": hostile("请补充佐证材料")})
    submission = SelfAssessmentSubmission.objects.get()
    assert submission.status == SubmissionStatus.RETURNED
    assert_clean(submission.comment, "请补充佐证材料")
    # The same return posted twice is answered as already done.
    response = client_supervisor.post(url, {"comment": hostile("请补充佐证材料")})
    assert response.status_code == 302
    assert SelfAssessmentSubmission.objects.get().version == submission.version


def test_report_texts_are_stored_without_them(client_supervisor, year):
    url = reverse("assessment:report-texts", args=[year.year])
    data = {
        "overview": hostile("全年工作概述"),
        "closing": hostile("下一步打算"),
        "version": "0",
    }
    assert client_supervisor.post(url, data).status_code == 302
    text = ReportText.objects.get()
    assert_clean(text.overview, "全年工作概述")
    assert_clean(text.closing, "下一步打算")
    assert client_supervisor.post(url, data).status_code == 302
    assert ReportText.objects.get().version == 1


# --- scoring reasons --------------------------------------------------------------------


def test_score_adjustment_and_veto_reasons_are_stored_without_them(
    client_supervisor, year, catalogue
):
    target = catalogue["common"]  # no figures: no suggestion, a reason is optional
    prefix = f"t{target.pk}"
    client_supervisor.post(
        reverse("assessment:score-save", args=[year.year, "dept-a", target.pk]),
        {
            f"{prefix}-score": "8",
            f"{prefix}-reason": hostile("一起轻微事故"),
            f"{prefix}-version": "0",
        },
    )
    assert_clean(Score.objects.get().reason, "一起轻微事故")
    client_supervisor.post(
        reverse("assessment:adjustment-add", args=[year.year, "dept-a"]),
        {
            "adj-kind": "deduction",
            "adj-points": "1",
            "adj-target": "",
            "adj-reason": hostile("群众投诉"),
            "adj-once": str(uuid.uuid4()),
        },
    )
    assert_clean(Adjustment.objects.get().reason, "群众投诉")
    client_supervisor.post(
        reverse("assessment:veto-add", args=[year.year, "dept-a"]),
        {"veto-reason": hostile("死亡事故"), "veto-once": str(uuid.uuid4())},
    )
    assert_clean(Veto.objects.get().reason, "死亡事故")


def test_a_reason_of_nothing_but_controls_is_refused(
    client_supervisor, year, catalogue
):
    response = client_supervisor.post(
        reverse("assessment:adjustment-add", args=[year.year, "dept-a"]),
        {
            "adj-kind": "deduction",
            "adj-points": "1",
            "adj-target": "",
            "adj-reason": BIDI,
            "adj-once": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "reason" in response.context["adjustment_form"].errors
    response = client_supervisor.post(
        reverse("assessment:veto-add", args=[year.year, "dept-a"]),
        {"veto-reason": BIDI, "veto-once": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert not Adjustment.objects.exists() and not Veto.objects.exists()


def test_the_close_reason_is_stored_without_them(client_supervisor, year, catalogue):
    client_supervisor.post(
        reverse("assessment:close-year", args=[year.year]),
        {"confirm": "on", "reason": hostile("年终考核结束")},
    )
    year.refresh_from_db()
    assert year.is_closed
    assert_clean(year.close_reason, "年终考核结束")


# --- imports and the admin --------------------------------------------------------------


def test_import_notes_are_stored_without_them(clerk_a, dept_a, year, catalogue):
    month = timezone.localdate().month
    data = workbook_bytes(
        [["dept-a", "area", "", "", month, 150.5, hostile("含新增路段")]]
    )
    report = imports.validate_upload(io.BytesIO(data), clerk_a, year, dept_a)
    assert report.can_apply, report.problems
    imports.apply_import(report, clerk_a)
    figure = Figure.objects.get()
    assert_clean(figure.note, "含新增路段")
    assert_clean(figure.history.get().note, "含新增路段")


@pytest.fixture
def client_admin(db):
    return login(User.objects.create_superuser("root", "root@example.org", "x-4821"))


def test_admin_saves_are_stored_without_them(client_admin, dept_a, year, catalogue):
    response = client_admin.post(
        reverse("admin:assessment_department_change", args=[dept_a.pk]),
        {
            "code": dept_a.code,
            "name": hostile("清扫保洁队"),
            "parent": "",
            "order": "1",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert_clean(Department.objects.get(pk=dept_a.pk).name, "清扫保洁队")
    response = client_admin.post(
        reverse("admin:assessment_assessmentyear_change", args=[year.pk]),
        {
            "year": year.year,
            "title": hostile("年度目标管理考核"),
            "deadline_day": "10",
            "excellent_threshold": "90",
            "good_threshold": "80",
            "pass_threshold": "60",
            "bonus_cap": "5",
            "rectify_below_percent": "60",
            "light_green_from": "100",
            "light_yellow_from": "90",
            "categories-TOTAL_FORMS": "0",
            "categories-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_clean(AssessmentYear.objects.get().title, "年度目标管理考核")


# --- the PDF ----------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join(page.extract_text() for page in reader.pages)


def test_a_record_title_and_a_text_come_out_of_the_pdf_without_them(
    year, catalogue, dept_a, clerk_a
):
    Task.objects.create(
        department=dept_a,
        date=datetime.date(year.year, 1, 15),
        title=hostile("清除紫茎泽兰"),
        kind="emergency",
    )
    target = catalogue["target_a"]
    SelfAssessment.objects.create(
        target=target, department=dept_a, text=hostile("全年完成清扫任务")
    )
    pdf = render_report_pdf(build_report(year, dept_a))
    text = pdf_text(pdf)
    assert not text_rules.BIDI_CONTROLS.intersection(text)
    flat = "".join(text.split())
    assert "清除紫茎泽兰" in flat and "全年完成清扫任务" in flat
