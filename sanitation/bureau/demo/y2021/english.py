"""2021: the report's texts in English, for readers who need a translation.

Keys are the Chinese texts exactly as the demo stores them (a record's sentence is
its description); the report looks each text up here when it is printed in English.
"""

from __future__ import annotations

from sanitation.bureau.demo.people import DEPARTMENT_NAMES_EN
from sanitation.bureau.demo.y2021 import catalogue, figures, records, scoring, texts

CATALOGUE = {
    "勤政建设": "Diligent Government",
    "各项业务工作": "Operational work",
    "按照区委、区政府的工作要求，各项业务工作全面完成": (
        "All operational work completed as the District Party Committee and the "
        "District Government require"
    ),
    "服从服务于区委政府中心工作": "Serving the central work of the district",
    "服从、服务于区委、政府中心工作": (
        "Obeying and serving the central work of the District Party Committee and "
        "the District Government"
    ),
    "加强和改进党建工作": "Party-building",
    "加强和改进党建工作，为环卫各项工作发展提供保证": (
        "Strengthening and improving Party-building as the guarantee of all "
        "sanitation work"
    ),
    "认真完成好城市卫生管理工作": "Managing the city's sanitation thoroughly",
    "积极开展扶贫工作": "Poverty-alleviation work",
    "深入扶贫挂钩点": "Visits to the paired poverty-aid villages",
    "帮助受困职工": "Helping staff in difficulty",
    "开展党内互助活动": "Mutual aid within the Party",
    "认真做好各项接待和检查工作，树立良好的城市环境卫生形象": (
        "Receiving visits and inspections well, for a good image of the city's "
        "sanitation"
    ),
    "道路清扫保洁": "Street cleaning",
    "垃圾清运": "Waste collection",
    "粪便清运": "Night-soil collection",
    "垃圾填埋处置": "Landfill disposal",
    "环境卫生监督": "Sanitation supervision",
    "开展各种扶贫捐款活动": "Poverty-aid donation campaigns",
    "扎实开展新农村建设工作": "Building the new countryside",
    "加大对信访工作的工作力度": "Stronger work on petitions",
    "认真开展加强安全生产工作": "Safety in production",
    "认真做好环境卫生工作和绿化工作": "Sanitation and greening of the bureau's own grounds",
    "主动搞好信息服务工作，畅通信息渠道": (
        "Information services and open channels of information"
    ),
    "发挥职能作用，服务和满足政府应急需求": (
        "Meeting the government's emergency needs"
    ),
    "积极推进第二垃圾处理场的建设，服务政府民生工程": (
        "Advancing the second waste-disposal site, a public-welfare project"
    ),
    "喜迎60周年国庆，全力配合开展环境卫生整治工作": (
        "Welcoming the 60th National Day with a sanitation clean-up campaign"
    ),
    "推行阳光政府“四项制度”，积极打造阳光政府形象": (
        "The four systems of open government"
    ),
    "树立服务理念，投身上级部署的义务工作": (
        "A spirit of service: the voluntary work higher authorities assigned"
    ),
    "注重从思想上建党，为环卫工作提供坚强的政治和思想保证": (
        "Building the Party in thought, the political and ideological guarantee of "
        "sanitation work"
    ),
}

INDICATORS = {
    "日均清扫保洁面积": "Street area cleaned per day",
    "日均垃圾清运量": "Waste collected per day",
    "日均清运垃圾坑": "Garbage pits emptied per day",
    "日均粪便清运量": "Night soil collected per day",
    "其中日均人工清掏粪便量": "of which collected by hand per day",
    "垃圾卫生填埋量": "Waste landfilled",
    "扶贫捐款金额": "Poverty-aid donations",
    "扶贫捐款金额（报表数）": "Poverty-aid donations (as reported)",
    "信访件数": "Petitions",
    "义务植树整地挖坑换土": "Tree pits levelled, dug and refilled",
    "以正式文件下文（环卫发）": "Formal documents issued",
    "环卫报、环卫复": "Reports and replies",
    "向上级报送信息": "Information items reported upward",
    "报送工作简报": "Work briefings",
    "万平方米": "10,000 m²",
    "吨": "t",
    "个": "pits",
    "元": "yuan",
    "塘": "pits",
    "份": "documents",
    "条": "items",
    "件": "items",
}

