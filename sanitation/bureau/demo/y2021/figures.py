"""2021: indicators, the twelve monthly figures of each, and the months' states.

The self-review gives daily averages and yearly totals, never months. The monthly
figures are made up so that the year's roll-up is exactly the self-review's figure
(150万平方米 and 1,400 pits a day, 170 t of waste and 60 t of night soil a day, 2 t of it
by hand, 60,000 t landfilled, 87 pits dug for trees, 6 documents, 27 reports and
replies, 60 information items, 50 briefings); the report states only the roll-up.
"""

from __future__ import annotations

from typing import Any

INDICATORS: list[dict[str, Any]] = [
    {
        "code": "street_area",
        "name": "日均清扫保洁面积",
        "target": "1.1",
        "unit": "万平方米",
        "decimals": 1,
        "aggregation": "avg",
        "range": ("100", "200"),
        "annual_target": "150",
        "departments": ["street"],
        "monthly": "149.2 148.6 150.1 150.4 150.8 151.2 151.5 150.9 150.3 149.8 149.0 "
        "148.2",
    },
    {
        "code": "waste_daily",
        "name": "日均垃圾清运量",
        "target": "1.2",
        "unit": "吨",
        "decimals": 1,
        "aggregation": "avg",
        "range": ("100", "250"),
        "annual_target": "170",
        "departments": ["waste"],
        "monthly": "166.2 163.5 168.0 170.4 172.1 174.8 176.3 175.2 171.0 169.5 166.8 "
        "166.2",
    },
    {
        "code": "waste_pits",
        "name": "日均清运垃圾坑",
        "target": "1.2",
        "unit": "个",
        "decimals": 0,
        "aggregation": "avg",
        "range": ("1000", "2000"),
        "annual_target": "1400",
        "departments": ["waste"],
        "monthly": "1385 1362 1398 1405 1412 1420 1431 1418 1402 1396 1380 1391",
    },
    {
        "code": "nightsoil_daily",
        "name": "日均粪便清运量",
        "target": "1.3",
        "unit": "吨",
        "decimals": 1,
        "aggregation": "avg",
        "range": ("30", "100"),
        "annual_target": "60",
        "departments": ["nightsoil"],
        "monthly": "58.6 57.9 59.4 60.2 60.8 61.3 61.7 61.2 60.4 59.8 59.1 59.6",
    },
    {
        "code": "nightsoil_manual",
        "name": "其中日均人工清掏粪便量",
        "target": "1.3",
        "unit": "吨",
        "decimals": 1,
        "aggregation": "avg",
        "range": ("0", "10"),
        "annual_target": None,
        "weight": "0",
        "departments": ["nightsoil"],
        "monthly": "2.1 1.9 2.0 2.0 2.1 2.0 1.9 2.0 2.1 2.0 1.9 2.0",
    },
    {
        "code": "landfill_amount",
        "name": "垃圾卫生填埋量",
        "target": "1.4",
        "unit": "吨",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("3000", "7000"),
        "annual_target": "60000",
        "departments": ["landfill"],
        "monthly": "4720 4390 4881 4975 5131 5210 5346 5290 5020 5060 4930 5047",
    },
    {
        # Fed by the office's Donation records: 7,540 + 6,160 + 3,740 + 3,850.
        "code": "donation_amount",
        "name": "扶贫捐款金额",
        "target": "1.6",
        "unit": "元",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "100000"),
        "annual_target": "20000",
        "departments": ["office"],
        "source": "bureau.donation_amount",
    },
    {
        # The office's monthly return of donations, checked against the records
        # (the rule "捐款报表数等于捐款记录合计").
        "code": "donation_reported",
        "name": "扶贫捐款金额（报表数）",
        "target": None,
        "unit": "元",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "100000"),
        "annual_target": None,
        "departments": ["office"],
        "monthly": "0 0 0 0 0 7540 0 0 6160 3740 3850 0",
    },
    {
        "code": "petition_count",
        "name": "信访件数",
        "target": None,
        "unit": "件",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "100"),
        "annual_target": None,
        "departments": ["office"],
        "source": "bureau.petition_count",
    },
    {
        "code": "tree_pits",
        "name": "义务植树整地挖坑换土",
        "target": "1.10",
        "unit": "塘",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "200"),
        "annual_target": "80",
        "departments": ["office"],
        "monthly": "0 0 87 0 0 0 0 0 0 0 0 0",
    },
    {
        "code": "info_items",
        "name": "向上级报送信息",
        "target": "2.1",
        "unit": "条",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "30"),
        "annual_target": "50",
        "weight": "2",
        "departments": ["office"],
        "monthly": "4 4 5 5 6 5 6 5 5 6 5 4",
    },
    {
        "code": "documents",
        "name": "以正式文件下文（环卫发）",
        "target": "2.1",
        "unit": "份",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "10"),
        "annual_target": "6",
        "departments": ["office"],
        "monthly": "1 0 1 0 0 1 1 0 0 1 0 1",
    },
    {
        "code": "reports",
        "name": "环卫报、环卫复",
        "target": "2.1",
        "unit": "份",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "15"),
        "annual_target": "24",
        "departments": ["office"],
        "monthly": "2 2 3 2 2 3 2 2 3 2 2 2",
    },
    {
        "code": "briefings",
        "name": "报送工作简报",
        "target": "2.1",
        "unit": "份",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "15"),
        "annual_target": "48",
        "departments": ["office"],
        "monthly": "4 4 4 4 5 4 4 4 5 4 4 4",
    },
]

#: Notes a clerk wrote beside a value: (indicator code, month) -> note.
FIGURE_NOTES: dict[tuple[str, int], str] = {
    ("waste_daily", 2): "春节期间部分单位停工，清运量有所减少。",
    ("tree_pits", 3): "义务植树整地、挖坑和换土87塘。",
}

#: Plausible ranges of single months: (indicator code, month) -> (min, max). The
#: Spring Festival holiday empties the streets and the bins in February.
MONTH_RANGES: dict[tuple[str, int], tuple[str, str]] = {
    ("waste_daily", 2): ("130", "200"),
}

#: Values a supervisor marked for follow-up: (department, indicator, month) -> why.
FOLLOW_UPS: dict[tuple[str, str, int], str] = {
    ("waste", "waste_daily", 11): "与车辆台账核对后确认11月清运量。",
}

#: Every other month of every unit is approved by the supervisor. Today is long past
#: 2021's deadlines, so the returned and the draft month were reopened by a supervisor
#: (otherwise they would only show as overdue); the overdue one was not.
MONTH_STATES: dict[tuple[str, int], tuple[str, str, str]] = {
    ("waste", 11): (
        "returned",
        "11月垃圾清运量与车辆台账不符，请核对后重新提交",
        "已过填报期限，重新开放以便垃圾清运队核对车辆台账后更正11月数据。",
    ),
    ("nightsoil", 12): ("draft", "", "粪便清运队12月人工清掏量需补录，重新开放填报。"),
    ("inspection", 12): ("draft", "", ""),
}
