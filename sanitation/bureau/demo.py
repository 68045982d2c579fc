"""The 2021 demo: the bureau's year from its self-review (年度目标管理考核自查总结).

Everything here is plain data (departments, users, the catalogue, monthly figures, work
records, self-assessments, scores, report texts) plus `load(stdout)`, which writes it
in one transaction. `python manage.py load_demo` calls it.

The monthly figures are chosen so that the year's roll-up gives the self-review's numbers:
about 1,500,000 m² of street cleaned and 1,400 pits emptied a day, 170 t of waste a day
(62,050 t in the year), 60 t of night soil a day (2 t by hand), 60,000 t landfilled;
6 formal documents, 27 reports and replies, 60 information items and 50 briefings;
87 tree pits. Donations to the 献爱心扶贫捐款 campaign are work records adding up to
exactly 21,290 yuan.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

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
    Indicator,
    MonthlyReturn,
    ReportText,
    Role,
    Score,
    SelfAssessment,
    SelfAssessmentSubmission,
    Target,
    User,
)
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)

YEAR = 2021
PASSWORD = "demo-pass-2021"
CHANGE_REASON = "2021 demo data (load_demo)"

# ---------------------------------------------------------------------------------
# Departments: (code, name, parent code, order). The bureau is the root of the tree.
# ---------------------------------------------------------------------------------

DEPARTMENTS: list[tuple[str, str, str | None, int]] = [
    ("bureau", "区环境卫生管理局", None, 0),
    ("street", "清扫保洁队", "bureau", 1),
    ("waste", "垃圾清运队", "bureau", 2),
    ("nightsoil", "粪便清运队", "bureau", 3),
    ("landfill", "填埋场", "bureau", 4),
    ("inspection", "监察队", "bureau", 5),
    ("office", "办公室", "bureau", 6),
    ("party", "党支部", "bureau", 7),
]

#: The departments that report and are scored (everything below the bureau).
UNITS = [code for code, _name, parent, _order in DEPARTMENTS if parent]

# ---------------------------------------------------------------------------------
# Users: (username, family name, given name, role, departments). All share PASSWORD.
# ---------------------------------------------------------------------------------

USERS: list[tuple[str, str, str, str, list[str]]] = [
    ("clerk_street", "张", "建华", Role.CLERK, ["street"]),
    ("clerk_waste", "李", "志刚", Role.CLERK, ["waste"]),
    ("clerk_nightsoil", "王", "秀英", Role.CLERK, ["nightsoil"]),
    ("clerk_landfill", "刘", "德明", Role.CLERK, ["landfill"]),
    ("clerk_inspection", "陈", "晓燕", Role.CLERK, ["inspection"]),
    # The office clerk also keeps the Party branch's books: a clerk of two departments.
    ("clerk_office", "杨", "丽萍", Role.CLERK, ["office", "party"]),
    ("clerk_party", "赵", "红梅", Role.CLERK, ["party"]),
    ("supervisor", "黄", "文军", Role.SUPERVISOR, []),
    ("leader", "吴", "振华", Role.LEADER, []),
    ("admin", "周", "国强", Role.ADMIN, []),
]

#: Who enters and submits each department's figures and self-assessment.
CLERK_OF = {
    "street": "clerk_street",
    "waste": "clerk_waste",
    "nightsoil": "clerk_nightsoil",
    "landfill": "clerk_landfill",
    "inspection": "clerk_inspection",
    "office": "clerk_office",
    "party": "clerk_party",
}

YEAR_SETTINGS: dict[str, Any] = {
    "title": "2021年度目标管理考核",
    "status": "scoring",
    "deadline_day": 10,
    "excellent_threshold": Decimal(90),
    "good_threshold": Decimal(80),
    "pass_threshold": Decimal(60),
    "bonus_cap": Decimal(5),
}

# ---------------------------------------------------------------------------------
# The catalogue: three parts, targets whose points sum to exactly 100.
# ---------------------------------------------------------------------------------

CATEGORIES: list[tuple[str, str]] = [
    ("1", "勤政建设"),
    ("2", "服从服务于区委政府中心工作"),
    ("3", "加强和改进党建工作"),
]

COMMON = "*"  # a target common to all departments

TARGETS: list[dict[str, Any]] = [
    # 1 勤政建设 (55 points)
    {
        "code": "1.1",
        "name": "道路清扫保洁",
        "points": "10",
        "departments": ["street"],
        "rule": "ratio",
        "standard": "每日清扫保洁面积不少于150万平方米，日均清掏垃圾池不少于1400个，"
        "做到垃圾日产日清；未完成按比例扣分。",
        "evidence": "作业台账、月度统计报表、现场照片",
    },
    {
        "code": "1.2",
        "name": "垃圾清运",
        "points": "10",
        "departments": ["waste"],
        "rule": "ratio",
        "standard": "生活垃圾日产日清，全年清运量不少于6万吨；未完成按比例扣分。",
        "evidence": "车辆出车台账、过磅记录、月度统计报表",
    },
    {
        "code": "1.3",
        "name": "粪便清运",
        "points": "8",
        "departments": ["nightsoil"],
        "rule": "ratio",
        "standard": "日均清运粪便不少于60吨，及时处置化粪池满溢；未完成按比例扣分。",
        "evidence": "清运台账、月度统计报表",
    },
    {
        "code": "1.4",
        "name": "垃圾填埋处置",
        "points": "8",
        "departments": ["landfill"],
        "rule": "threshold",
        "standard": "生活垃圾无害化处理率100%，全年填埋处置量达6万吨，"
        "分层摊铺、压实、覆盖符合规范；未达到不得分。",
        "evidence": "进场过磅记录、作业记录、渗滤液处理记录",
    },
    {
        "code": "1.5",
        "name": "扶贫捐款/献爱心",
        "points": "4",
        "departments": ["office"],
        "rule": "threshold",
        "standard": "积极组织参与献爱心扶贫捐款活动，全年捐款不少于2万元；"
        "未达到不得分。",
        "evidence": "捐款名单及收据",
    },
    {
        "code": "1.6",
        "name": "新农村帮扶",
        "points": "3",
        "departments": ["office"],
        "rule": "judgement",
        "standard": "落实新农村帮扶责任，为帮扶村办实事；由考核组综合评定。",
        "evidence": "帮扶协议、资金拨付凭证、照片",
    },
    {
        "code": "1.7",
        "name": "信访工作",
        "points": "4",
        "departments": ["office"],
        "rule": "deduction",
        "deduction_per_unit": "0.2",
        "standard": "信访件及政协提案按期办结率100%，每低1个百分点扣0.2分，扣完为止。",
        "evidence": "信访登记簿、提案答复函",
    },
    {
        "code": "1.8",
        "name": "安全生产",
        "points": "6",
        "departments": COMMON,
        "rule": "deduction",
        "deduction_per_unit": "0.5",
        "combine": "min",
        "standard": "落实安全生产责任制，每月至少开展1次安全例会或安全检查，"
        "每少1次扣0.5分；发生安全生产死亡事故实行一票否决。",
        "evidence": "安全例会记录、检查记录、培训签到表、应急预案",
    },
    {
        "code": "1.9",
        "name": "绿化工作",
        "points": "2",
        "departments": ["street"],
        "rule": "threshold",
        "standard": "完成义务植树和绿化管护任务，挖填树穴不少于80个；未完成不得分。",
        "evidence": "植树记录、现场照片",
    },
    # 2 服从服务于区委政府中心工作 (30 points)
    {
        "code": "2.1",
        "name": "信息报送",
        "points": "6",
        "departments": ["office"],
        "rule": "ratio",
        "standard": "全年报送信息不少于50条、报告及回复不少于24件、编发简报不少于48期，"
        "公文处理规范及时；按完成比例计分。",
        "evidence": "信息报送登记、简报、发文登记簿",
    },
    {
        "code": "2.2",
        "name": "应急任务",
        "points": "5",
        "departments": ["street", "waste"],
        "rule": "judgement",
        "combine": "avg",
        "standard": "服从区委、区政府统一调度，按时完成各项应急任务；由考核组综合评定。",
        "evidence": "任务通知、工作记录、照片",
    },
    {
        "code": "2.3",
        "name": "第二垃圾填埋场项目",
        "points": "6",
        "departments": ["landfill"],
        "rule": "judgement",
        "standard": "按计划推进第二垃圾填埋场项目前期工作；由考核组综合评定。",
        "evidence": "项目进度表、会议纪要、批复文件",
    },
    {
        "code": "2.4",
        "name": "专项整治/集中整治活动",
        "points": "6",
        "departments": ["street", "waste", "inspection"],
        "rule": "judgement",
        "combine": "avg",
        "standard": "按要求参加国庆节前环境卫生集中整治、“门前五包”等专项整治活动，"
        "成效明显；由考核组综合评定。",
        "evidence": "整治方案、工作记录、照片",
    },
    {
        "code": "2.5",
        "name": "96128服务热线",
        "points": "4",
        "departments": ["inspection"],
        "rule": "judgement",
        "standard": "开通并运行96128服务热线，群众来电及时受理、按时办结、及时回访；"
        "由考核组综合评定。",
        "evidence": "热线受理登记、办结回访记录",
    },
    {
        "code": "2.6",
        "name": "志愿服务",
        "points": "3",
        "departments": ["party", "street"],
        "rule": "judgement",
        "combine": "avg",
        "standard": "组织开展志愿服务和义务劳动；由考核组综合评定。",
        "evidence": "活动记录、签到表、照片",
    },
    # 3 加强和改进党建工作 (15 points)
    {
        "code": "3.1",
        "name": "学习教育",
        "points": "6",
        "departments": ["party"],
        "rule": "ratio",
        "standard": "落实“三会一课”制度，扎实开展党史学习教育，全年集中学习不少于12次；"
        "按完成比例计分。",
        "evidence": "学习记录、会议记录、心得体会",
    },
    {
        "code": "3.2",
        "name": "帮扶互助",
        "points": "4",
        "departments": ["party"],
        "rule": "judgement",
        "standard": "开展党员结对帮扶和职工互助；由考核组综合评定。",
        "evidence": "帮扶名册、捐款记录",
    },
    {
        "code": "3.3",
        "name": "党风廉政建设",
        "points": "5",
        "departments": COMMON,
        "rule": "judgement",
        "combine": "min",
        "standard": "落实党风廉政建设责任制，签订责任书，开展警示教育，"
        "全年无违规违纪问题；由考核组综合评定。",
        "evidence": "责任书、警示教育记录",
    },
]

# ---------------------------------------------------------------------------------
# Indicators. `monthly` holds the twelve typed values (None for record-fed ones).
# ---------------------------------------------------------------------------------

INDICATORS: list[dict[str, Any]] = [
    {
        "code": "street_area",
        "name": "日均清扫保洁面积",
        "target": "1.1",
        "unit": "万m²",
        "decimals": 1,
        "aggregation": "avg",
        "range": ("100", "200"),
        "annual_target": "150",
        "departments": ["street"],
        "monthly": "149.2 148.6 150.1 150.4 150.8 151.2 151.5 150.9 150.3 149.8 149.0 "
        "148.2",
    },
    {
        "code": "street_pits",
        "name": "日均垃圾池清掏",
        "target": "1.1",
        "unit": "个",
        "decimals": 0,
        "aggregation": "avg",
        "range": ("1000", "2000"),
        "annual_target": "1400",
        "departments": ["street"],
        "monthly": "1385 1362 1398 1405 1412 1420 1431 1418 1402 1396 1380 1391",
    },
    {
        # 170 t a day × the days of each month, with the season's swing:
        # 62,050 t in the year, 170.0 t a day.
        "code": "waste_amount",
        "name": "垃圾清运量",
        "target": "1.2",
        "unit": "t",
        "decimals": 1,
        "aggregation": "sum",
        "range": ("3000", "7000"),
        "annual_target": "60000",
        "departments": ["waste"],
        "monthly": "5152.2 4578.0 5208.0 5112.0 5335.1 5244.0 5465.3 5431.2 5130.0 "
        "5254.5 5004.0 5135.7",
    },
    {
        "code": "nightsoil_daily",
        "name": "日均粪便清运量",
        "target": "1.3",
        "unit": "t",
        "decimals": 1,
        "aggregation": "avg",
        "range": ("30", "100"),
        "annual_target": "60",
        "departments": ["nightsoil"],
        "monthly": "58.6 57.9 59.4 60.2 60.8 61.3 61.7 61.2 60.4 59.8 59.1 59.6",
    },
    {
        "code": "nightsoil_manual",
        "name": "日均人工清掏粪便量",
        "target": "1.3",
        "unit": "t",
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
        "name": "垃圾填埋量",
        "target": "1.4",
        "unit": "t",
        "decimals": 1,
        "aggregation": "sum",
        "range": ("3000", "7000"),
        "annual_target": "60000",
        "departments": ["landfill"],
        "monthly": "4720.5 4390.0 4880.5 4975.0 5130.5 5210.0 5345.5 5290.0 5020.5 "
        "5060.0 4930.0 5047.5",
    },
    {
        # Fed by the Donation records of the office, which organises the bureau's
        # 献爱心扶贫捐款 campaign: 7,540 + 6,160 + 3,740 + 3,850 = 21,290 yuan.
        "code": "donation_amount",
        "name": "捐款金额",
        "target": "1.5",
        "unit": "元",
        "decimals": 2,
        "aggregation": "sum",
        "range": ("0", "100000"),
        "annual_target": "20000",
        "departments": ["office"],
        "source": "bureau.donation_amount",
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
        "code": "petition_rate",
        "name": "信访按期办结率",
        "target": "1.7",
        "unit": "%",
        "decimals": 1,
        "aggregation": "avg",
        "range": ("0", "100"),
        "annual_target": "100",
        "departments": ["office"],
        "monthly": " ".join(["100.0"] * 12),
    },
    {
        "code": "safety_activities",
        "name": "安全活动次数",
        "target": "1.8",
        "unit": "次",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "50"),
        "annual_target": "12",
        "departments": UNITS,
        "source": "bureau.safety_activity_count",
    },
    {
        "code": "tree_pits",
        "name": "绿化树穴",
        "target": "1.9",
        "unit": "个",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "200"),
        "annual_target": "80",
        "departments": ["street"],
        "monthly": "0 0 52 35 0 0 0 0 0 0 0 0",
    },
    {
        "code": "info_items",
        "name": "信息报送",
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
        "name": "公文",
        "target": "2.1",
        "unit": "件",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "10"),
        "annual_target": "6",
        "departments": ["office"],
        "monthly": "1 0 1 0 0 1 1 0 0 1 0 1",
    },
    {
        "code": "reports",
        "name": "报告及回复",
        "target": "2.1",
        "unit": "件",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "15"),
        "annual_target": "24",
        "departments": ["office"],
        "monthly": "2 2 3 2 2 3 2 2 3 2 2 2",
    },
    {
        "code": "briefings",
        "name": "简报",
        "target": "2.1",
        "unit": "期",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "15"),
        "annual_target": "48",
        "departments": ["office"],
        "monthly": "4 4 4 4 5 4 4 4 5 4 4 4",
    },
    {
        # The 96128 hotline opened in April 2021: no calls before.
        "code": "hotline_calls",
        "name": "96128热线受理件数",
        "target": "2.5",
        "unit": "件",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "500"),
        "annual_target": None,
        "weight": "0",
        "departments": ["inspection"],
        "monthly": "0 0 0 18 42 51 63 58 47 44 39 36",
    },
    {
        "code": "hotline_done",
        "name": "96128热线按时办结件数",
        "target": "2.5",
        "unit": "件",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "500"),
        "annual_target": "390",
        "departments": ["inspection"],
        "monthly": "0 0 0 17 41 50 62 58 46 44 38 36",
    },
    {
        "code": "party_activities",
        "name": "党建活动次数",
        "target": "3.1",
        "unit": "次",
        "decimals": 0,
        "aggregation": "sum",
        "range": ("0", "50"),
        "annual_target": "12",
        "departments": ["party"],
        "source": "bureau.party_activity_count",
    },
]

#: Notes a clerk wrote beside a value: (indicator code, month) -> note.
FIGURE_NOTES: dict[tuple[str, int], str] = {
    ("waste_amount", 2): "春节期间部分单位停工，清运量有所减少。",
    ("waste_amount", 7): "汛期雨水多，垃圾含水量高，清运量偏大。",
    ("tree_pits", 3): "植树节义务植树，挖填树穴52个。",
    ("hotline_calls", 4): "96128服务热线4月开通。",
}

# ---------------------------------------------------------------------------------
# Month states. Every other month of every department is approved by the supervisor.
# Today is long past 2021's deadlines, so the returned and the draft month were
# reopened by a supervisor (otherwise they would only show as overdue); the overdue one
# was not.
# ---------------------------------------------------------------------------------

RETURNED_MONTH = ("waste", 11)
RETURN_COMMENT = "11月垃圾清运量与车辆台账不符，请核对后重新提交"
DRAFT_MONTH = ("nightsoil", 12)
OVERDUE_MONTH = ("inspection", 12)
REOPEN_REASONS = {
    RETURNED_MONTH: "已过填报期限，重新开放以便垃圾清运队核对车辆台账后更正11月数据。",
    DRAFT_MONTH: "粪便清运队12月人工清掏量需补录，重新开放填报。",
}

# ---------------------------------------------------------------------------------
# Work records (工作纪实). Dates are the self-review's where it gives them.
# ---------------------------------------------------------------------------------

#: (department, date, amount, items, description). The 献爱心扶贫捐款 campaign:
#: exactly 21,290 yuan in the year.
DONATION_CAMPAIGN = "献爱心扶贫捐款"
DONATIONS: list[tuple[str, str, str, str, str]] = [
    ("office", "2021-06-18", "7540", "", "全局干部职工参与献爱心扶贫捐款。"),
    (
        "office",
        "2021-09-10",
        "6160",
        "",
        "金秋助学献爱心捐款，资助困难职工子女近30人上学。",
    ),
    ("office", "2021-10-15", "3740", "", "扶贫日献爱心捐款。"),
    ("office", "2021-11-19", "3850", "衣物8件", "献爱心捐款并捐赠衣物8件。"),
]
DONATION_TOTAL = Decimal(21290)

#: (department, received, channel, subject, resolved on, description)
PETITIONS: list[tuple[str, str, str, str, str, str]] = [
    (
        "office",
        "2021-03-15",
        "proposal",
        "区政协委员提案：关于增设城区公共厕所的建议",
        "2021-05-20",
        "会同规划、住建部门研究办理，书面答复提案委员，委员表示满意。",
    ),
    (
        "office",
        "2021-04-08",
        "visit",
        "职工反映工资待遇问题",
        "2021-04-30",
        "核实情况后按规定补发绩效工资，当面答复职工。",
    ),
    (
        "office",
        "2021-07-12",
        "letter",
        "退休职工反映社会保险缴纳问题",
        "2021-08-16",
        "与社保部门核对缴费记录，补缴欠缴部分，书面答复。",
    ),
    (
        "office",
        "2021-10-19",
        "visit",
        "临时工反映养老保险补缴问题",
        "2021-11-10",
        "按政策办理补缴手续，信访人息诉罢访。",
    ),
]

#: Bureau-wide safety work, besides each department's monthly meeting and inspection:
#: (department, date, kind, title, participants, description)
SAFETY_EVENTS: list[tuple[str, str, str, str, int | None, str]] = [
    (
        "office",
        "2021-03-10",
        "training",
        "新修订道路交通安全法规发放到每一名驾驶员",
        86,
        "将新修订的道路交通安全法律法规汇编发放到每一名驾驶员，并组织集中学习。",
    ),
    (
        "office",
        "2021-05-20",
        "drill",
        "修订安全生产应急预案并组织演练",
        60,
        "修订完善安全生产、防汛、火灾等应急预案，组织应急演练。",
    ),
    (
        "office",
        "2021-06-16",
        "training",
        "“安全生产月”全体职工安全培训",
        420,
        "安全生产月期间组织全体职工开展安全生产知识培训。",
    ),
]

#: (department, date, kind, title, participants, description)
PARTY_EVENTS: list[tuple[str, str, str, str, int | None, str]] = [
    (
        # The fire aid is mutual aid among staff, organised by the Party branch: it is
        # recorded here and NOT as a Donation, so that the 献爱心扶贫捐款 indicator
        # (bureau.donation_amount) stays at exactly 21,290 yuan.
        "party",
        "2021-03-26",
        "mutual_aid",
        "为遭受火灾的职工家庭捐款",
        None,
        "职工家中突发火灾，党支部发动全局干部职工捐款1.3万余元，帮助其渡过难关。",
    ),
    (
        "party",
        "2021-06-28",
        "mutual_aid",
        "党员结对帮扶困难党员20名",
        40,
        "组织党员干部与20名困难党员结对，定期走访慰问。",
    ),
    (
        "party",
        "2021-02-24",
        "clean_government",
        "签订党风廉政建设责任书",
        25,
        "局党组与各科室、队负责人逐级签订党风廉政建设责任书。",
    ),
    (
        "party",
        "2021-08-20",
        "clean_government",
        "党风廉政建设警示教育大会",
        120,
        "组织观看警示教育片，通报典型案例。",
    ),
]

#: The Party branch's monthly study session (三会一课 / 党史学习教育), one per month.
STUDY_TITLES = [
    "学习贯彻区委全会精神",
    "党史学习教育动员部署会",
    "党史学习教育专题学习：中国共产党简史",
    "“学党史、悟思想”专题党课",
    "党史学习教育专题学习：新民主主义革命时期历史",
    "“我为群众办实事”主题党日",
    "集中学习庆祝中国共产党成立100周年大会重要讲话",
    "党史学习教育专题组织生活会",
    "党史学习教育专题学习：改革开放新时期历史",
    "“不忘初心、牢记使命”主题党日",
    "学习党的十九届六中全会精神",
    "党史学习教育总结会",
]

#: (department, date, end date, kind, title, participants, quantity, unit, description)
TASKS: list[tuple[str, str, str | None, str, str, int | None, str | None, str, str]] = [
    (
        "street",
        "2021-03-12",
        "2021-04-20",
        "greening",
        "义务植树挖填树穴",
        45,
        "87",
        "个",
        "组织职工义务植树，挖填树穴87个。",
    ),
    (
        "street",
        "2021-05-12",
        "2021-05-13",
        "greening",
        "夜间浇灌行道树",
        30,
        "100",
        "棵",
        "5月12日、13日连续两晚组织职工对约100棵行道树进行夜间浇灌。",
    ),
    (
        "waste",
        "2021-06-08",
        "2021-06-11",
        "emergency",
        "清除外来入侵植物紫茎泽兰",
        24,
        "7",
        "t",
        "出动车辆6车次，清除紫茎泽兰约7吨，单独运输、集中深埋处理。",
    ),
    (
        "street",
        "2021-08-03",
        None,
        "emergency",
        "暴雨后道路淤泥应急清理",
        60,
        None,
        "",
        "暴雨过后连夜组织人员清理道路淤泥和积水，保障道路畅通。",
    ),
    (
        "street",
        "2021-07-17",
        None,
        "voluntary",
        "义务疏浚鱼米河",
        34,
        None,
        "",
        "组织34名职工对鱼米河河道开展义务疏浚，清理河道垃圾和淤泥。",
    ),
    (
        "party",
        "2021-03-05",
        None,
        "voluntary",
        "学雷锋志愿服务活动",
        40,
        None,
        "",
        "党员志愿者走上街头清理卫生死角、宣传垃圾分类知识。",
    ),
    (
        "party",
        "2021-10-22",
        None,
        "voluntary",
        "创建文明城市志愿服务",
        35,
        None,
        "",
        "党员志愿者在主要路口开展文明劝导和环境卫生志愿服务。",
    ),
    (
        "street",
        "2021-09-24",
        "2021-09-30",
        "campaign",
        "国庆节前环境卫生集中整治：冲洗道路",
        180,
        "100",
        "万m²",
        "9月24日至30日集中冲洗道路约100万平方米。",
    ),
    (
        "waste",
        "2021-09-24",
        "2021-09-30",
        "campaign",
        "国庆节前环境卫生集中整治：清运陈年垃圾",
        60,
        "100",
        "t",
        "集中清运陈年垃圾约100吨，清理卫生死角。",
    ),
    (
        "inspection",
        "2021-09-01",
        "2021-10-31",
        "campaign",
        "“门前五包”专项整治",
        2,
        None,
        "",
        "抽调2名职工参加“门前五包”专项整治2个月。",
    ),
    (
        "office",
        "2021-04-01",
        None,
        "information",
        "开通96128城市管理服务热线",
        None,
        None,
        "",
        "96128服务热线开通，安排专人值守，建立受理、转办、督办、回访流程。",
    ),
    (
        # The 20,000 yuan for a village road is the bureau's own aid to its partner
        # village (新农村帮扶), not a staff donation: a Task, so that the donation
        # indicator keeps to the campaign's 21,290 yuan.
        "office",
        "2021-08-26",
        None,
        "voluntary",
        "新农村帮扶：出资修建村组道路",
        None,
        "20000",
        "元",
        "出资2万元帮助帮扶村修建村组道路，解决群众出行难问题。",
    ),
]

# ---------------------------------------------------------------------------------
# Self-assessments: (target, department) -> (self score, 完成情况). Common targets use
# the templates below with a sentence of the department's own.
# ---------------------------------------------------------------------------------

SELF_ASSESSMENTS: dict[tuple[str, str], tuple[str, str]] = {
    ("1.1", "street"): (
        "10",
        "全年实行早、中、晚三班作业，每天作业17小时，日均清扫保洁面积约150万平方米，"
        "人均保洁面积约4000平方米。主次干道、背街小巷全覆盖，日均清掏垃圾池1400个，"
        "做到垃圾日产日清。",
    ),
    ("1.2", "waste"): (
        "10",
        "全年日均清运生活垃圾约170吨，全年清运约6.2万吨。清运车辆按线路定时定点作业，"
        "密闭运输，杜绝沿途撒漏，做到垃圾不积存、不外溢。",
    ),
    ("1.3", "nightsoil"): (
        "8",
        "全年日均清运粪便约60吨，其中人工清掏约2吨。及时处置群众反映的化粪池满溢问题，"
        "全年未发生粪便污染环境事件。",
    ),
    ("1.4", "landfill"): (
        "8",
        "严格执行卫生填埋作业规程，分层摊铺、压实、覆盖，全年填埋处置生活垃圾约6万吨，"
        "渗滤液收集处理正常，场区每周消杀不少于两次。",
    ),
    ("1.5", "office"): (
        "4",
        "积极组织干部职工参与献爱心扶贫捐款，6月、9月、10月、11月共计捐款21,290元，"
        "另捐赠衣物8件；9月捐款资助困难职工子女近30人上学。",
    ),
    ("1.6", "office"): (
        "3",
        "认真落实新农村帮扶责任，多次深入帮扶村调研，出资2万元帮助修建村组道路，"
        "解决了群众出行难问题。",
    ),
    ("1.7", "office"): (
        "4",
        "办理区政协委员提案1件，按期答复，委员满意；妥善解决职工工资待遇、社会保险等"
        "信访诉求，信访件按期办结率100%，未发生越级上访和群体性事件。",
    ),
    ("1.9", "street"): (
        "1.8",
        "积极开展义务植树和绿化管护，全年挖填树穴87个；5月12日、13日连续两晚组织职工"
        "对约100棵行道树进行夜间浇灌，确保成活。",
    ),
    ("2.1", "office"): (
        "6",
        "严格落实信息报送制度，全年制发公文6件，上报各类报告及回复27件，报送信息60条，"
        "编发工作简报约50期，做到报送及时、内容准确。",
    ),
    ("2.2", "waste"): (
        "5",
        "按照区委、区政府统一部署，6月开展外来入侵植物紫茎泽兰清除工作，出动车辆6车次，"
        "清除约7吨，单独运输、集中深埋，防止二次扩散。",
    ),
    ("2.2", "street"): (
        "5",
        "汛期暴雨过后连夜组织人员清理道路淤泥和积水，保障道路畅通，"
        "圆满完成各项临时性应急保洁任务。",
    ),
    ("2.3", "landfill"): (
        "6",
        "积极配合推进第二垃圾填埋场项目，完成选址踏勘、可行性研究配合及征地协调等"
        "前期工作，项目按计划有序推进。",
    ),
    ("2.4", "street"): (
        "6",
        "9月24日至30日开展国庆节前环境卫生集中整治，冲洗道路约100万平方米，"
        "主要街道面貌明显改善。",
    ),
    ("2.4", "waste"): (
        "6",
        "国庆节前集中整治期间清运陈年垃圾约100吨，清理卫生死角，整治区域垃圾清零。",
    ),
    ("2.4", "inspection"): (
        "6",
        "抽调2名职工参加“门前五包”专项整治2个月，督促沿街商户落实门前责任，"
        "配合开展市容环境卫生巡查。",
    ),
    ("2.5", "inspection"): (
        "4",
        "4月开通96128服务热线，安排专人值守，建立受理、转办、督办、回访工作流程，"
        "全年受理群众来电398件，按时办结392件。",
    ),
    ("2.6", "party"): (
        "3",
        "组织党员干部开展学雷锋志愿服务和创建文明城市志愿服务，清理卫生死角、"
        "宣传垃圾分类，社会反响良好。",
    ),
    ("2.6", "street"): (
        "3",
        "7月组织34名职工对鱼米河开展义务疏浚，清理河道垃圾和淤泥，改善了河道环境。",
    ),
    ("3.1", "party"): (
        "6",
        "扎实开展党史学习教育，坚持“三会一课”制度，全年组织集中学习12次，"
        "开展专题党课、主题党日等活动，党员干部理论水平和党性修养不断提升。",
    ),
    ("3.2", "party"): (
        "4",
        "结对帮扶困难党员20名；职工家庭遭受火灾后，发动全局干部职工捐款1.3万余元，"
        "帮助其渡过难关。",
    ),
}

SAFETY_TEXT = (
    "{name}认真落实安全生产责任制，签订安全生产目标责任书，每月召开安全例会、"
    "开展安全检查，发现隐患及时整改。{extra}全年未发生安全生产责任事故。"
)
SAFETY_EXTRA = {
    "street": "组织保洁员开展道路作业安全培训，统一配发反光背心。",
    "waste": "将新修订的道路交通安全法规发放到每一名驾驶员，定期检查车辆安全性能。",
    "nightsoil": "加强吸粪车辆和有限空间作业安全管理。",
    "landfill": "加强填埋作业区防火、防沼气管理，完善应急预案。",
    "inspection": "加强巡查人员道路交通安全教育。",
    "office": "修订完善安全生产应急预案，6月“安全生产月”组织全体职工安全培训。",
    "party": "将安全生产纳入党员责任区管理。",
}
CLEAN_TEXT = (
    "{name}严格落实党风廉政建设责任制，签订党风廉政建设责任书，参加警示教育大会，"
    "{extra}全年无违规违纪问题。"
)
CLEAN_EXTRA = {
    "party": "党支部书记认真履行第一责任人职责，",
    "office": "严格执行公务接待和公车管理规定，",
}

#: Assessed scores that differ from the self score: (target, department) ->
#: (assessed score, reason). Everything else is assessed at the self score.
SCORE_OVERRIDES: dict[tuple[str, str], tuple[str, str]] = {
    ("1.2", "waste"): (
        "9.5",
        "11月统计月报数据与车辆台账不符被退回重报，统计工作不够严谨，扣0.5分。",
    ),
    ("1.8", "landfill"): (
        "5.5",
        "10月安全检查发现填埋作业区消防器材过期未及时更换，扣0.5分。",
    ),
    ("2.5", "inspection"): (
        "3.5",
        "热线件按时办结392件、受理398件，按时办结率未达100%，扣0.5分。",
    ),
    ("1.9", "street"): (
        "2",
        "经核查树穴挖填及夜间浇灌任务全部完成，评定满分。",
    ),
}

#: (department, kind, points, target code or None, reason)
ADJUSTMENTS: list[tuple[str, str, str, str | None, str]] = [
    (
        "inspection",
        "deduction",
        "0.5",
        None,
        "12月统计月报逾期未报送，扣0.5分。",
    ),
    (
        "street",
        "bonus",
        "1",
        "2.4",
        "国庆节前环境卫生集中整治成效突出，受到区委、区政府通报表扬，加1分。",
    ),
    (
        "party",
        "bonus",
        "0.5",
        "3.2",
        "组织为遭受火灾的职工家庭捐款1.3万余元，帮扶互助成效明显，加0.5分。",
    ),
]

BUREAU_OVERVIEW = (
    "2021年，区环境卫生管理局在区委、区政府的正确领导下，紧紧围绕年初下达的目标管理"
    "考核任务，以“干净、整洁、有序”为目标，全面加强城区环境卫生管理。全局每天清扫"
    "保洁面积约150万平方米，日均清运生活垃圾约170吨、粪便约60吨，全年填埋处置生活垃圾"
    "约6万吨；同时积极服从服务于区委、区政府中心工作，扎实开展党史学习教育，圆满完成"
    "了全年各项目标任务。现将2021年度目标管理考核自查情况报告如下。"
)
BUREAU_CLOSING = (
    "回顾一年来的工作，我局虽然取得了一定成绩，但也存在一些问题和不足：一是环卫机械化"
    "作业水平不高，人工清扫比重仍然较大；二是环卫基础设施建设滞后，垃圾填埋场库容"
    "日趋紧张；三是职工队伍年龄偏大，专业技术人才缺乏。2022年，我局将在区委、区政府的"
    "坚强领导下，加快推进第二垃圾填埋场项目建设，提高机械化作业水平，加强队伍建设，"
    "为建设干净整洁的城区环境作出新的更大贡献。"
)
STREET_OVERVIEW = (
    "2021年，清扫保洁队在局党组的领导下，坚持三班作业、每天17小时保洁，"
    "日均清扫保洁面积约150万平方米，日均清掏垃圾池1400个，完成了全年目标任务。"
)
STREET_CLOSING = (
    "2022年，清扫保洁队将进一步提高机械化清扫比例，加强保洁员队伍管理，"
    "巩固提升道路保洁质量。"
)

#: Evidence files the command makes itself:
#: (kind "png"/"pdf", original name, caption, attach to ("sa", target, dept) or
#: ("adjustment", department, target code)).
EVIDENCE: list[tuple[str, str, str, tuple[str, str, str]]] = [
    (
        "png",
        "道路清扫保洁作业现场.png",
        "道路清扫保洁作业现场",
        ("sa", "1.1", "street"),
    ),
    ("png", "夜间浇灌行道树.png", "5月12日夜间浇灌行道树", ("sa", "1.9", "street")),
    (
        "pdf",
        "2021年献爱心扶贫捐款明细.pdf",
        "2021年献爱心扶贫捐款明细 合计21,290元",
        ("sa", "1.5", "office"),
    ),
    (
        "pdf",
        "国庆节前集中整治通报表扬.pdf",
        "关于国庆节前环境卫生集中整治的通报表扬",
        ("adjustment", "street", "2.4"),
    ),
]

# ---------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------

_DAYS = "%Y-%m-%d"
_FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
]


def _date(text: str) -> datetime.date:
    return datetime.datetime.strptime(text, _DAYS).date()


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def _next_month(month: int) -> tuple[int, int]:
    return (YEAR + 1, 1) if month == 12 else (YEAR, month + 1)


def monthly_values(indicator: dict[str, Any]) -> list[Decimal]:
    """The twelve typed values of a demo indicator."""
    values = [Decimal(v) for v in indicator["monthly"].split()]
    if len(values) != 12:
        raise ValueError(f"{indicator['code']}: need 12 monthly values")
    return values


def evidence_image(caption: str) -> bytes:
    """A small PNG: a road with a sweeper's lane and the caption."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (480, 300), (236, 242, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 170, 480, 300), fill=(110, 114, 120))
    for x in range(10, 480, 60):
        draw.rectangle((x, 232, x + 34, 238), fill=(250, 250, 250))
    draw.rectangle((0, 160, 480, 170), fill=(60, 140, 70))
    for x in (60, 180, 300, 420):
        draw.rectangle((x - 4, 110, x + 4, 160), fill=(120, 80, 40))
        draw.ellipse((x - 28, 60, x + 28, 120), fill=(50, 130, 60))
    font: Any = None
    for path in _FONT_CANDIDATES:
        if Path(path).exists():
            font = ImageFont.truetype(path, 22)
            break
    if font is None:  # no CJK font on this machine: an ASCII caption instead
        font = ImageFont.load_default()
        caption = "2021 evidence photo"
    draw.text((16, 16), caption, fill=(20, 20, 20), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def evidence_pdf(caption: str) -> bytes:
    """A small, valid one-page A4 PDF carrying the caption (rendered as an image)."""
    from PIL import Image

    image = Image.open(io.BytesIO(evidence_image(caption))).convert("RGB")
    page = Image.new("RGB", (595, 842), (255, 255, 255))
    page.paste(image, (57, 80))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72.0, title=caption)
    return buffer.getvalue()


