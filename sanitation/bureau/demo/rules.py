"""The bureau's validation rules: the same in every demo year (matched by indicator
code, so a year without an indicator simply does not evaluate the rule)."""

from __future__ import annotations

from typing import Any

#: Terms are (side, indicator code, coefficient, department code or None, per day).
RULES: list[dict[str, Any]] = [
    {
        "name": "填埋量不超过清运量",
        "message": "本月填埋量超过了垃圾清运队和粪便清运队本月清运量之和，请核对过磅记录；"
        "确有外来垃圾进场的，请在备注中说明。",
        "importance": "note",
        "operator": "le",
        "terms": [
            ("left", "landfill_amount", "1", "landfill", False),
            ("right", "waste_daily", "1", "waste", True),
            ("right", "nightsoil_daily", "1", "nightsoil", True),
        ],
    },
    {
        "name": "人工清掏量不超过粪便清运总量",
        "message": "人工清掏粪便量是粪便清运量的一部分，不能超过日均粪便清运总量。",
        "importance": "block",
        "operator": "le",
        "terms": [
            ("left", "nightsoil_manual", "1", None, False),
            ("right", "nightsoil_daily", "1", None, False),
        ],
    },
    {
        "name": "热线办结数不超过受理数",
        "message": "96128热线办结件数不能超过当月受理件数。",
        "importance": "block",
        "operator": "le",
        "terms": [
            ("left", "hotline_handled", "1", None, False),
            ("right", "hotline_received", "1", None, False),
        ],
    },
    {
        "name": "垃圾清运量同比变化不超过25%",
        "message": "日均垃圾清运量与去年同月相比变化超过25%，请核对车辆台账。",
        "importance": "warn",
        "operator": "change",
        "change_base": "last_year",
        "change_limit": "25",
        "terms": [("left", "waste_daily", "1", None, False)],
    },
    {
        "name": "捐款报表数等于捐款记录合计",
        "message": "报表中的扶贫捐款金额与工作纪实中的捐款记录合计不一致，"
        "请补录捐款记录或更正报表数。",
        "importance": "note",
        "operator": "eq",
        "terms": [
            ("left", "donation_reported", "1", None, False),
            ("right", "donation_amount", "1", None, False),
        ],
    },
]
