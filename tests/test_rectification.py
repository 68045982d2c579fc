"""Rectification (整改): items made when the results become final (and by the command,
idempotently), the department's report with evidence, the supervisor's return and
acceptance with notices, every view by role, and the open items on next year's home."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from assessment import spine
from assessment.models import (
    AssessmentYear,
    Evidence,
    Notice,
    NoticeKind,
    Rectification,
    Score,
)
from assessment.models.catalogue import YearStatus
from assessment.scoring import publication as publishing
from assessment.scoring import rectification
from tests.appeals_support import AFTER, ENDS_ON, STARTS_ON, at
from tests.conftest import login
from tests.evidence_samples import png_bytes

D = Decimal


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def url(name: str, *args) -> str:
    return reverse(f"assessment:{name}", args=args)


@pytest.fixture
def failing(year, catalogue, dept_a, dept_b, supervisor):
    """A 18 + 9 of 30 (90); B 5 + 8 of 30 (43.33, fail; 垃圾清运 5 of 20 is 25 %)."""
    for target, department, value in (
        (catalogue["target_a"], dept_a, "18"),
        (catalogue["common"], dept_a, "9"),
        (catalogue["target_b"], dept_b, "5"),
        (catalogue["common"], dept_b, "8"),
    ):
        Score.objects.create(
            target=target,
            department=department,
            assessed_score=D(value),
            reason="r",
            scored_by=supervisor,
        )
    return catalogue


@pytest.fixture
def final(year, failing, supervisor):
    """Published 2–6 March, final on 7 March; the clock stays after the window."""
    with time_machine.travel(at(2, 9), tick=False):
        publishing.publish(year, supervisor, STARTS_ON, ENDS_ON)
    with time_machine.travel(AFTER, tick=False):
        publishing.finalize(year, supervisor)
        yield year


def test_finalizing_makes_an_item_for_the_fail_grade_and_each_failing_target(
    final, failing, dept_b
):
    items = list(Rectification.objects.order_by("key"))
    assert [(i.department.code, i.key) for i in items] == [
        ("dept-b", "grade"),
        ("dept-b", f"target:{failing['target_b'].pk}"),
    ]
    grade, target = items
    assert grade.cause == "grade" and grade.score == D("43.33") and grade.target is None
    assert target.cause == "target" and (target.score, target.points) == (D(5), D(20))
    assert target.status == "open"
    assert target.deadline == datetime.date(2026, 6, 5)  # 90 days after 7 March
    assert target.history.count() == 1
    assert rectification.finding_text(target) == "1.2 垃圾清运: 5.00 of 20.00 points"


def test_making_items_again_makes_none(final, capsys):
    assert rectification.create_items(final, None) == []
    call_command("create_rectifications", "--year", str(final.year))
    assert "made: 0" in capsys.readouterr().out
    assert Rectification.objects.count() == 2


def test_the_command_makes_the_items_of_a_year_final_before(final):
    Rectification.objects.all().delete()
    call_command("create_rectifications", "--year", str(final.year))
    assert Rectification.objects.count() == 2


def test_nothing_to_rectify_before_the_results_are_final(year, failing):
    with pytest.raises(CommandError):
        call_command("create_rectifications", "--year", str(year.year))
    with pytest.raises(spine.Refused):
        rectification.create_items(year, None)
    assert not Rectification.objects.exists()


def test_the_year_sets_the_threshold(year, failing, supervisor):
    year.rectify_below_percent = D(95)  # A's 18 of 20 and 9 of 10 are below too
    year.save()
    with time_machine.travel(at(2, 9), tick=False):
        publishing.publish(year, supervisor, STARTS_ON, ENDS_ON)
    with time_machine.travel(AFTER, tick=False):
        publishing.finalize(year, supervisor)
    assert Rectification.objects.filter(department__code="dept-a").count() == 2


def test_closing_a_year_makes_its_items(year, failing, supervisor, dept_a, dept_b):
    from assessment import years

    years.close_year(year, supervisor, [dept_a, dept_b], reason="测试")
    assert Rectification.objects.filter(department=dept_b).count() == 2


# --- the flow --------------------------------------------------------------------------


def item_of(final, failing) -> Rectification:
    return Rectification.objects.get(key=f"target:{failing['target_b'].pk}")


def report(client, year, item, action="report", text="已补充车辆台账", **extra):
    item.refresh_from_db()
    data = {
        "measures": "建立清运台账，每日核对",
        "owner": "李志刚",
        "deadline": "2026-05-31",
        "report": text,
        "version": item.version,
        "action": action,
        **extra,
    }
    return client.post(url("rectification-report", year.year, item.pk), data)


def review(client, year, item, decision, comment=""):
    item.refresh_from_db()
    return client.post(
        url("rectification-review", year.year, item.pk),
        {"decision": decision, "comment": comment, "version": item.version},
    )


def test_report_return_and_accept(final, failing, client_b, clerk_b, supervisor):
    item = item_of(final, failing)
    client_supervisor = login(supervisor)
    # the plan first, kept with the department
    assert report(client_b, final, item, action="save", text="").status_code == 302
    item.refresh_from_db()
    assert item.status == "open" and item.owner == "李志刚"
    # reporting needs what was done
    assert report(client_b, final, item, text="").status_code == 400
    evidence = SimpleUploadedFile("台账.png", png_bytes(), content_type="image/png")
    assert report(client_b, final, item, files=evidence).status_code == 302
    item.refresh_from_db()
    assert item.status == "reported" and item.reported_by == clerk_b
    stored = Evidence.objects.get(rectification=item)
    assert stored.department == item.department
    assert client_b.get(url("evidence-download", stored.pk)).status_code == 200
    # the department cannot report again while it waits
    assert report(client_b, final, item).status_code == 403
    # returning needs a comment
    assert review(client_supervisor, final, item, "return").status_code == 400
    assert (
        review(client_supervisor, final, item, "return", "缺少照片").status_code == 302
    )
    item.refresh_from_db()
    assert item.status == "returned" and item.comment == "缺少照片"
    returned = Notice.objects.get(recipient=clerk_b)
    assert returned.kind == NoticeKind.RECTIFICATION_RETURNED
    assert returned.detail == "缺少照片"
    assert client_b.get(reverse("assessment:inbox")).status_code == 200
    # reported again and accepted
    assert report(client_b, final, item, text="已补充照片").status_code == 302
    assert review(client_supervisor, final, item, "accept").status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted" and item.reviewed_by == supervisor
    assert Notice.objects.filter(
        recipient=clerk_b, kind=NoticeKind.RECTIFICATION_ACCEPTED
    ).exists()
    # the same decision posted twice changes nothing
    version = item.version
    review(client_supervisor, final, item, "accept")
    item.refresh_from_db()
    assert item.version == version
    # every step is audited, with who did it
    users = [h.history_user for h in item.history.order_by("history_id")]
    assert users == [supervisor, clerk_b, clerk_b, supervisor, clerk_b, supervisor]


def test_rectification_goes_on_after_the_year_closed(final, failing, client_b):
    AssessmentYear.objects.filter(pk=final.pk).update(status=YearStatus.CLOSED)
    item = item_of(final, failing)
    assert report(client_b, final, item).status_code == 302
    item.refresh_from_db()
    assert item.status == "reported"


def test_a_stale_form_is_a_conflict(final, failing, clerk_b):
    item = item_of(final, failing)
    kwargs = dict(
        measures="m", owner="o", deadline=item.deadline, submit=False, user=clerk_b
    )
    rectification.save_report(item, report="a", version=item.version, **kwargs)
    with pytest.raises(spine.Refused):
        rectification.save_report(item, report="b", version=item.version, **kwargs)


# --- views by role -----------------------------------------------------------------------


def test_list_by_role(final, failing, client_a, client_b, client_leader, supervisor):
    page = url("rectification-list", final.year)
    assert len(login(supervisor).get(page).context["items"]) == 2
    assert len(client_leader.get(page).context["items"]) == 2
    assert len(client_b.get(page).context["items"]) == 2
    listed_a = client_a.get(page)
    assert (
        listed_a.context["items"] == []
        and "垃圾清运队" not in listed_a.content.decode()
    )
    anonymous = Client().get(page)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_item_page_by_role(
    final, failing, client_a, client_b, client_leader, supervisor
):
    item = item_of(final, failing)
    page = url("rectification-detail", final.year, item.pk)
    client_supervisor = login(supervisor)
    own = client_b.get(page)
    assert own.status_code == 200 and own.context["report_form"] is not None
    assert client_a.get(page).status_code == 404
    assert report(client_a, final, item).status_code == 404
    for client in (client_leader, client_supervisor):
        shown = client.get(page)
        assert shown.status_code == 200 and shown.context["report_form"] is None
        assert shown.context["review_form"] is None  # nothing reported yet
        assert report(client, final, item).status_code == 403
    anonymous = Client().get(page)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    report(client_b, final, item)
    assert client_supervisor.get(page).context["review_form"] is not None
    assert client_leader.get(page).context["review_form"] is None
    for client in (client_b, client_leader):
        assert review(client, final, item, "accept").status_code == 403
    assert review(client_a, final, item, "accept").status_code == 403
    item.refresh_from_db()
    assert item.status == "reported"


# --- next year ---------------------------------------------------------------------------


def test_open_items_show_on_next_years_home_until_accepted(
    final, failing, client_a, client_b, supervisor
):
    AssessmentYear.objects.create(year=final.year + 1, title="Next year")
    board = url("board", final.year + 1)
    matrix = url("matrix", final.year + 1)
    client_supervisor = login(supervisor)
    for client, page in ((client_b, board), (client_supervisor, matrix)):
        shown = client.get(page).content.decode()
        assert "rectification-card" in shown and "1.2 垃圾清运" in shown
    assert "rectification-card" not in client_a.get(board).content.decode()
    for item in Rectification.objects.all():
        report(client_b, final, item)
        review(client_supervisor, final, item, "accept")
    assert "rectification-card" not in client_b.get(board).content.decode()


def test_next_years_report_lists_last_years_items_and_their_state(
    final, failing, dept_a, dept_b, client_b, supervisor
):
    from assessment.models import Department
    from assessment.reporting.report import build_report

    following = AssessmentYear.objects.create(year=final.year + 1, title="Next year")
    item = item_of(final, failing)
    report(client_b, final, item)
    review(login(supervisor), final, item, "accept")
    bureau = build_report(following, None, Department.objects.all(), language="en")
    assert bureau.previous_year == final.year
    assert [(line.department, line.state) for line in bureau.rectification] == [
        ("垃圾清运队", "To be rectified"),
        ("垃圾清运队", "Accepted"),
    ]
    assert bureau.rectification[1].item == "1.2 垃圾清运: 5 of 20 points"
    assert build_report(following, dept_a, language="en").rectification == []
    assert len(build_report(following, dept_b).rectification) == 2
    # the page shows the section; the year assessed itself has none
    page = client_b.get(
        url("department-report", final.year + 1, "dept-b")
    ).content.decode()
    assert "report-rectification" in page
    assert build_report(final, None, Department.objects.all()).rectification == []