def demo_exists() -> bool:
    return AssessmentYear.objects.filter(year=YEAR).exists()


def delete_demo(stdout: TextIO) -> None:
    """Remove the 2021 year (with everything in it), its records and evidence files."""
    with transaction.atomic():
        units = Department.objects.filter(code__in=UNITS)
        for model in (Donation, Petition, SafetyActivity, PartyActivity, Task):
            model.objects.filter(department__in=units, date__year=YEAR).delete()
        # Evidence files go with their rows (assessment.signals).
        years.purge_year(AssessmentYear.objects.get(year=YEAR))
    stdout.write(
        gettext("Deleted the %(year)s demo year, its work records and evidence files.")
        % {"year": YEAR}
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


def _figures_entered_at(month: int) -> datetime.datetime:
    """A month's figures are typed in on the 3rd of the next month."""
    return _at(*_next_month(month), 3, 16)


def _on_the_day(record: Any) -> datetime.datetime:
    """A work record is written up on the afternoon of its date."""
    return _at(record.date.year, record.date.month, record.date.day, 17)


def load(stdout: TextIO) -> None:
    """Write the whole 2021 demo in one transaction.

    The caller checks that the year does not exist yet. Evidence files written before a
    failure are removed again, so a failed load leaves nothing behind.
    """
    saved_files: list[str] = []
    try:
        with transaction.atomic():
            departments = _load_departments()
            users = _load_users(departments)
            year = AssessmentYear.objects.create(year=YEAR, **YEAR_SETTINGS)
            targets = _load_catalogue(year, departments)
            indicators = _load_indicators(year, departments, targets)
            _load_returns(year, departments, users, indicators)
            _load_records(departments, users)
            _load_scoring(year, departments, users, targets, saved_files)
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
            "year": YEAR,
            "departments": len(departments),
            "users": len(users),
            "password": PASSWORD,
            "targets": len(targets),
            "indicators": len(indicators),
            "figures": figure_count,
        }
    )


