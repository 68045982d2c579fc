"""2021: the work records (工作纪实) the report narrates.

Each record's description is the self-review's own account of it, dates and amounts
included: the report prints the description, so a record whose date the self-review
does not give still orders the narrative without stating a date. Where the
self-review gives the month or the day, the date field holds it.
"""

from __future__ import annotations

from typing import Any

DONATIONS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2021-06-15",
        "title": "献爱心扶贫捐款",
        "amount": "7540",
        "items": "",
        "description": "6月，参与献爱心扶贫捐款，捐款金额共计7,540元",
    },
    {
        "department": "office",
        "date": "2021-09-15",
        "title": "“爱心圆梦”捐助活动",
        "amount": "6160",
        "items": "",
        "description": "9月，在“爱心圆梦”捐助活动中，共捐款6,160元，"
        "在爱心圆梦和金秋助学活动中，共帮助近30名职工子女",
    },
    {
        "department": "office",
        "date": "2021-10-15",
        "title": "“慈善一日捐”活动",
        "amount": "3740",
        "items": "",
        "description": "10月，组织“慈善一日捐”活动，共捐款3,740元",
    },
    {
        "department": "office",
        "date": "2021-11-15",
        "title": "“送温暖，献爱心”捐款捐物活动",
        "amount": "3850",
        "items": "衣物8件",
        "description": "11月份，在“送温暖，献爱心”捐款捐物活动中，共组织捐款3,850元，"
        "衣物共计8件",
    },
]

PETITIONS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2021-05-10",
        "channel": "proposal",
        "title": "政协提案答复",
        "status": "resolved",
        "resolved_date": "2021-06-10",
        "description": "对1份政协提案及时进行答复，做到有批示，有回复",
    },
    {
        "department": "office",
        "date": "2021-08-10",
        "channel": "visit",
        "title": "环卫工人反映工资增长和社会保险问题",
        "status": "open",
        "resolved_date": None,
        "description": "面对环卫职工工资得不到相应的增长、社会保险未能妥善解决，"
        "环卫工人上访的情况，我局正确应对，在区委、区政府的大力支持下和相关部门的"
        "配合下，使矛盾化解到位，确保了上访事件的发生和全部处理过程中，"
        "未对社会稳定造成不良影响。目前局机关工作人员和相关部门正在加紧办理五大保险、"
        "增资等相关工作，确保及时落实到每一位职工身上",
    },
]

SAFETY_EVENTS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2021-03-10",
        "kind": "training",
        "title": "向全体驾驶员发放云南省道路交通安全条例",
        "description": "向全体驾驶员发放了2021年最新的云南省道路交通安全条例",
    },
    {
        "department": "office",
        "date": "2021-06-15",
        "kind": "training",
        "title": "“关爱生命、安全生产”安全教育",
        "description": "吸取今年的事故教训，在开展安全生产月活动中，对全体环卫工作者"
        "进行了一次“关爱生命、安全生产”的安全教育，加强对道路清扫人员、垃圾清运人员、"
        "上车工、驾驶员的安全教育和培训，让安全生产深入人心，让安全生产警钟长鸣",
    },
]

PARTY_EVENTS: list[dict[str, Any]] = [
    {
        "department": "party",
        "date": "2021-11-20",
        "kind": "mutual_aid",
        "title": "党内互助“八个一”活动",
        "description": "深入社区，开展好党内互助“八个一”活动，切实组织我局党员对所帮扶的"
        "西安街道办事处义正社区贫困党员20人进行了结对帮扶，送上了棉被，送去了温暖",
    },
]

