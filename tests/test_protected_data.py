"""Nothing that carries data can be deleted; the admin only looks at the year's data.

Departments, indicators and targets with data are protected (ORM and admin); no
changelist offers "delete selected"; the year's data is read-only in the admin and so
is a closed year's catalogue; an evidence row and its file go together; a retired
department refuses every write.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from assessment import spine
from assessment.admin import ReadOnlyDataAdmin
from assessment.figures import returns
from assessment.models import (
    AssessmentYear,
    Category,
    Department,
    Evidence,
    Figure,
    Indicator,
    MonthlyReturn,
    Score,
    SelfAssessment,
    Target,
    User,
)
from assessment.models.catalogue import YearStatus
from sanitation.bureau.models import Donation, SafetyActivity
from tests.conftest import login
from tests.spreadsheet_support import workbook_bytes

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def client_admin(db):
    return login(User.objects.create_superuser("root", "root@example.org", "x-4821"))


@pytest.fixture
def with_data(year, catalogue, dept_a, clerk_a, supervisor):
    """Department A's February figure, a score and a work record."""
    monthly_return = MonthlyReturn.objects.create(year=year, department=dept_a, month=2)
    Figure.objects.create(
        monthly_return=monthly_return, indicator=catalogue["area"], value=Decimal(150)
    )
    Score.objects.create(
        target=catalogue["target_a"],
        department=dept_a,
        assessed_score=Decimal(16),
        scored_by=supervisor,
    )
    SafetyActivity.objects.create(
        department=dept_a,
        date=datetime.date(year.year, 2, 3),
        title="例会",
        kind="meeting",
    )
    return catalogue


def counts() -> tuple[int, ...]:
    return (
        Department.objects.count(),
        Indicator.objects.count(),
        Target.objects.count(),
        MonthlyReturn.objects.count(),
        Figure.objects.count(),
        Score.objects.count(),
        SafetyActivity.objects.count(),
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- protected against deletion ---------------------------------------------------------


def test_a_department_indicator_or_target_with_data_cannot_be_deleted(
    with_data, dept_a
):
    before = counts()
    for obj in (dept_a, with_data["area"], with_data["target_a"]):
        with pytest.raises(ProtectedError), transaction.atomic():
            obj.delete()
    assert counts() == before


def test_a_department_with_only_work_records_cannot_be_deleted(year, dept_b):
    SafetyActivity.objects.create(
        department=dept_b,
        date=datetime.date(year.year, 1, 5),
        title="例会",
        kind="drill",
    )
    with pytest.raises(ProtectedError), transaction.atomic():
        dept_b.delete()
    assert Department.objects.filter(pk=dept_b.pk).exists()


@pytest.mark.parametrize(
    ("name", "key", "protected"),
    [
        ("department", "dept_a", "清扫保洁队"),
        ("indicator", "area", "清扫面积"),
        ("target", "target_a", "道路清扫保洁"),
    ],
)
def test_the_admin_lists_what_protects_it_and_deletes_nothing(
    name, key, protected, request, client_admin, with_data
):
    obj = request.getfixturevalue(key) if key == "dept_a" else with_data[key]
    url = reverse(f"admin:assessment_{name}_delete", args=[obj.pk])
    before = counts()
    response = client_admin.get(url)
    assert response.status_code == 200
    assert response.context["protected"], "the page lists the protected objects"
    assert protected in response.content.decode()
    response = client_admin.post(url, {"post": "yes"})
    assert counts() == before
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_no_changelist_offers_delete_selected(client_admin, with_data):
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        response = client_admin.get(reverse(f"{prefix}_changelist"))
        assert response.status_code == 200, model
        assert "delete_selected" not in model_admin.get_actions(response.wsgi_request)
        assert 'value="delete_selected"' not in response.content.decode(), model


# --- the year's data is read-only in the admin ------------------------------------------


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())


def data_admins() -> list[tuple[type, ReadOnlyDataAdmin]]:
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ReadOnlyDataAdmin)
    ]


def test_every_data_model_has_a_read_only_admin():
    names = {model._meta.label for model, _admin in data_admins()}
    assert names >= {
        "assessment.MonthlyReturn",
        "assessment.Figure",
        "assessment.SelfAssessmentSubmission",
        "assessment.SelfAssessment",
        "assessment.Score",
        "assessment.Adjustment",
        "assessment.Veto",
        "assessment.Evidence",
        "assessment.ReportText",
        "bureau.Donation",
        "bureau.Petition",
        "bureau.SafetyActivity",
        "bureau.PartyActivity",
        "bureau.Task",
    }


