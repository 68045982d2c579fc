"""The report pages: who sees which report, the draft label, and the texts form."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Department, ReportText, SelfAssessment
from sanitation.bureau.models import Donation


@pytest.fixture
def texts(year, catalogue, dept_a, dept_b, clerk_a, clerk_b):
    SelfAssessment.objects.create(
        target=catalogue["target_a"], department=dept_a, text="甲队清扫全覆盖"
    )
    SelfAssessment.objects.create(
        target=catalogue["target_b"], department=dept_b, text="乙队清运秘密"
    )
    Donation.objects.create(
        department=dept_b,
        date=datetime.date(year.year, 6, 1),
        title="乙队捐款活动",
        amount=Decimal(999),
    )
    return catalogue


def bureau_url(year):
    return reverse("assessment:report", args=[year.year])


def dept_url(year, department, suffix=""):
    return reverse(
        f"assessment:department-report{suffix}", args=[year.year, department.code]
    )


def test_clerks_may_not_open_the_bureau_report(year, texts, client_a):
    assert client_a.get(bureau_url(year)).status_code == 403
    assert (
        client_a.get(reverse("assessment:report-pdf", args=[year.year])).status_code
        == 403
    )


def test_a_clerk_sees_the_own_department_report(year, texts, client_a, dept_a):
    response = client_a.get(dept_url(year, dept_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲队清扫全覆盖" in body
    assert "乙队" not in body
    assert "垃圾清运" not in body


def test_another_department_report_is_404_with_no_data(year, texts, client_a, dept_b):
    for suffix in ("", "-pdf", "-texts"):
        response = client_a.get(dept_url(year, dept_b, suffix))
        assert response.status_code == 404
        assert "乙队" not in response.content.decode(errors="replace")


@pytest.mark.parametrize("who", ["client_supervisor", "client_leader"])
def test_supervisors_and_leaders_see_the_bureau_report(year, texts, who, request):
    client = request.getfixturevalue(who)
    response = client.get(bureau_url(year))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲队清扫全覆盖" in body and "乙队清运秘密" in body
    assert "乙队捐款活动" in body


def test_the_report_menu_offers_the_bureau_once_and_each_unit(
    year, texts, dept_a, dept_b, client_supervisor
):
    bureau = Department.objects.create(code="bureau", name="区环境卫生管理局")
    Department.objects.filter(pk__in=[dept_a.pk, dept_b.pk]).update(parent=bureau)
    response = client_supervisor.get(bureau_url(year))
    links = [url for _name, url in response.context["other_reports"]]
    assert links == [
        bureau_url(year),
        dept_url(year, dept_a),
        dept_url(year, dept_b),
    ]


def test_anonymous_visitors_are_sent_to_log_in(year, texts, client, dept_a):
    for url in (bureau_url(year), dept_url(year, dept_a)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_the_report_says_draft_while_the_year_is_open(year, texts, client_supervisor):
    body = client_supervisor.get(bureau_url(year)).content.decode()
    assert "draft-label" in body
    year.status = "closed"
    year.save()
    body = client_supervisor.get(bureau_url(year)).content.decode()
    assert "draft-label" not in body


def test_user_text_is_escaped_in_the_preview(year, texts, client_a, dept_a):
    row = SelfAssessment.objects.get(department=dept_a)
    row.text = '<script>alert(1)</script><img src="file:///etc/passwd">'
    row.save()
    body = client_a.get(dept_url(year, dept_a)).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in body


def test_the_report_takes_the_same_queries_for_more_departments(
    year, texts, client_supervisor, django_assert_max_num_queries
):
    from assessment.models import Department

    client_supervisor.get(bureau_url(year))
    with django_assert_max_num_queries(50) as few:
        client_supervisor.get(bureau_url(year))
    limit = len(few.captured_queries)
    for n in range(5):
        Department.objects.create(code=f"extra-{n}", name=f"部门{n}", order=10 + n)
    client_supervisor.get(bureau_url(year))  # the catalogue's kept values read again
    with django_assert_max_num_queries(limit):
        client_supervisor.get(bureau_url(year))


# --- overview and closing texts ---


def texts_url(year, department=None):
    if department is None:
        return reverse("assessment:report-texts", args=[year.year])
    return dept_url(year, department, "-texts")


def test_a_supervisor_writes_the_bureau_texts_once(year, supervisor, client_supervisor):
    data = {"overview": "一年来\n成绩显著", "closing": "继续努力", "version": 0}
    response = client_supervisor.post(texts_url(year), data)
    assert response.status_code == 302
    row = ReportText.objects.get(year=year, department=None)
    assert (row.overview, row.version, row.updated_by) == (
        "一年来\n成绩显著",
        1,
        supervisor,
    )
    assert row.history.count() == 1
    assert row.history.first().history_user == supervisor
    # A double-click sends the same again from version 0: one value, no conflict.
    response = client_supervisor.post(texts_url(year), data)
    assert response.status_code == 302
    assert ReportText.objects.get(pk=row.pk).history.count() == 1
    body = client_supervisor.get(bureau_url(year)).content.decode()
    assert "成绩显著" in body and "继续努力" in body


def test_a_stale_edit_names_who_changed_it(year, supervisor, client_supervisor):
    client_supervisor.post(
        texts_url(year), {"overview": "甲", "closing": "", "version": 0}
    )
    response = client_supervisor.post(
        texts_url(year), {"overview": "乙", "closing": "", "version": 0}
    )
    assert response.status_code == 200
    assert supervisor.display_name in response.content.decode()
    assert ReportText.objects.get(year=year, department=None).overview == "甲"


def test_clerks_write_their_own_department_texts_only(
    year, dept_a, dept_b, client_a, client_leader, client_supervisor
):
    data = {"overview": "甲队概述", "closing": "", "version": 0}
    assert client_a.post(texts_url(year, dept_a), data).status_code == 302
    assert ReportText.objects.get(department=dept_a).overview == "甲队概述"
    assert client_a.post(texts_url(year, dept_b), data).status_code == 404
    assert client_a.post(texts_url(year), data).status_code == 403
    assert client_leader.post(texts_url(year, dept_a), data).status_code == 403
    assert client_leader.post(texts_url(year), data).status_code == 403
    assert not ReportText.objects.filter(department=dept_b).exists()


def test_a_closed_year_refuses_the_texts(year, client_supervisor):
    year.status = "closed"
    year.save()
    response = client_supervisor.post(
        texts_url(year), {"overview": "x", "closing": "", "version": 0}
    )
    assert response.status_code == 403
    assert not ReportText.objects.exists()


def test_the_nav_link_leads_each_role_to_a_report(
    year, dept_a, client_a, client_supervisor
):
    url = reverse("assessment:my-report", args=[year.year])
    assert client_a.get(url)["Location"] == dept_url(year, dept_a)
    assert client_supervisor.get(url)["Location"] == bureau_url(year)


# --- the Word copy ---


def docx_url(year, department=None):
    if department is None:
        return reverse("assessment:report-docx", args=[year.year])
    return reverse(
        "assessment:department-report-docx", args=[year.year, department.code]
    )


def test_a_clerk_downloads_the_own_departments_word_copy(
    year, catalogue, client_a, dept_a
):
    response = client_a.get(docx_url(year, dept_a))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.docx"')
    assert response.content.startswith(b"PK")


def test_another_departments_word_copy_is_404(year, catalogue, client_a, dept_b):
    response = client_a.get(docx_url(year, dept_b))
    assert response.status_code == 404


def test_clerks_may_not_download_the_bureaus_word_copy(year, catalogue, client_a):
    assert client_a.get(docx_url(year)).status_code == 403


@pytest.mark.parametrize("who", ["client_supervisor", "client_leader"])
def test_supervisors_and_leaders_download_the_bureaus(year, catalogue, who, request):
    response = request.getfixturevalue(who).get(docx_url(year))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_anonymous_visitors_are_sent_to_log_in_for_it(year, catalogue, client, dept_a):
    for url in (docx_url(year), docx_url(year, dept_a)):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_offers_the_word_copy_beside_the_pdf(
    year, catalogue, client_supervisor
):
    body = client_supervisor.get(
        reverse("assessment:report", args=[year.year])
    ).content.decode()
    assert 'id="report-pdf"' in body and 'id="report-docx"' in body
    assert docx_url(year) in body


def test_the_report_is_chinese_whatever_the_interface_language(
    year, texts, client_supervisor
):
    client_supervisor.cookies["django_language"] = "en"
    body = client_supervisor.get(bureau_url(year)).content.decode()
    assert "考核结果" in body  # the report's own headings
    assert 'lang="zh-hans"' in body


def test_a_translation_is_chosen_on_the_page_and_never_shows_the_original(
    year, texts, client_supervisor
):
    from assessment.models import ReportTranslation

    ReportTranslation.objects.create(
        language="en", source="甲队清扫全覆盖", text="Team A cleans everywhere"
    )
    response = client_supervisor.get(bureau_url(year) + "?language=en")
    body = response.content.decode()
    assert "Team A cleans everywhere" in body
    assert "甲队清扫全覆盖" not in body
    assert "[not translated]" in body  # 乙队's text has none
    assert "report-untranslated" in body
    pdf_url = reverse("assessment:report-pdf", args=[year.year]) + "?language=en"
    assert pdf_url in body
    # An unknown language is the bureau's.
    body = client_supervisor.get(bureau_url(year) + "?language=xx").content.decode()
    assert "甲队清扫全覆盖" in body
