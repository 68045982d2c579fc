"""The year-end report: preview, PDF, Word copy, and the overview and closing texts.

The report is in the bureau's language whatever the interface's; `?language=` asks for
a translation (one of the site's languages).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessment import spine
from assessment.access import (
    AuthedRequest,
    departments_for,
    get_department_or_404,
    get_year_or_404,
    sees_all_required,
)
from assessment.jobs import rerender
from assessment.models import AssessmentYear, Department
from assessment.reporting import readiness, store, texts, word
from assessment.reporting.rendering import render_body, report_filename
from assessment.reporting.report import Report, assessed_units, build_report
from assessment.reporting.translation import (
    language_choices,
    report_language,
    valid_language,
)
from assessment.text import CleanCharField

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _language(request: AuthedRequest) -> str:
    return valid_language(request.GET.get("language"))


def _bureau_report(request: AuthedRequest, year: int) -> Report:
    assessment_year = get_year_or_404(year)
    return build_report(
        assessment_year, None, departments_for(request.user), _language(request)
    )


def _department_report(request: AuthedRequest, year: int, code: str) -> Report:
    department = get_department_or_404(request.user, code)
    return build_report(get_year_or_404(year), department, language=_language(request))


def _attachment(report: Report, content: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    extension = "pdf" if content_type == "application/pdf" else "docx"
    response["Content-Disposition"] = (
        content_disposition_header(
            as_attachment=True, filename=report_filename(report, extension)
        )
        or "attachment"
    )
    return response


def _pdf_response(report: Report) -> HttpResponse:
    return _attachment(report, store.report_pdf(report), "application/pdf")


def _docx_response(report: Report) -> HttpResponse:
    return _attachment(report, word.render_report_docx(report), DOCX_TYPE)


def _with_language(url: str, language: str) -> str:
    return url if language == report_language() else f"{url}?language={language}"


def _preview(request: AuthedRequest, report: Report) -> HttpResponse:
    year = report.year.year
    department = report.department
    if department is None:
        args: list = [year]
        prefix = "assessment:report"
    else:
        args = [year, department.code]
        prefix = "assessment:department-report"
    page_url = reverse(prefix, args=args)
    pdf_url = _with_language(reverse(f"{prefix}-pdf", args=args), report.language)
    docx_url = _with_language(reverse(f"{prefix}-docx", args=args), report.language)
    texts_url = reverse(f"{prefix}-texts", args=args)
    prepare_url = reverse(f"{prefix}-prepare", args=args)
    languages = [
        (code, name, _with_language(page_url, code), code == report.language)
        for code, name in language_choices()
    ]
    other_reports = []
    if request.user.sees_all_departments:
        other_reports.append(
            (_("Whole bureau"), reverse("assessment:report", args=[year]))
        )
    # The bureau itself (a parent department) is the whole bureau's report, above.
    for visible in assessed_units(departments_for(request.user)):
        other_reports.append(
            (
                visible.name,
                reverse("assessment:department-report", args=[year, visible.code]),
            )
        )
    may_edit = texts.may_edit(request.user, department)
    # The stored PDF's state and time, the previous PDF's too while a new one is made.
    status = rerender.status(report.year, department, report.language)
    return render(
        request,
        "assessment/reporting/report_page.html",
        {
            "report": report,
            "body": render_body(report),
            "pdf_url": pdf_url,
            "docx_url": docx_url,
            "prepare_url": prepare_url,
            "status": status,
            "status_url": _with_language(
                reverse(f"{prefix}-status", args=args), report.language
            ),
            "render_url": _with_language(
                reverse(f"{prefix}-render", args=args), report.language
            ),
            "previous_url": _with_language(
                reverse(f"{prefix}-previous", args=args), report.language
            ),
            "texts_url": texts_url if may_edit else "",
            "missing": report.missing if may_edit else [],
            "languages": languages,
            "other_reports": other_reports,
        },
    )


@sees_all_required
def report(request: AuthedRequest, year: int) -> HttpResponse:
    """The whole bureau's report: supervisors and leaders."""
    return _preview(request, _bureau_report(request, year))


@sees_all_required
def report_pdf(request: AuthedRequest, year: int) -> HttpResponse:
    return _pdf_response(_bureau_report(request, year))


@sees_all_required
def report_docx(request: AuthedRequest, year: int) -> HttpResponse:
    return _docx_response(_bureau_report(request, year))


