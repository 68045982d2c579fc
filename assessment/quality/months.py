"""Rules over several months of one department at once: what an import changes.

`checks.month_findings` answers for one month of the entry page; an import changes
many months, so the figures are read once, every typed value put in their place,
and each changed month evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from assessment.models import Department
from assessment.quality import checks, rules


def findings_by_month(
    context: checks.Context,
    department: Department,
    overrides: Mapping[int, Mapping[str, Decimal | None]],
) -> dict[int, list[checks.Finding]]:
    """month -> the rules violated in it, with `overrides` (month -> indicator code
    -> value) standing for the new values; one query of figures in all."""
    pairs = rules.touching(context.rules, department.pk, context.reporting)
    if not pairs or not overrides:
        return {}
    owners = {owner for rule, ctx in pairs for owner, _code in rules.cells(rule, ctx)}
    year = context.year.year
    table, entered = checks.load_table(context, owners, [year - 1, year])
    for month, values in overrides.items():
        for code, value in values.items():
            key = (department.pk, code, year, month)
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
    found: dict[int, list[checks.Finding]] = {}
    for month in sorted(overrides):
        for rule, ctx in pairs:
            check = rules.evaluate(rule, table, ctx, year, month, context.fed)
            if check is not None and check.violated:
                found.setdefault(month, []).append(
                    checks.finding(context, check, table, entered, department.pk)
                )
    return found
