"""What the entry page keeps between requests (assessment.catalogue_cache): an edit of
the catalogue or of a rule is seen on the very next GET, each department sees only its
own rows, each request its own language; and the page's query count."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment import catalogue_cache
from assessment.figures import returns
from assessment.models import RuleTerm, ValidationRule
from tests.test_quality_entry import entry_url, make_rule

YEAR = timezone.localdate().year
TODAY = datetime.date(YEAR, 3, 5)
MONTH = 2


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    return TODAY


def page(client, code: str = "dept-a", **headers: str) -> str:
    response = client.get(entry_url(code), **headers)
    assert response.status_code == 200
    return response.content.decode()


def save(clerk, catalogue, **values: str) -> None:
    rows = [
        returns.FigureRow(catalogue[code], Decimal(value), "", 0)
        for code, value in values.items()
    ]
    result = returns.save_figures(
        clerk,
        catalogue["category"].year,
        clerk.departments.get(),
        MONTH,
        rows,
        on=TODAY,
    )
    assert not result.unmet and not result.conflicts


# --- the cache itself -------------------------------------------------------------


@pytest.mark.django_db
def test_a_kept_value_is_computed_again_after_a_bump():
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert catalogue_cache.cached("t", (1,), compute) == 1
    assert catalogue_cache.cached("t", (1,), compute) == 1  # kept
    assert catalogue_cache.cached("t", (2,), compute) == 2  # another key part
    catalogue_cache.bump()
    assert catalogue_cache.cached("t", (1,), compute) == 3


def test_a_bump_by_another_process_is_seen_by_the_next_request(client_a, catalogue):
    """Another web process's edit reaches this one through the shared cache's
    version alone (here: the rows changed without signals, the version replaced by
    hand, as that process's bump does)."""
    from django.core.cache import cache

    from assessment.models import Indicator

    assert "清扫面积" in page(client_a)
    Indicator.objects.filter(pk=catalogue["area"].pk).update(name="道路清扫面积")
    assert "道路清扫面积" not in page(client_a)  # kept: nothing said it changed
    cache.set(catalogue_cache.VERSION_KEY, "from-another-process", timeout=None)
    assert "道路清扫面积" in page(client_a)


# --- edits seen on the very next GET ----------------------------------------------


def test_an_indicator_renamed_in_the_admin_is_shown_on_the_next_get(
    client_a, catalogue
):
    assert "清扫面积" in page(client_a)
    area = catalogue["area"]
    area.name = "道路清扫面积"
    area.save()
    assert "道路清扫面积" in page(client_a)


def test_an_indicator_taken_from_the_department_is_gone_on_the_next_get(
    client_a, catalogue, dept_a
):
    assert "垃圾池清掏" in page(client_a)
    catalogue["pits"].departments.remove(dept_a)
    assert "垃圾池清掏" not in page(client_a)
    catalogue["pits"].departments.add(dept_a)
    assert "垃圾池清掏" in page(client_a)


def test_a_target_recoded_is_shown_on_the_next_get(client_a, catalogue):
    assert ">1.1</div>" in page(client_a)
    target = catalogue["target_a"]
    target.code = "1.9"
    target.save()
    body = page(client_a)
    assert ">1.9</div>" in body and ">1.1</div>" not in body


def test_a_months_range_set_or_changed_is_shown_on_the_next_get(client_a, catalogue):
    from assessment.models import MonthRange

    assert "100–200，1" in page(client_a)
    own = MonthRange.objects.create(
        indicator=catalogue["area"],
        month=MONTH,
        plausible_min=Decimal(120),
        plausible_max=Decimal(180),
    )
    assert "120–180" in page(client_a)
    own.plausible_max = Decimal(190)
    own.save()
    assert "120–190" in page(client_a)
    own.delete()
    assert "100–200，1" in page(client_a)


def test_a_rule_edited_is_applied_on_the_next_get(client_a, clerk_a, catalogue):
    rule = make_rule(
        "清掏数不超过面积的十倍",
        "warn",
        "le",
        [("left", "pits", "1", None), ("right", "area", "10", None)],
    )
    save(clerk_a, catalogue, area="100", pits="1400")  # 1400 > 10 × 100
    assert "清掏数不超过面积的十倍" in page(client_a)

    rule.name = "清掏数与面积"
    rule.save()
    assert "清掏数与面积" in page(client_a)

    term = RuleTerm.objects.get(rule=rule, indicator_code="area")
    term.coefficient = Decimal(100)  # 1400 ≤ 100 × 100: met
    term.save()
    assert "清掏数与面积" not in page(client_a)

    term.coefficient = Decimal(10)
    term.save()
    assert "清掏数与面积" in page(client_a)
    ValidationRule.objects.filter(pk=rule.pk).get().delete()
    assert "清掏数与面积" not in page(client_a)


def test_a_rule_limited_to_another_year_is_dropped_on_the_next_get(
    client_a, clerk_a, catalogue, year
):
    from assessment.models import AssessmentYear

    rule = make_rule(
        "清掏数不超过面积的十倍",
        "warn",
        "le",
        [("left", "pits", "1", None), ("right", "area", "10", None)],
    )
    save(clerk_a, catalogue, area="100", pits="1400")
    assert "清掏数不超过面积的十倍" in page(client_a)
    rule.years.add(AssessmentYear.objects.create(year=YEAR - 5, status="closed"))
    assert "清掏数不超过面积的十倍" not in page(client_a)
    rule.years.add(year)
    assert "清掏数不超过面积的十倍" in page(client_a)


def test_a_closed_year_is_read_only_on_the_next_get(client_a, catalogue, year):
    assert 'id="save-button"' in page(client_a)
    year.status = "closed"
    year.save()
    body = page(client_a)
    assert 'id="save-button"' not in body and "该考核年度已关闭。" in body


def test_each_request_has_its_own_language(client_a, clerk_a, catalogue):
    make_rule(
        "清掏数不超过面积",
        "warn",
        "le",
        [("left", "pits", "1", None), ("right", "area", "1", None)],
    )
    save(clerk_a, catalogue, area="100", pits="1400")
    chinese = page(client_a)
    english = page(client_a, HTTP_ACCEPT_LANGUAGE="en")
    assert "整数" in chinese and "whole number" not in chinese
    assert "whole number" in english and "整数" not in english
    assert "左边" in chinese and "Left side" in english  # the finding's words
    again = page(client_a)
    assert "整数" in again and "whole number" not in again


# --- no department sees another's rows --------------------------------------------


def test_no_department_is_shown_another_departments_kept_rows(
    client_supervisor, client_b, clerk_a, catalogue
):
    save(clerk_a, catalogue, area="150")  # dept-a's month has a return
    a = page(client_supervisor, "dept-a")
    b = page(client_supervisor, "dept-b")
    assert "清扫面积" in a and "垃圾清运量" not in a
    assert "垃圾清运量" in b and "清扫面积" not in b
    assert "清扫面积" not in page(client_b, "dept-b")
    assert client_b.get(entry_url("dept-a")).status_code == 404


# --- the page's query count -------------------------------------------------------


def test_the_entry_page_reads_a_fixed_number_of_queries(
    client_a, clerk_a, catalogue, django_assert_num_queries
):
    """With the kept values read, the page asks for the session, the user, the
    month's return with its department (in the clerk's scope), its figures, the
    reference values, the rules' figures, the follow-ups and
    the unread notices, and saves the session (3, as every signed-in request)."""
    make_rule(
        "清掏数不超过面积的十倍",
        "warn",
        "le",
        [("left", "pits", "1", None), ("right", "area", "10", None)],
    )
    save(clerk_a, catalogue, area="100", pits="1400")
    page(client_a)  # fills the cache
    with django_assert_num_queries(QUERIES):
        page(client_a)


QUERIES = 11


def test_the_page_works_with_the_cache_unreachable(
    client_a, clerk_a, catalogue, settings, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    assert "清扫面积" in page(client_a)
    catalogue["area"].name = "清扫保洁面积"
    catalogue["area"].save()  # the bump cannot reach the cache either
    save(clerk_a, catalogue, area="150")
    assert "清扫保洁面积" in page(client_a)
    assert "catalogue cache unreachable" in caplog.text
