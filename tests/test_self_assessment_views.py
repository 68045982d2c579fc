"""The self-assessment pages and evidence files, view by view and role by role."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.models import (
    Evidence,
    Role,
    SelfAssessment,
    SelfAssessmentSubmission,
    Target,
)
from tests.conftest import login, make_user
from tests.evidence_samples import pdf_bytes

PDF = pdf_bytes()
SECRET = "B-SECRET-完成情况"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def page_url(year, code: str = "dept-a") -> str:
    return reverse(
        "assessment:self-assessment", kwargs={"year": year.year, "code": code}
    )


def submit_url(year, code: str = "dept-a") -> str:
    return reverse(
        "assessment:self-assessment-submit", kwargs={"year": year.year, "code": code}
    )


def return_url(year, code: str = "dept-a") -> str:
    return reverse(
        "assessment:self-assessment-return", kwargs={"year": year.year, "code": code}
    )


def download_url(evidence: Evidence) -> str:
    return reverse("assessment:evidence-download", kwargs={"pk": evidence.pk})


def delete_url(evidence: Evidence) -> str:
    return reverse("assessment:evidence-delete", kwargs={"pk": evidence.pk})


def row_data(
    target: Target,
    score: str = "",
    text: str = "",
    version: int = 0,
    file: SimpleUploadedFile | None = None,
    once: str | None = None,
) -> dict[str, object]:
    """What the rendered form posts; each call is a fresh form (a new token)."""
    data: dict[str, object] = {
        "target": str(target.pk),
        f"t{target.pk}-self_score": score,
        f"t{target.pk}-text": text,
        f"t{target.pk}-version": str(version),
        f"t{target.pk}-once": once or str(uuid.uuid4()),
    }
    if file is not None:
        data[f"t{target.pk}-file"] = file
    return data


def pdf_file(name: str = "report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def media_files() -> set[str]:
    root = Path(django_settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def snapshot() -> dict[str, object]:
    """Everything a refused request must leave as it was."""
    return {
        "rows": list(
            SelfAssessment.objects.order_by("pk").values(
                "pk", "target", "department", "self_score", "text", "version"
            )
        ),
        "evidence": list(
            Evidence.objects.order_by("pk").values(
                "pk", "department", "self_assessment", "file", "sha256"
            )
        ),
        "submissions": list(
            SelfAssessmentSubmission.objects.order_by("pk").values(
                "pk", "department", "status", "comment", "version"
            )
        ),
        "files": media_files(),
        "history": (
            SelfAssessment.history.count(),
            Evidence.history.count(),
            SelfAssessmentSubmission.history.count(),
        ),
    }


@pytest.fixture
def b_data(client_b, catalogue, year):
    """Department B's self-assessment with a secret text and an evidence file."""
    target_b = catalogue["target_b"]
    response = client_b.post(
        page_url(year, "dept-b"),
        row_data(target_b, "18", SECRET, file=pdf_file("B-SECRET-file.pdf")),
    )
    assert response.status_code == 302
    row = SelfAssessment.objects.get(department__code="dept-b", target=target_b)
    return {"row": row, "evidence": row.evidence.get()}


@pytest.fixture
def a_evidence(client_a, catalogue, year) -> Evidence:
    target_a = catalogue["target_a"]
    response = client_a.post(
        page_url(year), row_data(target_a, "15", "道路清扫", file=pdf_file())
    )
    assert response.status_code == 302
    return Evidence.objects.get(department__code="dept-a")


def fill_all(client: Client, catalogue, year) -> None:
    for key in ("target_a", "common"):
        row = SelfAssessment.objects.filter(target=catalogue[key]).first()
        version = row.version if row else 0
        response = client.post(
            page_url(year), row_data(catalogue[key], "8", "ok", version=version)
        )
        assert response.status_code == 302


# --- who may see what ---------------------------------------------------------------


def test_clerk_sees_own_department_targets_and_not_others(client_a, catalogue, year):
    response = client_a.get(page_url(year))
    assert response.status_code == 200
    body = response.content.decode()
    assert "道路清扫保洁" in body
    assert "安全生产" in body  # the common target
    assert catalogue["target_b"].name not in body
    assert 'name="t{}-self_score"'.format(catalogue["target_a"].pk) in body


