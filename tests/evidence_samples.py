"""Real, small evidence files (a PDF, a PNG, a JPEG) and polyglots made from them."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image
from pypdf import PdfWriter

SCRIPT = b"<script>alert(document.cookie)</script>"
HTML = b"<!doctype html><html><body>" + SCRIPT + b"</body></html>"


@cache
def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "佐证材料"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _image(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (31, 95, 139))
    for x in range(size[0] // 2):
        image.putpixel((x, x % size[1]), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@cache
def png_bytes() -> bytes:
    return _image("PNG")


@cache
def jpeg_bytes() -> bytes:
    return _image("JPEG")
