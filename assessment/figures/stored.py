"""The stored roll-up: each (year, department, indicator)'s year value kept in a table.

Pages that need year values only (the ranking, the workbench, publication, score sheets,
exports) read one row per department and indicator instead of every month's figure and
every record. The table is derived data, maintained in the transaction of the write that
changes what it derives from:

- every write of the spine reports the indicators it changed (`Write.touch`); its
  before-commit hook (`on_write`) recomputes exactly those rows, typed figures and
  record-fed values alike, with the same code that reads them live;
- a figure or record saved outside the spine (the admin's shell, a data migration, a
  test's fixture) recomputes its row at once (`figure_changed`, `record_changed`);
- `manage.py rebuild_rollup` recomputes everything and reports any difference.

Rows are locked before they are recomputed, so two writes to months of the same
department cannot each store a sum that misses the other's month.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from assessment import spine
from assessment.models import AssessmentYear, Figure, Indicator, YearValue

Key = tuple[int, int]  # (indicator id, department id)


@dataclass(frozen=True)
class Stored:
    """What a row holds: the rolled-up value, how many months, the latest month."""

    value: Decimal | None
    months: int
    through_month: int | None

    @classmethod
    def of_months(cls, months: Mapping[int, Decimal], value: Decimal | None) -> Stored:
        return cls(value, len(months), max(months) if months else None)

    @classmethod
    def of_row(cls, row: YearValue) -> Stored:
        return cls(row.value, row.months, row.through_month)

    @property
    def empty(self) -> bool:
        return self.value is None and self.months == 0


EMPTY = Stored(None, 0, None)


@dataclass(frozen=True)
class Difference:
    indicator: Indicator
    department_id: int
    stored: Stored
    computed: Stored


def _live(
    year: AssessmentYear,
    indicators: Iterable[Indicator],
    departments_of: Mapping[int, set[int]],
) -> dict[Key, Stored]:
    """Recompute from the figures and records, as the report reads them."""
    from assessment.scoring import results

    indicators = list(indicators)
    department_ids = sorted(set().union(*departments_of.values())) if indicators else []
    if not department_ids:
        return {}
    computed = results.live_indicator_values(
        year, indicators, departments_of, department_ids
    )
    return {
        key: Stored.of_months(entry.months, entry.value)
        for key, entry in computed.items()
    }


def refresh(year: AssessmentYear, touched: Mapping[int, Collection[int]]) -> int:
    """Recompute the rows of {department id: indicator ids}; the number written."""
    asked = {i for ids in touched.values() for i in ids}
    if not asked:
        return 0
    # A raw query: compiling the same filter costs more than running it, a third of
    # a single-figure save's upkeep.
    table = connection.ops.quote_name(Indicator._meta.db_table)
    marks = ", ".join(["%s"] * len(asked))
    indicators = list(
        Indicator.objects.raw(
            f"SELECT * FROM {table} WHERE year_id = %s AND id IN ({marks})",
            [year.pk, *sorted(asked)],
        )
    )
    known = {indicator.pk for indicator in indicators}
    keys = sorted(
        (indicator_id, department_id)
        for department_id, indicator_ids in touched.items()
        for indicator_id in indicator_ids
        if indicator_id in known
    )
    if not keys:
        return 0
    # No savepoint: inside a write this is the write's transaction, outside one it
    # opens a transaction for the lock.
    with transaction.atomic(savepoint=False):
        # Every row exists and is locked before it is recomputed, so concurrent
        # writes meet at the lock (on SQLite the transaction holds the database's).
        _upsert(year, [(i, d, EMPTY) for i, d in keys], lock_only=True)
        departments_of: dict[int, set[int]] = {}
        for indicator_id, department_id in keys:
            departments_of.setdefault(indicator_id, set()).add(department_id)
        computed = _live(year, indicators, departments_of)
        return _upsert(year, [(i, d, computed.get((i, d), EMPTY)) for i, d in keys])


#: Rows a statement of `_upsert` writes at most (6 parameters each).
_UPSERT_BATCH = 500


def _upsert(
    year: AssessmentYear,
    rows: list[tuple[int, int, Stored]],
    *,
    lock_only: bool = False,
) -> int:
    """Write the rows (indicator id, department id, what they hold) in one
    INSERT ... ON CONFLICT DO UPDATE a batch; the number written.

    `lock_only` creates the missing rows and leaves the existing ones as they are, but
    locked: PostgreSQL locks every conflicting row of ON CONFLICT DO UPDATE, also those
    its WHERE does not update; it waits for a concurrent write holding one and then
    takes the row as that write committed it.
    """
    quote = connection.ops.quote_name
    table = quote(YearValue._meta.db_table)
    update = (
        "months = excluded.months WHERE 1 = 0"
        if lock_only
        else "value = excluded.value, months = excluded.months, "
        "through_month = excluded.through_month"
    )
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _UPSERT_BATCH):
            batch = rows[start : start + _UPSERT_BATCH]
            params: list[Any] = []
            for indicator_id, department_id, held in batch:
                params += [
                    year.pk,
                    department_id,
                    indicator_id,
                    held.value,
                    held.months,
                    held.through_month,
                ]
            cursor.execute(
                f"INSERT INTO {table} (year_id, department_id, indicator_id, value, "
                f"months, through_month) VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
                + f" ON CONFLICT (indicator_id, department_id) DO UPDATE SET {update}",
                params,
            )
            written += max(cursor.rowcount, 0)
    return written


def on_write(current: spine.Write) -> None:
    """The spine's hook: recompute what the write says it changed."""
    if current.year is None:
        return
    refresh(current.year, {d: ids for d, ids in current.touched.items() if ids})


