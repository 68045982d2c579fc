"""`python manage.py rebuild_rollup [--year Y]`: recompute the stored roll-up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from assessment.figures import stored
from assessment.models import AssessmentYear, Department
from assessment.reporting.formatting import format_number


class Command(BaseCommand):
    help = (
        "Recompute the stored year values of every department and indicator from the "
        "monthly figures and work records, store what differs and list it. Safe to "
        "run at any time; run it once after restoring a database or loading data "
        "outside the application."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Only this assessment year.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only list the differences and exit with status 1 if there are any.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = AssessmentYear.objects.order_by("year")
        if options["year"]:
            years = years.filter(year=options["year"])
            if not years:
                raise CommandError(_("No assessment year %(year)s.") % options)
        names = dict(Department.objects.values_list("pk", "name"))
        total = 0
        for year in years:
            found = (
                stored.differences(year) if options["check"] else stored.rebuild(year)
            )
            total += len(found)
            for difference in found:
                self.stdout.write(
                    _(
                        "%(year)s %(department)s %(indicator)s: stored %(stored)s, "
                        "recomputed %(computed)s"
                    )
                    % {
                        "year": year.year,
                        "department": names.get(difference.department_id, "?"),
                        "indicator": difference.indicator.name,
                        "stored": _shown(difference.stored, difference.indicator),
                        "computed": _shown(difference.computed, difference.indicator),
                    }
                )
        if total == 0:
            self.stdout.write(_("The stored roll-up equals the figures."))
        elif options["check"]:
            raise CommandError(
                _("%(count)s stored year values differ from the figures.")
                % {"count": total}
            )
        else:
            self.stdout.write(
                _("%(count)s stored year values were recomputed.") % {"count": total}
            )


def _shown(value: stored.Stored, indicator: Any) -> str:
    if value.value is None:
        return "—"
    return _("%(value)s (%(months)s months)") % {
        "value": format_number(value.value, indicator.decimals),
        "months": value.months,
    }
