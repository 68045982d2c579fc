"""Setting up next year, its plan page, publishing it, and drafts hidden until then."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from assessment.models import (
    AssessmentYear,
    Category,
    Department,
    Indicator,
    ReportSection,
    Target,
)
from assessment.models.catalogue import YearStatus
from assessment.planning import issuing, plan, rollover
from assessment.spine import Refused


@pytest.fixture
def full_year(year, catalogue, dept_a, dept_b):
    """The conftest catalogue brought to 100 points, with a section, a retired
    department and every per-year setting away from its default."""
    year.title = f"{year.year}年度目标管理考核"
    year.deadline_day = 12
    year.excellent_threshold = D(92)
    year.good_threshold = D(82)
    year.pass_threshold = D(62)
    year.bonus_cap = D(4)
    year.letterhead = True
    year.letterhead_unit = "区环卫局"
    year.document_number = f"环卫发〔{year.year}〕3号"
    year.save()
    category = catalogue["category"]
    category.heading = "按照区委、区政府的工作要求"
    category.part = "勤政建设"
    category.save()
    section = ReportSection.objects.create(
        year=year,
        category=category,
        code="s1",
        heading="（一）城市卫生",
        text="旧年叙述",
    )
    child = ReportSection.objects.create(
        year=year,
        category=category,
        parent=section,
        code="s1a",
        heading="1. 清扫",
        order=1,
    )
    party = Category.objects.create(year=year, code="3", name="党建", order=3)
    retired = Department.objects.create(code="old", name="老队", order=9, active=False)
    target = Target.objects.create(
        category=party,
        code="3.1",
        name="党建工作",
        points=D(50),
        standard="每季度一次学习",
        evidence_required="会议记录",
        rule="deduction",
        deduction_per_unit=D("0.5"),
        combine="avg",
    )
    target.departments.set([dept_a, retired])
    catalogue["target_a"].section = child
    catalogue["target_a"].save()
    catalogue["area"].departments.add(retired)
    return {**catalogue, "party": target, "retired": retired, "section": section}


def snapshot(year: AssessmentYear) -> dict[str, list[dict]]:
    """Every row of the year's catalogue, field by field, with its relations."""

    def rows(queryset) -> list[dict]:
        return [
            {
                **model_to_dict(obj),
                **{
                    field.name: sorted(
                        pk
                        for pk in getattr(obj, field.name).values_list("pk", flat=True)
                    )
                    for field in obj._meta.many_to_many
                },
            }
            for obj in queryset.order_by("pk")
        ]

    return {
        "year": rows(AssessmentYear.objects.filter(pk=year.pk)),
        "categories": rows(Category.objects.filter(year=year)),
        "sections": rows(ReportSection.objects.filter(year=year)),
        "targets": rows(Target.objects.filter(category__year=year)),
        "indicators": rows(Indicator.objects.filter(year=year)),
    }


# --- the copy ---------------------------------------------------------------------------


def test_setting_up_next_year_leaves_this_year_untouched(full_year, year, supervisor):
    before = snapshot(year)
    rollover.set_up_next_year(year, supervisor)
    year.refresh_from_db()
    assert snapshot(year) == before


