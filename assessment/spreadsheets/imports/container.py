"""The upload as bytes, checked before any spreadsheet library sees it.

Size, zip magic, macros, declared and actual uncompressed sizes and XML DOCTYPEs are
checked on the raw bytes; openpyxl (with defusedxml) only ever opens what passes.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, BinaryIO

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _

from assessment.spreadsheets.imports.template import COLUMNS

MAX_ROWS = 20_000

MAX_UNCOMPRESSED = 64 * 1024 * 1024


MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR


RATIO_FLOOR = 1024 * 1024


MAX_MEMBERS = 500


ZIP_MAGIC = b"PK\x03\x04"


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


_FORMULA = re.compile(rb"<(\w+:)?f[\s>/]")


def read_upload(upload: Any) -> tuple[bytes | None, str | None]:
    """The upload's bytes, or a refusal, without reading more than the cap allows."""
    cap = settings.IMPORT_MAX_BYTES
    size = getattr(upload, "size", None)
    too_big = _("The file is larger than %(mb).1f MB.") % {"mb": cap / 1024 / 1024}
    if isinstance(size, int) and size > cap:
        return None, too_big
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        stream: BinaryIO = upload
        if hasattr(stream, "seek"):
            stream.seek(0)
        data = stream.read(cap + 1)
    if len(data) > cap:
        return None, too_big
    return data, None


def check_container(data: bytes) -> str | None:
    """Why these bytes are not a workbook we will open, or None."""
    if not data:
        return _("The file is empty.")
    if data.startswith(OLE_MAGIC):
        return _(
            "This is an old Excel (.xls) file. Save it as an Excel workbook (.xlsx) "
            "and upload that."
        )
    if data.startswith(b"%PDF"):
        return _("This is a PDF file, not an Excel workbook (.xlsx).")
    if not data.startswith(ZIP_MAGIC):
        return _("This is not an Excel workbook (.xlsx).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return _("The file is damaged or incomplete (perhaps a truncated upload).")
    with archive:
        members = archive.infolist()
        names = {info.filename for info in members}
        if len(members) > MAX_MEMBERS:
            return _("The workbook holds too many parts.")
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            return _("This is not an Excel workbook (.xlsx).")
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return _(
                "The workbook contains macros (.xlsm). Save it as a plain Excel "
                "workbook (.xlsx) and upload that."
            )
        declared = sum(info.file_size for info in members)
        if declared > MAX_UNCOMPRESSED:
            return _("The workbook unpacks to too much data.")
        for info in members:
            if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                return _("The workbook is compressed suspiciously well (zip bomb).")
        try:
            content_types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return _("The file is damaged or incomplete (perhaps a truncated upload).")
        if b"macroEnabled" in content_types:
            return _(
                "The workbook contains macros (.xlsm). Save it as a plain Excel "
                "workbook (.xlsx) and upload that."
            )
        # Read every XML part with a running cap: declared sizes can lie.
        total = 0
        for info in members:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(info) as member:
                    tail = b""
                    while chunk := member.read(256 * 1024):
                        total += len(chunk)
                        if total > MAX_UNCOMPRESSED:
                            return _("The workbook unpacks to too much data.")
                        if _DOCTYPE.search(tail + chunk):
                            return _(
                                "The workbook contains XML declarations that are "
                                "not allowed (DOCTYPE/ENTITY)."
                            )
                        tail = chunk[-16:]
            except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                return _(
                    "The file is damaged or incomplete (perhaps a truncated upload)."
                )
    return None


def has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                tail = b""
                with archive.open(name) as member:
                    while chunk := member.read(256 * 1024):
                        if _FORMULA.search(tail + chunk):
                            return True
                        tail = chunk[-8:]
    return False


def formula_cells(data: bytes, sheet_name: str) -> set[tuple[int, int]]:
    """(row, column) of every formula cell, from a second, formulas-kept pass."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        ws = wb[sheet_name]
        found: set[tuple[int, int]] = set()
        for row in ws.iter_rows(max_row=MAX_ROWS + 1, max_col=len(COLUMNS)):
            for cell in row:
                if getattr(cell, "data_type", None) == "f":
                    found.add((cell.row, cell.column))
        return found
    finally:
        wb.close()


def caused_by_defusedxml(exc: BaseException | None) -> bool:
    while exc is not None:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