def _load_departments() -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for code, name, parent, order in DEPARTMENTS:
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


def _load_users(departments: dict[str, Department]) -> dict[str, User]:
    # One hash for the shared, published demo password: hashing ten times would cost
    # seconds with the production hasher.
    password_hash = make_password(PASSWORD)
    users: dict[str, User] = {}
    for username, family, given, role, codes in USERS:
        is_admin = role == Role.ADMIN
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
    year: AssessmentYear, departments: dict[str, Department]
) -> dict[str, Target]:
    categories = {
        code: category
        for (code, _n), category in zip(
            CATEGORIES,
            Category.objects.bulk_create(
                Category(year=year, code=code, name=name, order=order)
                for order, (code, name) in enumerate(CATEGORIES, start=1)
            ),
            strict=True,
        )
    }
    rows = []
    for order, spec in enumerate(TARGETS, start=1):
        per_unit = spec.get("deduction_per_unit")
        rows.append(
            Target(
                category=categories[spec["code"].split(".")[0]],
                code=spec["code"],
                name=spec["name"],
                standard=spec["standard"],
                points=Decimal(spec["points"]),
                is_common=spec["departments"] == COMMON,
                evidence_required=spec["evidence"],
                rule=spec["rule"],
                deduction_per_unit=Decimal(per_unit) if per_unit else None,
                combine=spec.get("combine", "min"),
                order=order,
            )
        )
    created = Target.objects.bulk_create(rows)
    targets = {target.code: target for target in created}
    through = Target.departments.through
    through.objects.bulk_create(
        through(target_id=targets[spec["code"]].pk, department_id=departments[c].pk)
        for spec in TARGETS
        if spec["departments"] != COMMON
        for c in spec["departments"]
    )
    return targets


