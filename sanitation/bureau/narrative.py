"""工作纪实 as sentences: what the year-end report says about each work record.

The sentence functions are pure: record values in, one Chinese sentence out. They write the
report's own language (the bureau's official Chinese), like the records they narrate, so
they are data rather than interface strings and are not run through gettext.

A record with a description is told by its description alone: it is the clerk's own
account, its dates and amounts as the clerk wrote them, and the record's date only puts it
in order. A record without one is told from its fields, dated by its month.

Which target a record tells about follows one documented rule: every record has a *topic*
(its model, and for Party activities and tasks its kind); `TOPIC_TARGETS` names the code of
each topic's target or report section in the bureau's catalogue (the 2021 catalogue of
`demo/y2021/catalogue.py`). When a year's catalogue has no target or section with that code,
the record goes to the first target (in catalogue order) judged on an indicator fed by the
topic's source (`TOPIC_SOURCES`); failing that it has no target and the report lists it
under the other work of the year.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from decimal import Decimal

from assessment.models import Indicator, ReportSection, Target
from assessment.reporting import narratives
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)

#: topic -> target or section code in the bureau's catalogue (demo/y2021/catalogue.py).
TOPIC_TARGETS: dict[str, str] = {
    "donation": "1.6",
    "petition": "1.8",
    "safety": "1.9",
    "task.greening": "1.10",
    "task.information": "2.1",
    "task.emergency": "2.2",
    "task.campaign": "2.4",
    "task.voluntary": "2.6",
    "party.study": "3.1",
    "party.mutual_aid": "S1-2-4",
    "party.clean_government": "3.1",
}

#: topic -> indicator source key, the fallback when the code is not in the catalogue.
TOPIC_SOURCES: dict[str, str] = {
    "donation": "bureau.donation_amount",
    "petition": "bureau.petition_count",
    "safety": "bureau.safety_activity_count",
    "party.study": "bureau.party_activity_count",
    "party.mutual_aid": "bureau.party_activity_count",
    "party.clean_government": "bureau.party_activity_count",
}

CHANNEL_WORDS = {
    "visit": "来访",
    "letter": "来信",
    "phone": "来电",
    "hotline": "热线转办件",
    "proposal": "政协提案",
}

# The verb a title gets when it does not start with one ("安全生产月全员培训" -> "开展…").
SAFETY_VERBS = {
    "meeting": "召开",
    "inspection": "开展",
    "training": "开展",
    "drill": "组织开展",
}
PARTY_VERBS = {"study": "组织", "mutual_aid": "开展", "clean_government": "开展"}
TASK_VERBS = {
    "campaign": "开展",
    "emergency": "完成",
    "voluntary": "组织开展",
    "information": "完成",
    "greening": "完成",
}
VERBS = (
    "开展",
    "召开",
    "组织",
    "举办",
    "举行",
    "参加",
    "参与",
    "进行",
    "完成",
    "印发",
    "发放",
    "制定",
    "编制",
    "清除",
    "清理",
    "疏浚",
    "开通",
    "报送",
    "结对",
    "落实",
    "学习",
    "栽植",
    "浇灌",
)


def amount(value: Decimal) -> str:
    """7540 -> "7,540"; 3850.5 -> "3,850.50"."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def quantity(value: Decimal) -> str:
    """A quantity as written: no trailing zeros, thousands grouped (1,000,000; 7.5)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = f"{value:,f}".rstrip("0").rstrip(".")
    return text


def when(date: datetime.date, end: datetime.date | None = None) -> str:
    """ "6月", "9月24日至30日", "9月24日至10月3日"."""
    if end is None or end == date:
        return f"{date.month}月"
    if (end.year, end.month) == (date.year, date.month):
        return f"{date.month}月{date.day}日至{end.day}日"
    return f"{date.month}月{date.day}日至{end.month}月{end.day}日"


def _clause(text: str) -> str:
    """A free-text fragment made fit to sit inside a sentence."""
    return " ".join(text.split()).rstrip("。；;，,.!！")


def _with_verb(title: str, verb: str) -> str:
    title = _clause(title)
    return title if title.startswith(VERBS) else f"{verb}{title}"


def _sentence(*parts: str) -> str:
    return "，".join(part for part in parts if part) + "。"


def _people(count: int | None, word: str) -> str:
    return f"{word}{count}人" if count else ""


def donation_sentence(
    date: datetime.date, campaign: str, total: Decimal, items: str, description: str
) -> str:
    """6月，参与献爱心扶贫捐款，捐款金额共计7,540元及衣物8件。

    With a description, the description tells it (its own amounts included).
    """
    if description.strip():
        return _sentence(_clause(description))
    money = f"捐款金额共计{amount(total)}元"
    if items.strip():
        money += f"及{_clause(items)}"
    return _sentence(when(date), _with_verb(campaign, "参与"), money)


def petition_sentence(
    date: datetime.date,
    channel: str,
    subject: str,
    resolved: bool,
    resolved_date: datetime.date | None,
    description: str,
) -> str:
    """3月，收到政协提案1件（关于增设公厕的提案），已办结。

    With a description, the description tells it (its outcome included).
    """
    if description.strip():
        return _sentence(_clause(description))
    word = CHANNEL_WORDS.get(channel, "信访件")
    received = f"收到{word}1件"
    if subject.strip():
        received += f"（{_clause(subject)}）"
    if resolved and resolved_date:
        status = f"已于{resolved_date.month}月{resolved_date.day}日办结"
    elif resolved:
        status = "已办结"
    else:
        status = "正在办理"
    return _sentence(when(date), received, status)


def safety_sentence(
    date: datetime.date,
    kind: str,
    title: str,
    participants: int | None,
    fatalities: int,
    description: str,
) -> str:
    """6月，开展安全生产月全员培训，参加人员120人。

    With a description, the description tells it (its own numbers included); an
    accident is always dated to the day.
    """
    if kind == "accident":
        harm = f"造成{fatalities}人死亡" if fatalities else "未造成人员伤亡"
        return _sentence(
            f"{date.month}月{date.day}日",
            _with_verb(title, "发生"),
            harm,
            _clause(description),
        )
    if description.strip():
        return _sentence(_clause(description))
    return _sentence(
        when(date),
        _with_verb(title, SAFETY_VERBS.get(kind, "开展")),
        _people(participants, "参加人员"),
    )


def routine_safety_sentence(meetings: int, inspections: int) -> str:
    """The year's routine safety meetings and inspections, counted in one sentence."""
    parts = []
    if meetings:
        parts.append(f"召开安全生产例会{meetings}次")
    if inspections:
        parts.append(f"开展安全生产检查{inspections}次")
    if not parts:
        return ""
    return "全年共" + "、".join(parts) + "。"


