"""The bonus cap acts on the scale the ranking shows: per 100 of the possible points.

The bureau's case: 垃圾清运队 earns every point it could, gets a +50 bonus with a yearly
cap of 5, and must read at most 105.00, marked "capped", on its result page, in the
ranking and in its report, never 112.50 or 116.67 (the cap applied to raw points and
then scaled).
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal as D
from html import unescape

import pytest
from django.urls import reverse

from assessment.models import Adjustment, Score

CAP = D(5)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def full_marks(year, catalogue, dept_a, dept_b, supervisor):
    """Every target scored at its points: 30 of 30 for each department."""
    year.bonus_cap = CAP
    year.save()
    for department, own in ((dept_a, "target_a"), (dept_b, "target_b")):
        for key in (own, "common"):
            target = catalogue[key]
            Score.objects.create(
                target=target,
                department=department,
                assessed_score=target.points,
                scored_by=supervisor,
            )
    return catalogue


def add_url(year, code: str = "dept-b") -> str:
    return reverse("assessment:adjustment-add", args=[year.year, code])


def bonus(points: str, *, confirm: bool = False, token: str | None = None) -> dict:
    data = {
        "adj-kind": "bonus",
        "adj-points": points,
        "adj-target": "",
        "adj-reason": "市级先进集体",
        "adj-once": token or str(uuid.uuid4()),
    }
    if confirm:
        data["adj-confirm_over_cap"] = "on"
    return data


def per_100(html: str, field: str = "per-100") -> D:
    match = re.search(rf'data-field="{field}">\s*([0-9.,]+)', html)
    assert match, f"no {field} on the page"
    return D(match.group(1).replace(",", ""))


def test_a_single_bonus_item_over_the_cap_asks_for_confirmation(
    client_supervisor, year, full_marks
):
    response = client_supervisor.post(add_url(year), bonus("50"))
    assert response.status_code == 200
    form = response.context["adjustment_form"]
    [message] = form.errors["confirm_over_cap"]
    assert "50.00" in message and "5.00" in message
    assert 'type="checkbox" name="adj-confirm_over_cap"' in response.content.decode()
    assert not Adjustment.objects.exists()


def test_confirmed_it_is_added_once(client_supervisor, year, full_marks, dept_b):
    token = str(uuid.uuid4())
    for _ in range(2):  # confirmed, then the same form again
        response = client_supervisor.post(
            add_url(year), bonus("50", confirm=True, token=token)
        )
        assert response.status_code == 302
    item = Adjustment.objects.get()
    assert (item.department, item.kind, item.points) == (dept_b, "bonus", D(50))


def test_items_within_the_cap_need_no_confirmation(client_supervisor, year, full_marks):
    for points in ("5", "3"):  # each within the cap, together over it
        assert client_supervisor.post(add_url(year), bonus(points)).status_code == 302
    assert Adjustment.objects.count() == 2
    response = client_supervisor.post(
        add_url(year), {**bonus("50"), "adj-kind": "deduction"}
    )
    assert response.status_code == 302  # a deduction is never capped


@pytest.fixture
def capped(client_supervisor, year, full_marks):
    response = client_supervisor.post(add_url(year), bonus("50", confirm=True))
    assert response.status_code == 302
    return year


def test_the_result_page_shows_at_most_100_plus_the_cap_marked_capped(client_b, capped):
    response = client_b.get(
        reverse("assessment:department-result", args=[capped.year, "dept-b"])
    )
    html = response.content.decode()
    assert per_100(html) == D("105.00")
    assert per_100(html, "base") == D("100.00")
    assert 'data-field="capped"' in html
    assert "50.00 entered, at most 5.00" in html
    result = response.context["result"]
    assert result.total.bonus == CAP and result.total.bonus_claimed == D(50)


def test_the_result_page_states_how_deductions_and_bonus_apply(client_b, capped):
    html = client_b.get(
        reverse("assessment:department-result", args=[capped.year, "dept-b"])
    ).content.decode()
    assert (
        "The targets' scores are scaled to 100 points; deductions and bonus "
        "items count on that scale, the bonus at most 5.00 points in the year."
    ) in unescape(html)


def test_the_ranking_shows_at_most_105_and_the_bureau_total_does_not_move(
    client_leader, capped, dept_a, dept_b
):
    response = client_leader.get(reverse("assessment:ranking", args=[capped.year]))
    html = response.content.decode()
    rows = {r.department.code: r for r in response.context["results"]}
    assert rows["dept-b"].total_per_100 == D("105.00")
    assert rows["dept-a"].total_per_100 == D("100.00")
    assert rows["dept-b"].rank == 1
    assert max(r.total_per_100 for r in rows.values()) <= 100 + CAP
    assert "105.00" in html and "116.67" not in html and "112.50" not in html
    assert html.count('data-field="capped"') == 1
    # The bureau's 100-point total is the catalogue's alone.
    assert response.context["bureau"].total == D("100.00")
    assert (
        "The departments' deductions and bonus items move their own results and "
        "ranks, not the bureau's total."
    ) in unescape(html)


def test_a_deduction_comes_off_the_100_scale_too(client_supervisor, client_b, capped):
    client_supervisor.post(
        add_url(capped), {**bonus("2"), "adj-kind": "deduction", "adj-reason": "投诉"}
    )
    html = client_b.get(
        reverse("assessment:department-result", args=[capped.year, "dept-b"])
    ).content.decode()
    assert per_100(html) == D("103.00")  # 100 - 2 + 5


def test_the_department_report_reads_in_the_same_order_as_it_counts(client_b, capped):
    """Scores, their value per 100, deductions, the capped bonus, then the result.

    The report writes points as the score sheets do: 9.50 as 9.5, 30.00 as 30.
    """
    html = client_b.get(
        reverse("assessment:department-report", args=[capped.year, "dept-b"])
    ).content.decode()
    table = html.split('class="report-table total-table"', 1)[1].split("</table>")[0]
    rows = re.findall(r"<th>(.*?)</th><td class=\"num\">(.*?)</td>", table)
    assert rows[:5] == [
        ("Scores of the targets", "30"),
        ("Per 100 points", "100"),
        ("Deductions", "−0"),
        ("Bonus (at most 5)", "+5"),
        ("Result (per 100 points)", "105"),
    ]
