"""What the entry page does once per request instead of once per field: the inputs
written out from the figures, the navigation's queries, the rules' context."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.figures.forms import FigureForm, initial_inputs
from assessment.models import Figure, Indicator


def _indicator(pk: int = 7, decimals: int = 1) -> Indicator:
    return Indicator(pk=pk, code="I7", name="清扫面积", decimals=decimals)


@pytest.mark.parametrize(
    ("figure", "disabled"),
    [
        (None, False),
        (None, True),
        (Figure(value=Decimal("150.5"), note="雨天", version=3), False),
        (Figure(value=Decimal("-2"), note="", version=1), True),
    ],
)
def test_initial_inputs_are_what_the_unbound_form_renders(figure, disabled):
    indicator = _indicator()
    form = FigureForm(indicator=indicator, figure=figure)
    if disabled:
        for field in form.fields.values():
            field.disabled = True
    assert initial_inputs(indicator, figure, disabled=disabled) == form.inputs()


def test_bound_inputs_carry_the_typed_values_and_their_errors():
    indicator = _indicator()
    form = FigureForm(
        {"f-7-value": "1,5", "f-7-note": " x ", "f-7-version": "2"},
        indicator=indicator,
        figure=None,
    )
    assert not form.is_valid()
    inputs = form.inputs()
    assert (inputs.value_name, inputs.value_id) == ("f-7-value", "id_f-7-value")
    assert (inputs.value, inputs.note, inputs.version) == ("1,5", " x ", "2")
    assert inputs.value_errors and all(isinstance(e, str) for e in inputs.value_errors)
    assert inputs.has_errors and not inputs.disabled


def test_the_hidden_version_input_matches_the_widget():
    """The page writes the version input by hand: the same markup as the widget's."""
    indicator = _indicator()
    for figure, disabled in ((None, False), (Figure(value=1, version=4), True)):
        form = FigureForm(indicator=indicator, figure=figure)
        if disabled:
            form.fields["version"].disabled = True
        inputs = initial_inputs(indicator, figure, disabled=disabled)
        by_hand = (
            f'<input type="hidden" name="{inputs.version_name}" '
            f'value="{inputs.version}"{" disabled" if disabled else ""} '
            f'id="{inputs.version_id}">'
        )
        assert str(form["version"]) == by_hand