def _load_indicators(
    year: AssessmentYear,
    departments: dict[str, Department],
    targets: dict[str, Target],
) -> dict[str, Indicator]:
    rows = []
    for order, spec in enumerate(INDICATORS, start=1):
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
        for spec in INDICATORS
        for c in spec["departments"]
    )
    return indicators


def _load_returns(
    year: AssessmentYear,
    departments: dict[str, Department],
    users: dict[str, User],
    indicators: dict[str, Indicator],
) -> None:
    supervisor = users["supervisor"]
    returns = []
    for code in UNITS:
        clerk = users[CLERK_OF[code]]
        for month in range(1, 13):
            next_year, next_month = _next_month(month)
            row = MonthlyReturn(
                year=year,
                department=departments[code],
                month=month,
                status=ReturnStatus.APPROVED,
                submitted_at=_at(next_year, next_month, 5),
                submitted_by=clerk,
                reviewed_at=_at(next_year, next_month, 8, 15),
                reviewed_by=supervisor,
            )
            key = (code, month)
            if key == RETURNED_MONTH:
                row.status = ReturnStatus.RETURNED
                row.comment = RETURN_COMMENT
            elif key in (DRAFT_MONTH, OVERDUE_MONTH):
                row.status = ReturnStatus.DRAFT
                row.submitted_at = row.submitted_by = None
                row.reviewed_at = row.reviewed_by = None
            if key in REOPEN_REASONS:
                row.reopened_at = _at(YEAR + 1, 1, 12, 10)
                row.reopen_reason = REOPEN_REASONS[key]
            returns.append(row)
    created = _bulk(
        MonthlyReturn,
        returns,
        lambda r: r.reviewed_at or r.submitted_at or _at(*_next_month(r.month), 1),
    )
    by_key = {(r.department_id, r.month): r for r in created}

    figures = []
    for spec in INDICATORS:
        if spec.get("source"):
            continue  # fed by work records: no typed figures
        indicator = indicators[spec["code"]]
        for code in spec["departments"]:
            department = departments[code]
            clerk = users[CLERK_OF[code]]
            for month, value in enumerate(monthly_values(spec), start=1):
                figures.append(
                    Figure(
                        monthly_return=by_key[(department.pk, month)],
                        indicator=indicator,
                        value=value,
                        note=FIGURE_NOTES.get((spec["code"], month), ""),
                        updated_by=clerk,
                    )
                )
    _bulk(Figure, figures, lambda f: _figures_entered_at(f.monthly_return.month))
    # auto_now stamps today; the figures were entered in the days before submission.
    for month in range(1, 13):
        Figure.objects.filter(
            monthly_return__year=year, monthly_return__month=month
        ).update(updated_at=_figures_entered_at(month))


