"""The audit trail is append-only for everyone, administrators included: the admin
shows it but cannot change, revert or delete it; on PostgreSQL the database refuses
UPDATE and DELETE on the history tables."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessment import audit
from assessment.models import Figure, MonthlyReturn, User
from tests.conftest import PASSWORD, login

MONTH = timezone.localdate().month


@pytest.fixture
def client_admin(db):
    return login(User.objects.create_superuser("root", "root@example.org", PASSWORD))


@pytest.fixture
def figure(catalogue, year, dept_a, clerk_a) -> Figure:
    monthly_return = MonthlyReturn.objects.create(
        year=year, department=dept_a, month=MONTH
    )
    figure = Figure.objects.create(
        monthly_return=monthly_return,
        indicator=catalogue["area"],
        value=Decimal(150),
        updated_by=clerk_a,
    )
    figure.value = Decimal(160)
    figure.save()
    return figure


def history_url(name: str, *args: object) -> str:
    return reverse(f"admin:assessment_historicalfigure_{name}", args=args)


def test_every_history_table_is_listed_read_only(client_admin, figure):
    names = {model._meta.model_name for model in audit.history_models()}
    assert {"historicalfigure", "historicalscore", "historicaldonation"} <= names
    page = client_admin.get(history_url("changelist"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "160" in body
    # No bulk actions at all, so no "delete selected".
    assert 'name="action"' not in body and "delete_selected" not in body


def test_the_admin_refuses_to_delete_a_history_entry(client_admin, figure):
    entry = Figure.history.first()
    before = Figure.history.count()
    assert client_admin.get(history_url("delete", entry.pk)).status_code == 403
    assert (
        client_admin.post(history_url("delete", entry.pk), {"post": "yes"}).status_code
        == 403
    )
    bulk = client_admin.post(
        history_url("changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert Figure.history.count() == before
    assert bulk.status_code in (200, 302)


def test_the_admin_refuses_to_change_or_add_history(client_admin, figure):
    entry = Figure.history.first()
    page = client_admin.get(history_url("change", entry.pk))
    assert page.status_code == 200  # to look at
    assert 'type="submit"' not in page.content.decode().split('id="content-main"')[1]
    changed = client_admin.post(
        history_url("change", entry.pk), {"value": "999", "history_type": "+"}
    )
    assert changed.status_code == 403
    assert client_admin.get(history_url("add")).status_code == 403
    assert not Figure.history.filter(value=Decimal(999)).exists()


def test_an_old_version_cannot_be_saved_back_from_the_history_page(
    client_admin, figure
):
    oldest = figure.history.order_by("history_date").first()
    url = reverse(
        "admin:assessment_figure_simple_history", args=[figure.pk, oldest.history_id]
    )
    assert client_admin.get(url).status_code == 200
    response = client_admin.post(url, {"value": "150", "note": ""})
    assert response.status_code == 403
    figure.refresh_from_db()
    assert figure.value == Decimal(160)


def test_users_cannot_be_deleted_in_the_admin(client_admin, clerk_a):
    url = reverse("admin:assessment_user_delete", args=[clerk_a.pk])
    assert client_admin.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=clerk_a.pk).exists()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers are PostgreSQL's"
)


@pytest.mark.postgres
@postgres_only
def test_the_database_refuses_to_update_or_delete_history(figure):
    table = Figure.history.model._meta.db_table
    entry = Figure.history.first()
    for statement in (
        f"UPDATE {table} SET value = 0 WHERE history_id = %s",
        f"DELETE FROM {table} WHERE history_id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [entry.history_id])
    with pytest.raises(DatabaseError):
        with transaction.atomic():
            Figure.history.filter(pk=entry.pk).delete()
    assert Figure.history.count() == 2
    # New entries are still written.
    figure.value = Decimal(170)
    figure.save()
    assert Figure.history.count() == 3


@pytest.mark.postgres
@postgres_only
def test_every_history_table_has_the_trigger(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT event_object_table FROM information_schema.triggers "
            "WHERE trigger_name = %s",
            [audit.TRIGGER],
        )
        protected = {row[0] for row in cursor.fetchall()}
    tables = {model._meta.db_table for model in audit.history_models()}
    assert tables and tables <= protected


def test_sqlite_has_no_trigger_to_break_its_flush(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert audit.protect_tables() == []
