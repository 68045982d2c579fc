"""Evidence uploads (佐证材料): what a file is, judged by its content, never by its name.

Allowed: PDF, JPEG, PNG, DOCX and XLSX. The first bytes say which type a file claims to
be; the whole file must then bear it out, so a polyglot (a valid header followed by a
web page or a script) is refused:
- no file may carry HTML or script markup anywhere in its bytes;
- a PDF is parsed (pypdf) and must have pages, no encryption and no JavaScript actions;
- an image is decoded in full (Pillow) and re-encoded, and the re-encoded image is what
  is stored: whatever hid in the original's chunks, comments or trailing bytes (and its
  EXIF data, location included) is gone. A photo keeps its orientation.
Office files are zip archives; their central directory is read and every declared size
checked before any member is opened, so a zip bomb is refused without being inflated,
and macro-carrying files (vbaProject.bin, the macro-enabled content types) are refused. The name a clerk's computer gave the file
is kept for display only, cleaned of path parts and control characters; the file is
stored under a name the server makes up.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
import unicodedata
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

import pypdf
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from pypdf.generic import DictionaryObject

if TYPE_CHECKING:
    from assessment.models import Evidence, SelfAssessment

#: Zip bomb guard: the sum of the declared uncompressed sizes of all members ...
ZIP_MAX_TOTAL_BYTES = 100 * 1024 * 1024
#: ... the largest inflation of the whole archive that real office files reach ...
ZIP_MAX_RATIO = 200
#: ... and the number of members.
ZIP_MAX_MEMBERS = 5000
#: [Content_Types].xml is tiny in real files; it is read only up to this size.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 255
_CHUNK = 64 * 1024
#: An image larger than this (about a 40-megapixel photo) is refused before decoding.
MAX_IMAGE_PIXELS = 40_000_000
#: Markup a browser would run or render; no accepted file type has it in its bytes
#: (compressed data matches these by chance about once in 10^11 files).
_MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|object|embed|svg|!doctype|\?php)\b"
    rb"|javascript\s*:",
    re.IGNORECASE,
)
#: PDF actions that run code or other programs when a document is opened.
_PDF_ACTIONS = {"/JavaScript", "/JS", "/Launch", "/ImportData", "/SubmitForm"}


@dataclass(frozen=True)
class FileKind:
    """A type of file the bureau accepts as evidence."""

    code: str
    label: str
    extension: str
    content_type: str
    extra_extensions: tuple[str, ...] = ()

    @property
    def extensions(self) -> tuple[str, ...]:
        return (self.extension, *self.extra_extensions)


PDF = FileKind("pdf", "PDF", "pdf", "application/pdf")
JPEG = FileKind("jpeg", "JPEG", "jpg", "image/jpeg", ("jpeg",))
PNG = FileKind("png", "PNG", "png", "image/png")
DOCX = FileKind(
    "docx",
    "Word (.docx)",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "xlsx",
    "Excel (.xlsx)",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
KINDS: tuple[FileKind, ...] = (PDF, JPEG, PNG, DOCX, XLSX)
KINDS_BY_CONTENT_TYPE = {kind.content_type: kind for kind in KINDS}

#: What the file input offers; the server decides by content whatever the browser says.
ACCEPT = ",".join(
    [f".{ext}" for kind in KINDS for ext in kind.extensions]
    + [kind.content_type for kind in KINDS]
)

_MAGIC: tuple[tuple[bytes, FileKind], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
_ZIP_MAGIC = b"PK\x03\x04"
_OFFICE_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check, with what the server will store."""

    kind: FileKind
    size: int
    sha256: str
    display_name: str
    storage_name: str
    #: The re-encoded image to store instead of the upload; None: store the upload.
    content: bytes | None = None

    def stored_file(self, upload: IO[bytes]) -> IO[bytes]:
        """What to write to storage: the re-encoded image, or the upload itself."""
        return io.BytesIO(self.content) if self.content is not None else upload


def allowed_types_text() -> str:
    return ", ".join(kind.label for kind in KINDS)


def _unsupported() -> ValidationError:
    return ValidationError(
        _(
            "This file type is not accepted as evidence. Upload a PDF, JPEG or PNG "
            "image, Word (.docx) or Excel (.xlsx) file."
        ),
        code="type",
    )


def detect_kind(file: IO[bytes]) -> FileKind:
    """The accepted type of a file, read from its bytes; ValidationError otherwise."""
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP_MAGIC):
        return check_office_file(file)
    raise _unsupported()