def test_clerk_of_other_department_gets_404_everywhere(
    client_a, b_data, catalogue, year
):
    before = snapshot()
    evidence = b_data["evidence"]
    target_b = catalogue["target_b"]
    responses = [
        client_a.get(page_url(year, "dept-b")),
        client_a.post(page_url(year, "dept-b"), row_data(target_b, "1", "hacked")),
        client_a.post(submit_url(year, "dept-b")),
        client_a.get(download_url(evidence)),
        client_a.post(delete_url(evidence)),
    ]
    for response in responses:
        assert response.status_code == 404
        body = b"".join(getattr(response, "streaming_content", [response.content]))
        assert SECRET.encode() not in body
        assert b"B-SECRET" not in body
    # Returning is a supervisor action: 403 for any clerk.
    assert client_a.post(return_url(year, "dept-b"), {"comment": "x"}).status_code == (
        403
    )
    assert snapshot() == before


def test_crafted_post_with_other_departments_target_is_refused(
    client_a, b_data, catalogue, year
):
    before = snapshot()
    response = client_a.post(
        page_url(year), row_data(catalogue["target_b"], "1", "overwrite B")
    )
    assert response.status_code == 404
    response = client_a.post(
        page_url(year),
        row_data(catalogue["target_b"], "1", "overwrite B", file=pdf_file()),
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_department_in_post_data_is_ignored(client_a, b_data, catalogue, year):
    data = row_data(catalogue["target_a"], "12", "A's work")
    data["department"] = "dept-b"
    data["department_id"] = str(b_data["row"].department_id)
    assert client_a.post(page_url(year), data).status_code == 302
    row = SelfAssessment.objects.get(target=catalogue["target_a"])
    assert row.department.code == "dept-a"
    assert SelfAssessment.objects.filter(department__code="dept-b").count() == 1


def test_crafted_delete_of_other_departments_evidence_is_refused(
    client_a, b_data, year
):
    before = snapshot()
    assert client_a.post(delete_url(b_data["evidence"])).status_code == 404
    assert snapshot() == before


def test_anonymous_is_sent_to_login(b_data, year):
    client = Client()
    evidence = b_data["evidence"]
    for method, url in [
        ("get", page_url(year, "dept-b")),
        ("post", page_url(year, "dept-b")),
        ("post", submit_url(year, "dept-b")),
        ("post", return_url(year, "dept-b")),
        ("get", download_url(evidence)),
        ("post", delete_url(evidence)),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_supervisor_sees_every_department_but_does_not_write_it(
    client_supervisor, b_data, catalogue, year
):
    response = client_supervisor.get(page_url(year, "dept-b"))
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    assert b"self_score" not in response.content
    before = snapshot()
    response = client_supervisor.post(
        page_url(year, "dept-b"), row_data(catalogue["target_b"], "1", "x")
    )
    assert response.status_code == 403
    assert client_supervisor.post(submit_url(year, "dept-b")).status_code == 403
    assert snapshot() == before
    download = client_supervisor.get(download_url(b_data["evidence"]))
    assert download.status_code == 200


def test_leader_reads_but_changes_nothing(client_leader, b_data, catalogue, year):
    response = client_leader.get(page_url(year, "dept-b"))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET in body
    assert "self_score" not in body
    assert reverse("assessment:evidence-delete", args=[b_data["evidence"].pk]) not in (
        body
    )
    before = snapshot()
    evidence = b_data["evidence"]
    assert (
        client_leader.post(
            page_url(year, "dept-b"), row_data(catalogue["target_b"], "1", "x")
        ).status_code
        == 403
    )
    assert client_leader.post(submit_url(year, "dept-b")).status_code == 403
    assert (
        client_leader.post(return_url(year, "dept-b"), {"comment": "x"}).status_code
        == 403
    )
    assert client_leader.post(delete_url(evidence)).status_code == 403
    assert snapshot() == before
    assert client_leader.get(download_url(evidence)).status_code == 200


def test_get_only_views_refuse_get_on_post_endpoints(client_a, a_evidence, year):
    assert client_a.get(submit_url(year)).status_code == 405
    assert client_a.get(delete_url(a_evidence)).status_code == 405


def test_unknown_year_is_404(client_a, catalogue):
    response = client_a.get(
        reverse("assessment:self-assessment", kwargs={"year": 1999, "code": "dept-a"})
    )
    assert response.status_code == 404


# --- saving -------------------------------------------------------------------------


def test_clerk_saves_score_and_text_with_one_history_entry(
    client_a, clerk_a, catalogue, year
):
    target = catalogue["target_a"]
    text = "全年清扫 150 万m²\n<script>alert(1)</script>"
    response = client_a.post(page_url(year), row_data(target, "18.5", text))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#target-{target.pk}")
    row = SelfAssessment.objects.get(target=target, department__code="dept-a")
    assert row.self_score == Decimal("18.5")
    assert row.text == text
    assert row.version == 1
    assert row.updated_by == clerk_a
    history = list(row.history.all())
    assert len(history) == 1
    assert history[0].history_user == clerk_a

    response = client_a.post(page_url(year), row_data(target, "19", text, version=1))
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.self_score, row.version, row.history.count()) == (Decimal(19), 2, 2)

    body = client_a.get(page_url(year)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(
    "raw",
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e309",
        "1e1",
        "-1",
        "1,5",
        "1.234",
        "20.01",
        "x",
    ],
)
def test_bad_self_scores_are_field_errors_and_change_nothing(
    client_a, catalogue, year, raw
):
    target = catalogue["target_a"]  # 20 points
    before = snapshot()
    response = client_a.post(page_url(year), row_data(target, raw, "text"))
    assert response.status_code == 200
    form = next(r.form for r in response.context["rows"] if r.target == target)
    assert form.errors["self_score"]
    assert "is-invalid" in response.content.decode()
    assert snapshot() == before


def test_full_width_digits_are_read_as_digits(client_a, catalogue, year):
    target = catalogue["target_a"]
    assert (
        client_a.post(page_url(year), row_data(target, "１５．５")).status_code == 302
    )
    assert SelfAssessment.objects.get(target=target).self_score == Decimal("15.5")


def test_score_may_equal_the_points_and_be_empty(client_a, catalogue, year):
    target = catalogue["target_a"]
    client_a.post(page_url(year), row_data(target, "20.00"))
    assert SelfAssessment.objects.get(target=target).self_score == Decimal(20)
    client_a.post(page_url(year), row_data(target, "", version=1))
    assert SelfAssessment.objects.get(target=target).self_score is None


@pytest.mark.parametrize("text", ["NUL\x00byte", "x" * 20001], ids=["nul", "too-long"])
def test_bad_text_is_a_field_error(client_a, catalogue, year, text):
    target = catalogue["target_a"]
    before = snapshot()
    response = client_a.post(page_url(year), row_data(target, "1", text))
    assert response.status_code == 200
    form = next(r.form for r in response.context["rows"] if r.target == target)
    assert form.errors["text"]
    assert snapshot() == before


def test_stale_edit_is_refused_naming_who_changed_it(client_a, dept_a, catalogue, year):
    other = make_user("clerk_a2", Role.CLERK, dept_a)
    other.first_name = "李四"
    other.save()
    target = catalogue["target_a"]
    assert login(other).post(page_url(year), row_data(target, "10", "B")).status_code
    before = snapshot()
    response = client_a.post(page_url(year), row_data(target, "12", "A", version=0))
    assert response.status_code == 409
    assert "李四" in response.content.decode()
    assert snapshot() == before
    # The page now carries the stored version: saving again replaces on purpose.
    form = next(r.form for r in response.context["rows"] if r.target == target)
    assert form["version"].value() == "1"
    client_a.post(page_url(year), row_data(target, "12", "A", version=1))
    assert SelfAssessment.objects.get(target=target).text == "A"


def test_double_submitted_form_stores_one_value(client_a, catalogue, year):
    target = catalogue["target_a"]
    data = row_data(target, "16", "同一次提交", version=0)
    first = client_a.post(page_url(year), data)
    second = client_a.post(page_url(year), data, follow=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert not any("not saved" in m for m in messages_of(second))
    row = SelfAssessment.objects.get(target=target)
    assert (row.self_score, row.version, row.history.count()) == (Decimal(16), 1, 1)


# --- evidence -----------------------------------------------------------------------


def test_upload_is_stored_under_a_server_name(client_a, clerk_a, catalogue, year):
    target = catalogue["target_a"]
    # CR/LF and NUL cannot travel in a multipart header; test_evidence covers them.
    hostile = "../../x\u202egnp.pdf"
    response = client_a.post(
        page_url(year), row_data(target, "15", file=pdf_file(hostile))
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert re.fullmatch(
        rf"evidence/{year.year}/[0-9a-f]{{32}}\.pdf", evidence.file.name
    )
    assert evidence.original_name == "xgnp.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(PDF)
    assert evidence.uploaded_by == clerk_a
    assert evidence.department.code == "dept-a"
    assert media_files() == {evidence.file.name}
    assert (Path(django_settings.MEDIA_ROOT) / evidence.file.name).read_bytes() == PDF
    assert evidence.history.count() == 1


def test_upload_of_html_renamed_pdf_is_refused_and_nothing_written(
    client_a, catalogue, year
):
    target = catalogue["target_a"]
    before = snapshot()
    html = SimpleUploadedFile("report.pdf", b"<html><script>x</script></html>")
    response = client_a.post(page_url(year), row_data(target, "15", "t", file=html))
    assert response.status_code == 200
    form = next(r.form for r in response.context["rows"] if r.target == target)
    assert form.errors["file"]
    assert snapshot() == before


def test_duplicate_upload_is_noticed(client_a, a_evidence, catalogue, year):
    target = catalogue["target_a"]
    before = snapshot()
    response = client_a.post(
        page_url(year),
        row_data(target, "15", "道路清扫", version=1, file=pdf_file("again.pdf")),
    )
    assert response.status_code == 200
    form = next(r.form for r in response.context["rows"] if r.target == target)
    assert "already attached" in str(form.errors["file"])
    assert snapshot() == before


def test_download_is_an_attachment_with_nosniff(client_a, a_evidence):
    response = client_a.get(download_url(a_evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_download_name_gets_the_real_extension(client_a, catalogue, year):
    client_a.post(
        page_url(year),
        row_data(catalogue["target_a"], "1", file=pdf_file("photo.png")),
    )
    response = client_a.get(download_url(Evidence.objects.get()))
    assert 'filename="photo.png.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"


def test_media_is_not_served_directly(client_a, a_evidence):
    response = client_a.get("/media/" + a_evidence.file.name)
    assert response.status_code == 404
    assert PDF not in response.content


def test_clerk_deletes_evidence_and_its_file(
    client_a, a_evidence, django_capture_on_commit_callbacks
):
    name = a_evidence.file.name
    assert name in media_files()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(delete_url(a_evidence))
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert name not in media_files()


def test_supervisor_may_delete_evidence(client_supervisor, a_evidence):
    assert client_supervisor.post(delete_url(a_evidence)).status_code == 302
    assert not Evidence.objects.exists()


# --- submit, lock, return -----------------------------------------------------------


def test_submit_needs_every_self_score(client_a, catalogue, year):
    client_a.post(page_url(year), row_data(catalogue["target_a"], "15"))
    response = client_a.post(submit_url(year), follow=True)
    assert any("安全生产" in m for m in messages_of(response))
    submission = SelfAssessmentSubmission.objects.get()
    assert submission.status == "draft"


def test_submit_locks_everything(client_a, clerk_a, a_evidence, catalogue, year):
    fill_all(client_a, catalogue, year)
    response = client_a.post(submit_url(year), follow=True)
    assert response.status_code == 200
    submission = SelfAssessmentSubmission.objects.get()
    assert submission.status == "submitted"
    assert submission.submitted_by == clerk_a
    assert "self_score" not in response.content.decode()

    before = snapshot()
    target = catalogue["target_a"]
    row = SelfAssessment.objects.get(target=target)
    edit = client_a.post(
        page_url(year), row_data(target, "1", "late", version=row.version), follow=True
    )
    assert any("submitted and is locked" in m for m in messages_of(edit))
    upload = client_a.post(
        page_url(year),
        row_data(target, "8", "ok", version=row.version, file=pdf_file("new.pdf")),
        follow=True,
    )
    assert any("submitted and is locked" in m for m in messages_of(upload))
    delete = client_a.post(delete_url(a_evidence), follow=True)
    assert any("submitted and is locked" in m for m in messages_of(delete))
    again = client_a.post(submit_url(year), follow=True)
    assert any("already submitted" in m for m in messages_of(again))
    assert snapshot() == before


def test_supervisor_returns_with_a_comment_and_clerk_may_edit_again(
    client_a, client_supervisor, catalogue, year
):
    fill_all(client_a, catalogue, year)
    client_a.post(submit_url(year))
    before = snapshot()
    response = client_supervisor.post(return_url(year), {"comment": "  "})
    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"]
    assert snapshot() == before

    comment = "佐证材料不全 <b>请补充</b>"
    response = client_supervisor.post(return_url(year), {"comment": comment})
    assert response.status_code == 302
    submission = SelfAssessmentSubmission.objects.get()
    assert (submission.status, submission.comment) == ("returned", comment)

    body = client_a.get(page_url(year)).content.decode()
    assert "佐证材料不全 &lt;b&gt;请补充&lt;/b&gt;" in body
    target = catalogue["target_a"]
    row = SelfAssessment.objects.get(target=target)
    client_a.post(page_url(year), row_data(target, "9", "补充", version=row.version))
    assert SelfAssessment.objects.get(target=target).self_score == Decimal(9)


def test_return_only_a_submitted_self_assessment(client_supervisor, catalogue, year):
    response = client_supervisor.post(
        return_url(year), {"comment": "too early"}, follow=True
    )
    assert any("Only a submitted" in m for m in messages_of(response))
    assert not SelfAssessmentSubmission.objects.exists()


def test_clerk_cannot_return(client_a, catalogue, year):
    fill_all(client_a, catalogue, year)
    client_a.post(submit_url(year))
    assert client_a.post(return_url(year), {"comment": "x"}).status_code == 403
    assert SelfAssessmentSubmission.objects.get().status == "submitted"


def test_closed_year_refuses_every_change(
    client_a, client_supervisor, a_evidence, catalogue, year
):
    fill_all(client_a, catalogue, year)
    client_a.post(submit_url(year))
    year.status = "closed"
    year.save()
    before = snapshot()
    target = catalogue["target_a"]
    row = SelfAssessment.objects.get(target=target)
    attempts = [
        client_a.post(
            page_url(year), row_data(target, "1", "x", version=row.version), follow=True
        ),
        client_a.post(submit_url(year), follow=True),
        client_a.post(delete_url(a_evidence), follow=True),
        client_supervisor.post(return_url(year), {"comment": "x"}, follow=True),
        client_supervisor.post(delete_url(a_evidence), follow=True),
    ]
    for response in attempts:
        assert any("closed" in m for m in messages_of(response)), messages_of(response)
    assert snapshot() == before
    page = client_a.get(page_url(year)).content.decode()
    assert "self_score" not in page
    assert client_a.get(download_url(a_evidence)).status_code == 200


def test_closed_year_refuses_a_draft_edit(client_a, catalogue, year):
    year.status = "closed"
    year.save()
    before = snapshot()
    response = client_a.post(
        page_url(year), row_data(catalogue["target_a"], "1", "x"), follow=True
    )
    assert any("closed" in m for m in messages_of(response))
    assert snapshot() == before


def test_nav_links_a_clerk_to_their_self_assessment(client_a, year, dept_a):
    body = client_a.get(page_url(year)).content.decode()
    assert f'href="{page_url(year)}"' in body


# --- evidence a target asks for --------------------------------------------------------


def test_missing_evidence_lists_targets_that_ask_for_files_and_have_none():
    from types import SimpleNamespace

    from assessment.scoring.self_assessment import missing_evidence

    asks = SimpleNamespace(pk=1, evidence_required="会议记录")
    silent = SimpleNamespace(pk=2, evidence_required="  ")
    attached = SimpleNamespace(pk=3, evidence_required="照片")
    targets = [asks, silent, attached]
    assert missing_evidence(targets, {3: ["photo.png"]}) == [asks]
    assert missing_evidence(targets, {1: ["a.pdf"], 3: ["b.png"]}) == []


def test_submitting_without_required_evidence_asks_for_confirmation(
    client_a, catalogue, year
):
    target = catalogue["target_a"]
    Target.objects.filter(pk=target.pk).update(evidence_required="清扫记录表")
    fill_all(client_a, catalogue, year)
    page = client_a.get(page_url(year)).content.decode()
    assert 'id="missing-evidence"' in page and "清扫记录表" in page
    refused = client_a.post(submit_url(year), follow=True)
    assert any(target.name in m and "evidence" in m for m in messages_of(refused))
    assert SelfAssessmentSubmission.objects.get().status == "draft"
    confirmed = client_a.post(
        submit_url(year), {"confirm_missing_evidence": "1"}, follow=True
    )
    assert confirmed.status_code == 200
    assert SelfAssessmentSubmission.objects.get().status == "submitted"


def test_the_text_field_is_labelled_once(client_a, catalogue, year, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    page = client_a.get(page_url(year), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "(完成情况)" not in page.content.decode()
