"""The one scope rule: `Department.objects.visible_to(user)`, and everything built on it.

Clerks see their own departments (one or several), supervisors and leaders all of them,
signed-out and deactivated users none; every `for_user` of department data and
`access.departments_for` agree with it, and a move takes effect on the next request.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from assessment import access
from assessment.models import Department, ReportText, Role, User
from tests.conftest import login, make_user


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def visible(user) -> set[str]:
    return codes(Department.objects.visible_to(user))


def test_a_clerk_sees_their_own_department(clerk_a, dept_a, dept_b):
    assert visible(clerk_a) == {"dept-a"}


def test_a_clerk_of_two_departments_sees_both(dept_a, dept_b, db):
    Department.objects.create(code="dept-c", name="粪便清运队")
    both = make_user("clerk_ab", Role.CLERK, dept_a, dept_b)
    assert visible(both) == {"dept-a", "dept-b"}


def test_a_clerk_of_no_department_sees_none(dept_a, db):
    assert visible(make_user("clerk_none", Role.CLERK)) == set()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEADER, Role.ADMIN])
def test_supervisors_leaders_and_admins_see_every_department(role, dept_a, dept_b):
    assert visible(make_user(f"u_{role}", role)) == {"dept-a", "dept-b"}


def test_a_superuser_sees_every_department(dept_a, dept_b):
    root = User.objects.create_superuser("root", "root@example.org", "x-4821")
    assert visible(root) == {"dept-a", "dept-b"}


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.LEADER])
def test_a_deactivated_user_sees_nothing(role, dept_a, dept_b):
    user = make_user(f"gone_{role}", role, dept_a)
    user.is_active = False
    user.save()
    assert visible(user) == set()


def test_an_anonymous_visitor_sees_nothing(dept_a, dept_b):
    assert visible(AnonymousUser()) == set()


def test_retired_departments_stay_visible_for_their_history(clerk_a, dept_a):
    Department.objects.filter(pk=dept_a.pk).update(active=False)
    assert visible(clerk_a) == {"dept-a"}


# --- every for_user agrees with the rule ------------------------------------------------


def scoped_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if hasattr(model._default_manager.all(), "for_user")
    ]


def test_every_model_of_department_data_is_scoped():
    labels = {model._meta.label for model in scoped_models()}
    assert labels == {
        "assessment.MonthlyReturn",
        "assessment.Figure",
        "assessment.SelfAssessmentSubmission",
        "assessment.SelfAssessment",
        "assessment.Adjustment",
        "assessment.Evidence",
        "assessment.Score",
        "assessment.Veto",
        "assessment.ReportText",
        "assessment.PanelScore",
        "assessment.Objection",
        "assessment.Rectification",
        "assessment.TargetAcknowledgement",
        "assessment.FollowUp",
        "bureau.Donation",
        "bureau.Petition",
        "bureau.SafetyActivity",
        "bureau.PartyActivity",
        "bureau.Task",
    }


def expected_rows(model, user) -> set[int]:
    """The rows the one rule allows: those of the departments visible to the user
    (and, for report texts, the bureau's own, which everyone signed in reads)."""
    departments = Department.objects.visible_to(user)
    if model is ReportText:
        rows = model.objects.filter(department__in=departments)
        if user.is_authenticated and user.is_active:
            rows = model.objects.filter(
                Q(department__in=departments) | Q(department__isnull=True)
            )
    else:
        path = model._default_manager.all().department_path
        rows = model._default_manager.filter(**{f"{path}__in": departments})
    return set(rows.values_list("pk", flat=True))


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def demo_users() -> list:
    users = list(User.objects.all())
    gone = []
    for username in ("clerk_street", "supervisor", "leader"):
        user = User.objects.get(username=username)
        user.is_active = False  # the same account, deactivated (not saved)
        gone.append(user)
    return [*users, *gone, AnonymousUser()]


def test_every_for_user_agrees_with_the_rule(demo):
    from django.utils import timezone

    from assessment.models import (
        AssessmentYear,
        Objection,
        PanelScore,
        Target,
        TargetAcknowledgement,
        Veto,
    )

    # One row of each kind the demo has none of.
    y2021 = AssessmentYear.objects.get(year=2021)
    inspection = Department.objects.get(code="inspection")
    Veto.objects.create(year=y2021, department=inspection, reason="发生一起死亡事故")
    target = Target.objects.filter(category__year=y2021).order_by("pk").first()
    clerk = User.objects.filter(departments=inspection).first()
    supervisor = User.objects.get(username="supervisor")
    Objection.objects.create(
        year=y2021,
        department=inspection,
        kind="score",
        item=f"score:{target.pk}",
        target=target,
        item_label=str(target),
        grounds="评分依据有误",
        filed_by=clerk,
    )
    PanelScore.objects.create(
        target=target,
        department=inspection,
        scorer=supervisor,
        score=1,
        entered_by=supervisor,
    )
    TargetAcknowledgement.objects.create(
        year=y2021,
        department=inspection,
        acknowledged_by=clerk,
        acknowledged_at=timezone.now(),
    )
    users = demo_users()
    assert any(u.is_authenticated and u.departments.count() == 2 for u in users[:-4])
    for model in scoped_models():
        every_row = set(model._default_manager.values_list("pk", flat=True))
        assert every_row, f"the demo has no {model.__name__}"
        for user in users:
            seen = set(
                model._default_manager.for_user(user).values_list("pk", flat=True)
            )
            assert seen == expected_rows(model, user), (model, user)
            if user.is_authenticated and user.is_active and user.sees_all_departments:
                assert seen == every_row


def test_departments_for_is_the_rule(demo):
    for user in demo_users():
        assert codes(access.departments_for(user)) == visible(user), user


def test_a_clerk_of_two_departments_gets_both_and_nothing_else(demo):
    office = User.objects.get(username="clerk_office")
    assert visible(office) == {"office", "party"}
    from sanitation.bureau.models import SafetyActivity

    departments = set(
        SafetyActivity.objects.for_user(office).values_list(
            "department__code", flat=True
        )
    )
    assert departments and departments <= {"office", "party"}


# --- a move takes effect on the next request --------------------------------------------


def test_moving_a_clerk_takes_effect_on_the_next_request(clerk_a, dept_a, dept_b, year):
    client = login(clerk_a)
    a_list = reverse("bureau:record-list", args=["donations"]) + "?department=dept-a"
    b_list = reverse("bureau:record-list", args=["donations"]) + "?department=dept-b"
    assert client.get(a_list).status_code == 200
    assert client.get(b_list).status_code == 404
    clerk_a.departments.set([dept_b])  # the admin moves them; the session stays
    assert client.get(a_list).status_code == 404
    assert client.get(b_list).status_code == 200
    response = client.get(reverse("bureau:record-add", args=["donations"]))
    choices = {str(c[0]) for c in response.context["form"].fields["department"].choices}
    assert str(dept_b.pk) in choices and str(dept_a.pk) not in choices


def test_a_new_role_takes_effect_on_the_next_request(clerk_a, dept_a, year):
    client = login(clerk_a)
    add = reverse("bureau:record-add", args=["donations"])
    ranking = reverse("assessment:ranking", args=[year.year])
    assert client.get(add).status_code == 200
    assert client.get(ranking).status_code == 403
    clerk_a.role = Role.LEADER
    clerk_a.save()
    assert client.get(add).status_code == 403  # read-only now
    assert client.get(ranking).status_code == 200  # and sees every department


def test_a_deactivated_user_is_signed_out_on_the_next_request(clerk_a, dept_a, year):
    client = login(clerk_a)
    url = reverse("bureau:record-list", args=["donations"])
    assert client.get(url).status_code == 200
    User.objects.filter(pk=clerk_a.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