SECTIONS = {
    texts.SECTION_TEXTS["S1-1"]: (
        "Lijiang is a tourist city renowned at home and abroad, and the quality of its "
        "sanitation is a hard measure of a tourist city's standing: in raising the "
        "city's quality, managing sanitation well comes before all other work.\n"
        "The bureau therefore put the quality of sanitation first and worked in new "
        "ways: it further improved competitive appointment to posts, kept "
        "the rotating red flag as an incentive, strengthened supervision, "
        "and made the office staff answerable for graded sections of road, "
        "so that the sweeping of the main roads, the daily cleaning of the town and "
        "its fringe, the collection and disposal of waste, sanitation supervision and "
        "the collection of the whole town's night soil are done with fine-grained "
        "care. Professional teams now clean the main streets, and waste is tipped at "
        "fixed points, collected by fixed staff and removed at fixed times, moving "
        "sanitation management from fighting dirt, disorder and neglect towards "
        "making the city beautiful, bright and excellent, and building the clean, "
        "beautiful and orderly image of a national civilised scenic tourist area and "
        "an excellent tourist city of China."
    ),
    texts.SECTION_TEXTS["S1-2"]: (
        "Poverty-alleviation work took solving people's difficulties as its focus "
        "and breakthrough, was planned actively and carried out firmly, with marked "
        "results."
    ),
    texts.SECTION_TEXTS["S1-2-2"]: (
        "In January the bureau visited 2 poor households of Group 5 of Zhongyi, "
        "Qihe, its paired poverty-aid point, bringing rice, cooking oil, quilts and "
        "other necessities, at a cost of over 20 yuan; in October it went with the "
        "paired leader to Dongfeng administrative village, Dongjiang, Jinshan "
        "Township, to learn the village's situation in detail."
    ),
    texts.SECTION_TEXTS["S1-2-3"]: (
        "The bureau mobilised all its cadres and staff to visit the family of He "
        "Xiaoyu, which suffered heavy losses in a fire, and organised a donation "
        "that raised over 13,000 yuan, sharing the staff member's burden and "
        "restoring the family's confidence to rebuild their home."
    ),
}

