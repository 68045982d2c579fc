"""Writes demo years into the database, each in one transaction.

Departments and accounts (`people`) are shared by every year and updated in place;
everything else comes from a `DemoYear`. Nothing here knows a particular year.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from assessment import years
from assessment.figures.workflow import ReturnStatus, SubmissionStatus
from assessment.models import (
    Adjustment,
    AssessmentYear,
    Category,
    Department,
    Evidence,
    Figure,
    FollowUp,
    Indicator,
    MonthlyReturn,
    MonthRange,
    Objection,
    ObjectionKind,
    ObjectionStatus,
    Publication,
    Rectification,
    RectificationCause,
    ReportSection,
    ReportText,
    ReportTranslation,
    RuleTerm,
    Score,
    ScoringBody,
    ScoringBodyMember,
    SelfAssessment,
    SelfAssessmentSubmission,
    Target,
    User,
    ValidationRule,
)
from assessment.models.catalogue import YearStatus
from assessment.models.translation import source_key
from assessment.scoring import rectify_rules
from sanitation.bureau.demo import people
from sanitation.bureau.demo.evidence import evidence_image, evidence_pdf
from sanitation.bureau.demo.notices import load_notices
from sanitation.bureau.demo.rules import RULES
from sanitation.bureau.demo.year import DemoYear
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
    WorkRecord,
)

CHANGE_REASON = "demo data (load_demo)"
RECORD_MODELS: dict[str, type[WorkRecord]] = {
    "Donation": Donation,
    "Petition": Petition,
    "SafetyActivity": SafetyActivity,
    "PartyActivity": PartyActivity,
    "Task": Task,
}


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def monthly_values(indicator: dict[str, Any]) -> list[Decimal]:
    """The twelve typed values of a demo indicator."""
    values = [Decimal(v) for v in indicator["monthly"].split()]
    if len(values) != 12:
        raise ValueError(f"{indicator['code']}: need 12 monthly values")
    return values


def year_exists(data: DemoYear) -> bool:
    return AssessmentYear.objects.filter(year=data.year).exists()


def delete_year(data: DemoYear, stdout: TextIO) -> None:
    """Remove the year (with everything in it), its records and evidence files."""
    with transaction.atomic():
        units = Department.objects.filter(code__in=people.UNITS)
        for model in RECORD_MODELS.values():
            model._default_manager.filter(
                department__in=units, date__year=data.year
            ).delete()
        # Evidence files go with their rows (assessment.signals).
        year = AssessmentYear.objects.filter(year=data.year).first()
        if year is None:
            return
        years.purge_year(year)
    stdout.write(
        gettext("Deleted the %(year)s demo year, its work records and evidence files.")
        % {"year": data.year}
    )


#: Who signs a demo row's history entry: the first of these the row has set.
_AUTHOR_FIELDS = (
    "updated_by",
    "scored_by",
    "created_by",
    "uploaded_by",
    "reviewed_by",
    "submitted_by",
)


def _signed(obj: Any, when: datetime.datetime) -> Any:
    """Date and sign obj's history entry as the demo tells it, not "today, by nobody"."""
    obj._history_date = when
    obj._history_user = next(
        (getattr(obj, f) for f in _AUTHOR_FIELDS if getattr(obj, f"{f}_id", None)),
        None,
    )
    return obj


def _bulk(
    model: type, objs: Iterable[Any], when: Callable[[Any], datetime.datetime]
) -> list[Any]:
    return bulk_create_with_history(
        [_signed(obj, when(obj)) for obj in objs],
        model,
        default_change_reason=CHANGE_REASON,
    )


def _on_the_day(record: Any) -> datetime.datetime:
    """A work record is written up on the afternoon of its date."""
    return _at(record.date.year, record.date.month, record.date.day, 17)


