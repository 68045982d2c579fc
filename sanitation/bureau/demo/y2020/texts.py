"""2020: the bureau's overview and closing, and the report sections' narratives
(2021's where they state no fact of their own year)."""

from __future__ import annotations

from sanitation.bureau.demo.y2021 import texts as y2021

SECTION_TEXTS = {
    code: text if code in ("S1-1", "S1-2") else ""
    for code, text in y2021.SECTION_TEXTS.items()
}

BUREAU_OVERVIEW = (
    "2020年，区环境卫生管理局围绕区委、区政府下达的目标任务，克服疫情带来的困难，"
    "坚持城区道路清扫保洁、垃圾和粪便清运处置不停摆，完成了年度目标管理各项工作任务。"
)

BUREAU_CLOSING = (
    "工作中仍存在不足：垃圾清运处置能力与城市发展不相适应，环卫职工待遇问题有待"
    "进一步解决。我局将在新的一年里认真研究，切实加以改进。"
)

REPORT_TEXTS: dict[str | None, tuple[str, str]] = {
    None: (BUREAU_OVERVIEW, BUREAU_CLOSING),
}

ENGLISH = {
    BUREAU_OVERVIEW: (
        "In 2020 the District Sanitation Bureau worked to the targets set by the "
        "District Party Committee and the District Government; despite the epidemic "
        "it kept street cleaning and the collection and disposal of waste and night "
        "soil going, and completed the year's target-management tasks."
    ),
    BUREAU_CLOSING: (
        "Shortcomings remain: waste collection and disposal have not kept pace with "
        "the city's growth, and the pay of sanitation staff still needs to be "
        "settled. The bureau will study these in the new year and improve."
    ),
    "6月，参与献爱心扶贫捐款，捐款金额共计6,800元": (
        "In June, staff gave 6,800 yuan to the poverty-relief donation drive"
    ),
    "9月，在“爱心圆梦”捐助活动中，共捐款5,600元": (
        "In September, 5,600 yuan were given in the “Dreams Come True” campaign"
    ),
    "10月，组织“慈善一日捐”活动，共捐款3,400元": (
        "In October, the “One Day's Pay for Charity” campaign raised 3,400 yuan"
    ),
    "11月，开展“送温暖，献爱心”捐款活动，共捐款3,500元": (
        "In November, the “Warmth and Love” campaign raised 3,500 yuan"
    ),
    "7月，受理市民反映背街小巷垃圾清运不及时的来电，两日内调整清运班次并回复来电人": (
        "In July, a resident phoned about late waste collection in the back lanes; "
        "within two days the rounds were changed and the caller answered"
    ),
    "6月安全生产月期间，组织全体职工开展安全生产培训": (
        "In June, during safety month, all staff took a safety training"
    ),
    "3月，组织干部职工参加义务植树，整地、挖坑和换土78塘": (
        "In March, staff planted trees: 78 pits dug and refilled"
    ),
    "受疫情影响，2月部分单位停工，清运量有所减少。": (
        "In February some workplaces closed for the epidemic and less waste was "
        "collected."
    ),
}