def test_data_admins_refuse_add_change_and_delete(client_admin, demo):
    for model, _model_admin in data_admins():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.first()
        if obj is None:  # the demo has no veto
            continue
        before = model._default_manager.count(), model.history.count()
        assert client_admin.get(reverse(f"{prefix}_add")).status_code == 403, model
        assert client_admin.post(reverse(f"{prefix}_add"), {}).status_code == 403
        change = reverse(f"{prefix}_change", args=[obj.pk])
        page = client_admin.get(change)
        assert page.status_code == 200, model  # to look at, with its history
        assert 'name="_save"' not in page.content.decode(), model
        assert client_admin.post(change, {}).status_code == 403, model
        delete = reverse(f"{prefix}_delete", args=[obj.pk])
        assert client_admin.get(delete).status_code == 403, model
        assert client_admin.post(delete, {"post": "yes"}).status_code == 403, model
        assert (model._default_manager.count(), model.history.count()) == before


# --- a closed year's catalogue ----------------------------------------------------------


def close(year: AssessmentYear) -> None:
    AssessmentYear.objects.filter(pk=year.pk).update(status=YearStatus.CLOSED)


def test_a_closed_years_catalogue_cannot_be_changed_or_deleted(
    client_admin, year, catalogue
):
    close(year)
    objects = [
        ("assessmentyear", year),
        ("category", catalogue["category"]),
        ("target", catalogue["target_a"]),
        ("indicator", catalogue["area"]),
    ]
    before = list(Indicator.objects.values_list("pk", "name", "annual_target"))
    for name, obj in objects:
        change = reverse(f"admin:assessment_{name}_change", args=[obj.pk])
        page = client_admin.get(change)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
        assert client_admin.post(change, {"name": "改名"}).status_code == 403, name
        delete = reverse(f"admin:assessment_{name}_delete", args=[obj.pk])
        assert client_admin.post(delete, {"post": "yes"}).status_code == 403, name
    assert list(Indicator.objects.values_list("pk", "name", "annual_target")) == before
    assert Category.objects.get().name == "勤政建设"