def load_year(data: DemoYear, stdout: TextIO) -> None:
    """Write one demo year in one transaction (the caller checks it is not there).

    Evidence files written before a failure are removed again, so a failed load
    leaves nothing behind.
    """
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            departments = load_departments()
            users = load_users(departments)
            year = AssessmentYear(year=data.year, **data.settings)
            if year.status == YearStatus.CLOSED:
                # Results made final and the year closed at the end of January.
                year.results_final_at = _at(data.year + 1, 1, 28, 10)
                year.closed_at = _at(data.year + 1, 1, 31, 16)
                year.closed_by = users["supervisor"]
            year.save()
            targets = _load_catalogue(data, year, departments)
            _load_scoring_bodies(year, users, targets)
            indicators = _load_indicators(data, year, departments, targets)
            _load_returns(data, year, departments, users, indicators)
            load_rules(departments)
            _load_quality(data, year, departments, users, indicators)
            _load_records(data, departments, users)
            if data.self_assessments:  # a year in progress has no scoring yet
                _load_scoring(data, year, departments, users, targets, saved_files)
            if data.appeals:
                _load_appeals(data, year, departments, users, targets)
            _load_translations(data)
            load_notices(data, year, users)
    except BaseException:
        for name in saved_files:
            default_storage.delete(name)
        raise
    figure_count = Figure.objects.filter(monthly_return__year=year).count()
    stdout.write(
        gettext(
            "Loaded the %(year)s demo: %(departments)d departments, %(users)d users "
            "(password %(password)s), %(targets)d targets, %(indicators)d indicators, "
            "%(figures)d monthly figures."
        )
        % {
            "year": data.year,
            "departments": len(departments),
            "users": len(users),
            "password": people.PASSWORD,
            "targets": len(targets),
            "indicators": len(indicators),
            "figures": figure_count,
        }
    )


def load_departments() -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for code, name, parent, order in people.DEPARTMENTS:
        department, _created = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": departments[parent] if parent else None,
                "order": order,
            },
        )
        departments[code] = department
    return departments


@functools.cache
def _password_hash(hasher: str) -> str:
    """One hash for the shared, published demo password, for every account and every
    year: hashing it each time would cost seconds with the production hasher."""
    return make_password(people.PASSWORD)


def load_users(departments: dict[str, Department]) -> dict[str, User]:
    password_hash = _password_hash(settings.PASSWORD_HASHERS[0])
    users: dict[str, User] = {}
    for username, family, given, role, codes in people.USERS:
        is_admin = role == "admin"
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "last_name": family,
                "first_name": given,
                "email": f"{username}@example.org",
                "role": role,
                "password": password_hash,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        user.departments.set([departments[code] for code in codes])
        users[username] = user
    return users


def _load_catalogue(
    data: DemoYear, year: AssessmentYear, departments: dict[str, Department]
) -> dict[str, Target]:
    order = {code: position for position, code in enumerate(data.outline, start=1)}
    categories = {
        code: category
        for (code, *_rest), category in zip(
            data.categories,
            Category.objects.bulk_create(
                Category(
                    year=year,
                    code=code,
                    name=name,
                    heading=heading,
                    part=part,
                    order=position,
                )
                for position, (code, name, heading, part) in enumerate(
                    data.categories, start=1
                )
            ),
            strict=True,
        )
    }
    sections: dict[str, ReportSection] = {}
    for spec in data.sections:  # parents come before their children
        sections[spec["code"]] = ReportSection.objects.create(
            year=year,
            category=categories[spec["category"]],
            parent=sections[spec["parent"]] if spec["parent"] else None,
            code=spec["code"],
            heading=spec["heading"],
            text=spec["text"],
            order=order[spec["code"]],
        )
    rows = []
    for spec in data.targets:
        per_unit = spec.get("deduction_per_unit")
        rows.append(
            Target(
                category=categories[spec["category"]],
                section=sections[spec["section"]] if spec.get("section") else None,
                code=spec["code"],
                name=spec["name"],
                standard=spec["standard"],
                points=Decimal(spec["points"]),
                is_common=spec.get("is_common", False),
                evidence_required=spec["evidence"],
                rule=spec["rule"],
                deduction_per_unit=Decimal(per_unit) if per_unit else None,
                combine=spec.get("combine", "min"),
                order=order[spec["code"]],
            )
        )
    targets = {target.code: target for target in Target.objects.bulk_create(rows)}
    through = Target.departments.through
    through.objects.bulk_create(
        through(target_id=targets[spec["code"]].pk, department_id=departments[c].pk)
        for spec in data.targets
        for c in spec["departments"]
    )
    return targets