def check_office_file(file: IO[bytes]) -> FileKind:
    """DOCX or XLSX without macros, its declared sizes checked before anything is read."""
    file.seek(0, 2)
    archive_size = max(file.tell(), 1)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            _check_declared_sizes(members, archive_size)
            names = {member.filename for member in members}
            lowered = {name.lower() for name in names}
            if any(name.rsplit("/", 1)[-1] == "vbaproject.bin" for name in lowered):
                raise _macros()
            if "[Content_Types].xml" not in names:
                raise _unsupported()
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > CONTENT_TYPES_MAX_BYTES:
                raise _unsupported()
            content_types = archive.read(info).lower()
    except (ValueError, NotImplementedError, RuntimeError) as exc:
        # Unknown compression, encryption or a corrupt member header.
        raise ValidationError(
            _("This file is damaged or not a valid Word or Excel file."),
            code="damaged",
        ) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise ValidationError(
            _("This file is damaged or not a valid Word or Excel file."),
            code="damaged",
        ) from exc
    finally:
        file.seek(0)
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise _macros()
    for kind, main_part in _OFFICE_MAIN_PART.items():
        if main_part in names:
            return kind
    raise _unsupported()


def _damaged(kind: FileKind) -> ValidationError:
    return ValidationError(
        _("This file is damaged or is not a real %(type)s file.")
        % {"type": kind.label},
        code="damaged",
    )


def _markup() -> ValidationError:
    return ValidationError(
        _(
            "This file contains web-page or script code and is refused. Save or scan "
            "the document again as a plain PDF or image."
        ),
        code="markup",
    )


def check_content(file: IO[bytes], kind: FileKind) -> bytes | None:
    """Check that the whole file is what its header claims. Returns the re-encoded
    image for JPEG and PNG (to be stored instead), None for the other types."""
    file.seek(0)
    data = file.read()
    file.seek(0)
    if kind in (PDF, JPEG, PNG) and _MARKUP.search(data):
        raise _markup()
    if kind is PDF:
        check_pdf(data)
        return None
    if kind in (JPEG, PNG):
        return reencode_image(data, kind)
    return None


def check_pdf(data: bytes) -> None:
    """A PDF that a reader can open: pages, no password, no code run on opening."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "This PDF is protected by a password. Upload a copy without the "
                    "password."
                ),
                code="encrypted",
            )
        if len(reader.pages) == 0:
            raise _damaged(PDF)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - reading it resolves the page's objects
            if _has_action(page.get("/AA")):
                raise _pdf_script()
        catalog = reader.trailer["/Root"].get_object()
        if not isinstance(catalog, DictionaryObject):
            raise _damaged(PDF)
        names = catalog.get("/Names")
        if names is not None and "/JavaScript" in names.get_object():
            raise _pdf_script()
        if _has_action(catalog.get("/OpenAction")) or _has_action(catalog.get("/AA")):
            raise _pdf_script()
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on bad input
        raise _damaged(PDF) from exc


def _has_action(value: object) -> bool:
    """Whether a PDF action (or additional-actions dictionary) runs code."""
    if value is None:
        return False
    value = value.get_object() if hasattr(value, "get_object") else value
    if not isinstance(value, DictionaryObject):
        return False
    if value.get("/S") in _PDF_ACTIONS or "/JS" in value:
        return True
    # An additional-actions dictionary: one action per event.
    return any(
        _has_action(value[key]) for key in value if key not in ("/S", "/Type", "/Next")
    )


def _pdf_script() -> ValidationError:
    return ValidationError(
        _("This PDF runs code when it is opened and is refused."), code="pdf_script"
    )


_STRICT = threading.Lock()


@contextlib.contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow refuses truncated images while decoding here. (WeasyPrint, once
    imported, tells Pillow to accept them, process-wide.)"""
    with _STRICT:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def reencode_image(data: bytes, kind: FileKind) -> bytes:
    """Decode every pixel, then write the image afresh in the same format."""
    expected = "JPEG" if kind is JPEG else "PNG"
    try:
        with _strict_decoding(), Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                raise _damaged(kind)
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("This image has too many pixels. Make it smaller and try again."),
                    code="too_many_pixels",
                )
            image.load()
            icc_profile = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if kind is JPEG:
                if upright.mode not in ("RGB", "L", "CMYK"):
                    upright = upright.convert("RGB")
                upright.save(out, "JPEG", quality=90, icc_profile=icc_profile)
            else:
                upright.save(out, "PNG", icc_profile=icc_profile)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as exc:
        raise _damaged(kind) from exc
    return out.getvalue()


