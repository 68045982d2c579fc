"""Uploads: an oversized body is refused from its Content-Length before it is read,
and an accepted image is stored as re-encoded, a polyglot not at all."""

from __future__ import annotations

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessment.models import Evidence
from tests.evidence_samples import SCRIPT, png_bytes

MB = 1024 * 1024


def page_url(year) -> str:
    return reverse("assessment:self-assessment", args=[year.year, "dept-a"])


def import_url(year) -> str:
    return reverse("assessment:import", args=[year.year, "dept-a"])


def claimed_post(client, url: str, length: int):
    """A multipart POST that claims `length` bytes but has none: reading it would fail
    (the test client's payload refuses to read past its end)."""
    return client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
    )


def test_a_50_mb_evidence_upload_is_refused_unread(client_a, year, catalogue):
    response = claimed_post(client_a, page_url(year), 50 * MB)
    assert response.status_code == 413
    assert response["Connection"] == "close"
    assert "10.0\xa0MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_cap_follows_the_evidence_setting(settings, client_a, year, catalogue):
    settings.EVIDENCE_MAX_BYTES = 2 * MB
    assert claimed_post(client_a, page_url(year), 3 * MB + 1).status_code == 413
    # Within the cap (and the form's other fields) the view itself decides.
    target = catalogue["target_a"]
    settings.EVIDENCE_MAX_BYTES = 100
    response = client_a.post(
        page_url(year),
        {
            "target": str(target.pk),
            f"t{target.pk}-version": "0",
            f"t{target.pk}-once": str(uuid.uuid4()),
            f"t{target.pk}-file": SimpleUploadedFile("big.png", png_bytes()),
        },
    )
    assert response.status_code == 200  # the form, with the field's error
    assert not Evidence.objects.exists()


def test_an_oversized_import_is_refused_unread(client_a, year, catalogue):
    assert claimed_post(client_a, import_url(year), 20 * MB).status_code == 413


def test_views_without_uploads_accept_small_bodies_only(client_a, db):
    response = claimed_post(client_a, reverse("logout"), 50 * MB)
    assert response.status_code == 413


def upload(client, year, target, name: str, data: bytes):
    return client.post(
        page_url(year),
        {
            "target": str(target.pk),
            f"t{target.pk}-self_score": "",
            f"t{target.pk}-text": "",
            f"t{target.pk}-version": "0",
            f"t{target.pk}-once": str(uuid.uuid4()),
            f"t{target.pk}-file": SimpleUploadedFile(name, data),
        },
    )


def test_an_uploaded_image_is_stored_re_encoded(client_a, year, catalogue):
    data = png_bytes() + b"trailing bytes"
    response = upload(client_a, year, catalogue["target_a"], "scan.png", data)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = evidence.file.open("rb").read()
    assert stored != data and b"trailing bytes" not in stored
    assert evidence.size == len(stored)
    assert Image.open(io.BytesIO(stored)).format == "PNG"
    download = client_a.get(reverse("assessment:evidence-download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == stored


def test_an_image_polyglot_is_refused_and_nothing_is_stored(
    settings, client_a, year, catalogue
):
    settings.LANGUAGE_CODE = "en"
    polyglot = b"\x89PNG\r\n\x1a\n" + SCRIPT
    response = upload(client_a, year, catalogue["target_a"], "x.png", polyglot)
    assert response.status_code == 200
    assert "script code" in response.content.decode() or "damaged" in (
        response.content.decode()
    )
    assert not Evidence.objects.exists()


def test_upload_views_declare_their_own_caps(settings):
    from assessment.middleware import UPLOAD_FORM_OVERHEAD, request_limit
    from assessment.views import spreadsheets
    from assessment.views.scoring import self_assessment

    settings.EVIDENCE_MAX_BYTES, settings.IMPORT_MAX_BYTES = 10 * MB, 5 * MB
    assert request_limit(self_assessment.self_assessment) == 10 * MB + (
        UPLOAD_FORM_OVERHEAD
    )
    assert request_limit(spreadsheets.import_figures) == 5 * MB + UPLOAD_FORM_OVERHEAD
    assert request_limit(self_assessment.evidence_delete) == 2_621_440
