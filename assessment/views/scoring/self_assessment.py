"""The department's self-assessment page, its submission and return, and evidence files.

Evidence is only ever served by `evidence_download`, which goes through
`Evidence.objects.for_user`; the media directory has no URL of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessment import spine
from assessment.access import (
    AuthedRequest,
    departments_for,
    get_department_or_404,
    get_year_or_404,
    supervisor_required,
)
from assessment.figures.workflow import SubmissionStatus
from assessment.formatting import listing
from assessment.middleware import accepts_upload
from assessment.models import (
    AssessmentYear,
    Department,
    Evidence,
    SelfAssessment,
    SelfAssessmentSubmission,
    Target,
    User,
)
from assessment.once import OnceFormMixin
from assessment.scoring import evidence as evidence_rules
from assessment.scoring import self_assessment as rules
from assessment.text import CleanCharField


class SelfAssessmentForm(OnceFormMixin, forms.Form):
    """One target's self score, 完成情况 text and an optional evidence file.

    The `once` token makes a second post of the same form attach its file once.
    """

    self_score = forms.CharField(
        label=gettext_lazy("Self score"),
        required=False,
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num"}
        ),
    )
    text = CleanCharField(
        label=gettext_lazy("What was done"),
        required=False,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    file = forms.FileField(
        label=gettext_lazy("Add an evidence file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": evidence_rules.ACCEPT}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, target: Target, year: int, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"t{target.pk}")
        super().__init__(*args, **kwargs)
        self.target = target
        self.year = year
        self.checked_upload: evidence_rules.CheckedUpload | None = None

    def clean_self_score(self) -> Decimal | None:
        return rules.parse_self_score(
            self.cleaned_data["self_score"], self.target.points
        )

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if upload:
            self.checked_upload = evidence_rules.check_upload(
                upload, name=upload.name, year=self.year, declared_size=upload.size
            )
        return upload


class ReturnForm(forms.Form):
    comment = CleanCharField(
        label=gettext_lazy("Comment for the department"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@dataclass
class TargetRow:
    target: Target
    row: SelfAssessment | None
    evidence: list[Evidence]
    form: SelfAssessmentForm
    conflict: rules.Conflict | None = None


@dataclass
class Page:
    year: AssessmentYear
    department: Department
    submission: SelfAssessmentSubmission | None
    targets: list[Target]
    rows: dict[int, SelfAssessment]
    evidence: dict[int, list[Evidence]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionStatus.DRAFT


def _load(user: User, year: AssessmentYear, department: Department) -> Page:
    targets = list(
        Target.objects.for_department(department)
        .filter(category__year=year)
        .select_related("category")
        .order_by("category__order", "category__code", "order", "code")
    )
    rows = {
        row.target_id: row
        for row in SelfAssessment.objects.for_user(user)
        .filter(department=department, target__in=targets)
        .select_related("updated_by")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.for_user(user).select_related("uploaded_by"),
            )
        )
    }
    submission = (
        SelfAssessmentSubmission.objects.for_user(user)
        .filter(year=year, department=department)
        .select_related("submitted_by")
        .first()
    )
    page = Page(year, department, submission, targets, rows)
    page.evidence = {pk: list(row.evidence.all()) for pk, row in rows.items()}
    return page


def _initial(row: SelfAssessment | None) -> dict[str, Any]:
    if row is None:
        return {"self_score": "", "text": "", "version": 0}
    score = "" if row.self_score is None else format(row.self_score, "f")
    return {"self_score": score, "text": row.text, "version": row.version}


def _page_url(year: AssessmentYear, department: Department, target_pk: int = 0) -> str:
    url = reverse(
        "assessment:self-assessment",
        kwargs={"year": year.year, "code": department.code},
    )
    return f"{url}#target-{target_pk}" if target_pk else url


def _render(
    request: AuthedRequest,
    page: Page,
    *,
    bound: SelfAssessmentForm | None = None,
    conflict: rules.Conflict | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    lock = rules.lock_reason(year_closed=page.year.is_closed, status=page.status)
    is_clerk = rules.is_department_clerk(user, page.department)
    editable = is_clerk and lock is None
    target_rows = []
    for target in page.targets:
        row = page.rows.get(target.pk)
        form = (
            bound
            if bound is not None and bound.target.pk == target.pk
            else SelfAssessmentForm(
                target=target, year=page.year.year, initial=_initial(row)
            )
        )
        target_rows.append(
            TargetRow(
                target=target,
                row=row,
                evidence=page.evidence.get(target.pk, []),
                form=form,
                conflict=conflict if form is bound else None,
            )
        )
    scored = [r.self_score for r in page.rows.values() if r.self_score is not None]
    context = {
        "year": page.year,
        "department": page.department,
        "submission": page.submission,
        "status": page.status,
        "status_label": SubmissionStatus(page.status).label,
        "lock_reason": lock,
        "is_clerk": is_clerk,
        "editable": editable,
        "may_delete_evidence": (editable or user.is_supervisor)
        and not page.year.is_closed,
        "may_return": user.is_supervisor
        and not page.year.is_closed
        and page.status == SubmissionStatus.SUBMITTED,
        "return_form": return_form or ReturnForm(),
        "rows": target_rows,
        "missing": rules.missing_self_scores(page.targets, page.rows),
        "missing_evidence": rules.missing_evidence(page.targets, page.evidence),
        "total_points": sum((t.points for t in page.targets), Decimal(0)),
        "total_self_score": sum(scored, Decimal(0)),
        "other_departments": (
            departments_for(user) if user.sees_all_departments else []
        ),
        "evidence_types": evidence_rules.allowed_types_text(),
    }
    return render(
        request, "assessment/scoring/self_assessment/page.html", context, status=status
    )


@accepts_upload(lambda: settings.EVIDENCE_MAX_BYTES)
@require_http_methods(["GET", "POST"])
def self_assessment(request: AuthedRequest, year: int, code: str) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    page = _load(request.user, year_obj, department)
    if request.method == "GET":
        return _render(request, page)

    if not rules.is_department_clerk(request.user, department):
        raise PermissionDenied
    targets = {str(target.pk): target for target in page.targets}
    target = targets.get(request.POST.get("target", ""))
    if target is None:
        raise Http404(_("No such target for this department."))
    lock = rules.lock_reason(year_closed=year_obj.is_closed, status=page.status)
    if lock:
        messages.error(request, lock)
        return redirect(_page_url(year_obj, department, target.pk))

    form = SelfAssessmentForm(
        request.POST, request.FILES, target=target, year=year_obj.year
    )
    if not form.is_valid():
        messages.error(
            request, _("Please correct the errors below; nothing was saved.")
        )
        return _render(request, page, bound=form)
    data = form.cleaned_data
    try:
        outcome = rules.save_self_assessment(
            year=year_obj,
            department=department,
            target=target,
            user=request.user,
            version=data["version"],
            self_score=data["self_score"],
            text=data["text"],
            upload=form.checked_upload,
            upload_file=data.get("file") or None,
            once=data.get("once"),
        )
    except spine.Refused as refused:
        messages.error(request, refused.message)
        return redirect(_page_url(year_obj, department, target.pk))
    except ValidationError as error:
        form.add_error("file", error)
        messages.error(
            request, _("Please correct the errors below; nothing was saved.")
        )
        return _render(request, page, bound=form)

    if outcome.conflict is not None:
        current = outcome.conflict.current
        data_copy = request.POST.copy()
        data_copy[form.add_prefix("version")] = str(current.version)
        rebound = SelfAssessmentForm(data_copy, target=target, year=year_obj.year)
        rebound.is_valid()
        messages.error(
            request,
            _(
                "Someone else saved this target after you opened the page: %(who)s "
                "Your changes were not saved. The stored values are shown beside your "
                "text; save again to replace them."
            )
            % {"who": outcome.conflict.message},
        )
        page = _load(request.user, year_obj, department)
        return _render(
            request, page, bound=rebound, conflict=outcome.conflict, status=409
        )
    if outcome.evidence is not None:
        messages.success(
            request,
            _("Saved %(target)s and attached “%(name)s”.")
            % {"target": target, "name": outcome.evidence.original_name},
        )
    elif outcome.changed:
        messages.success(request, _("Saved %(target)s.") % {"target": target})
    else:
        messages.info(
            request, _("Nothing had changed in %(target)s.") % {"target": target}
        )
    return redirect(_page_url(year_obj, department, target.pk))


@require_POST
def self_assessment_submit(
    request: AuthedRequest, year: int, code: str
) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    if not rules.is_department_clerk(request.user, department):
        raise PermissionDenied
    page = _load(request.user, year_obj, department)
    without_evidence = rules.missing_evidence(page.targets, page.evidence)
    if without_evidence and not request.POST.get("confirm_missing_evidence"):
        messages.error(
            request,
            _(
                "Not submitted: %(targets)s ask for evidence and have no file. Attach "
                "the files, or confirm that you submit without them."
            )
            % {"targets": listing(f"{t.code} {t.name}" for t in without_evidence)},
        )
        return redirect(f"{_page_url(year_obj, department)}#submit")
    try:
        submitted = rules.submit(
            year=year_obj,
            department=department,
            user=request.user,
            targets=page.targets,
        )
    except spine.Refused as refused:
        messages.error(request, refused.message)
    else:
        if submitted:
            messages.success(
                request,
                _("The self-assessment has been submitted and is now locked."),
            )
        else:
            messages.info(request, _("The self-assessment was already submitted."))
    return redirect(_page_url(year_obj, department))


@require_POST
@supervisor_required
def self_assessment_return(
    request: AuthedRequest, year: int, code: str
) -> HttpResponse:
    year_obj = get_year_or_404(year)
    department = get_department_or_404(request.user, code)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Write a comment telling the department what to change.")
        )
        page = _load(request.user, year_obj, department)
        return _render(request, page, return_form=form)
    try:
        returned = rules.return_for_changes(
            year=year_obj,
            department=department,
            comment=form.cleaned_data["comment"],
            user=request.user,
        )
    except spine.Refused as refused:
        messages.error(request, refused.message)
    else:
        if returned:
            messages.success(
                request, _("The self-assessment has been returned to the department.")
            )
        else:
            messages.info(request, _("The self-assessment was already returned."))
    return redirect(_page_url(year_obj, department))


def _evidence_or_404(user: User, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.for_user(user).select_related(
            "department", "self_assessment__target__category__year"
        ),
        pk=pk,
    )


@require_http_methods(["GET", "HEAD"])
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    evidence = _evidence_or_404(request.user, pk)
    kind = evidence_rules.kind_of(evidence)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence_rules.download_name(evidence.original_name, kind),
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def evidence_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    evidence = _evidence_or_404(request.user, pk)
    assessment = evidence.self_assessment
    if assessment is None:
        raise Http404(_("No such self-assessment evidence."))
    department = evidence.department
    if not (
        request.user.is_supervisor
        or rules.is_department_clerk(request.user, department)
    ):
        raise PermissionDenied
    year_obj = assessment.target.category.year
    name = evidence.original_name
    try:
        rules.delete_evidence(evidence, request.user)
    except spine.Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Deleted “%(name)s”.") % {"name": name})
    return redirect(_page_url(year_obj, department, assessment.target_id))