def department_report(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    return _preview(request, _department_report(request, year, code))


def department_report_pdf(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    return _pdf_response(_department_report(request, year, code))


def _status_response(status: readiness.Readiness) -> JsonResponse:
    return JsonResponse(
        {
            "state": status.state,
            "step": status.step,
            "steps": status.steps,
            "ready": status.ready,
            "updating": status.updating,
            "text": status.text,
        }
    )


@require_GET
@sees_all_required
def report_status(request: AuthedRequest, year: int) -> JsonResponse:
    """How far the bureau's report PDF is from ready (the report page asks it)."""
    return _status_response(
        rerender.status(get_year_or_404(year), None, _language(request))
    )


@require_POST
@sees_all_required
def report_render(request: AuthedRequest, year: int) -> JsonResponse:
    """Make the bureau's stale PDF now: queued for the workers, or made here."""
    return _status_response(
        rerender.render_now(get_year_or_404(year), None, _language(request))
    )


@require_GET
def department_report_status(
    request: AuthedRequest, year: int, code: str
) -> JsonResponse:
    department = get_department_or_404(request.user, code)
    return _status_response(
        rerender.status(get_year_or_404(year), department, _language(request))
    )


@require_POST
def department_report_render(
    request: AuthedRequest, year: int, code: str
) -> JsonResponse:
    department = get_department_or_404(request.user, code)
    return _status_response(
        rerender.render_now(get_year_or_404(year), department, _language(request))
    )


def _previous_response(report: Report) -> HttpResponse:
    """The stored PDF as it is, while a newer one is being made (404 if none)."""
    row = store.kept(report)
    content = store.read(row) if row is not None else None
    if content is None:
        raise Http404
    return _attachment(report, content, "application/pdf")


@sees_all_required
def report_previous_pdf(request: AuthedRequest, year: int) -> HttpResponse:
    return _previous_response(_bureau_report(request, year))


def department_report_previous_pdf(
    request: AuthedRequest, year: int, code: str
) -> HttpResponse:
    return _previous_response(_department_report(request, year, code))


def department_report_docx(
    request: AuthedRequest, year: int, code: str
) -> HttpResponse:
    return _docx_response(_department_report(request, year, code))


class ReportTextForm(forms.Form):
    overview = CleanCharField(
        label=gettext_lazy("Overview"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy("One paragraph per line."),
    )
    closing = CleanCharField(
        label=gettext_lazy("Closing remarks"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One paragraph per line."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _edit_texts(
    request: AuthedRequest,
    assessment_year: AssessmentYear,
    department: Department | None,
    back_url: str,
) -> HttpResponse:
    if not texts.may_edit(request.user, department):
        raise PermissionDenied
    current = texts.current_text(assessment_year, department)
    closed = assessment_year.is_closed
    if request.method == "POST":
        form = ReportTextForm(request.POST)
        if closed:
            messages.error(
                request,
                _("The assessment year is closed; nothing in it can be changed."),
            )
        elif form.is_valid():
            try:
                outcome = texts.save_report_text(
                    year=assessment_year,
                    department=department,
                    user=request.user,
                    version=form.cleaned_data["version"],
                    overview=form.cleaned_data["overview"],
                    closing=form.cleaned_data["closing"],
                )
            except spine.Refused as refused:
                messages.error(request, refused.message)
            else:
                if not outcome.conflict:
                    messages.success(request, _("The report texts were saved."))
                    return redirect(back_url)
                messages.error(
                    request,
                    _(
                        "Someone else saved these texts after you opened them. %(who)s "
                        "Their version is shown below; yours was not saved."
                    )
                    % {"who": outcome.conflict},
                )
                current = outcome.row
                form = ReportTextForm(
                    initial={
                        "overview": current.overview,
                        "closing": current.closing,
                        "version": current.version,
                    }
                )
    else:
        form = ReportTextForm(
            initial={
                "overview": current.overview,
                "closing": current.closing,
                "version": current.version,
            }
        )
    return render(
        request,
        "assessment/reporting/texts.html",
        {
            "form": form,
            "year": assessment_year,
            "department": department,
            "closed": closed,
            "back_url": back_url,
        },
        status=403 if request.method == "POST" and closed else 200,
    )


def report_texts_edit(request: AuthedRequest, year: int) -> HttpResponse:
    """The bureau's overview and closing: supervisors."""
    if not request.user.is_supervisor:
        raise PermissionDenied
    assessment_year = get_year_or_404(year)
    return _edit_texts(
        request, assessment_year, None, reverse("assessment:report", args=[year])
    )


def department_report_texts_edit(
    request: AuthedRequest, year: int, code: str
) -> HttpResponse:
    """A department's overview and closing: its clerks."""
    department = get_department_or_404(request.user, code)
    assessment_year = get_year_or_404(year)
    return _edit_texts(
        request,
        assessment_year,
        department,
        reverse("assessment:department-report", args=[year, code]),
    )


def my_report(request: AuthedRequest, year: int) -> HttpResponse:
    """The navigation's report link: the bureau's for those who see it, else the
    user's first department's."""
    if request.user.sees_all_departments:
        return redirect("assessment:report", year=year)
    department = departments_for(request.user).order_by("order", "code").first()
    if department is None:
        raise PermissionDenied
    return redirect("assessment:department-report", year=year, code=department.code)
