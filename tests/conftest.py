"""The fixed cast: departments A and B, a clerk of each, a supervisor, a leader.

The year under test is the current calendar year, so its past months are open for entry
and its deadline logic is real; tests that need a particular day use `today`.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import (
    AssessmentYear,
    Category,
    Department,
    Indicator,
    Role,
    Target,
    User,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "test-pass-4821"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Nothing kept from one test's database (rolled back) into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def year(db) -> AssessmentYear:
    return AssessmentYear.objects.create(
        year=timezone.localdate().year, title="Test year"
    )


@pytest.fixture
def dept_a(db) -> Department:
    return Department.objects.create(code="dept-a", name="清扫保洁队", order=1)


@pytest.fixture
def dept_b(db) -> Department:
    return Department.objects.create(code="dept-b", name="垃圾清运队", order=2)


def make_user(username: str, role: str, *departments: Department) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role)
    if departments:
        user.departments.set(departments)
    return user


@pytest.fixture
def clerk_a(dept_a) -> User:
    return make_user("clerk_a", Role.CLERK, dept_a)


@pytest.fixture
def clerk_b(dept_b) -> User:
    return make_user("clerk_b", Role.CLERK, dept_b)


@pytest.fixture
def supervisor(db) -> User:
    return make_user("supervisor", Role.SUPERVISOR)


@pytest.fixture
def leader(db) -> User:
    return make_user("leader", Role.LEADER)


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_a(clerk_a) -> Client:
    return login(clerk_a)


@pytest.fixture
def client_b(clerk_b) -> Client:
    return login(clerk_b)


@pytest.fixture
def client_supervisor(supervisor) -> Client:
    return login(supervisor)


@pytest.fixture
def client_leader(leader) -> Client:
    return login(leader)


@pytest.fixture
def catalogue(year, dept_a, dept_b) -> dict[str, object]:
    """One category, a target per department and a common one, with indicators."""
    category = Category.objects.create(year=year, code="1", name="勤政建设", order=1)
    target_a = Target.objects.create(
        category=category, code="1.1", name="道路清扫保洁", points=Decimal(20), order=1
    )
    target_a.departments.add(dept_a)
    target_b = Target.objects.create(
        category=category, code="1.2", name="垃圾清运", points=Decimal(20), order=2
    )
    target_b.departments.add(dept_b)
    common = Target.objects.create(
        category=category,
        code="1.3",
        name="安全生产",
        points=Decimal(10),
        order=3,
        is_common=True,
    )
    area = Indicator.objects.create(
        year=year,
        target=target_a,
        code="area",
        name="清扫面积",
        unit="万m²",
        decimals=1,
        aggregation="avg",
        plausible_min=Decimal(100),
        plausible_max=Decimal(200),
        annual_target=Decimal(150),
        order=1,
    )
    area.departments.add(dept_a)
    pits = Indicator.objects.create(
        year=year,
        target=target_a,
        code="pits",
        name="垃圾池清掏",
        unit="个",
        decimals=0,
        aggregation="sum",
        plausible_min=Decimal(0),
        plausible_max=Decimal(60000),
        annual_target=Decimal(500000),
        order=2,
    )
    pits.departments.add(dept_a)
    waste = Indicator.objects.create(
        year=year,
        target=target_b,
        code="waste",
        name="垃圾清运量",
        unit="t",
        decimals=1,
        aggregation="sum",
        plausible_min=Decimal(0),
        plausible_max=Decimal(10000),
        annual_target=Decimal(60000),
        order=3,
    )
    waste.departments.add(dept_b)
    return {
        "category": category,
        "target_a": target_a,
        "target_b": target_b,
        "common": common,
        "area": area,
        "pits": pits,
        "waste": waste,
    }


pytest_plugins = ["tests.browser_support", "tests.appeals_support"]
