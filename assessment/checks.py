"""System checks for what the project needs from the machine it runs on."""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import shutil
import subprocess
from typing import Any

from django.core import checks


@checks.register(checks.Tags.security)
def defusedxml_installed(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    # openpyxl parses uploaded workbooks safely only when defusedxml is importable.
    if importlib.util.find_spec("defusedxml") is None:
        return [
            checks.Critical(
                "defusedxml is not installed: spreadsheet imports would be open to XML "
                "entity attacks.",
                hint="pip install defusedxml",
                id="assessment.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def upload_and_sign_in_libraries(
    app_configs: Any, **kwargs: Any
) -> list[checks.CheckMessage]:
    # Evidence checks parse PDFs and decode images; enrolment draws its QR code.
    missing = [
        package
        for module, package in (
            ("pypdf", "pypdf"),
            ("PIL", "pillow"),
            ("qrcode", "qrcode"),
        )
        if importlib.util.find_spec(module) is None
    ]
    if missing:
        return [
            checks.Critical(
                f"{', '.join(missing)} not installed: evidence uploads could not be "
                "checked, or two-factor enrolment could not show its QR code.",
                hint="pip install -r requirements.txt",
                id="assessment.E002",
            )
        ]
    return []


@checks.register()
def backup_tools(
    app_configs: Any, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.postgresql" and not (
        shutil.which("pg_dump") and shutil.which("pg_restore")
    ):
        return [
            checks.Warning(
                "pg_dump/pg_restore are not installed: manage.py backup and restore "
                "will not work.",
                hint="apt-get install postgresql-client",
                id="assessment.W003",
            )
        ]
    return []


def _font_families(pattern: str) -> str:
    """fc-list's families for a pattern, as the report's renderers see them."""
    from assessment.reporting import fonts

    env = {"FONTCONFIG_FILE": str(fonts.CONFIG_FILE), **os.environ}
    try:
        result = subprocess.run(
            ["fc-list", pattern, "family"],
            capture_output=True,
            text=True,
            timeout=10,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout


def cjk_font_available() -> bool:
    return bool(_font_families(":lang=zh").strip())


def missing_report_faces() -> list[str]:
    """The report's faces (仿宋, 楷体, 黑体, 宋体) that fontconfig cannot find."""
    from assessment.reporting import fonts

    families = {
        name.strip()
        for line in _font_families(":").splitlines()
        for name in line.split(",")
    }
    return [face for face in fonts.FACES if face not in families]


def harfbuzz_subset_available() -> bool:
    return ctypes.util.find_library("harfbuzz-subset") is not None


@checks.register()
def pdf_prerequisites(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    if not cjk_font_available():
        messages.append(
            checks.Warning(
                "No Chinese font is installed: the PDF report would show empty boxes.",
                hint="apt-get install fonts-noto-cjk",
                id="assessment.W001",
            )
        )
    elif missing := missing_report_faces():
        messages.append(
            checks.Warning(
                "The report's faces are not all installed: "
                f"{', '.join(missing)}. The PDF falls back to Noto Serif CJK for them.",
                hint="apt-get install texlive-lang-chinese fonts-arphic-ukai "
                "fonts-noto-cjk",
                id="assessment.W004",
            )
        )
    if not harfbuzz_subset_available():
        messages.append(
            checks.Warning(
                "HarfBuzz's subsetting library is missing: PDF export will be about ten "
                "times slower.",
                hint="apt-get install libharfbuzz-subset0",
                id="assessment.W002",
            )
        )
    return messages
