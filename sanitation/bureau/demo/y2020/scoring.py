"""2020: every unit's self-assessment and the supervisor's scores.

The year before the self-review has no words of its own, so each 完成情况 says plainly
that the unit did the target's work; the figures table beside it carries the numbers.
Scores are 2021's self scores, assessed as given: the year closed without
adjustments.
"""

from __future__ import annotations

from sanitation.bureau.demo import people
from sanitation.bureau.demo.y2021 import catalogue
from sanitation.bureau.demo.y2021 import english as y2021_english
from sanitation.bureau.demo.y2021 import scoring as y2021

YEAR = 2020

_NAMES = dict((code, name) for code, name, _parent, _order in people.DEPARTMENTS)
_TARGET_NAMES = {spec["code"]: spec["name"] for spec in catalogue.TARGETS}


def _text(target: str, department: str) -> str:
    return (
        f"{YEAR}年，{_NAMES[department]}按照年度目标责任书的要求，"
        f"认真完成“{_TARGET_NAMES[target]}”的各项工作任务。"
    )


def _english(target: str, department: str) -> str:
    unit = people.DEPARTMENT_NAMES_EN[_NAMES[department]]
    name = y2021_english.ENGLISH.get(_TARGET_NAMES[target], _TARGET_NAMES[target])
    return (
        f"In {YEAR} the {unit} carried out the work of “{name}” as its target "
        "responsibility letter required."
    )


#: (target, department) -> (self score, 完成情况)
SELF_ASSESSMENTS: dict[tuple[str, str], tuple[str, str]] = {
    key: (score, _text(*key)) for key, (score, _words) in y2021.SELF_ASSESSMENTS.items()
}

ENGLISH: dict[str, str] = {
    _text(*key): _english(*key) for key in y2021.SELF_ASSESSMENTS
}
