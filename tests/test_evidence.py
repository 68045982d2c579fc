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
from tests.evidence_samples import jpeg_bytes, pdf_bytes, png_bytes

PDF_BYTES = pdf_bytes()
JPEG_BYTES = jpeg_bytes()
PNG_BYTES = png_bytes()

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
    if kind not in (JPEG, PNG):  # images are re-encoded: see below
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
    settings.EVIDENCE_MAX_BYTES = len(PDF_BYTES)
    assert refused_code(PDF_BYTES + b"0") == "too_large"
    # The size the client declares is refused before reading, too.
    assert refused_code(PDF_BYTES, declared_size=10**9) == "too_large"
    assert check(PDF_BYTES).kind is PDF


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

    assert check(PDF_BYTES).sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    # An image's is of the re-encoded image that is stored.
    checked = check(PNG_BYTES)
    assert checked.sha256 == hashlib.sha256(checked.content).hexdigest()


def test_download_name_keeps_a_matching_extension():
    assert evidence.download_name("photo.JPEG", JPEG) == "photo.JPEG"
    assert evidence.download_name("photo", JPEG) == "photo.jpg"


# Content: the whole file must be what its header says --------------------------

from PIL import Image  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from tests.evidence_samples import HTML, SCRIPT  # noqa: E402


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n" + HTML, "report.pdf"),
        (b"\x89PNG\r\n\x1a\n" + SCRIPT, "photo.png"),
        (b"\xff\xd8\xff\xe0" + SCRIPT, "photo.jpg"),
    ],
    ids=["pdf-header-then-html", "png-header-then-script", "jpeg-header-then-script"],
)
def test_a_valid_header_followed_by_a_script_is_refused(data, name):
    assert refused_code(data, name) in {"markup", "damaged"}


@pytest.mark.parametrize(
    "make", [pdf_bytes, png_bytes, jpeg_bytes], ids=["pdf", "png", "jpeg"]
)
def test_a_real_file_with_a_script_appended_is_refused(make):
    assert refused_code(make() + b"\n" + HTML) == "markup"


def test_a_real_pdf_with_html_hidden_before_its_objects_is_refused():
    data = pdf_bytes()
    hidden = data.replace(b"\n", b"\n%" + SCRIPT + b"\n", 1)
    assert refused_code(hidden) == "markup"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",  # no pages, no xref
        b"%PDF-1.4\n" + b"\x00" * 200,
        pdf_bytes()[: len(pdf_bytes()) // 2],  # truncated
    ],
    ids=["no-pages", "garbage", "truncated"],
)
def test_a_pdf_that_does_not_parse_is_refused(data):
    assert refused_code(data) == "damaged"


def _pdf_with(**catalog_entries) -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, action in catalog_entries.items():
        writer._root_object[NameObject(f"/{key}")] = DictionaryObject(
            {
                NameObject("/S"): NameObject(action),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_that_runs_javascript_on_opening_is_refused():
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        TextStringObject,
    )

    assert refused_code(_pdf_with(OpenAction="/JavaScript")) == "pdf_script"
    assert refused_code(_pdf_with(OpenAction="/Launch")) == "pdf_script"
    # A document-level script in the names tree.
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    names = ArrayObject([TextStringObject("x"), writer._add_object(script)])
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refused_code(buffer.getvalue()) == "pdf_script"


def test_a_password_protected_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert refused_code(buffer.getvalue()) == "encrypted"


def test_a_truncated_image_is_refused():
    import weasyprint  # noqa: F401 - which tells Pillow to accept truncated images
    from PIL import ImageFile

    assert refused_code(png_bytes()[:-30], "x.png") == "damaged"
    assert refused_code(jpeg_bytes()[: len(jpeg_bytes()) // 2], "x.jpg") == "damaged"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was


def test_an_image_with_too_many_pixels_is_refused_before_decoding(settings):
    huge = io.BytesIO()
    Image.new("1", (8000, 6000)).save(huge, "PNG")  # 48 megapixels, a few KB
    assert refused_code(huge.getvalue(), "huge.png") == "too_many_pixels"


@pytest.mark.parametrize(
    ("make", "fmt"), [(png_bytes, "PNG"), (jpeg_bytes, "JPEG")], ids=["png", "jpeg"]
)
def test_the_stored_image_is_re_encoded_without_extra_bytes(make, fmt):
    original = Image.open(io.BytesIO(make()))
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "<b>description</b>"  # ImageDescription
    original.save(buffer, fmt, exif=exif.tobytes())
    data = buffer.getvalue() + b"\x00trailing bytes after the image\x00"
    checked = check(data, f"photo.{fmt.lower()}")
    assert checked.content is not None and checked.content != data
    assert b"trailing bytes" not in checked.content
    assert b"description" not in checked.content
    assert checked.size == len(checked.content)
    stored = Image.open(io.BytesIO(checked.content))
    assert stored.format == fmt and stored.size == original.size
    assert checked.stored_file(io.BytesIO(data)).read() == checked.content


def test_a_photo_keeps_its_orientation_when_its_exif_is_dropped():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90°: the camera held upright
    Image.new("RGB", (40, 20), (200, 10, 10)).save(buffer, "JPEG", exif=exif.tobytes())
    stored = Image.open(io.BytesIO(check(buffer.getvalue(), "p.jpg").content))
    assert stored.size == (20, 40)


def test_pdfs_and_office_files_are_stored_as_uploaded():
    assert check(PDF_BYTES).content is None
    upload = io.BytesIO(PDF_BYTES)
    assert check(PDF_BYTES).stored_file(upload) is upload
    assert check(docx_bytes(), "x.docx").content is None