RECORDS = {
    "6月，参与献爱心扶贫捐款，捐款金额共计7,540元。": (
        "In June, the bureau took part in the poverty-aid charity donation, giving "
        "7,540 yuan in all."
    ),
    "9月，在“爱心圆梦”捐助活动中，共捐款6,160元，在爱心圆梦和金秋助学活动中，"
    "共帮助近30名职工子女。": (
        "In September, the Loving Hearts Fulfil Dreams campaign raised 6,160 yuan; "
        "that campaign and the Golden Autumn school-aid campaign helped nearly 30 "
        "children of staff."
    ),
    "10月，组织“慈善一日捐”活动，共捐款3,740元。": (
        "In October, the bureau organised the One Day's Pay for Charity campaign, "
        "raising 3,740 yuan."
    ),
    "11月份，在“送温暖，献爱心”捐款捐物活动中，共组织捐款3,850元，衣物共计8件。": (
        "In November, the Sending Warmth, Giving Love campaign raised 3,850 yuan and "
        "8 pieces of clothing."
    ),
    "对1份政协提案及时进行答复，做到有批示，有回复。": (
        "1 proposal of the CPPCC was answered promptly: every instruction was "
        "followed by a reply."
    ),
    records.PETITIONS[1]["description"] + "。": (
        "When sanitation workers petitioned because their pay had not risen and "
        "their social insurance had not been settled, the bureau responded "
        "correctly; with the strong support of the District Party Committee and the "
        "District Government and the help of the departments concerned, the "
        "dispute was defused, and neither the petition nor its handling harmed "
        "social stability. The bureau's office staff and the departments concerned "
        "are now hurrying the five insurances and the pay rise through, so that "
        "every worker receives them in time."
    ),
    "向全体驾驶员发放了2021年最新的云南省道路交通安全条例。": (
        "Every driver was handed the latest 2021 Road Traffic Safety Regulations of "
        "Yunnan Province."
    ),
    records.SAFETY_EVENTS[1]["description"] + "。": (
        "Learning from this year's accident, during Safety Month all sanitation "
        'workers were given a safety education session, "Cherish Life, Work '
        'Safely", with more safety education and training for street cleaners, '
        "waste collectors, loaders and drivers, so that safety takes root in "
        "everyone's mind and the alarm bell keeps ringing."
    ),
    records.PARTY_EVENTS[0]["description"] + "。": (
        'Going into the community, the bureau carried out the Party\'s "eight ones" '
        "mutual-aid work: its Party members were paired with 20 poor Party members "
        "of Yizheng Community, Xi'an Subdistrict, bringing them quilts and warmth."
    ),
    records.TASKS[0]["description"] + "。": (
        "Following the Greening Committee's notice on voluntary tree planting, the "
        "bureau, with little time, a heavy task and difficult ground, sent staff to "
        "direct the work on site and brought in machinery, levelling, digging and "
        "refilling 87 tree pits on the lower half of the plot east of Liming Road, "
        "north of the Yunnan University Tourism College."
    ),
    records.TASKS[1]["description"] + "。": (
        "As this year brought little rain and a drought, on the two nights of 12 "
        "and 13 May the bureau sent its sprinkler trucks and all Party members of "
        "the office's Party branch and its young staff, in their evening rest time, "
        "to water the trees and green belts along Fuhui East and West Roads. The "
        "watering lasted from seven in the evening until midnight, nearly a hundred "
        "trees were watered, and the trees' drought since the spring was eased."
    ),
    "在本次铲除工作中，共清运紫茎泽兰6车，近7吨。": (
        "In this removal, 6 truckloads of Crofton weed, nearly 7 t, were carried away."
    ),
    records.TASKS[3]["description"] + "。": (
        "From 24 to 30 September the bureau carried out the National Day clean-up "
        "of the city's appearance and sanitation. It cleaned harder everywhere: "
        "besides the round-the-clock cleaning of the 1.5 million m² of streets and "
        "other areas, it cleaned more around the events held before the holiday, "
        "and cleaned up after the flower-bed building and the removal of barriers "
        "on Minhang Road, Fuhui West Road and other important roads, keeping those "
        "roads clean."
    ),
    "配合束河街道办事处、大研街道办事处以及全区开展爱国卫生运动，清运陈年垃圾近100吨。": (
        "With the Shuhe and Dayan subdistrict offices and the whole district, the "
        "bureau joined the Patriotic Health Campaign and removed nearly 100 t of "
        "long-standing waste."
    ),
    records.TASKS[5]["description"] + "。": (
        "With the Patriotic Health Office, the health authorities and other units, "
        'the bureau seconded 2 staff to the "five responsibilities in front of the '
        'door" campaign, which for 2 months covered every street-front unit and '
        "shop on Dali Road, the southern bypass, Minzhu Road, Fuhui Road, Shangri-La "
        "Avenue, Xiangshan Road, Xi'an Road, Yuyuan Road, Yuquan Road, the Xianghe "
        "area and every subdistrict."
    ),
    "9月25日和26日两天，与森警、消防等驻丽部队进行道路清洗工作，清洗路面区域近100万平方米。": (
        "On 25 and 26 September, with the forest police, the fire brigade and other "
        "forces stationed in Lijiang, the bureau washed nearly 1 million m² of road."
    ),
    "9月28日抽调部分清扫保洁工作人员负责做好火车站试通车典礼现场及周边的环境保障工作。": (
        "On 28 September cleaning staff were seconded to keep the site of the "
        "railway station's trial-opening ceremony and its surroundings clean."
    ),
    records.TASKS[8]["description"] + "。": (
        "Since the spring, as forest fires broke out again and again, the bureau, "
        "as higher authorities required, sent staff to fight the fires many times "
        "and did well the forest-protection and fire-fighting work it was given."
    ),
    records.TASKS[9]["description"] + "。": (
        "To improve the sanitation of the Yumi River, as the District Party "
        "Committee and the District Government arranged, in July 2021 the bureau "
        "sent 34 of its office cadres to dredge and clean the Yumi River channel "
        "as voluntary labour."
    ),
}

