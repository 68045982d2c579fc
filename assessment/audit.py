"""The audit trail (django-simple-history) is append-only, for administrators too.

- In the admin every history table is listed read-only: no add, no change, no delete,
  no bulk actions; the per-object history pages cannot revert (`HistoryAdmin`,
  SIMPLE_HISTORY_REVERT_DISABLED). Users cannot be deleted in the admin either: their
  history entries would lose who made them; an account is deactivated instead.
- On PostgreSQL a trigger on every history table refuses UPDATE and DELETE, whoever
  connects (installed after each `migrate`). It leaves INSERT (new entries) and
  TRUNCATE alone; TRUNCATE needs the table's owner and is what the test suite's
  flushes use. Nothing in the application deletes history: entries are kept for good,
  which is longer than the six months 等保 2.0 asks for.
- On SQLite (development and the demo) there is no such trigger: the test suite and
  `flush` empty tables with DELETE, which it would refuse.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

TRIGGER = "audit_trail_append_only"

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def history_models() -> list[type[Model]]:
    """Every model's history table (historical figures, scores, work records, ...)."""
    return [
        model for model in apps.get_models() if issubclass(model, HistoricalChanges)
    ]


class AuditTrailAdmin(admin.ModelAdmin):
    """Read-only: entries are looked at, never changed or removed."""

    list_display = ("history_date", "history_type", "history_user", "__str__")
    list_filter = ("history_type", "history_date")
    search_fields = ("history_user__username", "history_change_reason")
    date_hierarchy = "history_date"
    list_select_related = ("history_user",)
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HistoryAdmin(SimpleHistoryAdmin):
    """An object's history pages, to look at: an old version cannot be saved back."""

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def register_admin(site: admin.AdminSite) -> None:
    for model in history_models():
        if not site.is_registered(model):
            site.register(model, AuditTrailAdmin)


def protect_tables(using: str = "default") -> list[str]:
    """Install the append-only trigger on every history table (PostgreSQL only)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    existing = set(connection.introspection.table_names())
    tables = [
        model._meta.db_table
        for model in history_models()
        if model._meta.db_table in existing
    ]
    with connection.cursor() as cursor:
        cursor.execute(_FUNCTION_SQL)
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON "
                f"{quoted} FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()"
            )
    return tables


def protect_after_migrate(using: str = "default", **kwargs: Any) -> None:
    protect_tables(using)
