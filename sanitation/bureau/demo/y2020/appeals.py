"""2020's finished round: published for objections in January 2021, two objections
(粪便清运队's upheld with its half point back, 办公室's rejected), final on 28 January,
and one rectification item: 办公室's 2.5 推行阳光政府“四项制度” at 2 of 4 points, below
60 %, its plan written but not reported yet, so that 2021 shows it open."""

from __future__ import annotations

#: The objection upheld restores the half point; its answer becomes the score's reason.
UPHELD_REASON = "经复核，人工清掏量台账已补齐，恢复扣减的0.5分。"

APPEALS = {
    "window": ("2021-01-21", "2021-01-27"),
    "published": (1, 21, 9),
    "final": (1, 28, 10),
    "objections": [
        {
            "department": "nightsoil",
            "target": "1.3",
            "grounds": "人工清掏量台账已于12月补齐，并经队部审核，请求复核。",
            "filed": (1, 22, 10),
            "upheld": True,
            "new_points": "7",
            "answer": UPHELD_REASON,
            "reason": UPHELD_REASON,
            "answered": (1, 26, 15),
            "answered_by": "assessor_office",
        },
        {
            "department": "office",
            "target": "2.5",
            "grounds": "“四项制度”已全部公开，个别事项更新滞后属客观原因，请求复核。",
            "filed": (1, 22, 16),
            "upheld": False,
            "answer": "经复核，公开事项更新滞后超过一个月，维持原评分。",
            "answered": (1, 26, 16),
            "answered_by": "assessor_office",
        },
    ],
    "rectifications": [
        {
            "department": "office",
            "target": "2.5",
            "measures": "建立“四项制度”公开事项台账，每月底前更新一次，由专人负责。",
            "owner": "杨丽萍",
            "planned": (2, 5, 11),
        }
    ],
}

ENGLISH = {
    UPHELD_REASON: (
        "On re-check the ledger of night soil collected by hand is complete: the "
        "0.5 points are restored."
    ),
    "“四项制度”公开事项更新不及时，扣2分。": (
        "Items published under the “four systems” were not kept up to date: 2 points "
        "off."
    ),
}