def _load_scoring_bodies(
    year: AssessmentYear, users: dict[str, User], targets: dict[str, Target]
) -> None:
    owned: dict[str, ScoringBody] = {}
    first = None
    for order, (code, name, members, target_codes) in enumerate(
        people.SCORING_BODIES, start=1
    ):
        body = ScoringBody.objects.create(year=year, code=code, name=name, order=order)
        first = first or body
        bulk_create_with_history(
            [
                ScoringBodyMember(body=body, user=users[username], is_lead=lead)
                for username, lead in members
            ],
            ScoringBodyMember,
            default_change_reason=CHANGE_REASON,
        )
        owned.update(dict.fromkeys(target_codes, body))
    for code, target in targets.items():
        target.scoring_body = owned.get(code, first)
    Target.objects.bulk_update(targets.values(), ["scoring_body"])


def _load_indicators(
    data: DemoYear,
    year: AssessmentYear,
    departments: dict[str, Department],
    targets: dict[str, Target],
) -> dict[str, Indicator]:
    rows = []
    for order, spec in enumerate(data.indicators, start=1):
        low, high = spec["range"]
        annual = spec["annual_target"]
        rows.append(
            Indicator(
                year=year,
                target=targets[spec["target"]] if spec["target"] else None,
                code=spec["code"],
                name=spec["name"],
                unit=spec["unit"],
                decimals=spec["decimals"],
                aggregation=spec["aggregation"],
                plausible_min=Decimal(low),
                plausible_max=Decimal(high),
                annual_target=Decimal(annual) if annual else None,
                direction=spec.get("direction", "at_least"),
                weight=Decimal(spec.get("weight", "1")),
                source=spec.get("source", ""),
                order=order,
            )
        )
    indicators = {i.code: i for i in Indicator.objects.bulk_create(rows)}
    through = Indicator.departments.through
    through.objects.bulk_create(
        through(
            indicator_id=indicators[spec["code"]].pk, department_id=departments[c].pk
        )
        for spec in data.indicators
        for c in spec["departments"]
    )
    return indicators


def _load_returns(
    data: DemoYear,
    year: AssessmentYear,
    departments: dict[str, Department],
    users: dict[str, User],
    indicators: dict[str, Indicator],
) -> None:
    supervisor = users["supervisor"]
    now = timezone.now()

    def past(when: datetime.datetime, hours: int) -> datetime.datetime:
        """Last month's steps happened in the days before the load, never after."""
        return min(when, now - datetime.timedelta(hours=hours))

    def entered_at(month: int) -> datetime.datetime:
        """A month's figures are typed in on the 3rd of the next month."""
        return past(_at(*_next_month(data.year, month), 3, 16), 3)

    returns = []
    for code in people.UNITS:
        clerk = users[people.CLERK_OF[code]]
        for month in range(1, data.months + 1):
            next_year, next_month = _next_month(data.year, month)
            row = MonthlyReturn(
                year=year,
                department=departments[code],
                month=month,
                status=ReturnStatus.APPROVED,
                submitted_at=past(_at(next_year, next_month, 5), 2),
                submitted_by=clerk,
                reviewed_at=past(_at(next_year, next_month, 8, 15), 1),
                reviewed_by=supervisor,
            )
            state = data.month_states.get((code, month))
            if state is not None:
                status, comment, reopen_reason = state
                row.status = status
                row.comment = comment
                if status == ReturnStatus.DRAFT:
                    row.submitted_at = row.submitted_by = None
                if status in (ReturnStatus.DRAFT, ReturnStatus.SUBMITTED):
                    row.reviewed_at = row.reviewed_by = None
                if reopen_reason:
                    row.reopened_at = _at(data.year + 1, 1, 12, 10)
                    row.reopen_reason = reopen_reason
            returns.append(row)
    created = _bulk(
        MonthlyReturn,
        returns,
        lambda r: (
            r.reviewed_at
            or r.submitted_at
            or past(_at(*_next_month(data.year, r.month), 1), 1)
        ),
    )
    by_key = {(r.department_id, r.month): r for r in created}

    figures = []
    for spec in data.indicators:
        if spec.get("source"):
            continue  # fed by work records: no typed figures
        indicator = indicators[spec["code"]]
        for code in spec["departments"]:
            department = departments[code]
            clerk = users[people.CLERK_OF[code]]
            values = monthly_values(spec)[: data.months]
            for month, value in enumerate(values, start=1):
                figures.append(
                    Figure(
                        monthly_return=by_key[(department.pk, month)],
                        indicator=indicator,
                        value=value,
                        note=data.figure_notes.get((spec["code"], month), ""),
                        updated_by=clerk,
                    )
                )
    _bulk(Figure, figures, lambda f: entered_at(f.monthly_return.month))
    # auto_now stamps today; the figures were entered in the days before submission.
    for month in range(1, data.months + 1):
        Figure.objects.filter(
            monthly_return__year=year, monthly_return__month=month
        ).update(updated_at=entered_at(month))


