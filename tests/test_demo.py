"""`load_demo`: the 2021 demo carries the self-review's numbers and every month state."""

from __future__ import annotations

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.test import Client, override_settings
from django.utils import timezone

from assessment import sources
from assessment.figures import rollup, workflow
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Department,
    Evidence,
    Figure,
    Indicator,
    MonthlyReturn,
    Notice,
    ReportText,
    Score,
    SelfAssessment,
    Target,
    User,
)
from sanitation.bureau import demo
from sanitation.bureau.models import Donation, PartyActivity, SafetyActivity, Task


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def _demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the read-only tests of a class and rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo")):
                demo.load(io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo_year(_demo_loaded, db) -> AssessmentYear:
    return AssessmentYear.objects.get(year=2021)


@pytest.fixture
def fresh_demo(db, settings) -> AssessmentYear:
    """A load of its own, through the command, for tests that load again or read files."""
    settings.DEBUG = True
    load()
    return AssessmentYear.objects.get(year=2021)


def year_value(year: AssessmentYear, code: str) -> Decimal:
    indicator = Indicator.objects.get(year=year, code=code)
    months = {
        f.monthly_return.month: f.value
        for f in Figure.objects.filter(indicator=indicator).select_related(
            "monthly_return"
        )
    }
    value = rollup.roll_up(months, indicator.aggregation, indicator.decimals)
    assert value is not None
    return value


def counts() -> dict[str, int]:
    models = [
        Department,
        User,
        AssessmentYear,
        Target,
        Indicator,
        MonthlyReturn,
        Figure,
        Donation,
        SafetyActivity,
        PartyActivity,
        Task,
        SelfAssessment,
        Score,
        Adjustment,
        Evidence,
        ReportText,
    ]
    return {model.__name__: model.objects.count() for model in models}


class TestTheLoadedDemo:
    """Read-only checks on one load of the demo."""

    def test_the_catalogue_has_three_parts_and_points_summing_to_100(self, demo_year):
        assert list(demo_year.categories.values_list("name", flat=True)) == [
            "各项业务工作",
            "服从服务于区委政府中心工作",
            "加强和改进党建工作",
        ]
        # The self-review's 第一部分：勤政建设 holds all three.
        assert set(demo_year.categories.values_list("part", flat=True)) == {"勤政建设"}
        total = Target.objects.filter(category__year=demo_year).aggregate(
            t=Sum("points")
        )
        assert total["t"] == Decimal(100)
        assert demo_year.status == "scoring"
        assert demo_year.thresholds == (Decimal(90), Decimal(80), Decimal(60))

    @pytest.mark.parametrize(
        ("model", "who", "when"),
        [
            (Figure, "updated_by", "updated_at"),
            (Score, "scored_by", "scored_at"),
            (SelfAssessment, "updated_by", "updated_at"),
            (Adjustment, "created_by", "created_at"),
            (Evidence, "uploaded_by", "uploaded_at"),
            (ReportText, "updated_by", "updated_at"),
            (Donation, "updated_by", "updated_at"),
            (Task, "updated_by", "updated_at"),
        ],
    )
    def test_history_entries_are_signed_and_dated_as_the_rows_say(
        self, demo_year, model, who, when
    ):
        rows = {row.pk: row for row in model.objects.all()}
        entries = list(model.history.order_by("history_date", "history_id"))
        # One entry per row; a score changed by an upheld objection (2020) has two.
        changed = 1 if model is Score else 0
        assert rows and len(entries) == len(rows) + changed
        latest = {entry.id: entry for entry in entries}
        for entry in latest.values():
            row = rows[entry.id]
            assert entry.history_user_id == getattr(row, f"{who}_id")
            assert entry.history_date == getattr(row, when)
        for entry in entries:
            # In the demo year or the January after it, and never after the load.
            assert entry.history_date <= timezone.now()
            assert entry.history_date.year in (2020, 2021, 2022, timezone.now().year)

    def test_donations_total_21290_through_the_donation_source(self, demo_year):
        indicator = Indicator.objects.get(
            year=demo_year, source="bureau.donation_amount"
        )
        source = sources.get(indicator.source)
        assert source is not None
        ids = list(indicator.departments.values_list("pk", flat=True))
        monthly = source.monthly_values(ids, 2021)
        assert sum(monthly.values(), Decimal(0)) == Decimal("21290")
        june = Department.objects.get(code="office").pk, 6
        assert monthly[june] == Decimal("7540")

    @pytest.mark.parametrize(
        ("code", "value"),
        [
            # The self-review's own figures: the made-up months roll up to them.
            ("street_area", "150.0"),
            ("waste_daily", "170.0"),
            ("waste_pits", "1400"),
            ("nightsoil_daily", "60.0"),
            ("nightsoil_manual", "2.0"),
            ("landfill_amount", "60000"),
            ("tree_pits", "87"),
            ("documents", "6"),
            ("reports", "27"),
            ("info_items", "60"),
            ("briefings", "50"),
        ],
    )
    def test_the_months_roll_up_to_the_self_reviews_figures(
        self, demo_year, code, value
    ):
        assert year_value(demo_year, code) == Decimal(value)

    def test_months_are_in_every_state(self, demo_year):
        today = timezone.localdate()
        states: dict[str, list[MonthlyReturn]] = {}
        returns = MonthlyReturn.objects.filter(year=demo_year).annotate(
            n=Sum("figures__pk")
        )
        for row in returns:
            facts = workflow.MonthFacts(
                year=2021,
                month=row.month,
                deadline=demo_year.deadline_for(row.month),
                status=row.status,
                has_figures=bool(row.n),
                reopened=row.reopened_at is not None,
                year_closed=demo_year.is_closed,
            )
            states.setdefault(workflow.month_state(facts, today), []).append(row)
        assert {"approved", "returned", "draft", "overdue"} <= set(states)
        assert len(states["approved"]) > 70
        (returned,) = states["returned"]
        assert returned.comment and returned.reopen_reason
        assert returned.reviewed_by.username == "supervisor"
        (draft,) = states["draft"]
        assert draft.reopened_at is not None
        (overdue,) = states["overdue"]
        assert overdue.reopened_at is None
        assert all(r.reviewed_by.username == "supervisor" for r in states["approved"])

    def test_the_clerks_inboxes_hold_their_months_news(self, demo_year):
        told = {
            (n.recipient.username, n.kind, n.department.code, n.month)
            for n in Notice.objects.filter(year=demo_year).select_related(
                "recipient", "department"
            )
        }
        assert ("clerk_waste", "returned", "waste", 11) in told
        assert ("clerk_nightsoil", "reopened", "nightsoil", 12) in told
        # 监察队 reports no monthly figures in 2021: its unsubmitted December is on no
        # board, and no reminder chases it.
        assert {username for username, *_ in told} == {"clerk_waste", "clerk_nightsoil"}

    def test_every_target_and_responsible_department_is_self_assessed_and_scored(
        self, demo_year
    ):
        pairs = {
            (t.code, d)
            for t in Target.objects.filter(category__year=demo_year).prefetch_related(
                "departments"
            )
            for d in (
                demo.UNITS if t.is_common else [x.code for x in t.departments.all()]
            )
        }
        scored = set(Score.objects.values_list("target__code", "department__code"))
        assessed = set(
            SelfAssessment.objects.exclude(text="").values_list(
                "target__code", "department__code"
            )
        )
        assert pairs == scored == assessed
        assert Score.objects.exclude(reason="").exists()
        kinds = set(Adjustment.objects.values_list("kind", flat=True))
        assert kinds == {"deduction", "bonus"}
        assert ReportText.objects.filter(department=None).exclude(overview="").exists()
        assert ReportText.objects.filter(department__isnull=False).exists()

    def test_donations_fall_in_the_self_reviews_months(self, demo_year):
        indicator = Indicator.objects.get(year=demo_year, code="donation_amount")
        source = sources.get(indicator.source)
        office = Department.objects.get(code="office").pk
        monthly = source.monthly_values([office], 2021)
        assert {month: value for (_d, month), value in monthly.items()} == {
            6: Decimal(7540),
            9: Decimal(6160),
            10: Decimal(3740),
            11: Decimal(3850),
        }

    def test_the_outline_follows_the_self_review(self, demo_year):
        from assessment.models import ReportSection

        sections = ReportSection.objects.filter(year=demo_year)
        assert sections.get(code="S2-6").heading.startswith(
            "认真做好各项接待和检查工作"
        )
        assert set(
            Target.objects.filter(section__code="S1-1").values_list("code", flat=True)
        ) == {"1.1", "1.2", "1.3", "1.4", "1.5"}
        assert sections.get(code="S1-2-3").parent.code == "S1-2"

    def test_every_text_has_an_english_translation(self, demo_year):
        from assessment.models import ReportTranslation

        known = set(ReportTranslation.objects.values_list("source", flat=True))
        texts = [
            *SelfAssessment.objects.values_list("text", flat=True),
            *Target.objects.values_list("name", flat=True),
            *Indicator.objects.values_list("name", flat=True),
        ]
        assert not [text for text in texts if text not in known]

    def test_every_demo_user_can_log_in(self, demo_year):
        for username, *_rest in demo.USERS:
            client = Client()
            assert client.login(
                request=HttpRequest(), username=username, password="demo-pass-2021"
            ), username
        office_clerk = User.objects.get(username="clerk_office")
        assert set(office_clerk.departments.values_list("code", flat=True)) == {
            "office",
            "party",
        }
        admin = User.objects.get(username="admin")
        assert admin.is_superuser and admin.is_staff


def test_evidence_files_are_stored_with_their_checksums(fresh_demo):
    evidence = list(Evidence.objects.all())
    assert {e.content_type for e in evidence} == {"image/png", "application/pdf"}
    for item in evidence:
        assert item.file.name.startswith("evidence/2021/")
        with default_storage.open(item.file.name) as handle:
            data = handle.read()
        assert len(data) == item.size
        assert hashlib.sha256(data).hexdigest() == item.sha256
        magic = b"%PDF" if item.content_type == "application/pdf" else b"\x89PNG"
        assert data.startswith(magic)


def test_it_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        load()
    assert not AssessmentYear.objects.exists()
    assert not User.objects.exists()


def test_force_loads_even_when_debug_is_off(db, settings):
    settings.DEBUG = False
    load("--force")
    assert AssessmentYear.objects.filter(year=2021).exists()


def test_a_second_run_changes_nothing(fresh_demo):
    before = counts()
    load()
    assert counts() == before


def test_another_year_loads_through_the_same_loader(db, settings, tmp_path):
    """A further demo year is data only: a DemoYear of its own, the same loader."""
    import dataclasses

    from sanitation.bureau.demo import loader

    settings.MEDIA_ROOT = tmp_path
    earlier = dataclasses.replace(
        demo.Y2021, year=2020, records={}, evidence=[], adjustments=[]
    )
    loader.load_year(earlier, io.StringIO())
    loader.load_year(demo.Y2021, io.StringIO())
    assert set(AssessmentYear.objects.values_list("year", flat=True)) == {2020, 2021}
    assert Target.objects.filter(category__year__year=2020).count() == len(
        earlier.targets
    )
    loader.delete_year(earlier, io.StringIO())
    assert not AssessmentYear.objects.filter(year=2020).exists()
    assert Target.objects.filter(category__year__year=2021).exists()


def test_reset_reloads_the_same_data_and_drops_old_files(
    fresh_demo, django_capture_on_commit_callbacks
):
    before = counts()
    old_files = list(Evidence.objects.values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        load("--reset")
    assert counts() == before
    assert not any(default_storage.exists(name) for name in old_files)
    assert AssessmentYear.objects.get(year=2021).pk != fresh_demo.pk
