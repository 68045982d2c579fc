"""The write spine: the year locked open, versioned saves, create-once, data versions."""

from __future__ import annotations

import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction

from assessment import spine
from assessment.figures import returns
from assessment.models import (
    AssessmentYear,
    DataVersion,
    FormToken,
    ReportText,
    Veto,
)
from assessment.models.catalogue import YearStatus
from assessment.spine import Outcome


def close(year: AssessmentYear) -> None:
    AssessmentYear.objects.filter(pk=year.pk).update(status=YearStatus.CLOSED)


def versions(year, *departments) -> dict[int, int]:
    return spine.data_versions(year, [d.pk for d in departments])


# --- lock_open_year -------------------------------------------------------------------


def test_lock_open_year_returns_the_open_year_fresh_from_the_database(year):
    AssessmentYear.objects.filter(pk=year.pk).update(status=YearStatus.SCORING)
    with transaction.atomic():
        locked = spine.lock_open_year(year)
    assert locked.pk == year.pk and locked.status == YearStatus.SCORING
    with transaction.atomic():
        assert spine.lock_open_year(year.pk, exclusive=True).pk == year.pk


@pytest.mark.parametrize("exclusive", [False, True])
def test_lock_open_year_refuses_a_closed_year(year, exclusive):
    close(year)  # the object in hand still says open: the row decides
    with transaction.atomic(), pytest.raises(spine.Refused) as refused:
        spine.lock_open_year(year, exclusive=exclusive)
    assert refused.value.code == "closed"
    assert str(year.year) in refused.value.message


def test_a_write_into_a_closed_year_refuses_before_its_body_runs(year, dept_a, clerk_a):
    close(year)
    ran = []
    with pytest.raises(spine.Refused), spine.write(year, clerk_a) as current:
        ran.append(current)
        current.touch(dept_a.pk)
    assert ran == []
    assert not DataVersion.objects.exists()


# --- versioned_outcome: the one rule, as a table ----------------------------------------


STORED = SimpleNamespace(value=Decimal("150.0"), note="ok", version=3)


@pytest.mark.parametrize(
    ("values", "version", "expected"),
    [
        # Equal values are no change, whatever version the editor started from.
        ({"value": Decimal(150), "note": "ok"}, 3, Outcome.UNCHANGED),
        ({"value": Decimal(150), "note": "ok"}, 2, Outcome.UNCHANGED),
        ({"value": Decimal(150), "note": "ok"}, 0, Outcome.UNCHANGED),
        ({"value": Decimal(150), "note": "ok"}, None, Outcome.UNCHANGED),
        ({"value": Decimal(150), "note": "ok"}, 99, Outcome.UNCHANGED),
        ({}, 1, Outcome.UNCHANGED),
        # A change from the stored version goes through.
        ({"value": Decimal(151), "note": "ok"}, 3, Outcome.CHANGED),
        ({"value": Decimal(150), "note": "changed"}, 3, Outcome.CHANGED),
        ({"value": None, "note": "ok"}, 3, Outcome.CHANGED),
        # A change from any other version is a conflict.
        ({"value": Decimal(151), "note": "ok"}, 2, Outcome.CONFLICT),
        ({"value": Decimal(151), "note": "ok"}, 4, Outcome.CONFLICT),
        ({"value": Decimal(151), "note": "ok"}, 0, Outcome.CONFLICT),
        ({"value": Decimal(151), "note": "ok"}, None, Outcome.CONFLICT),
        ({"note": "other"}, 1, Outcome.CONFLICT),
    ],
)
def test_versioned_outcome(values, version, expected):
    assert spine.versioned_outcome(STORED, values, version) is expected


# --- save_versioned -------------------------------------------------------------------


def save_text(year, user, overview: str, version: int | None, **kwargs):
    with spine.write(year, user) as current:
        return spine.save_versioned(
            current,
            ReportText,
            {"year": current.year, "department": None},
            {"overview": overview, "closing": ""},
            version,
            **kwargs,
        )


def test_save_versioned_creates_a_missing_row_at_version_one(year, supervisor):
    saved = save_text(year, supervisor, "概述", 0)
    assert saved.outcome is Outcome.CREATED and saved.changed and not saved.conflict
    row = ReportText.objects.get()
    assert (row.overview, row.version, row.updated_by) == ("概述", 1, supervisor)
    assert row.history.get().history_user == supervisor