def load_rules(departments: dict[str, Department]) -> list[ValidationRule]:
    """The bureau's validation rules, written afresh (matched by name)."""
    written = []
    for order, spec in enumerate(RULES, start=1):
        rule, _created = ValidationRule.objects.update_or_create(
            name=spec["name"],
            defaults={
                "message": spec["message"],
                "importance": spec["importance"],
                "operator": spec["operator"],
                "period": spec.get("period", "month"),
                "change_base": spec.get("change_base", "last_month"),
                "change_limit": (
                    Decimal(spec["change_limit"]) if "change_limit" in spec else None
                ),
                "active": True,
                "order": order,
            },
        )
        rule.terms.all().delete()
        RuleTerm.objects.bulk_create(
            RuleTerm(
                rule=rule,
                side=side,
                indicator_code=code,
                coefficient=Decimal(coefficient),
                department=departments[owner] if owner else None,
                per_day=per_day,
                order=index,
            )
            for index, (side, code, coefficient, owner, per_day) in enumerate(
                spec["terms"]
            )
        )
        written.append(rule)
    return written


def _load_quality(
    data: DemoYear,
    year: AssessmentYear,
    departments: dict[str, Department],
    users: dict[str, User],
    indicators: dict[str, Indicator],
) -> None:
    MonthRange.objects.bulk_create(
        MonthRange(
            indicator=indicators[code],
            month=month,
            plausible_min=Decimal(low),
            plausible_max=Decimal(high),
        )
        for (code, month), (low, high) in data.month_ranges.items()
    )
    for (department, code, month), why in data.follow_ups.items():
        figure = Figure.objects.get(
            monthly_return__year=year,
            monthly_return__department=departments[department],
            monthly_return__month=month,
            indicator=indicators[code],
        )
        follow_up = FollowUp.objects.create(
            figure=figure,
            reason=FollowUp.Reason.MARKED,
            detail=why,
            created_by=users["supervisor"],
        )
        FollowUp.objects.filter(pk=follow_up.pk).update(
            created_at=_at(*_next_month(data.year, month), 9, 11)
        )


def _record_fields(spec: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in spec.items() if k != "department"}
    for name in ("date", "end_date", "resolved_date"):
        if fields.get(name):
            fields[name] = _date(fields[name])
    for name in ("amount", "quantity"):
        if fields.get(name) is not None:
            fields[name] = Decimal(fields[name])
    return fields


def _load_records(
    data: DemoYear, departments: dict[str, Department], users: dict[str, User]
) -> None:
    for model_name, specs in data.records.items():
        model = RECORD_MODELS[model_name]
        _bulk(
            model,
            (
                model(
                    department=departments[spec["department"]],
                    updated_by=users[people.CLERK_OF[spec["department"]]],
                    **_record_fields(spec),
                )
                for spec in specs
            ),
            _on_the_day,
        )
    # auto_now stamps today; each record was written up on its day, as its history says.
    for model in RECORD_MODELS.values():
        rows = list(
            model._default_manager.filter(
                department__in=departments.values(), date__year=data.year
            )
        )
        for row in rows:
            row.updated_at = _on_the_day(row)
        model._default_manager.bulk_update(rows, ["updated_at"])


