"""The 2021 demo loaded once per test module, and the report's text by section."""

from __future__ import annotations

import io
import re

import pytest
from django.db import transaction
from django.test import override_settings

from assessment.reporting import outline


def demo_module_fixture(build):
    """A module-scoped fixture: the demo loaded in a transaction rolled back after,
    and `build(year)` run once inside it (render the PDF there, not per test)."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker, tmp_path_factory):
        from assessment.models import AssessmentYear
        from sanitation.bureau import demo

        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo")):
                    demo.load(io.StringIO())
                    yield build(AssessmentYear.objects.get(year=2021))
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return fixture


def plain(text: str) -> str:
    """Text compared without whitespace or thousands separators."""
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    return "".join(text.split())


def node_texts(report) -> dict[str, str]:
    """Heading -> everything printed under it (its own text, records and target)."""
    texts: dict[str, str] = {}

    def target_text(target: outline.TargetContent | None) -> list[str]:
        if target is None:
            return []
        lines = [p for t in target.texts for p in t.paragraphs]
        lines += target.records
        lines += [f"{f.name}{f.unit}{f.value}" for f in target.figures]
        return lines

    def walk(node: outline.Node) -> str:
        own = [*node.paragraphs, *node.records, *target_text(node.target)]
        own += [walk(child) for child in node.children]
        texts[node.heading] = "".join(own)
        if node.target is not None:
            texts.setdefault(node.target.name, texts[node.heading])
        return node.heading + texts[node.heading]

    for category in report.categories:
        texts[category.heading] = "".join(walk(node) for node in category.nodes)
    texts["overview"] = "".join(report.overview)
    texts["closing"] = "".join(report.closing)
    return texts