def party_sentence(
    date: datetime.date,
    kind: str,
    title: str,
    participants: int | None,
    description: str,
) -> str:
    """4月，组织党史学习教育专题学习，参加党员25人。"""
    if description.strip():
        return _sentence(_clause(description))
    return _sentence(
        when(date),
        _with_verb(title, PARTY_VERBS.get(kind, "开展")),
        _people(participants, "参加党员"),
    )


def task_sentence(
    date: datetime.date,
    end_date: datetime.date | None,
    kind: str,
    title: str,
    participants: int | None,
    amount_done: Decimal | None,
    unit: str,
    description: str,
) -> str:
    """9月24日至30日，开展国庆节前环境卫生整治，出动人员120人，共计100吨。

    With a description, the description tells it (its own numbers included).
    """
    if description.strip():
        return _sentence(_clause(description))
    done = ""
    if amount_done is not None:
        done = f"共计{quantity(amount_done)}{_clause(unit)}"
    return _sentence(
        when(date, end_date),
        _with_verb(title, TASK_VERBS.get(kind, "完成")),
        _people(participants, "出动人员"),
        done,
    )


def repeated(descriptions: Iterable[str]) -> set[str]:
    """Descriptions used by more than one record: boilerplate, not a story."""
    seen: set[str] = set()
    twice: set[str] = set()
    for text in descriptions:
        key = _clause(text)
        if key and key in seen:
            twice.add(key)
        seen.add(key)
    return twice


