"""Rectification (整改): a year's items and one item's page, where the department
reports and a supervisor accepts or returns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import spine
from assessment.access import AuthedRequest, get_year_or_404, supervisor_required
from assessment.models import Evidence, Rectification
from assessment.scoring import rectification
from assessment.scoring.rectification_forms import ReportForm, ReviewForm


def rectification_list(request: AuthedRequest, year: int) -> HttpResponse:
    """The year's items the user may see: a clerk's departments', or all."""
    year_obj = get_year_or_404(year)
    items = list(
        Rectification.objects.for_user(request.user)
        .filter(year=year_obj)
        .select_related("department", "target")
    )
    return render(
        request,
        "assessment/rectification/list.html",
        {
            "year": year_obj,
            "items": items,
            "open_count": sum(1 for item in items if not item.is_done),
            "threshold": year_obj.rectify_below_percent,
        },
    )


def _item_or_404(request: AuthedRequest, year: int, pk: int) -> Rectification:
    return get_object_or_404(
        Rectification.objects.for_user(request.user).select_related(
            "year", "department", "target", "reported_by", "reviewed_by"
        ),
        year__year=year,
        pk=pk,
    )


def _report_form(
    item: Rectification,
    data: QueryDict | None = None,
    files: MultiValueDict | None = None,
    submit: bool = False,
) -> ReportForm:
    return ReportForm(
        data,
        files,
        year=item.year.year,
        submit=submit,
        initial={
            "measures": item.measures,
            "owner": item.owner,
            "deadline": item.deadline,
            "report": item.report,
            "version": item.version,
        },
    )


def _render(
    request: AuthedRequest,
    item: Rectification,
    *,
    report_form: ReportForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    if report_form is None and rectification.may_report(request.user, item):
        report_form = _report_form(item)
    if review_form is None and rectification.may_review(request.user, item):
        review_form = ReviewForm(initial={"version": item.version})
    return render(
        request,
        "assessment/rectification/detail.html",
        {
            "year": item.year,
            "item": item,
            "department": item.department,
            "finding": rectification.finding_text(item),
            "evidence": list(
                Evidence.objects.for_user(request.user).filter(rectification=item)
            ),
            "history": list(
                item.history.select_related("history_user").order_by("-history_date")
            ),
            "report_form": report_form,
            "review_form": review_form,
        },
        status=status,
    )


def rectification_detail(request: AuthedRequest, year: int, pk: int) -> HttpResponse:
    return _render(request, _item_or_404(request, year, pk))


@require_POST
def rectification_report(request: AuthedRequest, year: int, pk: int) -> HttpResponse:
    item = _item_or_404(request, year, pk)
    if not rectification.may_report(request.user, item):
        raise PermissionDenied
    submit = request.POST.get("action") == "report"
    form = _report_form(item, request.POST, request.FILES, submit=submit)
    if not form.is_valid():
        return _render(request, item, report_form=form, status=400)
    data = form.cleaned_data
    try:
        changed = rectification.save_report(
            item,
            measures=data["measures"],
            owner=data["owner"],
            deadline=data["deadline"],
            report=data["report"],
            submit=submit,
            version=data["version"],
            user=request.user,
            uploads=form.checked,
        )
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(
                request,
                _("The rectification is reported.")
                if submit
                else _("The rectification plan is saved."),
            )
    return redirect("assessment:rectification-detail", year=year, pk=item.pk)


@supervisor_required
@require_POST
def rectification_review(request: AuthedRequest, year: int, pk: int) -> HttpResponse:
    item = _item_or_404(request, year, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _render(request, item, review_form=form, status=400)
    data = form.cleaned_data
    try:
        changed = rectification.review(
            item,
            accept=data["decision"] == "accept",
            comment=data["comment"],
            version=data["version"],
            user=request.user,
        )
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        if changed:
            messages.success(
                request,
                _("The rectification is accepted.")
                if data["decision"] == "accept"
                else _("The rectification is returned to the department."),
            )
    return redirect("assessment:rectification-detail", year=year, pk=item.pk)
