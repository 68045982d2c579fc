"""2021: the year's settings and its catalogue, laid out as the self-review is.

The self-review's hierarchy: 第一部分：勤政建设 holds 一、二、三 (the categories);
each holds （一）… sections (a target, or a report section holding several targets or
unscored items 1. …). Headings are the self-review's own. Points sum to 100.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

SETTINGS: dict[str, Any] = {
    "title": "2021年度目标管理考核",
    "status": "scoring",
    "deadline_day": 10,
    "excellent_threshold": Decimal(90),
    "good_threshold": Decimal(80),
    "pass_threshold": Decimal(60),
    "bonus_cap": Decimal(5),
}

PART = "勤政建设"

#: (code, name, heading in the report, part)
CATEGORIES: list[tuple[str, str, str, str]] = [
    ("1", "各项业务工作", "按照区委、区政府的工作要求，各项业务工作全面完成", PART),
    ("2", "服从服务于区委政府中心工作", "服从、服务于区委、政府中心工作", PART),
    ("3", "加强和改进党建工作", "加强和改进党建工作，为环卫各项工作发展提供保证", PART),
]

#: Unscored report sections (their texts are in texts.py).
SECTIONS: list[dict[str, Any]] = [
    {"code": "S1-1", "category": "1", "parent": None},
    {"code": "S1-2", "category": "1", "parent": None},
    {"code": "S1-2-2", "category": "1", "parent": "S1-2"},
    {"code": "S1-2-3", "category": "1", "parent": "S1-2"},
    {"code": "S1-2-4", "category": "1", "parent": "S1-2"},
    {"code": "S2-6", "category": "2", "parent": None},
]

SECTION_HEADINGS = {
    "S1-1": "认真完成好城市卫生管理工作",
    "S1-2": "积极开展扶贫工作",
    "S1-2-2": "深入扶贫挂钩点",
    "S1-2-3": "帮助受困职工",
    "S1-2-4": "开展党内互助活动",
    "S2-6": "认真做好各项接待和检查工作，树立良好的城市环境卫生形象",
}

TARGETS: list[dict[str, Any]] = [
    # 一、各项业务工作 (55 points)
    {
        "code": "1.1",
        "category": "1",
        "section": "S1-1",
        "name": "道路清扫保洁",
        "points": "9",
        "departments": ["street"],
        "rule": "ratio",
        "standard": "每日清扫保洁城区道路不少于150万平方米；未完成按比例扣分。",
        "evidence": "作业台账、月度统计报表、现场照片",
    },
    {
        "code": "1.2",
        "category": "1",
        "section": "S1-1",
        "name": "垃圾清运",
        "points": "9",
        "departments": ["waste"],
        "rule": "ratio",
        "standard": "每天定人定点定时清运垃圾坑不少于1400个，日清运垃圾不少于170吨，"
        "生活垃圾日产日清；未完成按比例扣分。",
        "evidence": "车辆出车台账、过磅记录、月度统计报表",
    },
    {
        "code": "1.3",
        "category": "1",
        "section": "S1-1",
        "name": "粪便清运",
        "points": "7",
        "departments": ["nightsoil"],
        "rule": "ratio",
        "standard": "每天收集清运粪便不少于60吨；未完成按比例扣分。",
        "evidence": "清运台账、月度统计报表",
    },
    {
        "code": "1.4",
        "category": "1",
        "section": "S1-1",
        "name": "垃圾填埋处置",
        "points": "7",
        "departments": ["landfill"],
        "rule": "threshold",
        "standard": "收集清运的垃圾当天进行无害化卫生填埋，全年填埋处置量达6万吨；"
        "未达到不得分。",
        "evidence": "进场过磅记录、作业记录",
    },
    {
        "code": "1.5",
        "category": "1",
        "section": "S1-1",
        "name": "环境卫生监督",
        "points": "4",
        "departments": ["inspection"],
        "rule": "judgement",
        "standard": "每天对全城路面环境卫生状况进行监督检查，依法治理违规行为；"
        "由考核组综合评定。",
        "evidence": "巡查记录、处罚记录、媒体曝光材料",
    },
    {
        "code": "1.6",
        "category": "1",
        "section": "S1-2",
        "name": "开展各种扶贫捐款活动",
        "points": "4",
        "departments": ["office"],
        "rule": "threshold",
        "standard": "积极组织参与扶贫捐款活动，全年捐款不少于2万元；未达到不得分。",
        "evidence": "捐款名单及收据",
    },
    {
        "code": "1.7",
        "category": "1",
        "name": "扎实开展新农村建设工作",
        "points": "3",
        "departments": ["office"],
        "rule": "judgement",
        "standard": "落实新农村建设挂钩帮扶责任；由考核组综合评定。",
        "evidence": "座谈会记录、帮扶计划",
    },
    {
        "code": "1.8",
        "category": "1",
        "name": "加大对信访工作的工作力度",
        "points": "4",
        "departments": ["office"],
        "rule": "judgement",
        "standard": "信访接待、投诉办理做到接待、登记、反馈一站式服务，"
        "政协提案按时答复；由考核组综合评定。",
        "evidence": "信访登记簿、提案答复函",
    },
    {
        "code": "1.9",
        "category": "1",
        "name": "认真开展加强安全生产工作",
        "points": "6",
        "departments": [
            "street",
            "waste",
            "nightsoil",
            "landfill",
            "inspection",
            "office",
        ],
        "rule": "judgement",
        "combine": "min",
        "standard": "定期召开安全生产工作会议、开展安全生产检查，开展安全教育和培训，"
        "建立和完善安全生产制度和应急预案；发生安全生产死亡事故实行一票否决。",
        "evidence": "会议记录、检查记录、培训签到表、应急预案",
    },
    {
        "code": "1.10",
        "category": "1",
        "name": "认真做好环境卫生工作和绿化工作",
        "points": "2",
        "departments": ["office", "party"],
        "rule": "judgement",
        "combine": "avg",
        "standard": "做好单位内部卫生和绿化，完成义务植树和绿化责任区管护任务；"
        "由考核组综合评定。",
        "evidence": "植树记录、现场照片",
    },
    # 二、服从服务于区委政府中心工作 (30 points)
    {
        "code": "2.1",
        "category": "2",
        "name": "主动搞好信息服务工作，畅通信息渠道",
        "points": "6",
        "departments": ["office"],
        "rule": "ratio",
        "standard": "按时上报工作计划、总结，全年报送信息不少于50条、"
        "环卫报及环卫复不少于24份、简报不少于48份；按完成比例计分。",
        "evidence": "发文登记簿、信息报送登记、简报",
    },
    {
        "code": "2.2",
        "category": "2",
        "name": "发挥职能作用，服务和满足政府应急需求",
        "points": "5",
        "departments": ["waste"],
        "rule": "judgement",
        "standard": "服从区委、区政府统一调度，按时完成各项应急任务；由考核组综合评定。",
        "evidence": "任务通知、工作记录、照片",
    },
    {
        "code": "2.3",
        "category": "2",
        "name": "积极推进第二垃圾处理场的建设，服务政府民生工程",
        "points": "6",
        "departments": ["landfill"],
        "rule": "judgement",
        "standard": "按计划推进第二垃圾处理场项目各项前期工作；由考核组综合评定。",
        "evidence": "项目进度表、批复文件",
    },
    {
        "code": "2.4",
        "category": "2",
        "name": "喜迎60周年国庆，全力配合开展环境卫生整治工作",
        "points": "6",
        "departments": ["street", "waste", "inspection"],
        "rule": "judgement",
        "combine": "avg",
        "standard": "按要求开展国庆节前市容环境卫生集中整治和“门前五包”整治工作；"
        "由考核组综合评定。",
        "evidence": "整治方案、工作记录、照片",
    },
    {
        "code": "2.5",
        "category": "2",
        "name": "推行阳光政府“四项制度”，积极打造阳光政府形象",
        "points": "4",
        "departments": ["office"],
        "rule": "judgement",
        "standard": "按照区委、区政府的要求实施阳光政府工程，抓好“四项制度”公开"
        "网络平台建设；由考核组综合评定。",
        "evidence": "公开平台截图、专线电话受理登记",
    },
    {
        "code": "2.6",
        "category": "2",
        "name": "树立服务理念，投身上级部署的义务工作",
        "points": "3",
        "departments": ["office"],
        "rule": "judgement",
        "standard": "按照上级的要求和部署参加义务劳动；由考核组综合评定。",
        "evidence": "活动记录、签到表、照片",
    },
    # 三、加强和改进党建工作 (15 points)
    {
        "code": "3.1",
        "category": "3",
        "name": "注重从思想上建党，为环卫工作提供坚强的政治和思想保证",
        "points": "15",
        "departments": ["party"],
        "rule": "judgement",
        "standard": "坚持周一学习和党支部学习日制度，开展专项学教活动；"
        "由考核组综合评定。",
        "evidence": "学习记录、会议记录",
    },
]

#: The self-review's order: sections and targets share one sequence.
OUTLINE = [
    "S1-1",
    "1.1",
    "1.2",
    "1.3",
    "1.4",
    "1.5",
    "S1-2",
    "1.6",
    "S1-2-2",
    "S1-2-3",
    "S1-2-4",
    "1.7",
    "1.8",
    "1.9",
    "1.10",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "2.5",
    "S2-6",
    "2.6",
    "3.1",
]
