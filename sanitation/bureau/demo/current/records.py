"""The current year's work records so far: donation campaigns (which feed the donation
indicator) and a safety training, in the months already over."""

from __future__ import annotations

from typing import Any

#: (month, title, amount, description with the amount)
DONATIONS = [
    (3, "献爱心扶贫捐款", "7800", "3月，参与献爱心扶贫捐款，捐款金额共计7,800元"),
    (6, "“爱心圆梦”捐助活动", "6400", "6月，在“爱心圆梦”捐助活动中，共捐款6,400元"),
    (9, "“慈善一日捐”活动", "3900", "9月，组织“慈善一日捐”活动，共捐款3,900元"),
]

SAFETY = [
    (6, "安全生产月全员培训", "6月安全生产月期间，组织全体职工开展安全生产培训"),
]

ENGLISH = {
    "3月，参与献爱心扶贫捐款，捐款金额共计7,800元": (
        "In March, staff gave 7,800 yuan to the poverty-relief donation drive"
    ),
    "6月，在“爱心圆梦”捐助活动中，共捐款6,400元": (
        "In June, 6,400 yuan were given in the “Dreams Come True” campaign"
    ),
    "9月，组织“慈善一日捐”活动，共捐款3,900元": (
        "In September, the “One Day's Pay for Charity” campaign raised 3,900 yuan"
    ),
    "6月安全生产月期间，组织全体职工开展安全生产培训": (
        "In June, during safety month, all staff took a safety training"
    ),
}


def records(year: int, months: int) -> dict[str, list[dict[str, Any]]]:
    """The records dated in the first `months` months of `year`."""
    return {
        "Donation": [
            {
                "department": "office",
                "date": f"{year}-{month:02d}-15",
                "title": title,
                "amount": amount,
                "items": "",
                "description": description,
            }
            for month, title, amount, description in DONATIONS
            if month <= months
        ],
        "SafetyActivity": [
            {
                "department": "office",
                "date": f"{year}-{month:02d}-18",
                "kind": "training",
                "title": title,
                "description": description,
            }
            for month, title, description in SAFETY
            if month <= months
        ],
    }
