"""A person's notices: the inbox, opening one, reading them, choosing e-mail; and the
supervisor's urgent reminder (催报) of an overdue month."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access, spine
from assessment.models import Notice, NoticeSettings, User
from assessment.models.notices import NoticeQuerySet
from assessment.notices import delivery, events
from assessment.notices.texts import describe

PAGE_SIZE = 50


def _notices(request: access.AuthedRequest) -> NoticeQuerySet:
    return Notice.objects.for_recipient(request.user)


def inbox(request: access.AuthedRequest) -> HttpResponse:
    page = Paginator(
        _notices(request).select_related("year", "department", "actor"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    items = [(notice, describe(notice)) for notice in page.object_list]
    return render(
        request,
        "assessment/notices/inbox.html",
        {
            "page": page,
            "items": items,
            "unread": _notices(request).unread().count(),
        },
    )


def open_notice(request: access.AuthedRequest, pk: int) -> HttpResponse:
    """Mark the notice read and go to what it is about."""
    notice = get_object_or_404(
        _notices(request).select_related("year", "department"), pk=pk
    )
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    return redirect(describe(notice).url)


@require_POST
def mark_read(request: access.AuthedRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(_notices(request), pk=pk)
    Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("assessment:inbox")


@require_POST
def mark_all_read(request: access.AuthedRequest) -> HttpResponse:
    count = _notices(request).unread().update(read_at=timezone.now())
    messages.success(
        request,
        ngettext("Marked %(n)d notice as read.", "Marked %(n)d notices as read.", count)
        % {"n": count},
    )
    return redirect("assessment:inbox")


class NoticeSettingsForm(forms.Form):
    email = forms.BooleanField(
        label=gettext_lazy("Send my notices by e-mail too"), required=False
    )


@require_http_methods(["GET", "POST"])
def notice_settings(request: access.AuthedRequest) -> HttpResponse:
    user: User = request.user
    stored = NoticeSettings.objects.filter(user=user).first()
    if request.method == "POST":
        form = NoticeSettingsForm(request.POST)
        if form.is_valid():
            NoticeSettings.objects.update_or_create(
                user=user, defaults={"email": form.cleaned_data["email"]}
            )
            messages.success(request, _("Your notice settings were saved."))
            return redirect("assessment:notice-settings")
    else:
        form = NoticeSettingsForm(initial={"email": stored.email if stored else True})
    return render(
        request,
        "assessment/notices/settings.html",
        {"form": form, "email_address": user.email},
    )


@require_POST
@access.supervisor_required
def urge(
    request: access.AuthedRequest, year: int, code: str, month: int
) -> HttpResponse:
    assessment_year = access.get_year_or_404(year)
    department = access.get_department_or_404(request.user, code)
    try:
        created = events.urge_month(
            request.user,
            assessment_year,
            department,
            month,
        )
    except spine.Refused as exc:
        messages.error(request, exc.message)
    else:
        if created:
            delivery.send_pending(key=created[0].key)
        messages.success(
            request,
            ngettext(
                "An urgent reminder was sent to %(n)d clerk of %(department)s.",
                "An urgent reminder was sent to %(n)d clerks of %(department)s.",
                len(created),
            )
            % {"n": len(created), "department": department.name},
        )
    return redirect("assessment:matrix", year=assessment_year.year)