TASKS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2021-03-12",
        "end_date": None,
        "kind": "greening",
        "title": "义务植树整地、挖坑和换土",
        "quantity": "87",
        "unit": "塘",
        "description": "按照绿化委员开展义务植树活动的通知，我局在时间紧、任务重、"
        "施工难度大的情况下，安排人员到现场实地指挥工作，并投入机械设备，"
        "完成了云大旅游学院以北丽鸣路东侧地块下半部分共计87塘的整地、挖坑和换土的"
        "工作任务",
    },
    {
        "department": "party",
        "date": "2021-05-12",
        "end_date": "2021-05-13",
        "kind": "greening",
        "title": "夜间浇灌福慧东、西路树木",
        "quantity": None,
        "unit": "",
        "description": "针对今年雨水少、气候干旱的情况，5月12日、13日两晚，"
        "区环卫局抽调洒水车，组织局机关党支部所有党员和年青职工，利用晚间休息时间，"
        "对福慧东、西路两旁的树木、绿化带进行浇灌。浇灌工作从晚上七点持续到夜间"
        "十二点，全程浇灌树木近百棵，缓解了今年入春以来绿化树木的“水荒”",
    },
    {
        "department": "waste",
        "date": "2021-07-05",
        "end_date": None,
        "kind": "emergency",
        "title": "铲除紫茎泽兰植株清运",
        "quantity": "7",
        "unit": "吨",
        "description": "在本次铲除工作中，共清运紫茎泽兰6车，近7吨",
    },
    {
        "department": "street",
        "date": "2021-09-24",
        "end_date": "2021-09-30",
        "kind": "campaign",
        "title": "迎国庆市容环境卫生集中整治",
        "quantity": None,
        "unit": "",
        "description": "9月24日至9月30日开展了迎国庆市容环境卫生集中整治工作。"
        "全方位加强清扫保洁力度，在继续认真做好150万平方米的城区街道和其它区域的"
        "全天候不间断的清扫保洁工作的同时，加强对节前开展各类活动的周边环境的清扫"
        "保洁力度。做好对民航路、福慧西路等重要道路进行花坛建设和隔离栏拆除工作的"
        "清扫保洁，确保以上特殊道路的卫生质量",
    },
    {
        "department": "waste",
        "date": "2021-09-24",
        "end_date": None,
        "kind": "campaign",
        "title": "配合开展爱国卫生运动清运陈年垃圾",
        "quantity": "100",
        "unit": "吨",
        "description": "配合束河街道办事处、大研街道办事处以及全区开展爱国卫生运动，"
        "清运陈年垃圾近100吨",
    },
    {
        "department": "inspection",
        "date": "2021-09-24",
        "end_date": None,
        "kind": "campaign",
        "title": "“门前五包”整治",
        "quantity": None,
        "unit": "",
        "description": "配合爱卫办、卫生部门等相关单位，抽调我局2名工作人员开展了"
        "“门前五包”整治工作。分别对大丽路、南过境、民主路、福慧路、香格里拉大道、"
        "象山路、西安路、玉缘路、玉泉路、祥和片区及各街道所有临街单位及门店开展了"
        "为期2个月的整治工作",
    },
    {
        "department": "street",
        "date": "2021-09-25",
        "end_date": "2021-09-26",
        "kind": "campaign",
        "title": "与驻丽部队进行道路清洗",
        "quantity": "100",
        "unit": "万平方米",
        "description": "9月25日和26日两天，与森警、消防等驻丽部队进行道路清洗工作，"
        "清洗路面区域近100万平方米",
    },
    {
        "department": "street",
        "date": "2021-09-28",
        "end_date": None,
        "kind": "campaign",
        "title": "火车站试通车典礼环境保障",
        "quantity": None,
        "unit": "",
        "description": "9月28日抽调部分清扫保洁工作人员负责做好火车站试通车典礼现场"
        "及周边的环境保障工作",
    },
    {
        "department": "office",
        "date": "2021-04-10",
        "end_date": None,
        "kind": "voluntary",
        "title": "参与护林防火救火",
        "quantity": None,
        "unit": "",
        "description": "今年入春以来，由于频频发生森林火灾，按照上级的要求和部署，"
        "我局多次组织人员参与到救火行动中，很好地完成了上级交办的护林防火救火工作",
    },
    {
        "department": "office",
        "date": "2021-07-15",
        "end_date": None,
        "kind": "voluntary",
        "title": "鱼米河道义务清淤保洁劳动",
        "quantity": None,
        "unit": "",
        "description": "为进一步改善鱼米河河道环境卫生，根据区委区政府的安排部署，"
        "2021年7月，组织全局机关干部34人参加了鱼米河道义务清淤保洁劳动",
    },
]

RECORDS = {
    "Donation": DONATIONS,
    "Petition": PETITIONS,
    "SafetyActivity": SAFETY_EVENTS,
    "PartyActivity": PARTY_EVENTS,
    "Task": TASKS,
}
