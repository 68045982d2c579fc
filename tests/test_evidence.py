"""Evidence upload rules (QUALITY.md item 11): by content, capped, safely named."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError

from assessment.scoring import evidence
from assessment.scoring.evidence import DOCX, JPEG, PDF, PNG, XLSX, check_upload

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64 + b"\xff\xd9"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 40

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{type}"/></Types>'
)
DOCX_MAIN = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
)
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def office_bytes(
    part: str, main_type: str, extra: dict[str, bytes] | None = None
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml", CONTENT_TYPES.format(part=part, type=main_type)
        )
        archive.writestr(part, "<document>完成情况</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(**kwargs: object) -> bytes:
    return office_bytes("word/document.xml", DOCX_MAIN, **kwargs)


def xlsx_bytes() -> bytes:
    return office_bytes("xl/workbook.xml", XLSX_MAIN)


def check(data: bytes, name: str = "file.bin", **kwargs: object):
    return check_upload(io.BytesIO(data), name=name, year=2021, **kwargs)


def refused_code(data: bytes, name: str = "file.pdf", **kwargs: object) -> str:
    with pytest.raises(ValidationError) as caught:
        check(data, name, **kwargs)
    return caught.value.code


STORAGE_NAME = re.compile(r"^evidence/2021/[0-9a-f]{32}\.(pdf|jpg|png|docx|xlsx)$")


@pytest.mark.parametrize(
    ("data", "kind", "name"),
    [
        (PDF_BYTES, PDF, "report.pdf"),
        (JPEG_BYTES, JPEG, "photo.jpg"),
        (PNG_BYTES, PNG, "scan.png"),
        (docx_bytes(), DOCX, "总结.docx"),
        (xlsx_bytes(), XLSX, "台账.xlsx"),
    ],
)
def test_it_accepts_each_allowed_type_by_content(data, kind, name):
    checked = check(data, name)
    assert checked.kind is kind
    assert checked.size == len(data)
    assert checked.display_name == name
    assert STORAGE_NAME.match(checked.storage_name)
    assert checked.storage_name.endswith("." + kind.extension)


def test_a_pdf_renamed_png_is_still_a_pdf():
    checked = check(PDF_BYTES, "photo.png")
    assert checked.kind is PDF
    assert checked.storage_name.endswith(".pdf")
    assert evidence.download_name(checked.display_name, checked.kind) == (
        "photo.png.pdf"
    )


def test_a_docx_renamed_xlsx_is_still_a_docx():
    assert check(docx_bytes(), "sheet.xlsx").kind is DOCX


@pytest.mark.parametrize(
    "data",
    [
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100,  # Windows executable
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"\x7fELF\x02\x01\x01" + b"\x00" * 50,
        b"GIF89a" + b"\x00" * 20,
        b" %PDF-1.4 leading space is not a PDF",
    ],
    ids=["html", "exe", "svg", "elf", "gif", "not-at-start"],
)
def test_it_refuses_other_content_renamed_pdf(data):
    assert refused_code(data, "evidence.pdf") == "type"


def test_it_refuses_a_plain_zip_and_a_zip_without_the_office_main_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused_code(buffer.getvalue(), "x.docx") == "type"
    no_main = office_bytes("word/other.xml", DOCX_MAIN)
    assert refused_code(no_main, "x.docx") == "type"


def test_it_refuses_a_truncated_zip():
    assert refused_code(docx_bytes()[:60], "x.docx") == "damaged"


def test_it_refuses_an_empty_file():
    assert refused_code(b"", "empty.pdf") == "empty"


def test_it_refuses_a_file_over_the_size_cap(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    assert refused_code(PDF_BYTES + b"0" * 100) == "too_large"
    # The size the client declares is refused before reading, too.
    assert refused_code(PDF_BYTES, declared_size=10**9) == "too_large"
    assert check(PDF_BYTES[:100]).kind is PDF


def test_the_cap_comes_from_settings(settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)
    assert check(PDF_BYTES).size == len(PDF_BYTES)
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES) - 1
    assert refused_code(PDF_BYTES) == "too_large"


def forge_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip's central directory declares for a member."""
    raw = bytearray(data)
    name = member.encode()
    position = raw.find(b"PK\x01\x02")
    while position != -1:
        name_length = struct.unpack_from("<H", raw, position + 28)[0]
        if bytes(raw[position + 46 : position + 46 + name_length]) == name:
            struct.pack_into("<I", raw, position + 24, size)
            return bytes(raw)
        position = raw.find(b"PK\x01\x02", position + 4)
    raise AssertionError("member not found")


