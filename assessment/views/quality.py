"""The validation run (校验分析): the page and its .xlsx export."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessment import access
from assessment.access import AuthedRequest
from assessment.models import AssessmentYear
from assessment.quality import listing
from assessment.quality.forms import RunFilterForm
from assessment.quality.rules import Importance
from assessment.quality.run import Run, Violation, load_run
from assessment.spreadsheets import validation as validation_sheet
from assessment.views.spreadsheets import _xlsx

PAGE_SIZE = 200


@dataclass
class Filtered:
    form: RunFilterForm
    run: Run
    importance: Importance | None
    chosen: list[str]

    @property
    def violations(self) -> list[Violation]:
        if self.importance is None:
            return self.run.violations
        return [v for v in self.run.violations if v.importance is self.importance]


def _filtered(request: AuthedRequest, year: AssessmentYear) -> Filtered:
    """The run the GET parameters ask for, within the departments the user may see:
    a department outside them answers 404."""
    visible = access.departments_for(request.user).order_by("order", "code")
    data = request.GET.copy()
    # The month range shows whole-year defaults, not its first choice, when unset.
    data.setdefault("start", "1")
    data.setdefault("end", "12")
    form = RunFilterForm(data, departments=visible)
    if not form.is_valid():
        if "department" in form.errors:
            raise Http404
        form = RunFilterForm({"start": "1", "end": "12"}, departments=visible)
        form.is_valid()
    chosen = list(form.cleaned_data.get("department") or [])
    department_ids: list[int] | None
    if chosen:
        department_ids = [d.pk for d in chosen]
    elif request.user.sees_all_departments:
        department_ids = None
    else:
        department_ids = list(visible.values_list("pk", flat=True))
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    run = load_run(year, department_ids, range(start, end + 1))
    return Filtered(
        form=form,
        run=run,
        importance=form.cleaned_data.get("importance"),
        chosen=[d.code for d in chosen],
    )


@require_GET
def validation_run(request: AuthedRequest, year: int) -> HttpResponse:
    assessment_year = access.get_year_or_404(year)
    filtered = _filtered(request, assessment_year)
    violations = filtered.violations
    page = Paginator(violations, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    counts = filtered.run.counts
    return render(
        request,
        "assessment/quality/run.html",
        {
            "year": assessment_year,
            "form": filtered.form,
            "page": page,
            "lines": list(listing.lines(filtered.run, page.object_list)),
            "total": len(violations),
            "counts": [
                (
                    importance.value,
                    listing.importance_label(importance),
                    listing.IMPORTANCE_COLOURS[importance],
                    counts[importance],
                )
                for importance in Importance
            ],
            "query": query.urlencode(),
            "months": filtered.run.months,
        },
    )


@require_GET
def validation_export(request: AuthedRequest, year: int) -> HttpResponse:
    assessment_year = access.get_year_or_404(year)
    filtered = _filtered(request, assessment_year)
    title = _("Validation run %(year)s") % {"year": assessment_year.year}
    content = validation_sheet.run_workbook(
        filtered.run, filtered.violations, title=title
    )
    suffix = "-" + "-".join(filtered.chosen) if filtered.chosen else ""
    return _xlsx(content, f"validation-{assessment_year.year}{suffix}.xlsx")