def test_the_new_year_is_a_complete_draft_copy(full_year, year, supervisor, dept_a):
    new = rollover.set_up_next_year(year, supervisor)
    assert new.year == year.year + 1
    assert new.status == YearStatus.DRAFT
    assert new.title == f"{year.year + 1}年度目标管理考核"
    for name in (
        "deadline_day",
        "excellent_threshold",
        "good_threshold",
        "pass_threshold",
        "bonus_cap",
        "letterhead",
        "letterhead_unit",
    ):
        assert getattr(new, name) == getattr(year, name), name
    assert new.document_number == ""
    assert new.closed_at is None and new.results_final_at is None
    assert new.targets_issued_at is None
    # The audit trail says who created it.
    assert new.history.get().history_user == supervisor

    old, copy = snapshot(year), snapshot(new)
    for kind in ("categories", "sections", "targets", "indicators"):
        assert len(copy[kind]) == len(old[kind]), kind

    def same(old_row: dict, new_row: dict, *, differ: set[str]) -> None:
        for name, value in old_row.items():
            if name in {"id", *differ}:
                continue
            assert new_row[name] == value, name

    for old_row, new_row in zip(old["categories"], copy["categories"], strict=True):
        same(old_row, new_row, differ={"year"})
        assert new_row["year"] == new.pk
    sections = dict(
        zip(
            [r["id"] for r in old["sections"]],
            [r["id"] for r in copy["sections"]],
            strict=True,
        )
    )
    for old_row, new_row in zip(old["sections"], copy["sections"], strict=True):
        same(old_row, new_row, differ={"year", "category", "parent", "text"})
        assert new_row["text"] == ""  # last year's narrative stays with last year
        assert new_row["parent"] == sections.get(old_row["parent"])
    retired = full_year["retired"].pk
    for old_row, new_row in zip(old["targets"], copy["targets"], strict=True):
        same(old_row, new_row, differ={"category", "section", "departments"})
        assert new_row["departments"] == [
            pk for pk in old_row["departments"] if pk != retired
        ]
        assert new_row["section"] == sections.get(old_row["section"])
    targets = dict(
        zip(
            [r["id"] for r in old["targets"]],
            [r["id"] for r in copy["targets"]],
            strict=True,
        )
    )
    for old_row, new_row in zip(old["indicators"], copy["indicators"], strict=True):
        same(old_row, new_row, differ={"year", "target", "departments"})
        assert new_row["target"] == targets[old_row["target"]]
        assert retired not in new_row["departments"]
    party = Target.objects.get(category__year=new, code="3.1")
    assert list(party.departments.all()) == [dept_a]
    assert party.rule == "deduction" and party.deduction_per_unit == D("0.5")
    # The copied targets belong to the new year's categories only.
    assert not Target.objects.filter(category__year=new, section__year=year).exists()


def test_next_year_is_set_up_once(full_year, year, supervisor):
    rollover.set_up_next_year(year, supervisor)
    with pytest.raises(Refused):
        rollover.set_up_next_year(year, supervisor)
    assert AssessmentYear.objects.count() == 2


def test_a_closed_year_is_a_source_too(full_year, year, supervisor):
    year.status = YearStatus.CLOSED
    year.save()
    new = rollover.set_up_next_year(year, supervisor)
    assert new.is_draft
    assert new.closed_at is None and new.close_reason == ""


# --- the pages: who may set up and plan --------------------------------------------------


def test_the_supervisor_sets_up_next_year_from_the_years_page(
    full_year, year, client_supervisor
):
    page = client_supervisor.get(reverse("assessment:scoring-index", args=[year.year]))
    assert reverse("assessment:next-year", args=[year.year]).encode() in page.content
    url = reverse("assessment:next-year", args=[year.year])
    assert client_supervisor.get(url).status_code == 200
    response = client_supervisor.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:plan", args=[year.year + 1])
    assert AssessmentYear.objects.get(year=year.year + 1).is_draft