@pytest.mark.parametrize("version", [0, 1, 7, None])
def test_save_versioned_leaves_equal_values_alone_whatever_the_version(
    year, supervisor, version
):
    save_text(year, supervisor, "概述", 0)
    saved = save_text(year, supervisor, "概述", version)
    assert saved.outcome is Outcome.UNCHANGED and not saved.changed
    row = ReportText.objects.get()
    assert row.version == 1 and row.history.count() == 1


def test_save_versioned_changes_from_the_stored_version(year, supervisor, leader):
    save_text(year, leader, "概述", 0)
    saved = save_text(year, supervisor, "新的概述", 1)
    assert saved.outcome is Outcome.CHANGED and saved.changed
    row = ReportText.objects.get()
    assert (row.overview, row.version, row.updated_by) == ("新的概述", 2, supervisor)
    assert row.history.count() == 2
    assert row.history.latest().history_user == supervisor


def test_save_versioned_keeps_the_row_on_a_conflict_and_returns_it(
    year, supervisor, leader
):
    save_text(year, supervisor, "v1", 0)
    save_text(year, leader, "v2", 1)
    saved = save_text(year, supervisor, "mine", 1)
    assert saved.outcome is Outcome.CONFLICT and saved.conflict and not saved.changed
    assert (saved.row.overview, saved.row.updated_by) == ("v2", leader)
    row = ReportText.objects.get()
    assert (row.overview, row.version, row.history.count()) == ("v2", 2, 2)


def test_save_versioned_sets_the_named_user_field(year, catalogue, dept_a, supervisor):
    from assessment.models import Score

    with spine.write(year, supervisor) as current:
        saved = spine.save_versioned(
            current,
            Score,
            {"target": catalogue["target_a"], "department": dept_a},
            {"assessed_score": Decimal(16), "reason": ""},
            0,
            user_field="scored_by",
        )
    assert saved.row.scored_by == supervisor
    assert Score.objects.get().scored_by == supervisor


def test_save_versioned_without_create_refuses_a_deleted_row(year, supervisor):
    save_text(year, supervisor, "v1", 0)
    ReportText.objects.all().delete()
    with pytest.raises(spine.Refused) as refused:
        save_text(year, supervisor, "v2", 1, create=False)
    assert refused.value.code == "conflict"
    assert not ReportText.objects.exists()


def test_save_versioned_with_create_makes_a_deleted_row_again(year, supervisor):
    save_text(year, supervisor, "v1", 0)
    ReportText.objects.all().delete()
    assert save_text(year, supervisor, "v2", 0).outcome is Outcome.CREATED


# --- create_once ----------------------------------------------------------------------


def add_veto(year, department, user, token, reason="重大安全事故"):
    with spine.write(year, user) as current:
        return spine.create_once(
            current,
            token,
            Veto,
            lambda: Veto(
                year=current.year, department=department, reason=reason, created_by=user
            ),
        )


def test_create_once_creates_once_per_token(year, dept_a, supervisor):
    token = uuid.uuid4()
    first, created = add_veto(year, dept_a, supervisor, token)
    assert created
    again, created_again = add_veto(year, dept_a, supervisor, token, reason="changed")
    assert (again.pk, created_again) == (first.pk, False)
    assert Veto.objects.get().reason == "重大安全事故"
    assert Veto.history.count() == 1
    claimed = FormToken.objects.get(token=token)
    assert (claimed.user, claimed.model, claimed.object_id) == (
        supervisor,
        "assessment.veto",
        first.pk,
    )


def test_create_once_gives_a_new_object_for_a_new_token(year, dept_a, supervisor):
    add_veto(year, dept_a, supervisor, uuid.uuid4())
    add_veto(year, dept_a, supervisor, uuid.uuid4())
    assert Veto.objects.count() == 2


def test_create_once_refuses_another_users_token(year, dept_a, supervisor):
    from tests.conftest import make_user

    other = make_user("supervisor2", "supervisor")
    token = uuid.uuid4()
    add_veto(year, dept_a, supervisor, token)
    with pytest.raises(spine.Refused) as refused:
        add_veto(year, dept_a, other, token)
    assert refused.value.code == "invalid"
    assert Veto.objects.count() == 1


