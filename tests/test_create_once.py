"""Create forms store one object however often the same rendered form is posted.

A double click, a browser resubmit or a retried request posts the same one-time token
again; a form rendered a second time carries a new one. Work records, deductions and
bonus items, vetoes, evidence files and report texts, each through its page.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    Adjustment,
    Evidence,
    ReportText,
    SelfAssessment,
    Veto,
)
from sanitation.bureau.models import Donation
from tests.evidence_samples import pdf_bytes

PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def rendered_token(response, name: str) -> str:
    """The one-time token as the page rendered it into the form."""
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(rf'name="{re.escape(name)}" value="([0-9a-f-]{{36}})"', html)
    assert match, f"no {name} token in the page"
    return match.group(1)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- work records ---------------------------------------------------------------------


def add_url(kind: str = "donations") -> str:
    return reverse("bureau:record-add", args=[kind])


@pytest.fixture
def day(year) -> datetime.date:
    return timezone.localdate().replace(year=year.year)


def donation_data(department, day, token: str, **extra) -> dict[str, object]:
    data = {
        "department": department.pk,
        "date": day.isoformat(),
        "title": "金秋助学",
        "amount": "6160",
        "items": "",
        "description": "",
        "once": token,
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("posts", [2, 3])
def test_the_same_record_form_posted_again_stores_one_record(
    posts, client_a, clerk_a, dept_a, day
):
    token = rendered_token(client_a.get(add_url()), "once")
    responses = [
        client_a.post(add_url(), donation_data(dept_a, day, token))
        for _ in range(posts)
    ]
    assert [r.status_code for r in responses] == [302] * posts
    donation = Donation.objects.get()
    assert donation.history.count() == 1
    # Every later post lands on the same list, told the form was already saved,
    # not warned about a duplicate of its own record.
    assert {r["Location"] for r in responses} == {responses[0]["Location"]}
    for response in responses[1:]:
        assert any("already saved" in m for m in messages_of(response))


def test_a_second_rendered_record_form_stores_a_second_record(client_a, dept_a, day):
    for title in ("金秋助学", "冬季送温暖"):
        token = rendered_token(client_a.get(add_url()), "once")
        response = client_a.post(
            add_url(), donation_data(dept_a, day, token, title=title)
        )
        assert response.status_code == 302
    assert Donation.objects.count() == 2


def test_a_record_form_without_its_token_is_refused(client_a, dept_a, day):
    data = donation_data(dept_a, day, "")
    response = client_a.post(add_url(), data)
    assert response.status_code == 200
    assert "expired" in str(response.context["form"].errors)
    assert not Donation.objects.exists()


def test_a_token_claimed_by_another_user_is_refused(
    client_a, client_supervisor, dept_a, day
):
    token = rendered_token(client_a.get(add_url()), "once")
    client_a.post(add_url(), donation_data(dept_a, day, token))
    response = client_supervisor.post(
        add_url(), donation_data(dept_a, day, token, title="另一笔")
    )
    assert response.status_code == 200
    assert "already sent" in str(response.context["form"].non_field_errors())
    assert Donation.objects.count() == 1


def test_a_duplicate_record_is_warned_about_naming_the_existing_one(
    client_a, dept_a, clerk_a, day
):
    Donation.objects.create(
        department=dept_a, date=day, title="金秋助学", amount=Decimal(100)
    )
    token = rendered_token(client_a.get(add_url()), "once")
    response = client_a.post(
        add_url(), donation_data(dept_a, day, token, title=" 金秋助学 ")
    )
    assert response.status_code == 200
    form = response.context["form"]
    [warning] = form.errors["confirm_duplicate"]
    assert "清扫保洁队" in warning and "“金秋助学”" in warning
    assert str(day.year) in warning
    # The box to tick is shown next to the warning.
    assert 'type="checkbox" name="confirm_duplicate"' in response.content.decode()
    assert Donation.objects.count() == 1
    response = client_a.post(
        add_url(),
        donation_data(dept_a, day, token, title="金秋助学", confirm_duplicate="on"),
    )
    assert response.status_code == 302
    assert Donation.objects.count() == 2
    # Posting the confirmed form again still stores it once.
    client_a.post(
        add_url(),
        donation_data(dept_a, day, token, title="金秋助学", confirm_duplicate="on"),
    )
    assert Donation.objects.count() == 2


def test_the_same_title_on_another_day_or_in_another_department_is_no_duplicate(
    client_a, client_b, dept_a, dept_b, day
):
    Donation.objects.create(
        department=dept_a, date=day, title="金秋助学", amount=Decimal(100)
    )
    other_day = day - datetime.timedelta(days=1) if day.day > 1 else day.replace(day=2)
    token = rendered_token(client_a.get(add_url()), "once")
    assert (
        client_a.post(add_url(), donation_data(dept_a, other_day, token)).status_code
        == 302
    )
    token = rendered_token(client_b.get(add_url()), "once")
    assert client_b.post(add_url(), donation_data(dept_b, day, token)).status_code == (
        302
    )
    assert Donation.objects.count() == 3


# --- deductions, bonus items and vetoes -------------------------------------------------


def workbench(client, year):
    return client.get(reverse("assessment:workbench", args=[year.year, "dept-a"]))


def adjustment_data(token: str, **extra) -> dict[str, object]:
    data = {
        "adj-kind": "deduction",
        "adj-points": "1.5",
        "adj-target": "",
        "adj-reason": "群众投诉 3 起",
        "adj-once": token,
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("posts", [2, 3])
def test_the_same_adjustment_form_posted_again_stores_one_item(
    posts, client_supervisor, year, catalogue
):
    url = reverse("assessment:adjustment-add", args=[year.year, "dept-a"])
    token = rendered_token(workbench(client_supervisor, year), "adj-once")
    for _ in range(posts):
        assert client_supervisor.post(url, adjustment_data(token)).status_code == 302
    assert Adjustment.objects.count() == 1
    assert Adjustment.history.count() == 1
    token = rendered_token(workbench(client_supervisor, year), "adj-once")
    client_supervisor.post(url, adjustment_data(token))
    assert Adjustment.objects.count() == 2


@pytest.mark.parametrize("posts", [2, 3])
def test_the_same_veto_form_posted_again_stores_one_veto(
    posts, client_supervisor, year, catalogue
):
    url = reverse("assessment:veto-add", args=[year.year, "dept-a"])
    token = rendered_token(workbench(client_supervisor, year), "veto-once")
    data = {"veto-reason": "发生一起死亡事故", "veto-once": token}
    for _ in range(posts):
        assert client_supervisor.post(url, data).status_code == 302
    assert Veto.objects.count() == 1 and Veto.history.count() == 1
    token = rendered_token(workbench(client_supervisor, year), "veto-once")
    client_supervisor.post(url, {**data, "veto-once": token})
    assert Veto.objects.count() == 2


# --- evidence files ---------------------------------------------------------------------


def self_assessment_url(year) -> str:
    return reverse("assessment:self-assessment", args=[year.year, "dept-a"])


def evidence_post(target, token: str, content: bytes = PDF, version: int = 0):
    prefix = f"t{target.pk}"
    return {
        "target": str(target.pk),
        f"{prefix}-self_score": "15",
        f"{prefix}-text": "道路清扫",
        f"{prefix}-version": str(version),
        f"{prefix}-once": token,
        f"{prefix}-file": SimpleUploadedFile(
            "台账.pdf", content, content_type="application/pdf"
        ),
    }


@pytest.mark.parametrize("posts", [2, 3])
def test_the_same_evidence_form_posted_again_attaches_one_file(
    posts, client_a, year, catalogue
):
    target = catalogue["target_a"]
    page = client_a.get(self_assessment_url(year))
    token = rendered_token(page, f"t{target.pk}-once")
    for _ in range(posts):
        response = client_a.post(
            self_assessment_url(year), evidence_post(target, token)
        )
        assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.history.count() == 1
    # Exactly one stored file: the later posts' copies were never kept.
    media = evidence.file.storage.listdir(f"evidence/{year.year}")[1]
    assert media == [evidence.file.name.rsplit("/", 1)[1]]
    assert SelfAssessment.objects.get().version == 1


def test_a_second_rendered_evidence_form_attaches_a_second_file(
    client_a, year, catalogue
):
    target = catalogue["target_a"]
    for version, content in enumerate((PDF, PDF + b"% second\n")):
        token = rendered_token(
            client_a.get(self_assessment_url(year)), f"t{target.pk}-once"
        )
        response = client_a.post(
            self_assessment_url(year),
            evidence_post(target, token, content, version=version),
        )
        assert response.status_code == 302
    assert Evidence.objects.count() == 2


# --- report texts -----------------------------------------------------------------------


def test_the_same_report_text_form_posted_again_stores_one_text(
    client_supervisor, year
):
    url = reverse("assessment:report-texts", args=[year.year])
    assert client_supervisor.get(url).status_code == 200
    data = {"overview": "全年工作概述", "closing": "下一步打算", "version": "0"}
    for _ in range(3):
        assert client_supervisor.post(url, data).status_code == 302
    text = ReportText.objects.get()
    assert (text.version, text.history.count()) == (1, 1)
