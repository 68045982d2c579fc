"""The bureau's work records as indicator sources for the assessment engine."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from django.db.models import Count, Model, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment import sources
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)

#: The safety activities that the activity count counts (accidents are not activities).
COUNTED_SAFETY_KINDS = ["meeting", "inspection", "training", "drill"]


def _monthly(
    model: type[Model],
    aggregate: Sum | Count,
    department_ids: Collection[int],
    year: int,
    **filters: object,
) -> sources.MonthlyValues:
    rows = (
        model._default_manager.filter(
            department_id__in=department_ids, date__year=year, **filters
        )
        .annotate(month=ExtractMonth("date"))
        .values("department_id", "month")
        .annotate(total=aggregate)
        .order_by()
    )
    return {(row["department_id"], row["month"]): Decimal(row["total"]) for row in rows}


def _records_url(kind: str):
    def url(department_code: str, year: int, month: int) -> str:
        base = reverse("bureau:record-list", args=[kind])
        return f"{base}?department={department_code}&year={year}&month={month}"

    return url


def register_all() -> None:
    sources.register(
        sources.IndicatorSource(
            key="bureau.donation_amount",
            label=_("Donations: total amount"),
            monthly_values=lambda ids, year: _monthly(
                Donation, Sum("amount"), ids, year
            ),
            records_url=_records_url("donations"),
            feeds=lambda record: isinstance(record, Donation),
        )
    )
    sources.register(
        sources.IndicatorSource(
            key="bureau.petition_count",
            label=_("Petitions: number received"),
            monthly_values=lambda ids, year: _monthly(Petition, Count("pk"), ids, year),
            records_url=_records_url("petitions"),
            feeds=lambda record: isinstance(record, Petition),
        )
    )
    sources.register(
        sources.IndicatorSource(
            key="bureau.safety_activity_count",
            label=_("Safety activities: number held"),
            monthly_values=lambda ids, year: _monthly(
                SafetyActivity,
                Count("pk"),
                ids,
                year,
                kind__in=COUNTED_SAFETY_KINDS,
            ),
            records_url=_records_url("safety"),
            feeds=lambda record: (
                isinstance(record, SafetyActivity)
                and record.kind in COUNTED_SAFETY_KINDS
            ),
        )
    )
    sources.register(
        sources.IndicatorSource(
            key="bureau.party_activity_count",
            label=_("Party-building activities: number held"),
            monthly_values=lambda ids, year: _monthly(
                PartyActivity, Count("pk"), ids, year
            ),
            records_url=_records_url("party"),
            feeds=lambda record: isinstance(record, PartyActivity),
        )
    )
    sources.register(
        sources.IndicatorSource(
            key="bureau.task_count",
            label=_("Campaign, emergency and voluntary tasks: number"),
            monthly_values=lambda ids, year: _monthly(Task, Count("pk"), ids, year),
            records_url=_records_url("tasks"),
            feeds=lambda record: isinstance(record, Task),
        )
    )
