"""A clerk writes the self-assessment, uploads evidence, submits, and sees it locked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessment.models import Evidence, SelfAssessment, SelfAssessmentSubmission
from tests.browser_support import log_in
from tests.conftest import PASSWORD
from tests.evidence_samples import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = pdf_bytes()


def test_clerk_writes_uploads_and_submits(new_page, catalogue, year, clerk_a, tmp_path):
    target, common = catalogue["target_a"], catalogue["common"]
    evidence_file = tmp_path / "清扫台账.pdf"
    evidence_file.write_bytes(PDF)
    page = new_page()
    log_in(page, clerk_a.username, PASSWORD)

    # The navigation leads the clerk to their department's page.
    page.click(f"nav a[href='/years/{year.year}/self-assessment/dept-a/']")
    page.wait_for_load_state("networkidle")
    assert page.locator(".sa-target").count() == 2
    assert page.locator("#submit button[type=submit]").is_disabled()

    card = page.locator(f"#target-{target.pk}")
    card.locator("input[name$=self_score]").fill("25")
    card.locator("textarea").fill("全年清扫保洁面积约150万m²\n<b>三班倒</b>")
    card.locator("input[type=file]").set_input_files(str(evidence_file))
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    # Over the points: refused next to the field, nothing stored.
    card = page.locator(f"#target-{target.pk}")
    assert card.locator("input[name$=self_score].is-invalid").count() == 1
    assert not SelfAssessment.objects.exists()

    card.locator("input[name$=self_score]").fill("18.5")
    card.locator("input[type=file]").set_input_files(str(evidence_file))
    card.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    card = page.locator(f"#target-{target.pk}")
    assert card.locator(".sa-evidence a").inner_text() == "清扫台账.pdf"

    # Keyboard: type the score and press Enter to save the common target.
    common_card = page.locator(f"#target-{common.pk}")
    common_card.locator("input[name$=self_score]").fill("10")
    common_card.locator("input[name$=self_score]").press("Enter")
    page.wait_for_load_state("networkidle")

    with page.expect_download() as download_info:
        page.locator(f"#target-{target.pk} .sa-evidence a").click()
    download = download_info.value
    assert download.suggested_filename == "清扫台账.pdf"
    assert open(download.path(), "rb").read() == PDF

    page.click("#submit button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-status=submitted]").count() == 1
    assert page.locator("#lock-reason").is_visible()
    assert page.locator("form.sa-form").count() == 0
    assert page.locator(".sa-evidence form").count() == 0
    assert "<b>三班倒</b>" in page.locator(f"#target-{target.pk} .sa-text").inner_text()

    row = SelfAssessment.objects.get(target=target)
    assert row.self_score == Decimal("18.5")
    assert Evidence.objects.get().self_assessment == row
    assert SelfAssessmentSubmission.objects.get().status == "submitted"


@pytest.mark.parametrize("width", [1280, 390])
def test_typing_in_another_target_survives_saving_one(
    new_page, catalogue, year, clerk_a, width
):
    target, common = catalogue["target_a"], catalogue["common"]
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, clerk_a.username, PASSWORD)
    page.goto(f"/years/{year.year}/self-assessment/dept-a/")
    first = page.locator(f"#target-{target.pk}")
    other = page.locator(f"#target-{common.pk}")
    first.locator("input[name$=self_score]").fill("20")
    other.locator("input[name$=self_score]").fill("9")
    other.locator("textarea").fill("全年开展安全培训，未保存的文字")
    first.locator("button[type=submit]").click()  # no leave-page dialog blocks it
    page.wait_for_load_state("networkidle")

    other = page.locator(f"#target-{common.pk}")
    assert other.locator("textarea").input_value() == "全年开展安全培训，未保存的文字"
    assert other.locator("input[name$=self_score]").input_value() == "9"
    assert other.locator(".sa-draft").is_visible()
    assert not SelfAssessment.objects.filter(target=common).exists()
    other.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    row = SelfAssessment.objects.get(target=common)
    assert row.text == "全年开展安全培训，未保存的文字"
    assert page.locator(".sa-draft").count() == 0
