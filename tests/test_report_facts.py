"""Every fact of the bureau's 2021 self-review is in the generated report, under the
heading where the self-review tells it, in its own words and degrees of vagueness;
nothing the self-review does not say is stated as a fact.

The guard against regressions of the demo data (records, texts, figures) and of the
report's outline: the facts are listed here once, the report is generated once.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from assessment.models import Department
from assessment.reporting.rendering import render_body
from assessment.reporting.report import build_report
from tests.report_support import demo_module_fixture, node_texts, plain


def _build(year):
    report = build_report(year, None, Department.objects.all())
    with translation.override("zh-hans"):
        html = render_body(report)
    return report, html


pytestmark = pytest.mark.django_db

demo_report = demo_module_fixture(_build)

#: The self-review's outline, in its order.
HEADINGS = [
    "第一部分：勤政建设",
    "一、按照区委、区政府的工作要求，各项业务工作全面完成",
    "（一）认真完成好城市卫生管理工作",
    "（二）积极开展扶贫工作",
    "1.开展各种扶贫捐款活动",
    "2.深入扶贫挂钩点",
    "3.帮助受困职工",
    "4.开展党内互助活动",
    "（三）扎实开展新农村建设工作",
    "（四）加大对信访工作的工作力度",
    "（五）认真开展加强安全生产工作",
    "（六）认真做好环境卫生工作和绿化工作",
    "二、服从、服务于区委、政府中心工作",
    "（一）主动搞好信息服务工作，畅通信息渠道",
    "（二）发挥职能作用，服务和满足政府应急需求",
    "（三）积极推进第二垃圾处理场的建设，服务政府民生工程",
    "（四）喜迎60周年国庆，全力配合开展环境卫生整治工作",
    "（五）推行阳光政府“四项制度”，积极打造阳光政府形象",
    "（六）认真做好各项接待和检查工作，树立良好的城市环境卫生形象",
    "（七）树立服务理念，投身上级部署的义务工作",
    "三、加强和改进党建工作，为环卫各项工作发展提供保证",
    "（一）注重从思想上建党，为环卫工作提供坚强的政治和思想保证",
]

CITY = "认真完成好城市卫生管理工作"
#: (heading the fact sits under, the fact as the self-review says it)
FACTS: list[tuple[str, str]] = [
    ("overview", "紧紧围绕目标管理各项工作"),
    ("overview", "以科学发展观统领全局"),
    ("overview", "全面完成了区委区政府下达的工作目标任务"),
    (CITY, "誉满海内外的旅游城市"),
    (CITY, "继续完善竞聘上岗制度"),
    (CITY, "坚持流动红旗评比激励机制"),
    (CITY, "实行机关人员责任路段分级管理制"),
    (CITY, "实现精细化作业"),
    (CITY, "定点倾倒、定员收集、定时清运"),
    (CITY, "由治脏、治乱、治差向做美、做亮、做优转变"),
    (CITY, "全国文明风景旅游区和中国优秀旅游城市"),
    (CITY, "宁愿一人脏、换来万家洁"),
    (CITY, "每天近17小时分三班不间断地清扫保洁150多万平方米"),
    (CITY, "人均清扫面积达4000多平方米"),
    (CITY, "每天定人定点定时清运1400多个垃圾坑"),
    (CITY, "日清运垃圾170吨"),
    (CITY, "日产日清"),
    (CITY, "推行垃圾不落地管理"),
    (CITY, "每天密封吸式收集清运粪便60吨（人工清掏2吨）"),
    (CITY, "年内处理近6万吨"),
    (CITY, "对建筑材料遗撒道路、车辆带泥上路等情况进行媒体曝光"),
    (CITY, "并给予一定的教育处罚"),
    ("积极开展扶贫工作", "把解决群众困难问题作为扶贫工作的重点和突破口"),
    ("开展各种扶贫捐款活动", "6月，参与献爱心扶贫捐款，捐款金额共计7,540元"),
    ("开展各种扶贫捐款活动", "9月，在“爱心圆梦”捐助活动中，共捐款6,160元"),
    ("开展各种扶贫捐款活动", "在爱心圆梦和金秋助学活动中，共帮助近30名职工子女"),
    ("开展各种扶贫捐款活动", "10月，组织“慈善一日捐”活动，共捐款3,740元"),
    ("开展各种扶贫捐款活动", "“送温暖，献爱心”捐款捐物活动中，共组织捐款3,850元"),
    ("开展各种扶贫捐款活动", "衣物共计8件"),
    ("开展各种扶贫捐款活动", "21,290元"),
    ("深入扶贫挂钩点", "1月深入到扶贫挂钩点七河忠义五组的2家贫困户"),
    ("深入扶贫挂钩点", "大米、食用油以及棉被"),
    ("深入扶贫挂钩点", "共支出资金20余元"),
    ("深入扶贫挂钩点", "10月随同挂钩领导深入扶贫挂钩点金山乡东江东风行政村"),
    ("帮助受困职工", "受火灾造成严重损失的和晓昱家庭"),
    ("帮助受困职工", "共计捐款13,000余元"),
    ("开展党内互助活动", "党内互助“八个一”活动"),
    ("开展党内互助活动", "西安街道办事处义正社区贫困党员20人"),
    ("开展党内互助活动", "送上了棉被"),
    ("扎实开展新农村建设工作", "今年9月"),
    ("扎实开展新农村建设工作", "金山乡漾西村林红六二社"),
    ("扎实开展新农村建设工作", "召开了座谈会"),
    ("扎实开展新农村建设工作", "生产发展、生活宽裕、乡风文明、村容整洁、管理民主"),
    ("扎实开展新农村建设工作", "积极向林红六二社补助2万元"),
    ("扎实开展新农村建设工作", "村道硬化项目"),
    ("加大对信访工作的工作力度", "以人为本"),
    ("加大对信访工作的工作力度", "接待、登记、反馈一站式服务"),
    ("加大对信访工作的工作力度", "对1份政协提案及时进行答复，做到有批示，有回复"),
    ("加大对信访工作的工作力度", "使矛盾化解到位"),
    ("加大对信访工作的工作力度", "正在加紧办理五大保险、增资等相关工作"),
    ("认真开展加强安全生产工作", "定期召开安全生产工作会议，定期开展安全生产检查活动"),
    (
        "认真开展加强安全生产工作",
        "向全体驾驶员发放了2021年最新的云南省道路交通安全条例",
    ),
    ("认真开展加强安全生产工作", "吸取今年的事故教训"),
    ("认真开展加强安全生产工作", "“关爱生命、安全生产”的安全教育"),
    ("认真开展加强安全生产工作", "建立和完善了安全生产制度、安全事故应急预案"),
    ("认真开展加强安全生产工作", "人人懂规范，个个讲安全"),
    ("认真做好环境卫生工作和绿化工作", "单位大院卫生、绿化工作由门卫负责"),
    (
        "认真做好环境卫生工作和绿化工作",
        "定期进行锄草和浇水，并接受园林、林业等部门的监督",
    ),
    (
        "认真做好环境卫生工作和绿化工作",
        "云大旅游学院以北丽鸣路东侧地块下半部分共计87塘",
    ),
    ("认真做好环境卫生工作和绿化工作", "5月12日、13日两晚，区环卫局抽调洒水车"),
    ("认真做好环境卫生工作和绿化工作", "局机关党支部所有党员和年青职工"),
    ("认真做好环境卫生工作和绿化工作", "福慧东、西路两旁的树木、绿化带"),
    ("认真做好环境卫生工作和绿化工作", "从晚上七点持续到夜间十二点"),
    ("认真做好环境卫生工作和绿化工作", "全程浇灌树木近百棵"),
    (
        "主动搞好信息服务工作，畅通信息渠道",
        "以正式文件下文的有环卫发6份、环卫报、环卫复共27份",
    ),
    ("主动搞好信息服务工作，畅通信息渠道", "认真完成舆情上报工作"),
    ("主动搞好信息服务工作，畅通信息渠道", "报送信息60条"),
    ("主动搞好信息服务工作，畅通信息渠道", "共计报送简报近50份"),
    ("发挥职能作用，服务和满足政府应急需求", "6月底区召开了铲除紫茎泽兰的紧急会议"),
    ("发挥职能作用，服务和满足政府应急需求", "见一株铲一株"),
    ("发挥职能作用，服务和满足政府应急需求", "分类填埋、专坑填埋"),
    ("发挥职能作用，服务和满足政府应急需求", "共清运紫茎泽兰6车，近7吨"),
    (
        "积极推进第二垃圾处理场的建设，服务政府民生工程",
        "2007年12月通过了世界银行正式评估",
    ),
    (
        "积极推进第二垃圾处理场的建设，服务政府民生工程",
        "先后完成征地、工程设计、规划审批、地勘、林勘、环评、水保等工作",
    ),
    ("积极推进第二垃圾处理场的建设，服务政府民生工程", "该工程可进入建设阶段"),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "9月24日至9月30日"),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "民航路、福慧西路"),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "束河街道办事处、大研街道办事处"),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "清运陈年垃圾近100吨"),
    (
        "喜迎60周年国庆，全力配合开展环境卫生整治工作",
        "抽调我局2名工作人员开展了“门前五包”整治工作",
    ),
    (
        "喜迎60周年国庆，全力配合开展环境卫生整治工作",
        "大丽路、南过境、民主路、福慧路、香格里拉大道、象山路、西安路、玉缘路、玉泉路、祥和片区",
    ),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "为期2个月"),
    (
        "喜迎60周年国庆，全力配合开展环境卫生整治工作",
        "9月25日和26日两天，与森警、消防等驻丽部队进行道路清洗工作",
    ),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "清洗路面区域近100万平方米"),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "9月28日"),
    ("喜迎60周年国庆，全力配合开展环境卫生整治工作", "火车站试通车典礼"),
    ("推行阳光政府“四项制度”，积极打造阳光政府形象", "从今年三月以来"),
    ("推行阳光政府“四项制度”，积极打造阳光政府形象", "“四项制度”公开网络平台建设"),
    ("推行阳光政府“四项制度”，积极打造阳光政府形象", "开通“96128”政务专线电话"),
    ("树立服务理念，投身上级部署的义务工作", "频频发生森林火灾"),
    ("树立服务理念，投身上级部署的义务工作", "护林防火救火工作"),
    ("树立服务理念，投身上级部署的义务工作", "2021年7月，组织全局机关干部34人"),
    ("树立服务理念，投身上级部署的义务工作", "鱼米河道义务清淤保洁劳动"),
    (
        "注重从思想上建党，为环卫工作提供坚强的政治和思想保证",
        "充分利用周一学习和党支部学习日",
    ),
    ("注重从思想上建党，为环卫工作提供坚强的政治和思想保证", "重温党章"),
    ("注重从思想上建党，为环卫工作提供坚强的政治和思想保证", "订阅《支部生活》"),
    (
        "注重从思想上建党，为环卫工作提供坚强的政治和思想保证",
        "深入开展学习实践科学发展观活动",
    ),
    # The closing names the problems the self-review itself names.
    ("closing", "原有的垃圾处理场已经不能满足现有的需要"),
    ("closing", "五大保险、增资等相关工作正在加紧办理"),
]

#: Stated differently, renamed or invented before: never in the report.
NEVER = [
    "398",
    "392",
    "420人",
    "86人",
    "全年未发生安全生产责任事故",
    "4月开通",
    "扶贫日",
    "金秋助学献爱心捐款",
    "约100棵",
    "出资2万元",
    "党史学习教育",
    "学雷锋",
    "全年组织集中学习12次",
    "62,050",
    "通报表扬",
]


def test_the_outline_is_the_self_reviews_in_its_order(demo_report):
    _report, html = demo_report
    text = plain(html.replace("<", " <"))
    positions = [text.find(plain(heading)) for heading in HEADINGS]
    missing = [h for h, p in zip(HEADINGS, positions, strict=True) if p < 0]
    assert not missing
    assert positions == sorted(positions)
    # The ranking and the closing come after the three parts.
    results = text.find('part-heading">考核结果')
    assert results > positions[-1]
    assert text.find(plain("在肯定成绩的同时")) > results


@pytest.mark.parametrize(("heading", "fact"), FACTS, ids=[f for _h, f in FACTS])
def test_each_fact_is_under_its_heading(demo_report, heading, fact):
    report, html = demo_report
    sections = node_texts(report)
    assert heading in sections, heading
    assert plain(fact) in plain(sections[heading])
    assert plain(fact) in plain(html)


def test_nothing_invented_or_renamed_is_stated(demo_report):
    _report, html = demo_report
    # What the report states: its text, not the markup's attributes (a chart's
    # coordinates hold any digits).
    stated = re.sub(r"<[^>]*>", " ", html)
    found = [
        claim for claim in NEVER if claim in stated or plain(claim) in plain(stated)
    ]
    assert not found


def test_vague_figures_stay_vague(demo_report):
    _report, html = demo_report
    for vague in ("近30名", "13,000余元", "近7吨", "近100吨", "近百棵", "近50份"):
        assert vague in html, vague
    # Not made exact (or made vaguer) on the way.
    for exact in ("30名职工子女", "13,000元", "共清运紫茎泽兰6车，7吨", "约7吨"):
        assert exact not in html.replace("近30名", "").replace("余元", ""), exact


def test_figures_print_in_chinese_units_with_thousands_separators(demo_report):
    report, _html = demo_report
    figures = {
        f.name: f
        for category in report.categories
        for node in category.nodes
        for f in ([*(node.target.figures if node.target else [])])
        + [
            f
            for child in node.children
            for f in (child.target.figures if child.target else [])
        ]
    }
    assert figures["垃圾卫生填埋量"].unit == "吨"
    assert figures["垃圾卫生填埋量"].value == "60,000"
    assert figures["日均清扫保洁面积"].unit == "万平方米"
    assert figures["扶贫捐款金额"].value == "21,290"
    assert figures["扶贫捐款金额"].unit == "元"
    assert figures["日均清运垃圾坑"].unit == "个"
