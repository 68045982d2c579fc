"""The card of last year's rectification items not accepted yet (home pages)."""

from __future__ import annotations

from typing import Any

from django import template

from assessment.models import AssessmentYear
from assessment.scoring import rectification

register = template.Library()


@register.inclusion_tag("assessment/rectification/_open_card.html", takes_context=True)
def open_rectifications(
    context: template.Context, year: AssessmentYear
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"open_rectifications": []}
    return {
        "open_rectifications": rectification.open_items_before(year, user),
        "rectification_year": year.year - 1,
    }