def resolve_targets(
    topics: Iterable[str],
    codes: Collection[str],
    source_targets: dict[str, str],
) -> dict[str, str]:
    """topic -> target code, by the rule in the module docstring (pure)."""
    resolved = {}
    for topic in topics:
        code = TOPIC_TARGETS.get(topic, "")
        if code not in codes:
            code = source_targets.get(TOPIC_SOURCES.get(topic, ""), "")
        resolved[topic] = code
    return resolved


def _catalogue_targets(year: int) -> dict[str, str]:
    codes = set(
        Target.objects.filter(category__year__year=year).values_list("code", flat=True)
    ) | set(
        ReportSection.objects.filter(year__year=year).values_list("code", flat=True)
    )
    source_targets: dict[str, str] = {}
    indicators = (
        Indicator.objects.filter(year__year=year, target__isnull=False)
        .exclude(source="")
        .order_by("target__category__order", "target__order", "order")
        .values_list("source", "target__code")
    )
    for source, code in indicators:
        source_targets.setdefault(source, code)
    topics = set(TOPIC_TARGETS) | set(TOPIC_SOURCES)
    return resolve_targets(topics, codes, source_targets)


def records_for(
    year: int, department_ids: Collection[int]
) -> list[narratives.NarrativeItem]:
    """The year's records of these departments as report sentences (eight queries).

    `department_ids` come from the caller's scoped access path.
    """
    targets = _catalogue_targets(year)
    items: list[narratives.NarrativeItem] = []

    def add(record, topic: str, sentence: str) -> None:
        items.append(
            narratives.NarrativeItem(
                date=record.date,
                department_id=record.department_id,
                target_code=targets.get(topic, ""),
                sentence=sentence,
                changed=record.updated_at,
            )
        )

    def rows(model):
        return model.objects.filter(department_id__in=department_ids, date__year=year)

    for r in rows(Donation):
        add(
            r,
            "donation",
            donation_sentence(r.date, r.title, r.amount, r.items, r.description),
        )
    for r in rows(Petition):
        add(
            r,
            "petition",
            petition_sentence(
                r.date,
                r.channel,
                r.title,
                r.status == Petition.Status.RESOLVED,
                r.resolved_date,
                r.description,
            ),
        )
    routine = {"meeting": 0, "inspection": 0}
    last_routine: dict[int, datetime.date] = {}
    for r in rows(SafetyActivity):
        if r.kind in routine:
            # Monthly routine: counted in one sentence per department, not narrated.
            routine[r.kind] += 1
            last_routine[r.department_id] = max(
                r.date, last_routine.get(r.department_id, r.date)
            )
            continue
        add(
            r,
            "safety",
            safety_sentence(
                r.date, r.kind, r.title, r.participants, r.fatalities, r.description
            ),
        )
    if last_routine:
        items.append(
            narratives.NarrativeItem(
                date=datetime.date(year, 12, 31),
                department_id=min(last_routine),
                target_code=targets.get("safety", ""),
                sentence=routine_safety_sentence(
                    routine["meeting"], routine["inspection"]
                ),
            )
        )
    party = list(rows(PartyActivity))
    boilerplate = repeated(r.description for r in party)
    for r in party:
        description = "" if _clause(r.description) in boilerplate else r.description
        add(
            r,
            f"party.{r.kind}",
            party_sentence(r.date, r.kind, r.title, r.participants, description),
        )
    tasks = list(rows(Task))
    boilerplate = repeated(r.description for r in tasks)
    for r in tasks:
        description = "" if _clause(r.description) in boilerplate else r.description
        add(
            r,
            f"task.{r.kind}",
            task_sentence(
                r.date,
                r.end_date,
                r.kind,
                r.title,
                r.participants,
                r.quantity,
                r.unit,
                description,
            ),
        )
    return items


def register() -> None:
    narratives.register("bureau", records_for)
