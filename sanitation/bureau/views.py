"""Work records: list, add, edit, delete and history, per department and month."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import Count, QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment import access, formatting, spine
from assessment.access import AuthedRequest
from assessment.models import AssessmentYear, Department
from sanitation.bureau.forms import MonthFilterForm, closed_year_error
from sanitation.bureau.models import WorkRecord
from sanitation.bureau.records import (
    KINDS,
    RecordKind,
    changes_between,
    create_record,
    delete_record,
    get_kind_or_404,
    update_record,
)


def _default_year() -> int:
    """This calendar year when it is an assessment year, else the current assessment
    year (a demo's or a late year's records), else this calendar year."""
    this_year = timezone.localdate().year
    if AssessmentYear.objects.filter(year=this_year).exists():
        return this_year
    current = AssessmentYear.objects.current()
    return current.year if current else this_year


def _chosen_year(request: AuthedRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return _default_year()
    return year if 2000 <= year <= 2100 else _default_year()


def _year_choices(current: int) -> list[int]:
    years = set(AssessmentYear.objects.values_list("year", flat=True))
    years.update({current, timezone.localdate().year})
    return sorted(years, reverse=True)


def _list_url(record: WorkRecord, kind: RecordKind) -> str:
    base = reverse("bureau:record-list", args=[kind.slug])
    return (
        f"{base}?department={record.department.code}"
        f"&year={record.date.year}&month={record.date.month}"
    )


def _get_record_or_404(request: AuthedRequest, kind: RecordKind, pk: int) -> WorkRecord:
    records = kind.model.objects.for_user(request.user).select_related(
        "department", "updated_by"
    )
    return get_object_or_404(records, pk=pk)


def _refuse_closed_year(request: AuthedRequest, record: WorkRecord) -> bool:
    error = closed_year_error(record.date)
    if error is None:
        return False
    messages.error(request, error.message % error.params)
    return True


def index(request: AuthedRequest) -> HttpResponse:
    year = _chosen_year(request)
    departments = list(access.departments_for(request.user))
    ids = [d.pk for d in departments]
    rows = []
    for kind in KINDS.values():
        counts = dict(
            kind.model.objects.for_user(request.user)
            .filter(department_id__in=ids, date__year=year)
            .values_list("department_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        rows.append(
            {
                "kind": kind,
                "cells": [(d, counts.get(d.pk, 0)) for d in departments],
                "total": sum(counts.values()),
            }
        )
    return render(
        request,
        "bureau/index.html",
        {
            "year": year,
            "years": _year_choices(year),
            "departments": departments,
            "rows": rows,
            "can_edit": access.can_edit_department_data(request.user),
        },
    )


def record_list(request: AuthedRequest, kind: str) -> HttpResponse:
    record_kind = get_kind_or_404(kind)
    department: Department | None = None
    code = request.GET.get("department", "")
    if code:
        department = access.get_department_or_404(request.user, code)
    departments = list(access.departments_for(request.user))
    year = _chosen_year(request)
    filters = MonthFilterForm(
        {**request.GET.dict(), "year": year},
        departments=[(d.code, d.name) for d in departments],
    )
    month = filters.cleaned_data["month"] if filters.is_valid() else None

    records: QuerySet[WorkRecord] = (
        record_kind.model.objects.for_user(request.user)
        .filter(date__year=year)
        .select_related("department")
    )
    if department is not None:
        records = records.filter(department=department)
    if month is not None:
        records = records.filter(date__month=month)
    total = None
    if record_kind.total_field:
        total = records.aggregate(total=Sum(record_kind.total_field))["total"] or 0
    params: dict[str, Any] = {"year": year}
    if department is not None:
        params["department"] = department.code
    if month is not None:
        params["month"] = month
    closed = closed_year_error(datetime.date(year, 1, 1)) is not None
    return render(
        request,
        "bureau/record_list.html",
        {
            "kind": record_kind,
            "kinds": KINDS.values(),
            "rows": [(record, record_kind.cells(record)) for record in records],
            "columns": [
                (name, record_kind.field_label(name)) for name in record_kind.columns
            ],
            "total": total,
            "filters": filters,
            "department": department,
            "show_department": department is None and len(departments) > 1,
            "year": year,
            "years": _year_choices(year),
            "month": month,
            "months": range(1, 13),
            "params": params,
            "year_closed": closed,
            "can_edit": access.can_edit_department_data(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@access.editor_required
def record_add(request: AuthedRequest, kind: str) -> HttpResponse:
    record_kind = get_kind_or_404(kind)
    form_class = record_kind.form_class
    if request.method == "POST":
        form = form_class(request.POST, user=request.user)
        if form.is_valid():
            try:
                saved = create_record(record_kind, form, request.user)
            except spine.Refused as exc:
                form.add_error(None, exc.message)
            else:
                if saved.created:
                    message = _("Saved: %(record)s.")
                else:
                    message = _("This form was already saved: %(record)s.")
                messages.success(request, message % {"record": saved.record})
                return redirect(_list_url(saved.record, record_kind))
    else:
        initial: dict[str, Any] = {"date": timezone.localdate()}
        code = request.GET.get("department")
        if code:
            initial["department"] = access.get_department_or_404(request.user, code)
        form = form_class(user=request.user, initial=initial)
    return render(
        request,
        "bureau/record_form.html",
        {"kind": record_kind, "form": form, "record": None},
    )


@require_http_methods(["GET", "POST"])
@access.editor_required
def record_edit(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record_kind = get_kind_or_404(kind)
    record = _get_record_or_404(request, record_kind, pk)
    if _refuse_closed_year(request, record):
        return redirect(_list_url(record, record_kind))
    form_class = record_kind.form_class
    if request.method == "POST":
        form = form_class(request.POST, instance=record, user=request.user)
        if form.is_valid():
            try:
                conflict = update_record(record_kind, form, request.user)
            except spine.Refused as exc:
                form.add_error(None, exc.message)
                conflict = None
            else:
                if conflict is None:
                    messages.success(
                        request, _("Saved: %(record)s.") % {"record": record}
                    )
                    return redirect(_list_url(record, record_kind))
            if conflict is not None:
                who = (
                    conflict.updated_by.display_name
                    if conflict.updated_by
                    else _("someone")
                )
                form.add_error(
                    None,
                    _(
                        "%(who)s changed this record at %(when)s, after you opened "
                        "it. Your changes were not saved: reload the page to see the "
                        "current values and make your change again."
                    )
                    % {"who": who, "when": formatting.moment(conflict.updated_at)},
                )
    else:
        form = form_class(instance=record, user=request.user)
    return render(
        request,
        "bureau/record_form.html",
        {"kind": record_kind, "form": form, "record": record},
    )


@require_http_methods(["GET", "POST"])
@access.editor_required
def record_delete(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record_kind = get_kind_or_404(kind)
    record = _get_record_or_404(request, record_kind, pk)
    if _refuse_closed_year(request, record):
        return redirect(_list_url(record, record_kind))
    if request.method == "POST":
        back = _list_url(record, record_kind)
        label = str(record)
        try:
            delete_record(record, request.user)
        except spine.Refused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Deleted: %(record)s.") % {"record": label})
        return redirect(back)
    return render(
        request,
        "bureau/record_confirm_delete.html",
        {"kind": record_kind, "record": record},
    )


def record_history(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record_kind = get_kind_or_404(kind)
    record = _get_record_or_404(request, record_kind, pk)
    history = record.history  # type: ignore[attr-defined]
    rows = list(history.select_related("history_user").order_by("history_date", "pk"))
    department_ids = {row.department_id for row in rows}
    names = dict(
        Department.objects.filter(pk__in=department_ids).values_list("pk", "name")
    )
    entries = []
    previous = None
    for row in rows:
        entries.append(
            {
                "row": row,
                "changes": changes_between(record_kind, previous, row, names),
            }
        )
        previous = row
    entries.reverse()
    return render(
        request,
        "bureau/record_history.html",
        {
            "kind": record_kind,
            "record": record,
            "entries": entries,
            "back": _list_url(record, record_kind),
        },
    )
