"""Fast settings for the test suite: the real ones, with a quick password hasher."""

import os
from pathlib import Path

from sanitation.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
# A worker process started by a test is told where the test keeps its files.
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT") or BASE_DIR / ".test-media")  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LANGUAGE_CODE = "zh-hans"
# One process: the catalogue cache in memory, emptied before each test (conftest).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
