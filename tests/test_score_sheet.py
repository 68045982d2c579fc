"""The score sheet on paper (考核评分表) and the bureau's summary sheet, on the demo.

Each PDF is rendered once for the module (as the office clerk and the leader would
download it); the role tests of the PDF URLs that are refused render nothing.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from assessment.models import User
from tests.conftest import login
from tests.report_support import demo_module_fixture, plain


def _url(name: str, *args) -> str:
    return reverse(f"assessment:{name}", args=args)


def _pages(content: bytes) -> list[str]:
    return [plain(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def _build(year):
    office = login(User.objects.get(username="clerk_office"))
    leader = login(User.objects.get(username="leader"))
    department = office.get(_url("score-sheet-pdf", year.year, "office"))
    summary = leader.get(_url("summary-sheet-pdf", year.year))
    return {
        "year": year.year,
        "department": department,
        "department_pages": _pages(department.content),
        "summary": summary,
        "summary_pages": _pages(summary.content),
    }


rendered = demo_module_fixture(_build)


@pytest.fixture
def demo(rendered, django_db_blocker):
    with django_db_blocker.unblock():
        yield rendered


def client_of(username: str) -> Client:
    return login(User.objects.get(username=username))


def test_the_department_pdf_is_an_attachment(demo):
    response = demo["department"]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "score-sheet-2021-office.pdf" in response["Content-Disposition"]


def test_the_department_sheet_has_the_bureaus_columns_and_rows(demo):
    text = "".join(demo["department_pages"])
    for column in ("考核项目", "标准", "标准分", "扣分", "得分", "扣分理由"):
        assert column in text
    assert "办公室" in text
    assert plain("1.8 加大对信访工作的工作力度") in text
    assert plain("2.1 主动搞好信息服务工作") in text
    assert "加分" in text and "+0.50" in text  # the office's bonus item
    assert "发动全局干部职工为受火灾的职工家庭捐款" in text
    assert "等次" in text and "优秀" in text
    assert "垃圾清运队" not in text  # nobody else's sheet


def test_the_department_sheet_has_every_scorer_and_the_head_to_sign(demo):
    text = "".join(demo["department_pages"])
    for body in ("考核办", "安全办"):
        assert f"{body}（签字）" in text
    assert "党支部委员会（签字）" not in text  # 3.1 is not the office's target
    assert "被考核单位负责人（签字）" in text


def test_the_table_never_splits_before_its_total_row(demo):
    pages = demo["department_pages"]
    last = pages[-1]
    # The last target and every total row are on one page, with the signatures.
    assert plain("2.6 树立服务理念") in last
    assert "百分制得分" in last and "百分制考核结果" in last
    assert "被考核单位负责人（签字）" in last
    assert all("被考核单位负责人" not in page for page in pages[:-1])


def test_the_summary_sheet_ranks_every_department(demo):
    response = demo["summary"]
    assert response.status_code == 200
    assert "score-sheet-2021-bureau.pdf" in response["Content-Disposition"]
    text = "".join(demo["summary_pages"])
    for name in (
        "清扫保洁队",
        "垃圾清运队",
        "粪便清运队",
        "填埋场",
        "监察队",
        "办公室",
        "党支部",
    ):
        assert name in text
    for column in ("排名", "标准分", "等次"):
        assert column in text
    assert "局主要领导（签字）" in text
    assert "考核办（签字）" in text


# --- by role: the pages --------------------------------------------------------------


def test_a_clerk_reads_their_own_departments_sheet(demo):
    response = client_of("clerk_office").get(
        _url("score-sheet", demo["year"], "office")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-sheet="department"' in page
    assert _url("score-sheet-pdf", demo["year"], "office") in page


def test_a_clerk_gets_404_for_another_departments_sheet(demo):
    client = client_of("clerk_office")
    assert client.get(_url("score-sheet", demo["year"], "waste")).status_code == 404
    assert client.get(_url("score-sheet-pdf", demo["year"], "waste")).status_code == 404


def test_a_clerk_cannot_read_the_bureaus_summary(demo):
    client = client_of("clerk_office")
    assert client.get(_url("summary-sheet", demo["year"])).status_code == 403
    assert client.get(_url("summary-sheet-pdf", demo["year"])).status_code == 403


@pytest.mark.parametrize("username", ["assessor_safety", "leader", "supervisor"])
def test_scorers_of_any_body_and_leaders_read_every_sheet(demo, username):
    client = client_of(username)
    for code in ("office", "waste"):
        response = client.get(_url("score-sheet", demo["year"], code))
        assert response.status_code == 200
    summary = client.get(_url("summary-sheet", demo["year"])).content.decode()
    assert 'data-sheet="summary"' in summary
    assert summary.count('class="row-department"') == 7


def test_the_bureau_itself_has_no_sheet_of_its_own(demo):
    response = client_of("supervisor").get(_url("score-sheet", demo["year"], "bureau"))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(demo):
    for url in (
        _url("score-sheet", demo["year"], "office"),
        _url("score-sheet-pdf", demo["year"], "office"),
        _url("summary-sheet", demo["year"]),
        _url("summary-sheet-pdf", demo["year"]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