def test_it_refuses_a_zip_bomb_by_declared_size_without_inflating_it():
    # Declared 4 GB: refused from the central directory alone.
    forged = forge_declared_size(docx_bytes(), "word/document.xml", 0xFFFFFFF0)
    assert refused_code(forged, "bomb.docx") == "zip_bomb"


def test_it_refuses_a_real_high_ratio_zip():
    # 30 MB of zeros compress to about 30 KB: a ratio no office file has.
    bomb = docx_bytes(extra={"word/media/zeros.bin": b"\x00" * (30 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert refused_code(bomb, "bomb.docx") == "zip_bomb"


def test_it_refuses_a_zip_with_too_many_members():
    extra = {f"word/p{n}.xml": b"" for n in range(evidence.ZIP_MAX_MEMBERS + 1)}
    assert refused_code(docx_bytes(extra=extra), "many.docx") == "zip_bomb"


def test_it_refuses_a_docx_with_vba_project():
    data = docx_bytes(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert refused_code(data, "report.docx") == "macros"


def test_it_refuses_a_macro_enabled_content_type():
    data = office_bytes("word/document.xml", DOCM_MAIN)
    assert refused_code(data, "report.docx") == "macros"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../x", "x"),
        ("..\\..\\windows\\system32\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("a\x00b.pdf", "ab.pdf"),
        ("report\r\nSet-Cookie: x=1.pdf", "report Set-Cookie: x=1.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u200bzero\u2066width\u2069.pdf", "zerowidth.pdf"),
        ("..", "evidence.pdf"),
        ("", "evidence.pdf"),
        ("\x00\x01\x02", "evidence.pdf"),
        ("佐证材料.pdf", "佐证材料.pdf"),
    ],
)
def test_hostile_names_become_harmless_display_names(raw, expected):
    checked = check(PDF_BYTES, raw)
    assert checked.display_name == expected
    assert STORAGE_NAME.match(checked.storage_name)
    assert raw not in checked.storage_name or raw == ""


def test_a_300_character_name_is_capped_keeping_its_extension():
    checked = check(PDF_BYTES, "名" * 300 + ".pdf")
    assert len(checked.display_name) == 255
    assert checked.display_name.endswith(".pdf")
    name = check(PDF_BYTES, "x" * 300).display_name
    assert len(name) == 255
    assert len(evidence.download_name(name, PDF)) == 255


def test_no_display_name_contains_control_or_bidi_characters():
    hostile = "".join(chr(c) for c in range(0, 32)) + "\u202a\u202b\u202d\u202e\u2028"
    name = check(PDF_BYTES, f"a{hostile}b.pdf").display_name
    assert name == "a b.pdf"


def test_storage_names_are_fresh_for_the_same_file():
    first = check(PDF_BYTES, "a.pdf")
    second = check(PDF_BYTES, "a.pdf")
    assert first.sha256 == second.sha256
    assert first.storage_name != second.storage_name


def test_sha256_is_of_the_whole_content():
    import hashlib

    assert check(PNG_BYTES).sha256 == hashlib.sha256(PNG_BYTES).hexdigest()


def test_download_name_keeps_a_matching_extension():
    assert evidence.download_name("photo.JPEG", JPEG) == "photo.JPEG"
    assert evidence.download_name("photo", JPEG) == "photo.jpg"
