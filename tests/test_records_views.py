"""Work records (工作纪实): list, add, edit, delete and history, as the whole cast."""

from __future__ import annotations

import datetime
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment import formatting
from assessment.models import AssessmentYear
from sanitation.bureau.models import (
    Donation,
    PartyActivity,
    Petition,
    SafetyActivity,
    Task,
)
from tests.conftest import login


@pytest.fixture
def day(year) -> datetime.date:
    return datetime.date(year.year, 3, 15)


@pytest.fixture
def donation_a(dept_a, clerk_a, day) -> Donation:
    return Donation.objects.create(
        department=dept_a,
        date=day,
        title="扶贫助困捐款 A",
        amount=Decimal("7540.00"),
        updated_by=clerk_a,
    )


@pytest.fixture
def donation_b(dept_b, clerk_b, day) -> Donation:
    return Donation.objects.create(
        department=dept_b,
        date=day,
        title="Secret campaign of B",
        amount=Decimal("99.00"),
        updated_by=clerk_b,
    )


def donation_data(department, day, **overrides) -> dict[str, object]:
    data = {
        "department": department.pk,
        "date": day.isoformat(),
        "title": "金秋助学",
        "amount": "6160",
        "items": "",
        "description": "",
        "once": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def fresh(data: dict[str, object]) -> dict[str, object]:
    """The data as a newly rendered add form posts it: with its own one-time token."""
    return {**data, "once": str(uuid.uuid4())}


def list_url(kind: str = "donations", **params: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("bureau:record-list", args=[kind]) + (f"?{query}" if query else "")


def edit_url(record, kind: str = "donations") -> str:
    return reverse("bureau:record-edit", args=[kind, record.pk])


def snapshot() -> tuple[list[tuple], int]:
    rows = list(
        Donation.objects.order_by("pk").values_list(
            "pk", "department_id", "date", "title", "amount", "version"
        )
    )
    return rows, Donation.history.count()


# Anonymous ---------------------------------------------------------------------------


def test_every_view_sends_anonymous_visitors_to_log_in(donation_a):
    client = Client()
    urls = [
        reverse("bureau:index"),
        list_url(),
        reverse("bureau:record-add", args=["donations"]),
        edit_url(donation_a),
        reverse("bureau:record-delete", args=["donations", donation_a.pk]),
        reverse("bureau:record-history", args=["donations", donation_a.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    before = snapshot()
    client.post(reverse("bureau:record-delete", args=["donations", donation_a.pk]))
    assert snapshot() == before


# Index and list ---------------------------------------------------------------------


def test_index_counts_records_of_the_users_departments(
    client_a, donation_a, donation_b, day
):
    response = client_a.get(reverse("bureau:index"), {"year": day.year})
    assert response.status_code == 200
    body = response.content.decode()
    assert "清扫保洁队" in body
    assert "垃圾清运队" not in body
    donations = response.context["rows"][0]
    assert donations["kind"].slug == "donations"
    assert donations["total"] == 1


def test_index_shows_every_department_to_a_supervisor(
    client_supervisor, donation_a, donation_b, day
):
    response = client_supervisor.get(reverse("bureau:index"), {"year": day.year})
    body = response.content.decode()
    assert "清扫保洁队" in body and "垃圾清运队" in body
    assert response.context["rows"][0]["total"] == 2


def test_list_shows_own_records_with_the_total(
    client_a, dept_a, donation_a, donation_b, day
):
    Donation.objects.create(
        department=dept_a, date=day, title="second", amount=Decimal("0.50")
    )
    Donation.objects.create(
        department=dept_a,
        date=day.replace(month=4),
        title="another month",
        amount=Decimal("1000"),
    )
    response = client_a.get(
        list_url(department=dept_a.code, year=day.year, month=day.month)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "扶贫助困捐款 A" in body
    assert "another month" not in body
    assert "Secret campaign of B" not in body
    assert response.context["total"] == Decimal("7540.50")
    assert "7540.50" in body  # zh-hans groups no thousands


def test_list_without_department_shows_only_own_departments(
    client_a, donation_a, donation_b, day
):
    response = client_a.get(list_url(year=day.year))
    body = response.content.decode()
    assert "扶贫助困捐款 A" in body
    assert "Secret campaign of B" not in body
    assert response.context["total"] == Decimal("7540.00")


def test_list_refuses_another_departments_code(client_a, dept_b, donation_b, day):
    response = client_a.get(list_url(department=dept_b.code, year=day.year))
    assert response.status_code == 404
    assert "Secret campaign of B" not in response.content.decode()


def test_list_answers_404_for_an_unknown_kind_or_department(client_a):
    assert client_a.get(list_url("bribes")).status_code == 404
    assert client_a.get(list_url(department="no-such")).status_code == 404


def test_list_has_an_empty_state(client_a, dept_a, year):
    response = client_a.get(list_url("petitions", department=dept_a.code))
    assert response.status_code == 200
    assert "records-empty" in response.content.decode()


@pytest.mark.parametrize("kind", ["donations", "petitions", "safety", "party", "tasks"])
def test_every_kind_lists_for_supervisor_and_leader(
    kind, client_supervisor, client_leader, year
):
    assert client_supervisor.get(list_url(kind)).status_code == 200
    response = client_leader.get(list_url(kind))
    assert response.status_code == 200
    assert reverse("bureau:record-add", args=[kind]) not in response.content.decode()


def test_supervisor_sees_all_departments_records(
    client_supervisor, donation_a, donation_b, day
):
    body = client_supervisor.get(list_url(year=day.year)).content.decode()
    assert "扶贫助困捐款 A" in body and "Secret campaign of B" in body


def test_list_query_count_does_not_grow_with_records(
    client_a, dept_a, day, django_assert_max_num_queries
):
    for n in range(30):
        Donation.objects.create(
            department=dept_a, date=day, title=f"d{n}", amount=Decimal(n)
        )
    # 12, the session's renewal (idle timeout: every request renews it) and the
    # top bar's count of unread notices.
    with django_assert_max_num_queries(14):
        response = client_a.get(list_url(department=dept_a.code, year=day.year))
    assert len(response.context["rows"]) == 30


# Add ----------------------------------------------------------------------------------


def test_clerk_adds_a_donation_with_audit(client_a, clerk_a, dept_a, day):
    response = client_a.post(
        reverse("bureau:record-add", args=["donations"]), donation_data(dept_a, day)
    )
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.department == dept_a
    assert donation.amount == Decimal("6160")
    assert donation.updated_by == clerk_a
    assert donation.version == 1
    history = list(donation.history.all())
    assert len(history) == 1
    assert history[0].history_user == clerk_a
    assert history[0].history_type == "+"
    assert f"department={dept_a.code}" in response["Location"]


def test_add_form_offers_only_own_departments(client_a, dept_a, dept_b):
    response = client_a.get(reverse("bureau:record-add", args=["donations"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert dept_a.name in body
    assert dept_b.name not in body


def test_crafted_post_for_another_department_is_refused(
    client_a, dept_a, dept_b, donation_a, donation_b, day
):
    before = snapshot()
    response = client_a.post(
        reverse("bureau:record-add", args=["donations"]), donation_data(dept_b, day)
    )
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert snapshot() == before


def test_crafted_edit_moving_a_record_to_another_department_is_refused(
    client_a, dept_b, donation_a, donation_b, day
):
    before = snapshot()
    response = client_a.post(
        edit_url(donation_a),
        donation_data(dept_b, day, version=donation_a.version),
    )
    assert response.status_code == 200
    assert "department" in response.context["form"].errors
    assert snapshot() == before


def test_leader_cannot_add_edit_or_delete(client_leader, dept_a, donation_a, day):
    before = snapshot()
    add = reverse("bureau:record-add", args=["donations"])
    delete = reverse("bureau:record-delete", args=["donations", donation_a.pk])
    assert client_leader.get(add).status_code == 403
    assert client_leader.post(add, donation_data(dept_a, day)).status_code == 403
    assert client_leader.get(edit_url(donation_a)).status_code == 403
    assert (
        client_leader.post(
            edit_url(donation_a), donation_data(dept_a, day, version=1)
        ).status_code
        == 403
    )
    assert client_leader.get(delete).status_code == 403
    assert client_leader.post(delete).status_code == 403
    assert snapshot() == before
    history = reverse("bureau:record-history", args=["donations", donation_a.pk])
    assert client_leader.get(history).status_code == 200


def test_supervisor_may_add_for_any_department(client_supervisor, dept_b, day):
    response = client_supervisor.post(
        reverse("bureau:record-add", args=["donations"]), donation_data(dept_b, day)
    )
    assert response.status_code == 302
    assert Donation.objects.get().department == dept_b


def test_add_answers_404_for_an_unknown_kind(client_a):
    assert (
        client_a.get(reverse("bureau:record-add", args=["bribes"])).status_code == 404
    )


# Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    ["NaN", "Infinity", "-Infinity", "1e309", "-1", "1.234", "1,5", "", "abc", "1e3"],
)
def test_bad_amounts_are_field_errors(client_a, dept_a, day, amount):
    before = snapshot()
    response = client_a.post(
        reverse("bureau:record-add", args=["donations"]),
        donation_data(dept_a, day, amount=amount),
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert snapshot() == before


def test_full_width_digits_are_read_as_ascii(client_a, dept_a, day):
    response = client_a.post(
        reverse("bureau:record-add", args=["donations"]),
        donation_data(dept_a, day, amount="３８５０．５"),
    )
    assert response.status_code == 302
    assert Donation.objects.get().amount == Decimal("3850.50")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x" * 201),
        ("items", "x" * 201),
        ("description", "x" * 5001),
        ("title", "bad\x00title"),
        ("description", "bad\x00text"),
        ("title", ""),
        ("date", "2021-02-30"),
    ],
)
def test_bad_text_is_refused(client_a, dept_a, day, field, value):
    before = snapshot()
    response = client_a.post(
        reverse("bureau:record-add", args=["donations"]),
        donation_data(dept_a, day, **{field: value}),
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert snapshot() == before


def test_html_is_stored_as_typed_and_shown_escaped(client_a, dept_a, day):
    typed = '<script>alert("x")</script><b>bold</b>'
    client_a.post(
        reverse("bureau:record-add", args=["donations"]),
        donation_data(dept_a, day, title=typed, description=typed),
    )
    donation = Donation.objects.get()
    assert donation.title == typed
    for url in (
        list_url(department=dept_a.code, year=day.year),
        edit_url(donation),
        reverse("bureau:record-history", args=["donations", donation.pk]),
    ):
        body = client_a.get(url).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;" in body


def test_petition_resolution_rules(client_a, dept_a, day):
    url = reverse("bureau:record-add", args=["petitions"])
    base = {
        "department": dept_a.pk,
        "date": day.isoformat(),
        "channel": "proposal",
        "title": "政协提案",
        "status": "resolved",
        "resolved_date": "",
        "description": "",
    }
    response = client_a.post(url, fresh(base))
    assert "resolved_date" in response.context["form"].errors
    earlier = (day - datetime.timedelta(days=1)).isoformat()
    response = client_a.post(url, fresh({**base, "resolved_date": earlier}))
    assert "resolved_date" in response.context["form"].errors
    response = client_a.post(
        url, fresh({**base, "status": "open", "resolved_date": day.isoformat()})
    )
    assert "resolved_date" in response.context["form"].errors
    response = client_a.post(url, fresh({**base, "channel": "telegram"}))
    assert "channel" in response.context["form"].errors
    assert not Petition.objects.exists()
    response = client_a.post(url, fresh({**base, "resolved_date": day.isoformat()}))
    assert response.status_code == 302
    assert Petition.objects.get().resolved_date == day


def test_fatalities_only_for_accidents(client_a, dept_a, day):
    url = reverse("bureau:record-add", args=["safety"])
    base = {
        "department": dept_a.pk,
        "kind": "meeting",
        "date": day.isoformat(),
        "title": "安全例会",
        "participants": "30",
        "fatalities": "1",
        "description": "",
    }
    response = client_a.post(url, fresh(base))
    assert "fatalities" in response.context["form"].errors
    response = client_a.post(
        url, fresh({**base, "participants": "-3", "fatalities": ""})
    )
    assert "participants" in response.context["form"].errors
    assert not SafetyActivity.objects.exists()
    assert client_a.post(url, fresh({**base, "fatalities": ""})).status_code == 302
    assert SafetyActivity.objects.get().fatalities == 0
    accident = {**base, "kind": "accident", "title": "作业车辆侧翻"}
    assert client_a.post(url, fresh(accident)).status_code == 302
    assert SafetyActivity.objects.get(kind="accident").fatalities == 1


def test_task_end_date_not_before_start(client_a, dept_a, day):
    url = reverse("bureau:record-add", args=["tasks"])
    base = {
        "department": dept_a.pk,
        "kind": "campaign",
        "date": day.isoformat(),
        "end_date": (day - datetime.timedelta(days=1)).isoformat(),
        "title": "国庆环境整治",
        "participants": "",
        "quantity": "100",
        "unit": "t",
        "description": "",
    }
    response = client_a.post(url, fresh(base))
    assert "end_date" in response.context["form"].errors
    response = client_a.post(url, fresh({**base, "end_date": "", "quantity": "NaN"}))
    assert "quantity" in response.context["form"].errors
    assert not Task.objects.exists()
    response = client_a.post(url, fresh({**base, "end_date": day.isoformat()}))
    assert response.status_code == 302
    assert Task.objects.get().quantity == Decimal(100)


def test_party_activity_is_added(client_a, dept_a, day):
    response = client_a.post(
        reverse("bureau:record-add", args=["party"]),
        {
            "department": dept_a.pk,
            "kind": "study",
            "date": day.isoformat(),
            "title": "主题党日",
            "participants": "12",
            "description": "",
            "once": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    assert PartyActivity.objects.get().participants == 12


# Edit -----------------------------------------------------------------------------------


def test_clerk_edits_own_record_with_audit(client_a, clerk_a, dept_a, donation_a, day):
    response = client_a.get(edit_url(donation_a))
    assert response.status_code == 200
    assert 'name="version" value="1"' in response.content.decode()
    response = client_a.post(
        edit_url(donation_a),
        donation_data(dept_a, day, title="改名", amount="7540.5", version=1),
    )
    assert response.status_code == 302
    donation_a.refresh_from_db()
    assert donation_a.title == "改名"
    assert donation_a.amount == Decimal("7540.50")
    assert donation_a.version == 2
    assert donation_a.updated_by == clerk_a
    latest = donation_a.history.latest()
    assert latest.history_user == clerk_a
    assert latest.history_type == "~"


def test_other_clerk_gets_404_for_every_view_of_a_record(
    client_b, dept_a, dept_b, donation_a, day
):
    before = snapshot()
    urls = [
        edit_url(donation_a),
        reverse("bureau:record-delete", args=["donations", donation_a.pk]),
        reverse("bureau:record-history", args=["donations", donation_a.pk]),
    ]
    for url in urls:
        response = client_b.get(url)
        assert response.status_code == 404, url
        assert "扶贫助困捐款 A" not in response.content.decode()
        assert (
            client_b.post(url, donation_data(dept_b, day, version=1)).status_code == 404
        )
    assert snapshot() == before
    body = client_b.get(list_url(year=day.year)).content.decode()
    assert "扶贫助困捐款 A" not in body


def test_supervisor_may_edit_any_record(
    client_supervisor, supervisor, dept_b, donation_b, day
):
    response = client_supervisor.post(
        edit_url(donation_b), donation_data(dept_b, day, amount="100", version=1)
    )
    assert response.status_code == 302
    donation_b.refresh_from_db()
    assert donation_b.amount == Decimal(100)
    assert donation_b.updated_by == supervisor


def test_stale_edit_is_refused_naming_who_changed_it(
    client_a, client_supervisor, dept_a, donation_a, day
):
    client_supervisor.post(
        edit_url(donation_a),
        donation_data(dept_a, day, title="主管改的", amount="7540", version=1),
    )
    history_before = Donation.history.count()
    response = client_a.post(
        edit_url(donation_a),
        donation_data(dept_a, day, title="clerk's edit", amount="1", version=1),
    )
    assert response.status_code == 200
    (message,) = response.context["form"].non_field_errors()
    assert "supervisor" in message
    donation_a.refresh_from_db()
    assert formatting.moment(donation_a.updated_at) in message
    assert "supervisor" in response.content.decode()
    assert donation_a.title == "主管改的"
    assert donation_a.version == 2
    assert Donation.history.count() == history_before


def test_double_submitted_edit_is_accepted_once(client_a, dept_a, donation_a, day):
    data = donation_data(dept_a, day, title="一次", amount="8000", version=1)
    first = client_a.post(edit_url(donation_a), data)
    second = client_a.post(edit_url(donation_a), data)
    assert first.status_code == 302
    assert second.status_code == 302
    donation_a.refresh_from_db()
    assert donation_a.version == 2
    assert donation_a.history.count() == 1 + 1  # created by the fixture, one change


def test_edit_without_version_is_a_conflict_not_a_silent_overwrite(
    client_a, dept_a, donation_a, day
):
    data = donation_data(dept_a, day, title="no version")
    response = client_a.post(edit_url(donation_a), data)
    assert response.status_code == 200
    donation_a.refresh_from_db()
    assert donation_a.title == "扶贫助困捐款 A"


# Delete and history -------------------------------------------------------------------


def test_delete_asks_then_deletes_with_audit(client_a, clerk_a, donation_a):
    url = reverse("bureau:record-delete", args=["donations", donation_a.pk])
    response = client_a.get(url)
    assert response.status_code == 200
    assert Donation.objects.filter(pk=donation_a.pk).exists()
    response = client_a.post(url)
    assert response.status_code == 302
    assert not Donation.objects.filter(pk=donation_a.pk).exists()
    deleted = Donation.history.filter(id=donation_a.pk).latest()
    assert deleted.history_type == "-"
    assert deleted.history_user == clerk_a


def test_history_shows_who_when_and_old_and_new_values(
    client_a, client_supervisor, dept_a, donation_a, day
):
    client_supervisor.post(
        edit_url(donation_a),
        donation_data(dept_a, day, title="扶贫助困捐款 A", amount="7600", version=1),
    )
    response = client_a.get(
        reverse("bureau:record-history", args=["donations", donation_a.pk])
    )
    assert response.status_code == 200
    latest = response.context["entries"][0]
    assert latest["row"].history_user.username == "supervisor"
    changes = {(c.old, c.new) for c in latest["changes"]}
    assert ("7540.00", "7600.00") in changes
    assert len(latest["changes"]) == 1  # the title was not changed
    body = response.content.decode()
    assert "7540.00" in body and "7600.00" in body and "supervisor" in body


# Closed year ----------------------------------------------------------------------------


@pytest.fixture
def closed_2021(db) -> AssessmentYear:
    return AssessmentYear.objects.create(year=2021, status="closed")


def test_closed_year_refuses_new_records(client_a, dept_a, closed_2021):
    before = snapshot()
    response = client_a.post(
        reverse("bureau:record-add", args=["donations"]),
        donation_data(dept_a, datetime.date(2021, 6, 1)),
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert "2021" in str(response.context["form"].errors["date"])
    assert snapshot() == before


def test_closed_year_refuses_edits_and_deletes(client_a, dept_a, clerk_a, closed_2021):
    old = Donation.objects.create(
        department=dept_a,
        date=datetime.date(2021, 6, 1),
        title="2021 donation",
        amount=Decimal(7540),
    )
    before = snapshot()
    response = client_a.post(
        edit_url(old),
        donation_data(dept_a, datetime.date(2021, 6, 1), title="changed", version=1),
        follow=True,
    )
    assert "closed" in response.content.decode() or "关闭" in response.content.decode()
    delete = reverse("bureau:record-delete", args=["donations", old.pk])
    client_a.post(delete)
    assert snapshot() == before
    listing = client_a.get(list_url(year=2021)).content.decode()
    assert "2021 donation" in listing
    assert f'href="{edit_url(old)}"' not in listing


def test_moving_a_record_into_a_closed_year_is_refused(
    client_a, dept_a, donation_a, closed_2021
):
    before = snapshot()
    response = client_a.post(
        edit_url(donation_a),
        donation_data(dept_a, datetime.date(2021, 6, 1), version=1),
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert snapshot() == before


# Concurrency on PostgreSQL, with real threads ----------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_edits_from_one_version_one_wins(
    clerk_a, supervisor, dept_a, day
):
    donation = Donation.objects.create(
        department=dept_a, date=day, title="start", amount=Decimal(1)
    )
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def edit(user, title: str) -> None:
        try:
            client = login(user)
            barrier.wait(timeout=10)
            response = client.post(
                edit_url(donation), donation_data(dept_a, day, title=title, version=1)
            )
            results[title] = response.status_code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit, args=(clerk_a, "clerk")),
        threading.Thread(target=edit, args=(supervisor, "supervisor")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == [200, 302]
    winner = next(title for title, status in results.items() if status == 302)
    donation.refresh_from_db()
    assert donation.title == winner
    assert donation.version == 2
    assert donation.history.count() == 2


# Default year -----------------------------------------------------------------------


def test_lists_open_on_this_year_when_it_is_an_assessment_year(
    client_a, year, donation_a
):
    AssessmentYear.objects.create(year=2021, status="scoring")
    response = client_a.get(list_url())
    assert response.context["year"] == year.year
    assert "扶贫助困捐款 A" in response.content.decode()


def test_lists_open_on_the_current_assessment_year_otherwise(client_a, clerk_a, dept_a):
    AssessmentYear.objects.create(year=2021, status="scoring")
    Donation.objects.create(
        department=dept_a,
        date=datetime.date(2021, 6, 1),
        title="献爱心扶贫捐款",
        amount=Decimal("7540.00"),
        updated_by=clerk_a,
    )
    response = client_a.get(list_url())
    assert response.context["year"] == 2021
    assert "献爱心扶贫捐款" in response.content.decode()
    assert client_a.get(reverse("bureau:index")).context["year"] == 2021
    assert client_a.get(list_url(year="x")).context["year"] == 2021


def test_lists_open_on_this_calendar_year_without_any_assessment_year(client_a):
    response = client_a.get(list_url())
    assert response.context["year"] == timezone.localdate().year
