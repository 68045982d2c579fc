"""Security headers on every kind of response: pages, downloads, redirects and errors.

Content-Security-Policy allows scripts and styles from the site's own files only (no
inline script or style), Permissions-Policy turns off powerful features, and nothing a
signed-in person sees may be kept by a browser or proxy cache.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.models import Evidence
from tests.conftest import login
from tests.evidence_samples import pdf_bytes

TEMPLATES = Path(settings.BASE_DIR) / "templates"
#: Rendered by WeasyPrint into a PDF only, never served as a page: no CSP applies.
PDF_ONLY = {"assessment/reporting/report_pdf.html"}


def assert_secure_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in csp.split("; ") if part
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_secure_headers(response)


def test_a_signed_in_page_and_its_redirects(client_a, year, catalogue):
    page = client_a.get(reverse("assessment:board", args=[year.year]))
    assert page.status_code == 200
    assert_secure_headers(page)
    redirect = client_a.get(reverse("assessment:home"))
    assert redirect.status_code == 302
    assert_secure_headers(redirect)


def test_an_anonymous_redirect_to_the_login(client, year):
    response = client.get(reverse("assessment:board", args=[year.year]))
    assert response.status_code == 302
    assert_secure_headers(response)


def test_spreadsheet_and_pdf_downloads(client_a, client_supervisor, year, catalogue):
    xlsx = client_a.get(
        reverse("assessment:figures-export", args=[year.year, "dept-a"])
    )
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_secure_headers(xlsx)
    pdf = client_supervisor.get(reverse("assessment:report-pdf", args=[year.year]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert_secure_headers(pdf)


def test_an_evidence_download_keeps_its_own_sandbox_policy(client_a, year, catalogue):
    target = catalogue["target_a"]
    upload = SimpleUploadedFile("scan.pdf", pdf_bytes(), "application/pdf")
    client_a.post(
        reverse("assessment:self-assessment", args=[year.year, "dept-a"]),
        {
            "target": str(target.pk),
            f"t{target.pk}-self_score": "",
            f"t{target.pk}-text": "",
            f"t{target.pk}-version": "0",
            f"t{target.pk}-once": str(uuid.uuid4()),
            f"t{target.pk}-file": upload,
        },
    )
    evidence = Evidence.objects.get()
    response = client_a.get(reverse("assessment:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Content-Disposition"].startswith("attachment")


def test_404_and_403_pages(client_a, year, catalogue):
    missing = client_a.get("/no-such-page/")
    assert missing.status_code == 404
    assert_secure_headers(missing)
    refused = client_a.post(
        reverse("assessment:approve", args=[year.year, "dept-a", 1])
    )
    assert refused.status_code == 403
    assert_secure_headers(refused)


@pytest.mark.django_db
def test_400_for_an_unknown_host():
    response = Client(HTTP_HOST="evil.example").get(reverse("login"))
    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.urls("tests.error_urls")
def test_500_page(clerk_a):
    client = login(clerk_a)
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert b"Traceback" not in response.content
    assert_secure_headers(response)


def test_no_template_has_inline_script_style_or_event_handlers():
    offending = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = str(path.relative_to(TEMPLATES))
        if name in PDF_ONLY:
            continue
        text = path.read_text()
        if re.search(r"\sstyle\s*=", text):
            offending.append(f"{name}: style attribute")
        if re.search(r"<style\b", text):
            offending.append(f"{name}: <style> element")
        if re.search(r"\son[a-z]+\s*=", text):
            offending.append(f"{name}: event-handler attribute")
        if re.search(r"javascript:", text, re.IGNORECASE):
            offending.append(f"{name}: javascript: URL")
        for script in re.finditer(r"<script\b([^>]*)>(.*?)</script>", text, re.S):
            if "src=" not in script.group(1) or script.group(2).strip():
                offending.append(f"{name}: inline <script>")
    assert offending == []