def test_nothing_is_added_to_a_closed_years_catalogue(
    client_admin, year, catalogue, dept_a
):
    close(year)
    before = (
        Category.objects.count(),
        Target.objects.count(),
        Indicator.objects.count(),
    )
    response = client_admin.post(
        reverse("admin:assessment_category_add"),
        {"year": year.pk, "code": "9", "name": "新增一级指标", "order": 9},
    )
    assert response.status_code == 200
    assert "year" in response.context["adminform"].form.errors
    response = client_admin.post(
        reverse("admin:assessment_indicator_add"),
        {
            "year": year.pk,
            "target": catalogue["target_a"].pk,
            "order": 9,
            "code": "new",
            "name": "新增指标",
            "unit": "",
            "decimals": 0,
            "aggregation": "sum",
            "annual_target": "",
            "direction": "at_least",
            "weight": "1",
            "source": "",
            "departments": [dept_a.pk],
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "year" in errors and "target" in errors
    response = client_admin.post(
        reverse("admin:assessment_target_add"),
        {
            "category": catalogue["category"].pk,
            "order": 9,
            "code": "1.9",
            "name": "新增目标",
            "points": "5",
            "rule": "judgement",
            "combine": "min",
            "indicators-TOTAL_FORMS": "0",
            "indicators-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "category" in response.context["adminform"].form.errors
    after = (
        Category.objects.count(),
        Target.objects.count(),
        Indicator.objects.count(),
    )
    assert after == before


def test_an_open_years_catalogue_takes_additions(client_admin, year, catalogue):
    response = client_admin.post(
        reverse("admin:assessment_category_add"),
        {
            "year": year.pk,
            "code": "2",
            "name": "服从服务于区委政府中心工作",
            "order": 2,
        },
    )
    assert response.status_code == 302
    assert Category.objects.count() == 2


# --- evidence rows and their files ------------------------------------------------------


@pytest.fixture
def evidence(year, catalogue, dept_a, clerk_a) -> Evidence:
    row = SelfAssessment.objects.create(
        target=catalogue["target_a"], department=dept_a, self_score=Decimal(15)
    )
    name = default_storage.save(f"evidence/{year.year}/proof.pdf", ContentFile(PDF))
    return Evidence.objects.create(
        department=dept_a,
        self_assessment=row,
        file=name,
        original_name="台账.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=clerk_a,
    )


def test_deleting_an_evidence_row_removes_its_file_once_committed(
    evidence, django_capture_on_commit_callbacks
):
    name = evidence.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        evidence.delete()
        assert default_storage.exists(name), "kept until the deletion commits"
    assert callbacks
    assert not default_storage.exists(name)


def test_a_rolled_back_evidence_delete_keeps_its_file(
    evidence, django_capture_on_commit_callbacks
):
    name, pk = evidence.file.name, evidence.pk
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            evidence.delete()
            raise RuntimeError("the request failed after the delete")
    assert callbacks == []
    assert default_storage.exists(name)
    assert Evidence.objects.filter(pk=pk).exists()


def test_the_evidence_page_deletes_row_and_file(
    client_a, evidence, django_capture_on_commit_callbacks
):
    name = evidence.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            reverse("assessment:evidence-delete", args=[evidence.pk])
        )
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not default_storage.exists(name)


# --- a retired department ---------------------------------------------------------------


@pytest.fixture
def retired(dept_a) -> Department:
    Department.objects.filter(pk=dept_a.pk).update(active=False)
    dept_a.refresh_from_db()
    return dept_a


def test_a_retired_department_refuses_figure_saves(
    monkeypatch, client_a, year, catalogue, retired
):
    today = datetime.date(year.year, 3, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    area = catalogue["area"]
    data = {
        f"f-{area.pk}-value": "150.5",
        f"f-{area.pk}-note": "",
        f"f-{area.pk}-version": "0",
    }
    response = client_a.post(
        reverse("assessment:entry", args=[year.year, retired.code, 2]), data
    )
    assert response.status_code == 302
    assert any("清扫保洁队" in m for m in messages_of(response))
    assert not Figure.objects.exists() and not MonthlyReturn.objects.exists()
    with pytest.raises(spine.Refused) as refused:
        returns.save_figures(
            User.objects.get(username="clerk_a"),
            year,
            retired,
            2,
            [returns.FigureRow(area, Decimal(150), "", 0)],
            on=today,
        )
    assert refused.value.code == "retired"


def test_a_retired_department_refuses_imports(client_a, year, catalogue, retired):
    month = timezone.localdate().month
    data = workbook_bytes([[retired.code, "area", "", "", month, 150.5, ""]])
    url = reverse("assessment:import", args=[year.year, retired.code])
    upload = SimpleUploadedFile("figures.xlsx", data)
    response = client_a.post(url, {"file": upload, "confirm": "1"})
    assert any("清扫保洁队" in m for m in messages_of(response))
    assert not Figure.objects.exists()


def test_a_retired_department_refuses_record_writes(client_a, clerk_a, year, retired):
    day = datetime.date(year.year, 1, 5)
    record = Donation.objects.create(
        department=retired, date=day, title="旧捐款", amount=Decimal(10)
    )
    before = list(Donation.objects.values_list("pk", "title", "amount", "version"))
    data = {
        "department": retired.pk,
        "date": day.isoformat(),
        "title": "新捐款",
        "amount": "20",
        "items": "",
        "description": "",
        "once": "3f3a6f5e-0a1b-4c2d-8e9f-0123456789ab",
    }
    response = client_a.post(reverse("bureau:record-add", args=["donations"]), data)
    assert response.status_code == 200
    assert "清扫保洁队" in str(response.context["form"].errors)
    response = client_a.post(
        reverse("bureau:record-edit", args=["donations", record.pk]),
        {**data, "title": "改名", "version": 1},
    )
    assert response.status_code == 200
    assert "清扫保洁队" in str(response.context["form"].errors)
    response = client_a.post(
        reverse("bureau:record-delete", args=["donations", record.pk])
    )
    assert any("清扫保洁队" in m for m in messages_of(response))
    assert list(Donation.objects.values_list("pk", "title", "amount", "version")) == (
        before
    )


def test_retire_and_reactivate_are_admin_actions(client_admin, dept_a, dept_b):
    url = reverse("admin:assessment_department_changelist")
    response = client_admin.post(
        url,
        {"action": "retire", "_selected_action": [dept_a.pk, dept_b.pk], "index": 0},
    )
    assert response.status_code == 302
    assert not Department.objects.filter(active=True).exists()
    response = client_admin.post(
        url, {"action": "reactivate", "_selected_action": [dept_b.pk], "index": 0}
    )
    assert list(Department.objects.filter(active=True)) == [dept_b]
    assert list(Department.objects.active()) == [dept_b]
