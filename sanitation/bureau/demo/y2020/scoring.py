"""2020: every unit's self-assessment and the supervisor's scores.

The year before the self-review has no words of its own, so each 完成情况 says plainly
that the unit did the target's work; the figures table beside it carries the numbers.
Self scores are 2021's; the supervisor took half a point off three of them and two
points off 办公室's 2.5 (below 60 %: it is rectified, see `appeals`), and the year
closed without deductions or bonus items.
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

#: (target, department) -> (assessed score, reason); others at the self score.
SCORE_OVERRIDES: dict[tuple[str, str], tuple[str, str]] = {
    ("1.3", "nightsoil"): ("6.5", "人工清掏量台账记录不完整，扣0.5分。"),
    ("1.5", "inspection"): ("3.5", "部分路段监督检查记录缺失，扣0.5分。"),
    ("2.1", "office"): ("5.5", "个别信息报送不够及时，扣0.5分。"),
    ("2.5", "office"): ("2", "“四项制度”公开事项更新不及时，扣2分。"),
}

ENGLISH.update(
    {
        "人工清掏量台账记录不完整，扣0.5分。": (
            "The ledger of night soil collected by hand is incomplete: 0.5 points off."
        ),
        "部分路段监督检查记录缺失，扣0.5分。": (
            "Inspection records of some road sections are missing: 0.5 points off."
        ),
        "个别信息报送不够及时，扣0.5分。": (
            "Some information items were reported late: 0.5 points off."
        ),
    }
)
