"""Objections (申诉): filing one from the published score sheet, the list, and the
page where the department reads the answer and the supervisor gives it (复核)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment import spine
from assessment.access import (
    AuthedRequest,
    get_department_or_404,
    get_year_or_404,
    supervisor_required,
)
from assessment.models import Evidence, Objection, ObjectionKind
from assessment.scoring import objections, results
from assessment.scoring import publication as publishing
from assessment.scoring.objection_forms import AnswerForm, ObjectionForm
from assessment.scoring.self_assessment import is_department_clerk


def _sheet_url(year: int, code: str) -> str:
    return reverse("assessment:published-sheet", args=[year, code])


@require_http_methods(["GET", "POST"])
def objection_new(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    """A clerk of the department objects to one item of its published sheet."""
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if not is_department_clerk(request.user, department):
        raise PermissionDenied
    found = publishing.publication_of(year_obj)
    if found is None:
        raise Http404(_("The results of this year are not published."))
    result = results.department_result(year_obj, department)
    key = request.POST.get("item") or request.GET.get("item", "")
    item = objections.find_item(result, key)
    if item is None:
        raise Http404(_("This item is not on the department's score sheet."))
    closed = objections.window_refusal(found)
    if closed:
        messages.error(request, closed)
        return redirect(_sheet_url(year_obj.year, department.code))
    form = ObjectionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        year=year_obj.year,
    )
    if request.method == "POST" and form.is_valid():
        try:
            filed = objections.file_objection(
                year=year_obj,
                department=department,
                item_key=item.key,
                grounds=form.cleaned_data["grounds"],
                user=request.user,
                uploads=form.checked,
                once=form.cleaned_data["once"],
            )
        except spine.Refused as exc:
            messages.error(request, exc.message)
            return redirect(_sheet_url(year_obj.year, department.code))
        if filed.created:
            messages.success(request, _("The objection is filed."))
        else:
            messages.info(
                request, _("This item already has an open objection: here it is.")
            )
        return redirect(
            "assessment:objection-detail", year=year_obj.year, pk=filed.objection.pk
        )
    return render(
        request,
        "assessment/publication/objection_new.html",
        {
            "year": year_obj,
            "department": department,
            "publication": found,
            "item": item,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


def objection_list(request: AuthedRequest, year: int) -> HttpResponse:
    """The objections the user may see: a clerk's departments', or all of them."""
    year_obj = get_year_or_404(year)
    rows = list(
        Objection.objects.for_user(request.user)
        .filter(year=year_obj)
        .select_related("department", "filed_by", "answered_by")
        .order_by("status", "department__order", "department__code", "filed_at")
    )
    return render(
        request,
        "assessment/publication/objection_list.html",
        {
            "year": year_obj,
            "publication": publishing.publication_of(year_obj),
            "objections": rows,
            "open_count": sum(1 for row in rows if row.is_open),
        },
    )


def _answer_form(objection: Objection, data: object = None) -> AnswerForm:
    max_points = None
    if objection.kind == ObjectionKind.SCORE and objection.target is not None:
        max_points = objection.target.points
    return AnswerForm(
        data,
        needs_points=objection.kind != ObjectionKind.VETO,
        max_points=max_points,
        initial={"version": objection.version},
    )


def _objection_or_404(request: AuthedRequest, year: int, pk: int) -> Objection:
    return get_object_or_404(
        Objection.objects.for_user(request.user).select_related(
            "year", "department", "target", "filed_by", "answered_by"
        ),
        year__year=year,
        pk=pk,
    )


def _render_detail(
    request: AuthedRequest, objection: Objection, form: AnswerForm | None, status: int
) -> HttpResponse:
    evidence = list(Evidence.objects.for_user(request.user).filter(objection=objection))
    history = list(
        objection.history.select_related("history_user").order_by("-history_date")
    )
    return render(
        request,
        "assessment/publication/objection_detail.html",
        {
            "year": objection.year,
            "objection": objection,
            "department": objection.department,
            "evidence": evidence,
            "history": history,
            "form": form,
        },
        status=status,
    )


def objection_detail(request: AuthedRequest, year: int, pk: int) -> HttpResponse:
    objection = _objection_or_404(request, year, pk)
    form = (
        _answer_form(objection)
        if objection.is_open and objections.may_answer(request.user, objection)
        else None
    )
    return _render_detail(request, objection, form, 200)


@supervisor_required
@require_POST
def objection_answer(request: AuthedRequest, year: int, pk: int) -> HttpResponse:
    objection = _objection_or_404(request, year, pk)
    if not objections.may_answer(request.user, objection):
        raise PermissionDenied
    form = _answer_form(objection, request.POST)
    if not form.is_valid():
        return _render_detail(request, objection, form, 400)
    data = form.cleaned_data
    try:
        answered = objections.answer_objection(
            objection,
            upheld=data["decision"] == "upheld",
            answer=data["answer"],
            new_points=data.get("new_points"),
            version=data["version"],
            user=request.user,
        )
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        if answered:
            messages.success(request, _("The objection is answered."))
    return redirect("assessment:objection-detail", year=year, pk=objection.pk)