def _load_records(departments: dict[str, Department], users: dict[str, User]) -> None:
    def clerk(code: str) -> User:
        return users[CLERK_OF[code]]

    _bulk(
        Donation,
        (
            Donation(
                department=departments[code],
                date=_date(day),
                title=DONATION_CAMPAIGN,
                description=description,
                amount=Decimal(amount),
                items=items,
                updated_by=clerk(code),
            )
            for code, day, amount, items, description in DONATIONS
        ),
        _on_the_day,
    )
    _bulk(
        Petition,
        (
            Petition(
                department=departments[code],
                date=_date(day),
                channel=channel,
                title=subject,
                status=Petition.Status.RESOLVED,
                resolved_date=_date(resolved),
                description=description,
                updated_by=clerk(code),
            )
            for code, day, channel, subject, resolved, description in PETITIONS
        ),
        _on_the_day,
    )
    safety = [
        SafetyActivity(
            department=departments[code],
            date=_date(day),
            kind=kind,
            title=title,
            participants=participants,
            description=description,
            updated_by=clerk(code),
        )
        for code, day, kind, title, participants, description in SAFETY_EVENTS
    ]
    field_units = {"street", "waste", "nightsoil", "landfill"}
    for code in UNITS:
        for month in range(1, 13):
            safety.append(
                SafetyActivity(
                    department=departments[code],
                    date=datetime.date(YEAR, month, 6),
                    kind=SafetyActivity.Kind.MEETING,
                    title=f"{month}月安全生产例会",
                    description="传达上级安全生产工作要求，分析本月安全形势，部署安全工作。",
                    updated_by=clerk(code),
                )
            )
            if code in field_units:
                safety.append(
                    SafetyActivity(
                        department=departments[code],
                        date=datetime.date(YEAR, month, 22),
                        kind=SafetyActivity.Kind.INSPECTION,
                        title=f"{month}月安全生产检查",
                        description="检查车辆、作业现场和消防器材，现场督促整改隐患。",
                        updated_by=clerk(code),
                    )
                )
    _bulk(SafetyActivity, safety, _on_the_day)
    party = [
        PartyActivity(
            department=departments[code],
            date=_date(day),
            kind=kind,
            title=title,
            participants=participants,
            description=description,
            updated_by=clerk(code),
        )
        for code, day, kind, title, participants, description in PARTY_EVENTS
    ]
    party += [
        PartyActivity(
            department=departments["party"],
            date=datetime.date(YEAR, month, 15),
            kind=PartyActivity.Kind.STUDY,
            title=title,
            participants=38,
            description="全体党员参加集中学习，交流学习体会。",
            updated_by=clerk("party"),
        )
        for month, title in enumerate(STUDY_TITLES, start=1)
    ]
    _bulk(PartyActivity, party, _on_the_day)
    _bulk(
        Task,
        (
            Task(
                department=departments[code],
                date=_date(day),
                end_date=_date(end) if end else None,
                kind=kind,
                title=title,
                participants=participants,
                quantity=Decimal(quantity) if quantity else None,
                unit=unit,
                description=description,
                updated_by=clerk(code),
            )
            for code, day, end, kind, title, participants, quantity, unit, description in (
                TASKS
            )
        ),
        _on_the_day,
    )
    # auto_now stamps today; each record was written up on its day, as its history says.
    for model in (Donation, Petition, SafetyActivity, PartyActivity, Task):
        rows = list(
            model.objects.filter(department__in=departments.values(), date__year=YEAR)
        )
        for row in rows:
            row.updated_at = _on_the_day(row)
        model.objects.bulk_update(rows, ["updated_at"])


