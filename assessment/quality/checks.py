"""Where validation rules meet the database: load the figures, run the pure rules.

`load_context` reads a year's rules and catalogue once; `load_table` reads the figures
(and the record-fed values) the rules need in one query of figures and one call per
record source, whatever the number of departments; `month_findings` gives the entry
page, the save and the import what is violated in a department's month, with the
values on both sides and who entered the other departments' figures.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from assessment import catalogue_cache, formatting, sources
from assessment.models import (
    AssessmentYear,
    Department,
    Figure,
    Indicator,
    ValidationRule,
)
from assessment.quality import rules
from assessment.quality.rules import Check, Importance, Rule

#: (department, indicator code, year, month) -> who last saved the figure.
EnteredBy = dict[tuple[int, str, int, int], str]


@dataclass
class Context:
    """A year's rules and what is needed to read them."""

    year: AssessmentYear
    rules: list[Rule]
    reporting: dict[str, set[int]]
    fed: set[str]
    #: indicator code -> (name, decimals, unit, id, source)
    indicators: dict[str, tuple[str, int, str, int, str]]
    departments: dict[int, Department]
    models: dict[int, ValidationRule] = field(default_factory=dict)

    def name(self, code: str) -> str:
        found = self.indicators.get(code)
        return found[0] if found else code

    def decimals(self, code: str) -> int:
        found = self.indicators.get(code)
        return found[1] if found else 4

    def describe(self, rule: Rule) -> str:
        names = {code: spec[0] for code, spec in self.indicators.items()}
        departments = {pk: d.name for pk, d in self.departments.items()}
        return rules.describe(rule, names, departments, labels=labels())


def labels() -> dict[str, str]:
    return {
        "days": _("days of the month"),
        "ytd": _("year to date"),
        "within": _("within"),
        "last_month": _("of last month"),
        "last_year": _("of the same month last year"),
    }


def rules_of(year: AssessmentYear) -> list[ValidationRule]:
    return list(
        ValidationRule.objects.filter(active=True)
        .filter(Q(years=year) | Q(years__isnull=True))
        .distinct()
        .prefetch_related("terms", "departments")
        .order_by("order", "pk")
    )


def load_context(year: AssessmentYear, department: Department | None = None) -> Context:
    """The year's rules and catalogue; with `department`, only the reporting and the
    departments its month's findings read (`rules.month_reporting`), so the entry page
    and the save do not read every department's catalogue."""
    models = rules_of(year)
    specs = [model.spec() for model in models]
    reporting: dict[str, set[int]] = {}
    through = Indicator.departments.through
    pairs = through.objects.filter(indicator__year=year)
    if department is not None:
        owners, codes = rules.month_reporting(specs, department.pk)
        pairs = pairs.filter(Q(department_id__in=owners) | Q(indicator__code__in=codes))
    for code, department_id in pairs.values_list("indicator__code", "department_id"):
        reporting.setdefault(code, set()).add(department_id)
    catalogue = Indicator.objects.filter(year=year)
    if department is not None:  # the findings name only the rules' indicators
        catalogue = catalogue.filter(
            code__in={code for spec in specs for code in spec.indicators()}
        )
    indicators = {
        code: (name, decimals, unit, pk, source)
        for code, name, decimals, unit, pk, source in catalogue.values_list(
            "code", "name", "decimals", "unit", "pk", "source"
        )
    }
    departments = Department.objects.all()
    if department is not None:
        departments = departments.filter(pk__in=owners.union(*reporting.values()))
    return Context(
        year=year,
        rules=specs,
        reporting=reporting,
        fed={code for code, spec in indicators.items() if spec[4]},
        indicators=indicators,
        departments={d.pk: d for d in departments},
        models={model.pk: model for model in models},
    )


def department_context(year: AssessmentYear, department: Department) -> Context:
    """`load_context(year, department)`, kept until the catalogue or the rules change
    (`catalogue_cache`): what the entry page, its live checks and the save read on
    every request. Without the rules' model objects (`models`), which none of them
    reads."""
    kept = catalogue_cache.cached(
        "rules-context",
        (year.pk, department.pk),
        lambda: replace(load_context(year, department), models={}),
    )
    return replace(kept, year=year)


def _person(first: str | None, last: str | None, username: str | None) -> str:
    if username is None:
        return ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in (last or "") + (first or "")):
        return f"{last}{first}"
    return " ".join(part for part in (first, last) if part) or username


def load_table(
    context: Context,
    department_ids: Collection[int] | None,
    years: Iterable[int],
    *,
    with_people: bool = True,
    months: Collection[int] | None = None,
) -> tuple[dict[tuple[int, str, int, int], Decimal], EnteredBy]:
    """The figures the rules read for these departments (None: all) and years; with
    `months`, only those months of each year (record-fed values: all of them)."""
    years = sorted(set(years))
    codes = {code for rule in context.rules for code in rule.indicators()}
    table: dict[tuple[int, str, int, int], Decimal] = {}
    entered: EnteredBy = {}
    if not codes:
        return table, entered
    rows = Figure.objects.filter(
        monthly_return__year__year__in=years, indicator__code__in=codes
    )
    if department_ids is not None:
        rows = rows.filter(monthly_return__department_id__in=department_ids)
    if months is not None:
        rows = rows.filter(monthly_return__month__in=sorted(set(months)))
    fields = [
        "monthly_return__department_id",
        "indicator__code",
        "monthly_return__year__year",
        "monthly_return__month",
        "value",
    ]
    if with_people:
        fields += [
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__username",
        ]
    for row in rows.values_list(*fields):
        key = (row[0], row[1], row[2], row[3])
        table[key] = row[4]
        if with_people:
            entered[key] = _person(row[5], row[6], row[7])
    add_fed_values(context, codes, department_ids, years, table)
    return table, entered


