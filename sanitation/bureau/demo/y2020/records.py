"""2020: the work records of the year before: the donation campaigns (which feed the
donation indicator), a petition, the safety training and the tree planting."""

from __future__ import annotations

from typing import Any

DONATIONS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2020-06-15",
        "title": "献爱心扶贫捐款",
        "amount": "6800",
        "items": "",
        "description": "6月，参与献爱心扶贫捐款，捐款金额共计6,800元",
    },
    {
        "department": "office",
        "date": "2020-09-15",
        "title": "“爱心圆梦”捐助活动",
        "amount": "5600",
        "items": "",
        "description": "9月，在“爱心圆梦”捐助活动中，共捐款5,600元",
    },
    {
        "department": "office",
        "date": "2020-10-15",
        "title": "“慈善一日捐”活动",
        "amount": "3400",
        "items": "",
        "description": "10月，组织“慈善一日捐”活动，共捐款3,400元",
    },
    {
        "department": "office",
        "date": "2020-11-15",
        "title": "“送温暖，献爱心”捐款活动",
        "amount": "3500",
        "items": "",
        "description": "11月，开展“送温暖，献爱心”捐款活动，共捐款3,500元",
    },
]

PETITIONS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2020-07-08",
        "channel": "phone",
        "title": "市民反映背街小巷垃圾清运不及时",
        "status": "resolved",
        "resolved_date": "2020-07-10",
        "description": "7月，受理市民反映背街小巷垃圾清运不及时的来电，两日内调整清运"
        "班次并回复来电人",
    },
]

SAFETY_EVENTS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2020-06-18",
        "kind": "training",
        "title": "安全生产月全员培训",
        "description": "6月安全生产月期间，组织全体职工开展安全生产培训",
    },
]

TASKS: list[dict[str, Any]] = [
    {
        "department": "office",
        "date": "2020-03-12",
        "end_date": None,
        "kind": "greening",
        "title": "义务植树整地、挖坑和换土",
        "quantity": "78",
        "unit": "塘",
        "description": "3月，组织干部职工参加义务植树，整地、挖坑和换土78塘",
    },
]

RECORDS: dict[str, list[dict[str, Any]]] = {
    "Donation": DONATIONS,
    "Petition": PETITIONS,
    "SafetyActivity": SAFETY_EVENTS,
    "Task": TASKS,
}
