"""Each department's 目标责任书 after publishing: page and PDF by role, acknowledgement."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessment.models import Target, TargetAcknowledgement
from assessment.models.catalogue import YearStatus
from assessment.planning import issuing, letters
from assessment.spine import Refused
from tests.conftest import login


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def issued(year, catalogue, dept_a, dept_b, supervisor):
    """The conftest catalogue brought to 100 points, issued (the year was a draft)."""
    target = catalogue["target_a"]
    target.standard = "每日清扫保洁城区道路不少于150万平方米；未完成按比例扣分。"
    target.points = D(70)
    target.save()
    year.status = YearStatus.DRAFT
    year.save()
    issuing.publish(year, supervisor)
    year.refresh_from_db()
    return catalogue


@pytest.fixture
def cheap_pdf(monkeypatch):
    """The PDF is rendered for real once in this module (below); the role tests check
    who gets which department's letter, not WeasyPrint again."""
    rendered = []

    def render(letter):
        rendered.append(letter.department.code)
        return b"%PDF-1.7 letter of " + letter.department.code.encode()

    monkeypatch.setattr(letters, "render_letter_pdf", render)
    return rendered


def letter_url(year, department, suffix: str = "") -> str:
    name = (
        "assessment:target-letter-pdf"
        if suffix == "pdf"
        else "assessment:target-letter"
    )
    return reverse(name, args=[year.year, department.code])


def test_the_letter_holds_the_departments_targets_and_signature_block(
    issued, year, dept_a, client_a
):
    with translation.override("zh-hans"):
        response = client_a.get(letter_url(year, dept_a))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "道路清扫保洁",  # its own target
        "安全生产",  # the common one
        "每日清扫保洁城区道路不少于150万平方米",  # the standard
        "150.0",  # the target value of 清扫面积
        "500,000",
        "80",  # 70 + 10 points
    ):
        assert text in body, text
    assert "垃圾清运量" not in body  # B's target stays out
    assert body.count('class="letter-party"') == 2
    assert 'id="acknowledge"' in body