def test_create_once_refuses_a_token_claimed_for_another_kind(year, dept_a, supervisor):
    token = uuid.uuid4()
    FormToken.objects.create(token=token, user=supervisor, model="assessment.score")
    with pytest.raises(spine.Refused):
        add_veto(year, dept_a, supervisor, token)
    assert not Veto.objects.exists()


def test_create_once_refuses_a_missing_token_or_user(year, dept_a, supervisor):
    with pytest.raises(spine.Refused) as refused:
        add_veto(year, dept_a, supervisor, None)
    assert refused.value.code == "invalid"
    with pytest.raises(spine.Refused):
        add_veto(year, dept_a, None, uuid.uuid4())
    assert not Veto.objects.exists() and not FormToken.objects.exists()


def test_a_refused_create_leaves_its_token_unclaimed(year, dept_a, supervisor):
    token = uuid.uuid4()
    with pytest.raises(spine.Refused), spine.write(year, supervisor) as current:
        spine.create_once(
            current,
            token,
            Veto,
            lambda: (_ for _ in ()).throw(spine.Refused("no")),
        )
    assert not FormToken.objects.exists()
    _veto, created = add_veto(year, dept_a, supervisor, token)
    assert created  # the form can be posted again once the problem is fixed


# --- data versions --------------------------------------------------------------------


def test_a_write_bumps_each_touched_department_once(year, dept_a, dept_b, clerk_a):
    assert versions(year, dept_a, dept_b) == {dept_a.pk: 0, dept_b.pk: 0}
    with spine.write(year, clerk_a) as current:
        current.touch(dept_a.pk, {1})
        current.touch(dept_a.pk, {2})
        current.touch(dept_a.pk)
    assert versions(year, dept_a, dept_b) == {dept_a.pk: 1, dept_b.pk: 0}
    with spine.write(year, clerk_a) as current:
        current.touch(dept_b.pk)
        current.touch(dept_a.pk)
    assert versions(year, dept_a, dept_b) == {dept_a.pk: 2, dept_b.pk: 1}
    assert DataVersion.objects.count() == 2


def test_a_write_that_touches_nothing_bumps_nothing(year, dept_a, clerk_a):
    with spine.write(year, clerk_a):
        pass
    assert not DataVersion.objects.exists()


def test_a_refused_write_bumps_nothing(year, dept_a, clerk_a):
    with pytest.raises(spine.Refused), spine.write(year, clerk_a) as current:
        current.touch(dept_a.pk)
        raise spine.Refused("no")
    assert versions(year, dept_a) == {dept_a.pk: 0}


def test_a_figure_save_bumps_its_department_once(
    year, dept_a, dept_b, clerk_a, catalogue
):
    day = year.deadline_for(1).replace(day=1)
    result = returns.save_figures(
        clerk_a,
        year,
        dept_a,
        1,
        [
            returns.FigureRow(catalogue["area"], Decimal(150), "", 0),
            returns.FigureRow(catalogue["pits"], Decimal(1400), "", 0),
        ],
        on=day,
    )
    assert result.count == 2
    assert versions(year, dept_a, dept_b) == {dept_a.pk: 1, dept_b.pk: 0}
    # Saving the same values again changes nothing, so the version stays.
    returns.save_figures(
        clerk_a,
        year,
        dept_a,
        1,
        [returns.FigureRow(catalogue["area"], Decimal(150), "", 1)],
        on=day,
    )
    assert versions(year, dept_a) == {dept_a.pk: 1}


def test_write_hooks_run_inside_and_after_the_commit(
    year, dept_a, clerk_a, monkeypatch, django_capture_on_commit_callbacks
):
    seen: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        spine, "_before_commit", [lambda w: seen.append(("before", dict(w.touched)))]
    )
    monkeypatch.setattr(
        spine, "_after_commit", [lambda w: seen.append(("after", dict(w.touched)))]
    )
    with django_capture_on_commit_callbacks(execute=True):
        with spine.write(year, clerk_a) as current:
            current.touch(dept_a.pk, {5})
        assert seen == [("before", {dept_a.pk: {5}})]
    assert seen[-1] == ("after", {dept_a.pk: {5}})