def _macros() -> ValidationError:
    return ValidationError(
        _("Files with macros are not accepted. Save it as a plain .docx or .xlsx."),
        code="macros",
    )


def _check_declared_sizes(members: list[zipfile.ZipInfo], archive_size: int) -> None:
    too_big = ValidationError(
        _(
            "This file unpacks to more than %(limit)s and is refused as a possible "
            "zip bomb."
        )
        % {"limit": filesizeformat(ZIP_MAX_TOTAL_BYTES)},
        code="zip_bomb",
    )
    if len(members) > ZIP_MAX_MEMBERS:
        raise too_big
    total = sum(member.file_size for member in members)
    if total > ZIP_MAX_TOTAL_BYTES or total > archive_size * ZIP_MAX_RATIO:
        raise too_big


def sha256_of(file: IO[bytes]) -> tuple[str, int]:
    """The SHA-256 (hex) and the actual size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    while chunk := file.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _is_harmful_char(char: str) -> bool:
    # Cc: control characters incl. NUL, CR, LF, tab; Cf: format characters incl. the
    # bidi overrides (U+202A-U+202E, U+2066-U+2069) and zero-width ones; Zl, Zp: line
    # and paragraph separators.
    return unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def display_name(raw: str | None, kind: FileKind) -> str:
    """The client's file name, safe to show and to offer in a download; never a path."""
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(" " if char in "\t\r\n" else char for char in text)
    text = "".join(char for char in text if not _is_harmful_char(char))
    text = " ".join(text.split()).strip(". ")
    fallback = f"{_('evidence')}.{kind.extension}"
    if not text:
        return fallback
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, suffix = text.rpartition(".")
        if dot and 0 < len(suffix) <= 10:
            keep = MAX_NAME_LENGTH - len(suffix) - 1
            text = f"{stem[:keep].rstrip('. ')}.{suffix}"
        else:
            text = text[:MAX_NAME_LENGTH].rstrip(". ")
    return text or fallback


def download_name(name: str, kind: FileKind) -> str:
    """The display name with the extension of the file's real type."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix.lower() in kind.extensions:
        return name
    extended = f"{name}.{kind.extension}"
    if len(extended) > MAX_NAME_LENGTH:
        extended = (
            f"{name[: MAX_NAME_LENGTH - len(kind.extension) - 1]}.{kind.extension}"
        )
    return extended


def storage_name(kind: FileKind, year: int) -> str:
    """A fresh name made up by the server: evidence/<year>/<uuid4 hex>.<extension>."""
    return f"evidence/{year}/{uuid.uuid4().hex}.{kind.extension}"


def check_upload(
    file: IO[bytes],
    *,
    name: str | None,
    year: int,
    declared_size: int | None = None,
    max_bytes: int | None = None,
) -> CheckedUpload:
    """Every check an evidence upload must pass; ValidationError with the reason."""
    limit = settings.EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
    too_large = ValidationError(
        _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
        code="too_large",
    )
    if declared_size is not None and declared_size > limit:
        raise too_large
    digest, size = sha256_of(file)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise too_large
    kind = detect_kind(file)
    content = check_content(file, kind)
    if content is not None:
        digest, size = hashlib.sha256(content).hexdigest(), len(content)
    return CheckedUpload(
        kind=kind,
        size=size,
        sha256=digest,
        display_name=display_name(name, kind),
        storage_name=storage_name(kind, year),
        content=content,
    )


def kind_of(evidence: Evidence) -> FileKind:
    """The stored file's type (detected at upload); PDF is never assumed."""
    kind = KINDS_BY_CONTENT_TYPE.get(evidence.content_type)
    if kind is None:  # pragma: no cover - only detected types are ever stored
        raise ValueError(f"unknown evidence type {evidence.content_type!r}")
    return kind


def find_duplicate(self_assessment: SelfAssessment, sha256: str) -> Evidence | None:
    """The same file already attached to this self-assessment, if any."""
    return self_assessment.evidence.filter(sha256=sha256).first()


def duplicate_error(existing: Evidence) -> ValidationError:
    return ValidationError(
        _("This file is already attached as “%(name)s”.")
        % {"name": existing.original_name},
        code="duplicate",
    )