_SA = scoring.SELF_ASSESSMENTS
SELF_ASSESSMENTS = {
    _SA[("1.1", "street")][1]: (
        "Through the year, cadres and staff at every post lived the sanitation "
        'spirit of "one dirty so that ten thousand homes are clean": for nearly 17 '
        "hours a day, in three shifts without a break, they cleaned over 1.5 million "
        "m² of the town's roads, over 4,000 m² per cleaner."
    ),
    _SA[("1.2", "waste")][1]: (
        "Every day fixed staff emptied over 1,400 garbage pits at fixed points and "
        "fixed times, collecting 170 t of waste a day. As the city grows its waste "
        "grows too, yet the bureau has always cleared each day's household waste "
        "the same day, and keeps waste off the ground on the main roads and in "
        "public places, for a clean and hygienic city."
    ),
    _SA[("1.3", "nightsoil")][1]: (
        "Every day 60 t of night soil (2 t of it by hand) were collected by sealed "
        "suction trucks; the team collects the whole town's night soil."
    ),
    _SA[("1.4", "landfill")][1]: (
        "Every day the collected waste was landfilled harmlessly and hygienically: "
        "nearly 60,000 t in the year."
    ),
    _SA[("1.5", "inspection")][1]: (
        "Every day the inspection team not only checked the sanitation of every "
        "road in the town but also stepped up the supervision and control of the "
        "district's urban sanitation: building materials spilt on roads and "
        "vehicles carrying mud onto them were exposed in the media and given "
        "education and penalties."
    ),
    _SA[("1.6", "office")][1]: (
        "Taking the solving of people's difficulties as the focus of poverty "
        "alleviation, the bureau organised its cadres and staff in donation "
        "campaigns: 21,290 yuan in all in the year."
    ),
    _SA[("1.7", "office")][1]: (
        "Within its means the bureau joined the aid work: in September its leaders, "
        "led by the paired leader and with the heads of the departments concerned, "
        "went to Group 62 of Linhong, Yangxi Village, Jinshan Township, its paired "
        "contact point, saw the group's living and working conditions on the spot "
        "and held a discussion meeting.\n"
        "In view of Linhong Group 62's conditions, the overall plan for the new "
        'socialist countryside ("developed production, a comfortable life, civilised '
        'customs, a clean village and democratic management") and the many large '
        "projects being developed in Jinshan, the bureau will, as the District Party "
        "Committee and the District Government arrange, give Linhong Group 62 a "
        "subsidy of 20,000 yuan for hardening its village road."
    ),
    _SA[("1.8", "office")][1]: (
        "Putting people first, the bureau treats receiving petitions and handling "
        "complaints as an important political task, with one-stop reception, "
        "registration and feedback. Through the year the petitions it received "
        "ranged from staff's claims on their own interests to disputes over "
        "sanitation problems and calls complaining of sanitation work left undone; "
        "every petition, complaint, call and visit was handled without hiding or "
        "exaggerating any problem, reported promptly and resolved to satisfaction."
    ),
    _SA[("1.9", "office")][1]: (
        "Sanitation work is special: in recent years, as the city grew, motor "
        "vehicles multiplied and waste increased, so safety in sanitation work "
        "matters more than ever. Building on last year's safety education, this "
        "year the bureau strengthened safety in every respect, and set up and "
        "improved its safety rules and its emergency plans for accidents, so that "
        'every worker works and guards safely: "everyone knows the rules, everyone '
        'works safely".'
    ),
    scoring.TEAM_SAFETY_TEXT: (
        "The team held safety meetings and safety inspections regularly."
    ),
    _SA[("1.10", "office")][1]: (
        "For a good sanitary and green environment, besides the district's "
        "sanitation the bureau looks after the hygiene and greenery of its own "
        "grounds and supports the town's greening. The gatekeepers keep the "
        "compound clean and green, each office's staff keep their office clean, and "
        "the whole workplace stays tidy. The green areas the bureau answers for are "
        "weeded and watered regularly by the cleaners of the area, under the "
        "supervision of the parks and forestry authorities."
    ),
    _SA[("1.10", "party")][1]: (
        "All Party members of the office's Party branch and its young staff watered "
        "the trees and green belts along Fuhui East and West Roads in their evening "
        "rest time."
    ),
    _SA[("2.1", "office")][1]: (
        "The bureau kept up its government information work: it reported its work "
        "plans and summaries on time and finished on time the texts, speeches, "
        "plans and summaries its leaders asked for. This year it issued 6 formal "
        "documents and 27 reports and replies, and kept in "
        "touch with the departments at every level. As the district's 2021 notice "
        "on public-opinion reporting required, it reported public opinion "
        "conscientiously; so far it has reported 60 information items upward and, "
        "of its own accord, nearly 50 work briefings to the departments concerned. "
        "The channels of sanitation information stayed as open as they can be, so "
        "that higher and related authorities know the state of sanitation work and "
        "can guide it, and the bureau serves the District Party Committee and the "
        "District Government better."
    ),
    _SA[("2.2", "waste")][1]: (
        "As the invasive Crofton weed spread in the district and harmed "
        "local plants, at the end of June the district held an emergency meeting on "
        "rooting it out and called on the whole district to take part. The bureau "
        "put its collection work first: its crews checked around every pit they "
        "emptied and pulled every plant they saw; dedicated staff and trucks helped "
        "every township and subdistrict remove the uprooted plants, came whenever "
        "called and carried them sealed, so that the removal was quick and "
        "effective; and all the district's uprooted plants were buried apart from "
        "other waste, in pits of their own, harmlessly, to stop the weed spreading "
        "at its root."
    ),
    _SA[("2.3", "landfill")][1]: (
        "In recent years, as the city grew and its population rose, waste rose "
        "steeply; the district's waste collection and disposal system lags behind, "
        "and the old waste-disposal site can no longer meet the need. To complete "
        "the city's infrastructure, the bureau and the departments concerned have "
        "pushed the second waste-disposal site forward. Since the project passed "
        "the World Bank's formal appraisal in December 2007, land acquisition, "
        "engineering design, planning approval, geological and forestry surveys, "
        "the environmental impact assessment and soil and water conservation have "
        "been completed, to finish the project to standard and on time. The works "
        "can now enter construction."
    ),
    _SA[("2.4", "street")][1]: (
        "The team cleaned harder everywhere and took part in the National Day "
        "clean-up and the road washing."
    ),
    _SA[("2.4", "waste")][1]: (
        "The team joined the district's Patriotic Health Campaign and removed "
        "long-standing waste."
    ),
    _SA[("2.4", "inspection")][1]: (
        "The team joined the Patriotic Health Office, the health authorities and "
        'other units in the "five responsibilities in front of the door" campaign.'
    ),
    _SA[("2.5", "office")][1]: (
        "The four systems of open government are an important step in building "
        "government itself. To put the city's sanitation work more widely under "
        "the people's supervision, make it more credible and effective, carry it "
        "through and be a government service the people are satisfied with, since "
        "March this year the bureau, within its duties and as the District Party "
        "Committee and the District Government require, has carried out the open "
        "government project by due procedure, built the online platform of the "
        "four systems and opened the 96128 government hotline."
    ),
    _SA[("2.6", "office")][1]: (
        "In a spirit of service the bureau took part in the voluntary work higher "
        "authorities required and assigned."
    ),
    _SA[("3.1", "party")][1]: (
        "Making full use of the Monday study sessions and the Party branch's study "
        "days, the bureau armed its Party members and educated its cadres with "
        "Marxism as it develops and reread the Party Constitution. Through study "
        "alone and together, all Party members studied the spirit of the 17th "
        "National Congress, General Secretary Hu Jintao's speech at the third "
        "plenary session of the 17th Central Commission for Discipline Inspection, "
        "the provincial government's clean-government conference, the fourth "
        "plenary session of the 8th provincial discipline commission, the sixth "
        "plenary session of the 2nd municipal Party committee, the city's "
        "conference on Party conduct and clean government, the fourth plenary "
        "session of the 2nd municipal discipline commission, the second session of "
        "the 2nd district Party congress and the district's clean-government "
        "conference. The Party branch subscribed every member to Branch Life "
        "to enrich their theory. It also carried out every special "
        "study campaign the district arranged and the study and practice of the "
        "Scientific Outlook on Development."
    ),
}