def test_the_pdf_is_the_letter_in_the_reports_layout(issued, year, dept_a, client_a):
    with translation.override("zh-hans"):
        response = client_a.get(letter_url(year, dept_a, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = response.content
    text = pdf_text(pdf)
    assert "道路清扫保洁" in text and "安全生产" in text
    assert "垃圾清运" not in text
    assert "每日清扫保洁城区道路不少于150万平方米" in text
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    # A4, as the report.
    assert round(float(page.mediabox.width) * 25.4 / 72) == 210
    assert round(float(page.mediabox.height) * 25.4 / 72) == 297
    fonts = set()
    for each in reader.pages:
        for ref in each["/Resources"]["/Font"].values():
            fonts.add(str(ref.get_object()["/BaseFont"]))
    assert any("Fandol" in name or "Noto" in name for name in fonts), fonts


def test_a_clerk_gets_404_for_another_departments_letter(
    issued, year, dept_b, client_a, cheap_pdf
):
    assert client_a.get(letter_url(year, dept_b)).status_code == 404
    assert client_a.get(letter_url(year, dept_b, "pdf")).status_code == 404
    assert cheap_pdf == []


@pytest.mark.parametrize("who", ["client_supervisor", "client_leader"])
def test_supervisors_and_leaders_read_every_letter(
    issued, year, dept_a, dept_b, who, request, cheap_pdf
):
    client = request.getfixturevalue(who)
    page = client.get(letter_url(year, dept_b))
    assert page.status_code == 200
    assert "垃圾清运" in page.content.decode()
    assert 'id="acknowledge"' not in page.content.decode()
    pdf = client.get(letter_url(year, dept_b, "pdf"))
    assert pdf.status_code == 200 and cheap_pdf == [dept_b.code]


def test_anonymous_visitors_log_in_first(issued, year, dept_a, client, cheap_pdf):
    for url in (
        letter_url(year, dept_a),
        letter_url(year, dept_a, "pdf"),
        reverse("assessment:acknowledgements", args=[year.year]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(
        reverse("assessment:target-acknowledge", args=[year.year, dept_a.code])
    )
    assert response.status_code == 302
    assert not TargetAcknowledgement.objects.exists()


# --- acknowledgement -------------------------------------------------------------------


def ack_url(year, department) -> str:
    return reverse("assessment:target-acknowledge", args=[year.year, department.code])


def test_the_clerk_acknowledges_once(issued, year, dept_a, clerk_a, client_a):
    first = client_a.post(ack_url(year, dept_a))
    assert first.status_code == 302
    again = client_a.post(ack_url(year, dept_a))
    assert again.status_code == 302
    row = TargetAcknowledgement.objects.get()
    assert (row.department, row.acknowledged_by) == (dept_a, clerk_a)
    assert row.acknowledged_at is not None
    # Audited: one entry, by the clerk.
    assert [(h.history_type, h.history_user) for h in row.history.all()] == [
        ("+", clerk_a)
    ]
    page = client_a.get(letter_url(year, dept_a)).content.decode()
    assert 'id="acknowledge"' not in page
    assert clerk_a.display_name in page


def test_a_second_member_finds_the_first_acknowledgement(issued, year, dept_a, clerk_a):
    from tests.conftest import make_user

    head = make_user("head_a", "clerk", dept_a)
    issuing.acknowledge(year, dept_a, clerk_a)
    row, created = issuing.acknowledge(year, dept_a, head)
    assert not created and row.acknowledged_by == clerk_a
    assert TargetAcknowledgement.objects.count() == 1


def test_nobody_acknowledges_for_another_department(
    issued, year, dept_b, client_a, client_supervisor, client_leader
):
    assert client_a.post(ack_url(year, dept_b)).status_code == 404
    assert client_supervisor.post(ack_url(year, dept_b)).status_code == 403
    assert client_leader.post(ack_url(year, dept_b)).status_code == 403
    assert not TargetAcknowledgement.objects.exists()


def test_a_draft_cannot_be_acknowledged(year, catalogue, dept_a, clerk_a):
    year.status = YearStatus.DRAFT
    year.save()
    with pytest.raises(Refused):
        issuing.acknowledge(year, dept_a, clerk_a)
    assert login(clerk_a).post(ack_url(year, dept_a)).status_code == 404
    assert not TargetAcknowledgement.objects.exists()


def test_a_closed_year_cannot_be_acknowledged(issued, year, dept_a, clerk_a):
    year.status = YearStatus.CLOSED
    year.save()
    with pytest.raises(Refused):
        issuing.acknowledge(year, dept_a, clerk_a)
    assert not TargetAcknowledgement.objects.exists()


def test_the_supervisor_sees_who_has_not_acknowledged(
    issued, year, dept_a, dept_b, clerk_a, client_supervisor
):
    issuing.acknowledge(year, dept_a, clerk_a)
    response = client_supervisor.get(
        reverse("assessment:acknowledgements", args=[year.year])
    )
    assert response.status_code == 200
    lines = response.context["lines"]
    assert [(line.department, line.acknowledged) for line in lines] == [
        (dept_b, False),
        (dept_a, True),
    ]
    assert response.context["outstanding"] == 1
    assert clerk_a.display_name in response.content.decode()


def test_a_clerk_is_sent_to_their_own_letter(issued, year, dept_a, client_a):
    response = client_a.get(reverse("assessment:acknowledgements", args=[year.year]))
    assert response.status_code == 302
    assert response["Location"] == letter_url(year, dept_a)


def test_the_letter_page_takes_a_fixed_number_of_queries(
    issued, year, dept_a, client_a, django_assert_max_num_queries
):
    client_a.get(letter_url(year, dept_a))
    with django_assert_max_num_queries(20):
        client_a.get(letter_url(year, dept_a))


def test_a_retired_department_gets_no_letter(issued, year, dept_b, supervisor):
    dept_b.active = False
    dept_b.save()
    assert dept_b not in issuing.receiving_departments(year)
    assert Target.objects.filter(departments=dept_b).exists()


def test_issuing_tells_each_clerk_until_the_letter_is_acknowledged(
    year, catalogue, dept_a, clerk_a, supervisor, django_capture_on_commit_callbacks
):
    import datetime

    from assessment.models import Notice
    from assessment.notices import reminders
    from assessment.notices.texts import describe

    catalogue["target_a"].points = D(70)
    catalogue["target_a"].save()
    year.status = YearStatus.DRAFT
    year.save()
    with django_capture_on_commit_callbacks(execute=True):
        issuing.publish(year, supervisor)
    year.refresh_from_db()
    notice = Notice.objects.get(recipient=clerk_a, kind="targets_unacknowledged")
    assert describe(notice).url == letter_url(year, dept_a)
    # The next day's reminder run asks again, once per day ...
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    reminders.create_reminders(on=tomorrow, years=[year])
    reminders.create_reminders(on=tomorrow, years=[year])
    ours = Notice.objects.filter(recipient=clerk_a, kind="targets_unacknowledged")
    assert ours.count() == 2
    # ... until the department has acknowledged.
    login(clerk_a).post(ack_url(year, dept_a))
    later = tomorrow + datetime.timedelta(days=1)
    reminders.create_reminders(on=later, years=[year])
    assert ours.count() == 2
