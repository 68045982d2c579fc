"""The demo's departments and accounts: the same in every demo year."""

from __future__ import annotations

from assessment.models import Role

PASSWORD = "demo-pass-2021"

#: (code, name, parent code, order). The bureau is the root of the tree.
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

#: (username, family name, given name, role, departments). All share PASSWORD.
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
    # Scorers of the scoring bodies (考核主体); `supervisor` leads the 考核办.
    ("assessor_office", "孙", "立新", Role.SUPERVISOR, []),
    ("assessor_safety", "郑", "国华", Role.SUPERVISOR, []),
    ("assessor_party", "何", "春燕", Role.SUPERVISOR, []),
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

#: English names of the departments, for the report's English translation.
DEPARTMENT_NAMES_EN = {
    "区环境卫生管理局": "District Sanitation Bureau",
    "清扫保洁队": "Street Cleaning Team",
    "垃圾清运队": "Waste Collection Team",
    "粪便清运队": "Night-Soil Collection Team",
    "填埋场": "Landfill",
    "监察队": "Inspection Team",
    "办公室": "Office",
    "党支部": "Party Branch",
}

#: The scoring bodies (考核主体): (code, name, [(username, lead)], target codes). A
#: target not listed is scored by the first body, the assessment office.
SCORING_BODIES: list[tuple[str, str, list[tuple[str, bool]], list[str]]] = [
    ("office", "考核办", [("supervisor", True), ("assessor_office", False)], []),
    ("safety", "安全办", [("assessor_safety", False)], ["1.9"]),
    ("party", "党支部委员会", [("assessor_party", False)], ["3.1"]),
]