@pytest.mark.parametrize("who", ["client_a", "client_leader"])
def test_clerks_and_leaders_may_not_set_up_or_plan(full_year, year, who, request):
    client = request.getfixturevalue(who)
    assert (
        client.post(reverse("assessment:next-year", args=[year.year])).status_code
        == 403
    )
    assert client.get(reverse("assessment:plan", args=[year.year])).status_code == 403
    assert (
        client.post(reverse("assessment:issue-targets", args=[year.year])).status_code
        == 403
    )
    assert AssessmentYear.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(full_year, year, client):
    for name in ("next-year", "plan", "issue-targets", "acknowledgements"):
        response = client.get(reverse(f"assessment:{name}", args=[year.year]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def draft(full_year, year, supervisor) -> AssessmentYear:
    return rollover.set_up_next_year(year, supervisor)


def plan_post(draft: AssessmentYear, **changes) -> dict[str, str]:
    """The plan form as the page renders it, with `changes` keyed by target code:
    {"1.1": {"points": "30"}}."""
    data = {
        "plan-TOTAL_FORMS": "0",
        "plan-INITIAL_FORMS": "0",
        "plan-MIN_NUM_FORMS": "0",
        "plan-MAX_NUM_FORMS": "1000",
    }
    targets = plan.plan_targets(draft)
    data["plan-TOTAL_FORMS"] = data["plan-INITIAL_FORMS"] = str(len(targets))
    multi: dict[str, list[str]] = {}
    for index, target in enumerate(targets):
        prefix = f"plan-{index}-"
        row = {
            "points": str(target.points),
            "seen": plan.fingerprint(target),
            **{
                f"indicator_{i.pk}": ""
                if i.annual_target is None
                else str(i.annual_target)
                for i in target.indicators.all()
            },
        }
        departments = [str(d.pk) for d in target.departments.all()]
        common = target.is_common
        change = changes.get(target.code, {})
        departments = change.pop("departments", departments)
        common = change.pop("is_common", common)
        row.update(change)
        if common:
            row["is_common"] = "on"
        data.update({prefix + k: v for k, v in row.items()})
        multi[prefix + "departments"] = departments
    return {**data, **multi}


def test_the_plan_page_shows_every_target_in_one_form(draft, client_supervisor):
    response = client_supervisor.get(reverse("assessment:plan", args=[draft.year]))
    assert response.status_code == 200
    body = response.content.decode()
    for target in plan.plan_targets(draft):
        assert f'data-target="{target.code}"' in body
    assert "plan-TOTAL_FORMS" in body


def test_the_plan_saves_points_values_and_departments(
    draft, client_supervisor, dept_a, dept_b
):
    area = Indicator.objects.get(year=draft, code="area")
    response = client_supervisor.post(
        reverse("assessment:plan", args=[draft.year]),
        plan_post(
            draft,
            **{
                "1.1": {"points": "25", f"indicator_{area.pk}": "160.5"},
                "1.2": {
                    "points": "15",
                    "departments": [str(dept_a.pk), str(dept_b.pk)],
                },
            },
        ),
    )
    assert response.status_code == 302
    target = Target.objects.get(category__year=draft, code="1.1")
    assert target.points == D(25)
    area.refresh_from_db()
    assert area.annual_target == D("160.5")
    assert set(
        Target.objects.get(category__year=draft, code="1.2").departments.all()
    ) == {dept_a, dept_b}


def test_a_plan_that_does_not_sum_to_100_saves_nothing(draft, client_supervisor):
    response = client_supervisor.post(
        reverse("assessment:plan", args=[draft.year]),
        plan_post(draft, **{"1.1": {"points": "30"}}),
    )
    assert response.status_code == 400
    assert "110.00" in response.content.decode()
    assert Target.objects.get(category__year=draft, code="1.1").points == D(20)


def test_a_target_without_department_is_named_in_its_row(draft, client_supervisor):
    response = client_supervisor.post(
        reverse("assessment:plan", args=[draft.year]),
        plan_post(draft, **{"1.2": {"departments": []}}),
    )
    assert response.status_code == 400
    formset = response.context["formset"]
    errors = {form.target.code: form.errors for form in formset.forms if form.errors}
    assert list(errors) == ["1.2"]
    assert "departments" in errors["1.2"]
    body = response.content.decode()
    assert "1.2 垃圾清运" in body
    assert Target.objects.get(category__year=draft, code="1.2").departments.exists()


def test_bad_numbers_are_row_errors(draft, client_supervisor):
    area = Indicator.objects.get(year=draft, code="area")
    response = client_supervisor.post(
        reverse("assessment:plan", args=[draft.year]),
        plan_post(draft, **{"1.1": {"points": "NaN", f"indicator_{area.pk}": "1,5"}}),
    )
    assert response.status_code == 400
    form = next(f for f in response.context["formset"].forms if f.target.code == "1.1")
    assert set(form.errors) == {"points", f"indicator_{area.pk}"}


def test_a_plan_changed_meanwhile_is_a_conflict(draft, client_supervisor):
    data = plan_post(draft, **{"1.1": {"points": "25"}, "1.2": {"points": "15"}})
    Target.objects.filter(category__year=draft, code="1.2").update(points=D(18))
    response = client_supervisor.post(
        reverse("assessment:plan", args=[draft.year]), data, follow=True
    )
    assert "Someone changed the plan" in response.content.decode() or (
        "有人" in response.content.decode()
    )
    assert Target.objects.get(category__year=draft, code="1.1").points == D(20)


# --- publishing ---------------------------------------------------------------------------


def test_publishing_refuses_a_catalogue_that_does_not_sum_to_100(draft, supervisor):
    Target.objects.filter(category__year=draft, code="1.1").update(points=D(19))
    with pytest.raises(Refused) as refused:
        issuing.publish(draft, supervisor)
    assert "99.00" in refused.value.message
    draft.refresh_from_db()
    assert draft.is_draft


def test_publishing_refuses_a_target_without_department(draft, supervisor):
    Target.objects.get(category__year=draft, code="1.2").departments.clear()
    with pytest.raises(Refused) as refused:
        issuing.publish(draft, supervisor)
    assert "1.2" in refused.value.message
    draft.refresh_from_db()
    assert draft.is_draft


def test_publishing_opens_the_year_and_issues_to_each_department(
    draft, supervisor, dept_a, dept_b, django_capture_on_commit_callbacks
):
    issued = []

    def receiver(sender, department, year, **kwargs):
        issued.append((department.code, year.year))

    issuing.targets_issued_signal.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            departments = issuing.publish(draft, supervisor)
    finally:
        issuing.targets_issued_signal.disconnect(receiver)
    assert departments == [dept_a, dept_b]
    assert issued == [(dept_a.code, draft.year), (dept_b.code, draft.year)]
    draft.refresh_from_db()
    assert draft.status == YearStatus.OPEN
    assert draft.targets_issued_by == supervisor
    assert draft.history.latest().history_user == supervisor
    with pytest.raises(Refused):
        issuing.publish(draft, supervisor)


def test_the_publish_page_lists_what_stops_it_then_publishes(draft, client_supervisor):
    Target.objects.filter(category__year=draft, code="1.1").update(points=D(19))
    url = reverse("assessment:issue-targets", args=[draft.year])
    page = client_supervisor.get(url).content.decode()
    assert "99.00" in page and 'id="publish"' not in page
    assert client_supervisor.post(url).status_code == 400
    Target.objects.filter(category__year=draft, code="1.1").update(points=D(20))
    response = client_supervisor.post(url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == YearStatus.OPEN
    # Issued: the plan is read-only now.
    response = client_supervisor.post(
        reverse("assessment:plan", args=[draft.year]),
        plan_post(draft, **{"1.1": {"points": "25"}, "1.2": {"points": "15"}}),
    )
    assert response.status_code == 400
    assert Target.objects.get(category__year=draft, code="1.1").points == D(20)


# --- drafts are hidden until published --------------------------------------------------------


def test_drafts_are_hidden_from_clerks_and_leaders(
    draft, year, client_a, client_leader, client_supervisor, dept_a
):
    urls = [
        reverse("assessment:board", args=[draft.year]),
        reverse("assessment:acknowledgements", args=[draft.year]),
        reverse("assessment:target-letter", args=[draft.year, dept_a.code]),
        reverse("assessment:department-report", args=[draft.year, dept_a.code]),
    ]
    matrix = reverse("assessment:matrix", args=[draft.year])
    assert client_leader.get(matrix).status_code == 404
    for client in (client_a, client_leader):
        for url in urls:
            assert client.get(url).status_code == 404, url
        home = client.get(reverse("assessment:home"))
        assert str(draft.year) not in home["Location"]
        page = client.get(reverse("assessment:board", args=[year.year]))
        assert f"/years/{draft.year}/" not in page.content.decode()
    # The supervisor previews the draft's statements, but its figures pages wait too.
    assert client_supervisor.get(urls[2]).status_code == 200
    assert client_supervisor.get(matrix).status_code == 404
    assert AssessmentYear.objects.current() == year


def test_a_published_year_is_visible_to_everyone(draft, supervisor, client_a, dept_a):
    issuing.publish(draft, supervisor)
    assert (
        client_a.get(reverse("assessment:board", args=[draft.year])).status_code == 200
    )
    assert AssessmentYear.objects.current() == draft


def test_the_scoring_bodies_and_their_members_come_along(
    full_year, year, supervisor, catalogue
):
    from assessment.models import ScoringBody, ScoringBodyMember

    body = ScoringBody.objects.create(year=year, code="safety", name="安全办")
    ScoringBodyMember.objects.create(body=body, user=supervisor, is_lead=True)
    Target.objects.filter(pk=catalogue["common"].pk).update(scoring_body=body)
    new = rollover.set_up_next_year(year, supervisor)
    copied = ScoringBody.objects.get(year=new, code="safety")
    assert copied.pk != body.pk and copied.name == "安全办"
    assert list(copied.memberships.values_list("user", "is_lead")) == [
        (supervisor.pk, True)
    ]
    new_common = Target.objects.get(category__year=new, code=catalogue["common"].code)
    assert new_common.scoring_body == copied
    assert ScoringBody.objects.get(pk=body.pk).year == year
