"""Files through an S3-compatible object store (django-storages), with S3 mocked in
process by moto: evidence uploaded, downloaded and deleted, and the setting that
chooses the store."""

from __future__ import annotations

import importlib
import os

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from assessment.models import Evidence

moto = pytest.importorskip("moto")

BUCKET = "assessment-files"


@pytest.fixture
def s3(settings):
    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "access_key": "testing",
                    "secret_key": "testing",
                    "location": "media",
                    "default_acl": None,
                    "file_overwrite": False,
                },
            },
        }
        yield boto3.client("s3", region_name="us-east-1")


def objects(client) -> list[str]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return sorted(item["Key"] for item in listed)


def test_evidence_lives_in_the_bucket_and_downloads_through_the_app(
    s3, client_a, catalogue, year, django_capture_on_commit_callbacks
):
    from tests.evidence_samples import pdf_bytes
    from tests.test_self_assessment_views import page_url, pdf_file, row_data

    assert default_storage.bucket_name == BUCKET  # the store the settings name
    response = client_a.post(
        page_url(year),
        row_data(catalogue["target_a"], "15", "道路清扫", file=pdf_file()),
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(department__code="dept-a")
    [key] = objects(s3)
    assert key == f"media/{evidence.file.name}" and key.startswith("media/evidence/")
    # Private: the object has no public grant.
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if "AllUsers" in str(g.get("Grantee", {}))]
    download = client_a.get(
        reverse("assessment:evidence-download", kwargs={"pk": evidence.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    with django_capture_on_commit_callbacks(execute=True):  # files go after commit
        deleted = client_a.post(
            reverse("assessment:evidence-delete", kwargs={"pk": evidence.pk})
        )
    assert deleted.status_code == 302
    assert objects(s3) == []


def test_s3_bucket_in_the_environment_chooses_the_object_store(monkeypatch):
    import sanitation.settings as site

    monkeypatch.setitem(os.environ, "S3_BUCKET", "bureau-files")
    monkeypatch.setitem(os.environ, "S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    try:
        reloaded = importlib.reload(site)
        default = reloaded.STORAGES["default"]
        assert default["BACKEND"] == "storages.backends.s3.S3Storage"
        assert default["OPTIONS"]["bucket_name"] == "bureau-files"
        assert default["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
        assert default["OPTIONS"]["default_acl"] is None
    finally:
        monkeypatch.delitem(os.environ, "S3_BUCKET")
        monkeypatch.delitem(os.environ, "S3_ENDPOINT_URL")
        reloaded = importlib.reload(site)
    assert reloaded.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