def add_fed_values(
    context: Context,
    codes: Collection[str],
    department_ids: Collection[int] | None,
    years: Iterable[int],
    table: dict[tuple[int, str, int, int], Decimal],
) -> None:
    """Record-fed values of the given indicators into `table` keyed (department, code,
    year, month): one call per source and year, whatever the number of departments."""
    by_source: dict[str, list[str]] = {}
    for code in set(codes) & context.fed:
        by_source.setdefault(context.indicators[code][4], []).append(code)
    for source_key, fed_codes in by_source.items():
        source = sources.get(source_key)
        if source is None:
            continue
        wanted: set[int] = set()
        for code in fed_codes:
            wanted |= context.reporting.get(code, set())
        if department_ids is not None:
            wanted &= set(department_ids)
        if not wanted:
            continue
        for each_year in years:
            for (department_id, month), value in source.monthly_values(
                sorted(wanted), each_year
            ).items():
                for code in fed_codes:
                    if department_id in context.reporting.get(code, set()):
                        table[(department_id, code, each_year, month)] = value


@dataclass(frozen=True)
class Side:
    department: str
    indicator: str
    value: str
    entered_by: str
    own: bool


@dataclass(frozen=True)
class Finding:
    """A violated rule as a page shows it."""

    check: Check
    rule_id: int
    name: str
    message: str
    importance: Importance
    expression: str
    left: str
    right: str
    span: str
    #: Codes of the viewing department's indicators the rule reads this month.
    fields: frozenset[str]
    #: Every figure the rule reads this month, with who entered it.
    parts: tuple[Side, ...]

    @property
    def blocks(self) -> bool:
        return self.importance is Importance.BLOCK

    @property
    def needs_note(self) -> bool:
        return self.importance is Importance.NOTE

    @property
    def importance_label(self) -> str:
        return {
            Importance.BLOCK: _("Blocks the save"),
            Importance.NOTE: _("Needs a note"),
            Importance.WARN: _("Warning"),
        }[self.importance]

    @property
    def others(self) -> tuple[Side, ...]:
        return tuple(part for part in self.parts if not part.own)

    @property
    def from_others(self) -> bool:
        return bool(self.others)


def finding(
    context: Context,
    check: Check,
    table: Mapping[tuple[int, str, int, int], Decimal],
    entered: EnteredBy,
    viewer: int | None,
) -> Finding:
    rule = check.rule
    decimals = max((context.decimals(t.indicator) for t in rule.terms), default=0)
    if any(
        t.per_day or t.coefficient != t.coefficient.to_integral() for t in rule.terms
    ):
        decimals = max(decimals, 1)
    span = ""
    if check.low is not None and check.high is not None:
        span = f"{formatting.figure(check.low, decimals)} – {formatting.figure(check.high, decimals)}"
    parts = []
    for owner, code in sorted(check.cells):
        key = (owner, code, check.year, check.month)
        department = context.departments.get(owner)
        parts.append(
            Side(
                department=department.name if department else str(owner),
                indicator=context.name(code),
                value=formatting.figure(table.get(key), context.decimals(code)),
                entered_by=entered.get(key, ""),
                own=owner == viewer,
            )
        )
    return Finding(
        check=check,
        rule_id=rule.id,
        name=rule.name,
        message=rule.message,
        importance=rule.importance,
        expression=context.describe(rule),
        left=formatting.figure(check.left, decimals),
        right=formatting.figure(check.right, decimals),
        span=span,
        fields=frozenset(code for owner, code in check.cells if owner == viewer),
        parts=tuple(parts),
    )


def month_findings(
    context: Context,
    department: Department,
    month: int,
    overrides: Mapping[str, Decimal | None] | None = None,
) -> list[Finding]:
    """The rules violated in a department's month, with `overrides` (indicator code
    -> value, None for cleared) standing for what the clerk typed.

    Rules across departments are found from either side, so a department sees the
    violations its figures take part in whoever typed the other side.
    """
    pairs = rules.touching(context.rules, department.pk, context.reporting)
    if not pairs:
        return []
    owners = {owner for rule, ctx in pairs for owner, _code in rules.cells(rule, ctx)}
    year = context.year.year
    # Only the months the rules read (the month, a change's base, year to date).
    cells = rules.months_read([rule for rule, _ctx in pairs], year, month)
    table, entered = load_table(
        context,
        owners,
        {each_year for each_year, _month in cells},
        months={each_month for _year, each_month in cells},
    )
    for code, value in (overrides or {}).items():
        key = (department.pk, code, year, month)
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    found: list[Finding] = []
    for rule, ctx in pairs:
        check = rules.evaluate(rule, table, ctx, year, month, context.fed)
        if check is not None and check.violated:
            found.append(finding(context, check, table, entered, department.pk))
    return found


def unmet(findings: Iterable[Finding], notes: Mapping[str, str]) -> list[Finding]:
    """The findings that stop a save: blocking ones, and needs-a-note ones with no
    note on any of the department's fields they involve."""
    return [
        f
        for f in findings
        if f.blocks or (f.needs_note and not any(notes.get(c) for c in f.fields))
    ]


def preview(model: ValidationRule) -> str:
    """A stored rule as a line of text, named as in the newest year's catalogue."""
    spec = model.spec()
    codes = spec.indicators()
    names: dict[str, str] = {}
    for code, name in (
        Indicator.objects.filter(code__in=codes)
        .order_by("year__year")
        .values_list("code", "name")
    ):
        names[code] = name
    owners = {t.department for t in spec.terms if t.department is not None}
    departments = dict(
        Department.objects.filter(pk__in=owners).values_list("pk", "name")
    )
    return rules.describe(spec, names, departments, labels=labels())