def _load_scoring(
    data: DemoYear,
    year: AssessmentYear,
    departments: dict[str, Department],
    users: dict[str, User],
    targets: dict[str, Target],
    saved_files: list[str],
) -> None:
    supervisor = users["supervisor"]
    # When each step of the January scoring happened: the rows' own timestamps
    # (auto_now, so set by an update below) and their history entries agree.
    after = data.year + 1
    evidence_at = _at(after, 1, 13, 10)
    self_assessed_at = _at(after, 1, 14, 11)
    scored_at = _at(after, 1, 20, 15)
    adjusted_at = _at(after, 1, 20, 16)
    texts_at = _at(after, 1, 21, 10)
    evidence_ids: list[int] = []
    _bulk(
        SelfAssessmentSubmission,
        (
            SelfAssessmentSubmission(
                year=year,
                department=departments[code],
                status=SubmissionStatus.SUBMITTED,
                submitted_at=_at(after, 1, 14, 17),
                submitted_by=users[people.CLERK_OF[code]],
            )
            for code in people.UNITS
        ),
        lambda s: s.submitted_at,
    )
    self_rows = []
    score_rows = []
    for target_code, code in data.responsible_pairs():
        department = departments[code]
        self_score, text = data.self_assessments[(target_code, code)]
        self_rows.append(
            SelfAssessment(
                target=targets[target_code],
                department=department,
                self_score=Decimal(self_score),
                text=text,
                updated_by=users[people.CLERK_OF[code]],
            )
        )
        assessed, reason = data.score_overrides.get(
            (target_code, code), (self_score, "")
        )
        score_rows.append(
            Score(
                target=targets[target_code],
                department=department,
                assessed_score=Decimal(assessed),
                reason=reason,
                scored_by=supervisor,
            )
        )
    self_assessments = {
        (sa.target_id, sa.department_id): sa
        for sa in _bulk(SelfAssessment, self_rows, lambda _: self_assessed_at)
    }
    _bulk(Score, score_rows, lambda _: scored_at)
    adjustments = {}
    for code, kind, points, adjusted_code, reason in data.adjustments:
        adjustment = Adjustment(
            year=year,
            department=departments[code],
            target=targets[adjusted_code] if adjusted_code else None,
            kind=kind,
            points=Decimal(points),
            reason=reason,
            created_by=supervisor,
        )
        _signed(adjustment, adjusted_at).save()
        adjustments[(code, adjusted_code)] = adjustment
    for owner, (overview, closing) in data.report_texts.items():
        _signed(
            ReportText(
                year=year,
                department=departments[owner] if owner else None,
                overview=overview,
                closing=closing,
                updated_by=users[people.CLERK_OF[owner]] if owner else supervisor,
            ),
            texts_at,
        ).save()
    for kind, original_name, caption, (owner, first, second) in data.evidence:
        content = evidence_image(caption) if kind == "png" else evidence_pdf(caption)
        name = default_storage.save(
            f"evidence/{data.year}/{uuid.uuid4().hex}.{kind}", ContentFile(content)
        )
        saved_files.append(name)
        evidence = Evidence(
            file=name,
            original_name=original_name,
            content_type="image/png" if kind == "png" else "application/pdf",
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        if owner == "sa":
            department = departments[second]
            evidence.self_assessment = self_assessments[
                (targets[first].pk, department.pk)
            ]
            evidence.uploaded_by = users[people.CLERK_OF[second]]
        else:
            department = departments[first]
            evidence.adjustment = adjustments[(first, second)]
            evidence.uploaded_by = supervisor
        evidence.department = department
        _signed(evidence, evidence_at).save()
        evidence_ids.append(evidence.pk)
    # auto_now / auto_now_add stamp today; the scoring happened in January.
    SelfAssessment.objects.filter(target__category__year=year).update(
        updated_at=self_assessed_at
    )
    Score.objects.filter(target__category__year=year).update(scored_at=scored_at)
    Adjustment.objects.filter(year=year).update(created_at=adjusted_at)
    Evidence.objects.filter(pk__in=evidence_ids).update(uploaded_at=evidence_at)
    ReportText.objects.filter(year=year).update(updated_at=texts_at)


def _save_as(obj: Any, user: User | None, when: datetime.datetime) -> Any:
    """Save obj with a history entry by `user` at `when`."""
    obj._history_date = when
    obj._history_user = user
    obj.save()
    return obj


def _load_appeals(
    data: DemoYear,
    year: AssessmentYear,
    departments: dict[str, Department],
    users: dict[str, User],
    targets: dict[str, Target],
) -> None:
    """The round after scoring: published, objections answered, final, rectified."""
    spec = data.appeals
    after = data.year + 1
    supervisor = users["supervisor"]
    starts_on, ends_on = (_date(day) for day in spec["window"])
    published_at = _at(after, *spec["published"])
    final_at = _at(after, *spec["final"])
    publication = _save_as(
        Publication(
            year=year,
            starts_on=starts_on,
            ends_on=ends_on,
            published_at=published_at,
            published_by=supervisor,
        ),
        supervisor,
        published_at,
    )
    for objection_spec in spec["objections"]:
        department = departments[objection_spec["department"]]
        target = targets[objection_spec["target"]]
        score = Score.objects.get(target=target, department=department)
        filed_at = _at(after, *objection_spec["filed"])
        answered_at = _at(after, *objection_spec["answered"])
        answered_by = users[objection_spec["answered_by"]]
        objection = _save_as(
            Objection(
                year=year,
                department=department,
                kind=ObjectionKind.SCORE,
                item=f"score:{target.pk}",
                target=target,
                item_label=f"{target.code} {target.name}",
                previous_points=score.assessed_score,
                grounds=objection_spec["grounds"],
                filed_by=users[people.CLERK_OF[department.code]],
            ),
            users[people.CLERK_OF[department.code]],
            filed_at,
        )
        upheld = objection_spec["upheld"]
        objection.status = (
            ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
        )
        objection.answer = objection_spec["answer"]
        objection.answered_at = answered_at
        objection.answered_by = answered_by
        objection.version += 1
        if upheld:
            objection.new_points = Decimal(objection_spec["new_points"])
            score.assessed_score = objection.new_points
            score.reason = objection_spec["reason"]
            score.scored_by = answered_by
            score.version += 1
            _save_as(score, answered_by, answered_at)
            Score.objects.filter(pk=score.pk).update(scored_at=answered_at)
        _save_as(objection, answered_by, answered_at)
        Objection.objects.filter(pk=objection.pk).update(filed_at=filed_at)
    publication.finalized_at = final_at
    publication.finalized_by = supervisor
    _save_as(publication, supervisor, final_at)
    deadline = rectify_rules.default_deadline(timezone.localdate(final_at))
    for item_spec in spec["rectifications"]:
        department = departments[item_spec["department"]]
        target = targets[item_spec["target"]]
        score = Score.objects.get(target=target, department=department)
        item = _save_as(
            Rectification(
                year=year,
                department=department,
                cause=RectificationCause.TARGET,
                key=f"target:{target.pk}",
                target=target,
                score=score.assessed_score,
                points=target.points,
                deadline=deadline,
            ),
            supervisor,
            final_at,
        )
        Rectification.objects.filter(pk=item.pk).update(created_at=final_at)
        item.measures = item_spec["measures"]
        item.owner = item_spec["owner"]
        item.version += 1
        clerk = users[people.CLERK_OF[department.code]]
        _save_as(item, clerk, _at(after, *item_spec["planned"]))


def _load_translations(data: DemoYear) -> None:
    """The year's English texts, replacing what an earlier load stored for them."""
    keys = {source_key(source) for source in data.english}
    ReportTranslation.objects.filter(language="en", source_key__in=keys).delete()
    ReportTranslation.objects.bulk_create(
        ReportTranslation(
            language="en", source=source, source_key=source_key(source), text=text
        )
        for source, text in data.english.items()
    )
