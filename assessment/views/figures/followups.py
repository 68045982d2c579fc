"""Follow-up marks on values: a supervisor marks one, or resolves one with a comment."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import access, spine
from assessment.access import AuthedRequest
from assessment.models import Figure, FollowUp
from assessment.quality import followups


def _back(request: AuthedRequest, figure: Figure) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    monthly_return = figure.monthly_return
    return redirect(
        "assessment:entry",
        year=monthly_return.year.year,
        code=monthly_return.department.code,
        month=monthly_return.month,
    )


def _figures(request: AuthedRequest) -> QuerySet[Figure]:
    return Figure.objects.for_user(request.user).select_related(
        "indicator", "monthly_return__year", "monthly_return__department"
    )


@require_POST
@access.supervisor_required
def mark(request: AuthedRequest) -> HttpResponse:
    pk = request.POST.get("figure", "")
    if not pk.isdigit():
        raise Http404
    figure = get_object_or_404(_figures(request), pk=int(pk))
    try:
        followups.mark(request.user, figure, request.POST.get("detail", ""))
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(indicator)s is marked for follow-up.")
            % {"indicator": figure.indicator.name},
        )
    return _back(request, figure)


@require_POST
@access.supervisor_required
def resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.for_user(request.user).select_related(
            "figure__indicator",
            "figure__monthly_return__year",
            "figure__monthly_return__department",
        ),
        pk=pk,
    )
    try:
        followups.resolve(request.user, follow_up, request.POST.get("comment", ""))
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The follow-up of %(indicator)s is resolved.")
            % {"indicator": follow_up.figure.indicator.name},
        )
    return _back(request, follow_up.figure)
