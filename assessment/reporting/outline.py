"""The report's outline: parts, categories, sections and targets, numbered in order.

A category (一、) holds second-level items (（一）) in its `order`: targets that sit in
no report section, and report sections. A section holds third-level items (1.): its
child sections and the targets placed in it; a section whose only item is one target
tells that target under its own heading. Consecutive categories with the same `part`
form a part (第一部分). Pure: the rows come in, the outline goes out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assessment.reporting import charts
from assessment.reporting.formatting import (
    format_points,
    level_numeral,
    paragraphs,
    part_label,
)


@dataclass
class FigureLine:
    name: str
    unit: str
    value: str
    target: str
    direction: str
    completion: str
    met: bool | None
    #: Last year's value of the same indicator (matched by code) and the change on it.
    last_value: str = "—"
    change: str = "—"
    change_percent: str = "—"


@dataclass
class DepartmentText:
    department: str
    paragraphs: list[str]


@dataclass
class TargetContent:
    code: str
    name: str
    points: str
    texts: list[DepartmentText]
    records: list[str]
    figures: list[FigureLine]
    chart: charts.Chart | None
    self_score: str
    suggested: str
    assessed: str
    provisional: bool
    #: The unformatted scores, for the category's sums.
    points_value: Decimal = Decimal(0)
    self_value: Decimal | None = None
    assessed_value: Decimal | None = None

    @property
    def is_told(self) -> bool:
        return bool(self.texts or self.records)


@dataclass
class Node:
    level: int
    numeral: str
    heading: str
    code: str
    paragraphs: list[str] = field(default_factory=list)
    records: list[str] = field(default_factory=list)
    target: TargetContent | None = None
    children: list[Node] = field(default_factory=list)

    @property
    def is_told(self) -> bool:
        own = bool(self.paragraphs or self.records)
        return own or (self.target is not None and self.target.is_told)


@dataclass
class CategorySection:
    numeral: str
    name: str
    heading: str
    nodes: list[Node]
    points: str
    self_score: str
    assessed: str


@dataclass
class Part:
    label: str
    name: str
    categories: list[CategorySection]


def _targets_in(nodes: Sequence[Node]) -> list[TargetContent]:
    found: list[TargetContent] = []
    for node in nodes:
        if node.target is not None:
            found.append(node.target)
        found.extend(_targets_in(node.children))
    return found


def untold(parts: Sequence[Part]) -> list[str]:
    """Headings of the items with nothing to tell (no text, records or target text)."""
    found: list[str] = []

    def walk(nodes: Sequence[Node]) -> None:
        for node in nodes:
            if not node.children and not node.is_told:
                found.append(node.heading)
            walk(node.children)

    for part in parts:
        for category in part.categories:
            walk(category.nodes)
    return found


def _sum(values: list[Decimal | None]) -> str:
    known = [v for v in values if v is not None]
    return format_points(sum(known, Decimal(0))) if known else "—"


def build(
    categories: Sequence[Any],
    sections: Sequence[Any],
    targets: Sequence[Any],
    content: dict[int, TargetContent],
    section_records: dict[str, list[str]],
    *,
    with_section_texts: bool,
    with_empty_sections: bool,
    translate: Callable[[str], str],
    language: str,
) -> list[Part]:
    """The outline of the targets in `content` (target pk -> its content).

    `categories`, `sections` and `targets` are the year's catalogue rows (with
    `order`, `code`, `category_id`, `parent_id` / `section_id`). Sections holding
    none of the targets and no records are left out unless `with_empty_sections`.
    """
    by_category: dict[int, list[tuple[int, str, str, Any]]] = {}
    in_section: dict[int, list[tuple[int, str, str, Any]]] = {}
    for section in sections:
        item = (section.order, section.code, "section", section)
        if section.parent_id:
            in_section.setdefault(section.parent_id, []).append(item)
        else:
            by_category.setdefault(section.category_id, []).append(item)
    for target in targets:
        if target.pk not in content:
            continue
        item = (target.order, target.code, "target", target)
        if target.section_id:
            in_section.setdefault(target.section_id, []).append(item)
        else:
            by_category.setdefault(target.category_id, []).append(item)

    def node(kind: str, row: Any, level: int) -> Node | None:
        if kind == "target":
            told = content[row.pk]
            return Node(level, "", told.name, row.code, target=told)
        children = [
            child
            for child in (
                node(k, r, level + 1)
                for _o, _c, k, r in sorted(
                    in_section.get(row.pk, []), key=lambda i: i[:2]
                )
            )
            if child is not None
        ]
        made = Node(
            level,
            "",
            translate(row.heading),
            row.code,
            paragraphs=(
                paragraphs(translate(row.text))
                if with_section_texts and row.text.strip()
                else []
            ),
            records=section_records.get(row.code, []),
            children=children,
        )
        if not with_empty_sections and not made.records and not _targets_in(children):
            return None
        if len(children) == 1 and children[0].target is not None:
            made.target, made.children = children[0].target, []
        for number, child in enumerate(made.children, start=1):
            child.numeral = level_numeral(level + 1, number, language)
        return made

    parts: list[Part] = []
    number = 0
    for category in sorted(categories, key=lambda c: (c.order, c.code)):
        nodes = [
            made
            for made in (
                node(kind, row, 2)
                for _o, _c, kind, row in sorted(
                    by_category.get(category.pk, []), key=lambda i: i[:2]
                )
            )
            if made is not None
        ]
        held = _targets_in(nodes)
        if not held:
            continue
        number += 1
        for position, made in enumerate(nodes, start=1):
            made.numeral = level_numeral(2, position, language)
        section = CategorySection(
            numeral=level_numeral(1, number, language),
            name=translate(category.name),
            heading=translate(category.heading or category.name),
            nodes=nodes,
            points=format_points(sum((t.points_value for t in held), Decimal(0))),
            self_score=_sum([t.self_value for t in held]),
            assessed=_sum([t.assessed_value for t in held]),
        )
        part_name = category.part
        if parts and parts[-1].name == (translate(part_name) if part_name else ""):
            parts[-1].categories.append(section)
        else:
            parts.append(Part("", translate(part_name) if part_name else "", [section]))
    named = [part for part in parts if part.name]
    for position, part in enumerate(named, start=1):
        part.label = part_label(position, language)
    return parts