SCORING = {
    "12月统计月报逾期未报送，扣0.5分。": (
        "December's statistical return was not submitted on time: 0.5 points off."
    ),
    scoring.ADJUSTMENTS[1][4]: (
        "Washed nearly 1 million m² of road with the forest police, the fire "
        "brigade and other forces on 25 and 26 September, and kept the railway "
        "station's ceremony clean: 1 point added."
    ),
    scoring.ADJUSTMENTS[2][4]: (
        "Mobilised all cadres and staff to give over 13,000 yuan to a staff "
        "family hit by fire: 0.5 points added."
    ),
}

REPORT_TEXTS = {
    texts.BUREAU_OVERVIEW: (
        "In 2021 the District Sanitation Bureau centred its work on the targets of "
        "target management. Uniting and leading all its cadres and staff, guided by "
        "the Scientific Outlook on Development, it carried out the decisions of the "
        "District Party Committee and the District Government firmly throughout, "
        "devoted itself to the central tasks, served the district's overall work of "
        "its own accord and played its full part: it completed every target the "
        "district set it, with satisfying results in every part of the assessment."
    ),
    texts.BUREAU_CLOSING: (
        "While recognising what has been achieved, the bureau sees clearly the "
        "problems and shortcomings of its work: first, as the city grows and its "
        "population rises, waste rises steeply, the district's collection and "
        "disposal system lags behind, the old waste-disposal site can no longer "
        "meet the need, and the second waste-disposal site has yet to enter "
        "construction; second, the rise in sanitation workers' pay and their social "
        "insurance are not yet settled in full, and the five insurances and the "
        "pay rise are still being arranged; third, with motor vehicles multiplying "
        "and waste increasing, the pressure on safety in sanitation work grows.\n"
        "Under the leadership of the District Party Committee and the District "
        "Government, the bureau will study these problems and solve them in "
        "earnest."
    ),
    texts.STREET_OVERVIEW: (
        "In 2021 the street cleaning team cleaned over 1.5 million m² of the town's "
        "roads for nearly 17 hours a day, in three shifts without a break, over "
        "4,000 m² per cleaner."
    ),
}

ENGLISH: dict[str, str] = {
    **DEPARTMENT_NAMES_EN,
    **CATALOGUE,
    **INDICATORS,
    **SECTIONS,
    **RECORDS,
    **SELF_ASSESSMENTS,
    **SCORING,
    **REPORT_TEXTS,
}

# Every heading of the outline is translated (checked when the module loads, so a new
# heading without English fails the demo's tests at once).
_HEADINGS = [
    *catalogue.SECTION_HEADINGS.values(),
    *(spec["name"] for spec in catalogue.TARGETS),
    *(name for _c, name, _h, _p in catalogue.CATEGORIES),
    *(heading for _c, _n, heading, _p in catalogue.CATEGORIES),
    *(spec["name"] for spec in figures.INDICATORS),
]
_missing = [text for text in _HEADINGS if text not in ENGLISH]
if _missing:
    raise ValueError(f"no English for {_missing}")