def responsible_pairs() -> list[tuple[str, str]]:
    """(target code, department code) for every target and responsible department."""
    return [
        (spec["code"], code)
        for spec in TARGETS
        for code in (UNITS if spec["departments"] == COMMON else spec["departments"])
    ]


def _self_assessment_text(target_code: str, department: Department) -> tuple[str, str]:
    key = (target_code, department.code)
    if key in SELF_ASSESSMENTS:
        return SELF_ASSESSMENTS[key]
    spec = next(s for s in TARGETS if s["code"] == target_code)
    if target_code == "1.8":
        extra = SAFETY_EXTRA.get(department.code, "")
        return spec["points"], SAFETY_TEXT.format(name=department.name, extra=extra)
    extra = CLEAN_EXTRA.get(department.code, "")
    return spec["points"], CLEAN_TEXT.format(name=department.name, extra=extra)


def _load_scoring(
    year: AssessmentYear,
    departments: dict[str, Department],
    users: dict[str, User],
    targets: dict[str, Target],
    saved_files: list[str],
) -> None:
    supervisor = users["supervisor"]
    # When each step of the January 2022 scoring happened: the rows' own timestamps
    # (auto_now, so set by an update below) and their history entries agree.
    evidence_at = _at(YEAR + 1, 1, 13, 10)
    self_assessed_at = _at(YEAR + 1, 1, 14, 11)
    scored_at = _at(YEAR + 1, 1, 20, 15)
    adjusted_at = _at(YEAR + 1, 1, 20, 16)
    texts_at = _at(YEAR + 1, 1, 21, 10)
    evidence_ids: list[int] = []
    _bulk(
        SelfAssessmentSubmission,
        (
            SelfAssessmentSubmission(
                year=year,
                department=departments[code],
                status=SubmissionStatus.SUBMITTED,
                submitted_at=_at(YEAR + 1, 1, 14, 17),
                submitted_by=users[CLERK_OF[code]],
            )
            for code in UNITS
        ),
        lambda s: s.submitted_at,
    )
    self_rows = []
    score_rows = []
    for target_code, code in responsible_pairs():
        department = departments[code]
        self_score, text = _self_assessment_text(target_code, department)
        self_rows.append(
            SelfAssessment(
                target=targets[target_code],
                department=department,
                self_score=Decimal(self_score),
                text=text,
                updated_by=users[CLERK_OF[code]],
            )
        )
        assessed, reason = SCORE_OVERRIDES.get((target_code, code), (self_score, ""))
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
    for code, kind, points, target_code, reason in ADJUSTMENTS:
        adjustment = Adjustment(
            year=year,
            department=departments[code],
            target=targets[target_code] if target_code else None,
            kind=kind,
            points=Decimal(points),
            reason=reason,
            created_by=supervisor,
        )
        _signed(adjustment, adjusted_at).save()
        adjustments[(code, target_code)] = adjustment
    for report_text in (
        ReportText(
            year=year,
            department=None,
            overview=BUREAU_OVERVIEW,
            closing=BUREAU_CLOSING,
            updated_by=supervisor,
        ),
        ReportText(
            year=year,
            department=departments["street"],
            overview=STREET_OVERVIEW,
            closing=STREET_CLOSING,
            updated_by=users["clerk_street"],
        ),
    ):
        _signed(report_text, texts_at).save()
    for kind, original_name, caption, (owner, first, second) in EVIDENCE:
        data = evidence_image(caption) if kind == "png" else evidence_pdf(caption)
        name = default_storage.save(
            f"evidence/{YEAR}/{uuid.uuid4().hex}.{kind}", ContentFile(data)
        )
        saved_files.append(name)
        evidence = Evidence(
            file=name,
            original_name=original_name,
            content_type="image/png" if kind == "png" else "application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        if owner == "sa":
            department = departments[second]
            evidence.self_assessment = self_assessments[
                (targets[first].pk, department.pk)
            ]
            evidence.uploaded_by = users[CLERK_OF[second]]
        else:
            department = departments[first]
            evidence.adjustment = adjustments[(first, second)]
            evidence.uploaded_by = supervisor
        evidence.department = department
        _signed(evidence, evidence_at).save()
        evidence_ids.append(evidence.pk)
    # auto_now / auto_now_add stamp today; the scoring happened in January 2022.
    SelfAssessment.objects.filter(target__category__year=year).update(
        updated_at=self_assessed_at
    )
    Score.objects.filter(target__category__year=year).update(scored_at=scored_at)
    Adjustment.objects.filter(year=year).update(created_at=adjusted_at)
    Evidence.objects.filter(pk__in=evidence_ids).update(uploaded_at=evidence_at)
    ReportText.objects.filter(year=year).update(updated_at=texts_at)
