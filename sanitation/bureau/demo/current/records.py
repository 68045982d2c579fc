"""The current year's work records so far: donation campaigns (which feed the donation
indicator, one record per month the office reported donations in) and a safety
training, in the months already over."""

from __future__ import annotations

from typing import Any

#: month -> the campaign the office's donation that month went to (Chinese, English).
CAMPAIGNS = {
    6: ("“爱心圆梦”捐助活动", "the “Dreams Come True” campaign"),
    9: ("“慈善一日捐”活动", "the “One Day's Pay for Charity” campaign"),
    10: ("献爱心扶贫捐款", "the poverty-relief donation drive"),
    11: ("冬季送温暖捐款", "the winter warmth donation drive"),
}


def _reported_donations() -> list[tuple[int, str, str, str]]:
    """(month, title, amount, description) of each month whose reported donations
    (扶贫捐款金额（报表数）) are not zero: the records behind the figure, so that the
    rule 捐款报表数等于捐款记录合计 holds."""
    from sanitation.bureau.demo.current.figures import INDICATORS

    reported = next(i for i in INDICATORS if i["code"] == "donation_reported")
    donations = []
    for month, amount in enumerate(reported["monthly"].split(), start=1):
        if amount == "0":
            continue
        title, _english = CAMPAIGNS[month]
        description = f"{month}月，参与{title}，共捐款{int(amount):,}元"
        donations.append((month, title, amount, description))
    return donations


#: (month, title, amount, description with the amount)
DONATIONS = _reported_donations()

SAFETY = [
    (6, "安全生产月全员培训", "6月安全生产月期间，组织全体职工开展安全生产培训"),
]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip

ENGLISH = {
    **{
        description: f"In {MONTHS[month - 1]}, staff gave {int(amount):,} yuan to "
        f"{CAMPAIGNS[month][1]}"
        for month, _title, amount, description in DONATIONS
    },
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
