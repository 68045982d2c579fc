"""The supervisors' review queue, bulk approval, and the step to the next item."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessment import access, formatting, spine
from assessment.access import AuthedRequest
from assessment.figures import queue, returns
from assessment.models import MonthlyReturn


def _year_filter(request: AuthedRequest) -> int | None:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return None


def month_name(monthly_return: MonthlyReturn) -> str:
    return _("%(department)s · %(month)s") % {
        "department": monthly_return.department.name,
        "month": formatting.month_label(monthly_return.year.year, monthly_return.month),
    }


@require_GET
@access.supervisor_required
def review_queue(request: AuthedRequest) -> HttpResponse:
    year = _year_filter(request)
    rows = queue.queue_rows(list(queue.queued_returns(request.user, year)))
    years = list(queue.open_years().values_list("year", flat=True))
    return render(
        request,
        "assessment/figures/queue.html",
        {
            "rows": rows,
            "year_filter": year,
            "years": years,
            # the completeness matrix of the chosen year, else of the newest open one
            "matrix_year": year if year in years else (years[0] if years else None),
        },
    )


def _selected(request: AuthedRequest) -> tuple[list[MonthlyReturn], dict[int, int]]:
    """The queued months named by the request (`m` = id or id:version), in the queue's
    order; months out of scope or no longer queued are left out."""
    wanted: dict[int, int] = {}
    for raw in request.POST.getlist("m") or request.GET.getlist("m"):
        pk, _sep, version = raw.partition(":")
        if pk.isdigit():
            wanted[int(pk)] = int(version) if version.isdigit() else 0
    months = (
        list(
            MonthlyReturn.objects.for_user(request.user)
            .filter(pk__in=list(wanted))
            .select_related("department", "year", "submitted_by")
            .order_by("submitted_at", "pk")
        )
        if wanted
        else []
    )
    return months, wanted


@require_http_methods(["GET", "POST"])
@access.supervisor_required
def bulk_approve(request: AuthedRequest) -> HttpResponse:
    """GET: what will be approved, to confirm; POST: approve each through the usual
    approval, skipping (and naming) a month that changed since it was confirmed."""
    months, versions = _selected(request)
    if request.method == "GET":
        queued_ids = set(
            queue.queued_returns(request.user)
            .filter(pk__in=[m.pk for m in months])
            .values_list("pk", flat=True)
        )
        rows = queue.queue_rows([m for m in months if m.pk in queued_ids])
        if not rows:
            messages.warning(request, _("Select at least one month to approve."))
            return redirect("assessment:queue")
        return render(
            request,
            "assessment/figures/bulk_approve.html",
            {
                "rows": rows,
                "gone": [month_name(m) for m in months if m.pk not in queued_ids],
                # resubmitted since the queue was read: listed as it is now
                "changed": {
                    m.pk for m in months if versions.get(m.pk) not in (0, m.version)
                },
            },
        )
    approved: list[str] = []
    skipped: list[str] = []
    for monthly_return in months:
        try:
            returns.approve_return(
                request.user,
                monthly_return,
                expected_version=versions.get(monthly_return.pk) or None,
            )
        except spine.Refused as exc:
            skipped.append(f"{month_name(monthly_return)}: {exc.message}")
        else:
            approved.append(month_name(monthly_return))
    if approved:
        messages.success(
            request,
            ngettext(
                "Approved %(n)d month: %(months)s.",
                "Approved %(n)d months: %(months)s.",
                len(approved),
            )
            % {"n": len(approved), "months": formatting.listing(approved)},
        )
    for line in skipped:
        messages.warning(request, _("Skipped %(month)s") % {"month": line})
    if not approved and not skipped:
        messages.warning(request, _("Select at least one month to approve."))
    return redirect("assessment:queue")


def after_review(
    request: AuthedRequest, reviewed: MonthlyReturn, done: str
) -> HttpResponse:
    """After an approval or return: the next queued month, or the empty queue."""
    left = {queue.queue_key(r): r for r in queue.queued_returns(request.user)}
    following = queue.next_in_queue(left, queue.queue_key(reviewed))
    if following is None:
        messages.success(
            request,
            _("%(done)s The queue is empty: no month awaits review.") % {"done": done},
        )
        return redirect("assessment:queue")
    item = left[following]
    messages.success(
        request,
        _("%(done)s Next in the queue: %(month)s.")
        % {"done": done, "month": month_name(item)},
    )
    return redirect(
        reverse(
            "assessment:entry",
            kwargs={
                "year": item.year.year,
                "code": item.department.code,
                "month": item.month,
            },
        )
    )
