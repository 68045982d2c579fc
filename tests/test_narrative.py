"""The work records as report sentences: pure tables, then the registry end to end."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from assessment.reporting import narratives
from sanitation.bureau import narrative
from sanitation.bureau.models import Donation, Petition

d = datetime.date


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            (d(2021, 6, 8), "献爱心扶贫捐款", D("7540.00"), "", ""),
            "6月，参与献爱心扶贫捐款，捐款金额共计7,540元。",
        ),
        (
            (d(2021, 11, 3), "献爱心扶贫捐款", D("3850"), "衣物8件", ""),
            "11月，参与献爱心扶贫捐款，捐款金额共计3,850元及衣物8件。",
        ),
        (
            (d(2021, 9, 1), "金秋助学", D("6160"), "", "9月，金秋助学捐款6,160元。"),
            "9月，金秋助学捐款6,160元。",
        ),
        (
            # The description tells it: no date or amount the clerk did not write.
            (d(2021, 11, 3), "献爱心", D("3850"), "衣物8件", "捐款并捐赠衣物8件。"),
            "捐款并捐赠衣物8件。",
        ),
        (
            (d(2021, 3, 1), "开展爱心捐款", D("12.5"), " ", ""),
            "3月，开展爱心捐款，捐款金额共计12.50元。",
        ),
    ],
)
def test_donation_sentences(args, expected):
    assert narrative.donation_sentence(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            (d(2021, 3, 2), "proposal", "", True, None, ""),
            "3月，收到政协提案1件，已办结。",
        ),
        (
            (d(2021, 4, 2), "visit", "职工工资待遇", True, d(2021, 4, 20), ""),
            "4月，收到来访1件（职工工资待遇），已于4月20日办结。",
        ),
        (
            (d(2021, 5, 2), "hotline", "", False, None, ""),
            "5月，收到热线转办件1件，正在办理。",
        ),
    ],
)
def test_petition_sentences(args, expected):
    assert narrative.petition_sentence(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            (d(2021, 6, 10), "training", "安全生产月全员培训", None, 0, ""),
            "6月，开展安全生产月全员培训。",
        ),
        (
            (d(2021, 1, 5), "meeting", "召开安全生产例会", 30, 0, ""),
            "1月，召开安全生产例会，参加人员30人。",
        ),
        (
            (d(2021, 7, 9), "accident", "车辆剐蹭事故", None, 0, ""),
            "7月9日，发生车辆剐蹭事故，未造成人员伤亡。",
        ),
        (
            (d(2021, 7, 9), "accident", "交通事故", None, 1, ""),
            "7月9日，发生交通事故，造成1人死亡。",
        ),
    ],
)
def test_safety_sentences(args, expected):
    assert narrative.safety_sentence(*args) == expected


def test_a_description_is_the_whole_sentence():
    assert (
        narrative.task_sentence(
            d(2021, 9, 24),
            d(2021, 9, 30),
            "campaign",
            "整治",
            180,
            D(100),
            "万m²",
            "9月24日至30日集中冲洗道路约100万平方米。",
        )
        == "9月24日至30日集中冲洗道路约100万平方米。"
    )


def test_a_description_tells_the_story_of_a_safety_activity():
    assert (
        narrative.safety_sentence(
            d(2021, 6, 16), "training", "安全培训", 420, 0, "组织全体职工安全培训。"
        )
        == "组织全体职工安全培训。"
    )


def test_routine_safety_work_is_counted():
    assert narrative.routine_safety_sentence(84, 48) == (
        "全年共召开安全生产例会84次、开展安全生产检查48次。"
    )
    assert narrative.routine_safety_sentence(0, 0) == ""


def test_boilerplate_descriptions_are_found():
    assert narrative.repeated(["a", "b", "a。", ""]) == {"a"}


def test_party_sentence():
    assert (
        narrative.party_sentence(d(2021, 4, 1), "study", "党史学习教育专题学习", 25, "")
        == "4月，组织党史学习教育专题学习，参加党员25人。"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            (
                d(2021, 9, 24),
                d(2021, 9, 30),
                "campaign",
                "国庆节前环境卫生整治",
                None,
                D("100"),
                "吨",
                "",
            ),
            "9月24日至30日，开展国庆节前环境卫生整治，共计100吨。",
        ),
        (
            (d(2021, 7, 1), None, "voluntary", "鱼米河清淤", 34, None, "", ""),
            "7月，组织开展鱼米河清淤，出动人员34人。",
        ),
        (
            (
                d(2021, 8, 30),
                d(2021, 10, 2),
                "emergency",
                "清除紫茎泽兰",
                None,
                D("7.50"),
                "吨",
                "",
            ),
            "8月30日至10月2日，清除紫茎泽兰，共计7.5吨。",
        ),
        (
            (
                d(2021, 5, 12),
                d(2021, 5, 12),
                "greening",
                "夜间浇灌树木",
                None,
                D("1000000"),
                "m²",
                "",
            ),
            "5月，完成夜间浇灌树木，共计1,000,000m²。",
        ),
    ],
)
def test_task_sentences(args, expected):
    assert narrative.task_sentence(*args) == expected


def test_free_text_is_tidied_not_interpreted():
    sentence = narrative.donation_sentence(
        d(2021, 6, 1), "  <b>爱心\n捐款</b>。 ", D(1), "", ""
    )
    assert sentence == "6月，参与<b>爱心 捐款</b>，捐款金额共计1元。"


def test_targets_follow_the_configured_code_then_the_source():
    codes = {narrative.TOPIC_TARGETS["donation"]}
    resolved = narrative.resolve_targets(
        ["donation", "petition", "task.greening"],
        codes,
        {"bureau.petition_count": "9.9"},
    )
    assert resolved == {
        "donation": narrative.TOPIC_TARGETS["donation"],
        "petition": "9.9",
        "task.greening": "",
    }


def test_registry_gives_only_the_asked_departments_in_date_order(
    year, dept_a, dept_b, catalogue
):
    Donation.objects.create(
        department=dept_a, date=d(year.year, 9, 1), title="金秋助学", amount=D(60)
    )
    Donation.objects.create(
        department=dept_a, date=d(year.year, 6, 1), title="扶贫捐款", amount=D(75)
    )
    Petition.objects.create(
        department=dept_b,
        date=d(year.year, 3, 1),
        title="乙队来访",
        channel="visit",
    )
    items = narratives.records_for(year.year, [dept_a.pk])
    assert [item.sentence[:2] for item in items] == ["6月", "9月"]
    assert all(item.department_id == dept_a.pk for item in items)
    assert not any("乙队" in item.sentence for item in items)
    assert narratives.records_for(year.year, []) == []
