"""Who answers an objection (复核): the body that scores the objected item's target,
or the lead assessor; an item tied to no target, the lead assessor. Every other
supervisor reads it and is refused (403) when posting an answer."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assessment import spine
from assessment.models import (
    Adjustment,
    Objection,
    Role,
    ScoringBody,
    ScoringBodyMember,
    Veto,
)
from assessment.scoring import bodies, objections
from assessment.scoring.bodies import ScorerRights
from tests.conftest import login, make_user

D = Decimal
SAFETY, OFFICE = 2, 1

LEAD = ScorerRights(is_supervisor=True, is_lead=True, year_has_lead=True)
SAFETY_SCORER = ScorerRights(
    is_supervisor=True, body_ids=frozenset({SAFETY}), year_has_lead=True
)
NO_BODY = ScorerRights(is_supervisor=True, year_has_lead=True)
NO_LEAD_IN_YEAR = ScorerRights(is_supervisor=True)
CLERK = ScorerRights()


@pytest.mark.parametrize(
    ("rights", "on_target", "body_id", "expected"),
    [
        (SAFETY_SCORER, True, SAFETY, True),
        (SAFETY_SCORER, True, OFFICE, False),
        (SAFETY_SCORER, True, None, True),  # a target no body owns: any supervisor
        (SAFETY_SCORER, False, None, False),  # no target: the lead assessor
        (LEAD, True, SAFETY, True),
        (LEAD, True, OFFICE, True),
        (LEAD, False, None, True),
        (NO_BODY, True, OFFICE, False),
        (NO_BODY, False, None, False),
        (NO_LEAD_IN_YEAR, False, None, True),  # a year without bodies: as before
        (CLERK, True, None, False),
        (CLERK, False, None, False),
    ],
)
def test_who_may_answer(rights, on_target, body_id, expected):
    assert bodies.may_answer(rights, on_target=on_target, body_id=body_id) is expected


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def owners(year, scored):
    """安全办 scores target_b; 考核办 (its lead) everything else."""
    office = ScoringBody.objects.create(year=year, code="office", name="考核办")
    safety = ScoringBody.objects.create(year=year, code="safety", name="安全办")
    for key in ("target_a", "common"):
        scored[key].scoring_body = office
        scored[key].save()
    scored["target_b"].scoring_body = safety
    scored["target_b"].save()

    def member(username, body, lead=False):
        user = make_user(username, Role.SUPERVISOR)
        ScoringBodyMember.objects.create(body=body, user=user, is_lead=lead)
        return user

    return {
        "safety": member("safety_scorer", safety),
        "office": member("office_scorer", office),
        "lead": member("lead", office, lead=True),
    }


def file(year, department, key, clerk) -> Objection:
    return objections.file_objection(
        year=year,
        department=department,
        item_key=key,
        grounds="评分偏低",
        user=clerk,
        once=uuid.uuid4(),
    ).objection


def answer(client, year, objection, points="18"):
    return client.post(
        reverse("assessment:objection-answer", args=[year.year, objection.pk]),
        {
            "decision": "upheld",
            "answer": "核实",
            "new_points": points,
            "version": objection.version,
        },
    )


def detail(client, year, objection):
    return client.get(
        reverse("assessment:objection-detail", args=[year.year, objection.pk])
    )


def test_the_owning_body_answers_a_score_objection(
    year, published, scored, owners, dept_b, clerk_b
):
    objection = file(year, dept_b, f"score:{scored['target_b'].pk}", clerk_b)
    office = login(owners["office"])
    page = detail(office, year, objection)
    assert page.status_code == 200 and page.context["form"] is None
    assert 'data-field="read-only"' in page.content.decode()
    assert answer(office, year, objection).status_code == 403
    objection.refresh_from_db()
    assert objection.is_open
    safety = login(owners["safety"])
    assert detail(safety, year, objection).context["form"] is not None
    assert answer(safety, year, objection).status_code == 302
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.answered_by == owners["safety"]


def test_the_lead_assessor_answers_any_objection(
    year, published, scored, owners, dept_b, clerk_b
):
    objection = file(year, dept_b, f"score:{scored['target_b'].pk}", clerk_b)
    lead = login(owners["lead"])
    assert detail(lead, year, objection).context["form"] is not None
    assert answer(lead, year, objection).status_code == 302
    objection.refresh_from_db()
    assert objection.status == "upheld"


def test_an_item_tied_to_no_target_is_answered_by_the_lead_assessor(
    year, published, scored, owners, dept_b, clerk_b
):
    deduction = Adjustment.objects.create(
        year=year, department=dept_b, kind="deduction", points=D(2), reason="逾期"
    )
    veto = Veto.objects.create(year=year, department=dept_b, reason="安全事故")
    for key in (f"adjustment:{deduction.pk}", f"veto:{veto.pk}"):
        objection = file(year, dept_b, key, clerk_b)
        for name in ("safety", "office"):
            client = login(owners[name])
            assert detail(client, year, objection).context["form"] is None
            assert answer(client, year, objection, "1").status_code == 403
        with pytest.raises(spine.Refused):
            objections.answer_objection(
                objection,
                upheld=False,
                answer="x",
                new_points=None,
                version=objection.version,
                user=owners["safety"],
            )
        lead = login(owners["lead"])
        assert detail(lead, year, objection).context["form"] is not None
        assert answer(lead, year, objection, "1").status_code == 302
        objection.refresh_from_db()
        assert objection.status == "upheld"


def test_a_deduction_tied_to_a_target_goes_to_its_body(
    year, published, scored, owners, dept_b, clerk_b
):
    deduction = Adjustment.objects.create(
        year=year,
        department=dept_b,
        kind="deduction",
        points=D(2),
        reason="台账不全",
        target=scored["target_b"],
    )
    objection = file(year, dept_b, f"adjustment:{deduction.pk}", clerk_b)
    assert answer(login(owners["office"]), year, objection, "1").status_code == 403
    assert answer(login(owners["safety"]), year, objection, "1").status_code == 302


def test_clerks_leaders_and_anonymous_cannot_answer(
    year, published, scored, owners, dept_b, clerk_b, client_a, client_b, client_leader
):

    objection = file(year, dept_b, f"score:{scored['target_b'].pk}", clerk_b)
    assert detail(client_a, year, objection).status_code == 404
    assert detail(client_b, year, objection).context["form"] is None
    assert detail(client_leader, year, objection).context["form"] is None
    for client in (client_a, client_b, client_leader):
        assert answer(client, year, objection).status_code in (403, 404)
    anonymous = answer(Client(), year, objection)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    objection.refresh_from_db()
    assert objection.is_open
