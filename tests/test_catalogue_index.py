"""The catalogue's indicators by (target, department): the same answer as a scan of
every indicator, in the catalogue's order, without a database."""

from __future__ import annotations

import random

from assessment.models import Indicator
from assessment.scoring.results import _Catalogue


def _scan(catalogue: _Catalogue, target_id: int, department_id: int) -> list[Indicator]:
    return [
        i
        for i in catalogue.indicators
        if i.target_id == target_id
        and department_id in catalogue.indicator_departments[i.pk]
    ]


def test_index_equals_the_scan_in_order() -> None:
    rng = random.Random(12)
    indicators = [Indicator(pk=pk, target_id=rng.randint(1, 8)) for pk in range(1, 81)]
    rng.shuffle(indicators)
    departments = {
        i.pk: {d for d in range(1, 101) if rng.random() < 0.3} for i in indicators
    }
    catalogue = _Catalogue([], {}, indicators, departments, set())
    for target_id in range(0, 10):
        for department_id in range(0, 102):
            assert catalogue.indicators_of(target_id, department_id) == _scan(
                catalogue, target_id, department_id
            )


def test_an_indicator_of_no_department_and_a_returned_list_are_harmless() -> None:
    lonely = Indicator(pk=1, target_id=1)
    shared = Indicator(pk=2, target_id=1)
    catalogue = _Catalogue([], {}, [lonely, shared], {2: {5}}, set())
    assert catalogue.indicators_of(1, 5) == [shared]
    catalogue.indicators_of(1, 5).clear()  # a caller's list is its own
    assert catalogue.indicators_of(1, 5) == [shared]
    assert catalogue.indicators_of(1, 6) == []