def differences(year: AssessmentYear) -> list[Difference]:
    """Every department-indicator of the year's catalogue whose stored row differs
    from a full recomputation (a missing row counts as empty)."""
    from assessment.scoring import results

    catalogue = results.load_catalogue(year)
    computed = _live(year, catalogue.indicators, catalogue.indicator_departments)
    indicators = {i.pk: i for i in catalogue.indicators}
    stored = {
        (row.indicator_id, row.department_id): Stored.of_row(row)
        for row in YearValue.objects.filter(year=year)
    }
    found = []
    for key in sorted(computed):
        was, now = stored.get(key, EMPTY), computed[key]
        if was != now:
            found.append(Difference(indicators[key[0]], key[1], was, now))
    return found


def rebuild(year: AssessmentYear) -> list[Difference]:
    """Recompute the year's table from the figures and records; what was wrong.

    The year's rows are locked first, so a write in flight waits for the rebuild. Rows
    of departments an indicator no longer applies to are dropped: nothing reads them,
    and a new assignment recomputes its row on the first write.
    """
    from assessment.scoring import results

    with transaction.atomic():
        list(YearValue.objects.select_for_update().filter(year=year).values("pk"))
        found = differences(year)
        YearValue.objects.bulk_create(
            [
                YearValue(
                    year=year,
                    indicator_id=d.indicator.pk,
                    department_id=d.department_id,
                    value=d.computed.value,
                    months=d.computed.months,
                    through_month=d.computed.through_month,
                )
                for d in found
            ],
            update_conflicts=True,
            unique_fields=["indicator", "department"],
            update_fields=["value", "months", "through_month"],
            batch_size=500,
        )
        assigned = results.load_catalogue(year).indicator_departments
        stale = [
            pk
            for pk, indicator_id, department_id in YearValue.objects.filter(
                year=year
            ).values_list("pk", "indicator_id", "department_id")
            if department_id not in assigned.get(indicator_id, set())
        ]
        YearValue.objects.filter(pk__in=stale).delete()
    return found


# Writes outside the spine ----------------------------------------------------------


def figure_changed(sender: Any, instance: Figure, **kwargs: Any) -> None:
    """post_save/post_delete of a figure: tell the write in progress, or refresh now."""
    if kwargs.get("raw"):
        return  # loaddata: rebuild_rollup afterwards
    monthly_return = instance.monthly_return
    current = spine.current()
    if (
        current is not None
        and current.year is not None
        and (current.year.pk == monthly_return.year_id)
    ):
        current.touch(monthly_return.department_id, {instance.indicator_id})
        return
    refresh(
        monthly_return.year, {monthly_return.department_id: {instance.indicator_id}}
    )


def record_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_save/post_delete of a work record model (connected by the app that has
    the records): a record saved outside the spine refreshes the indicators it feeds
    (inside a write, the write already does)."""
    from assessment import sources

    if kwargs.get("raw") or spine.current() is not None:
        return
    keys = {s.key for s in sources.all_sources() if s.feeds(instance)}
    if not keys:
        return
    day = getattr(instance, "date", None)
    department_id = getattr(instance, "department_id", None)
    if day is None or department_id is None:
        return
    fed = list(
        Indicator.objects.filter(
            year__year=day.year, departments=department_id, source__in=keys
        ).select_related("year")
    )
    if fed:
        refresh(fed[0].year, {department_id: {i.pk for i in fed}})
