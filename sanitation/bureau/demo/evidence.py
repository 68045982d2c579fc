"""The demo's evidence files, drawn by the loader itself: a small PNG and a PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

_FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
]


def evidence_image(caption: str) -> bytes:
    """A small PNG: a road with a sweeper's lane and the caption."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (480, 300), (236, 242, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 170, 480, 300), fill=(110, 114, 120))
    for x in range(10, 480, 60):
        draw.rectangle((x, 232, x + 34, 238), fill=(250, 250, 250))
    draw.rectangle((0, 160, 480, 170), fill=(60, 140, 70))
    for x in (60, 180, 300, 420):
        draw.rectangle((x - 4, 110, x + 4, 160), fill=(120, 80, 40))
        draw.ellipse((x - 28, 60, x + 28, 120), fill=(50, 130, 60))
    font: Any = None
    for path in _FONT_CANDIDATES:
        if Path(path).exists():
            font = ImageFont.truetype(path, 22)
            break
    if font is None:  # no CJK font on this machine: an ASCII caption instead
        font = ImageFont.load_default()
        caption = "2021 evidence photo"
    draw.text((16, 16), caption, fill=(20, 20, 20), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def evidence_pdf(caption: str) -> bytes:
    """A small, valid one-page A4 PDF carrying the caption (rendered as an image)."""
    from PIL import Image

    image = Image.open(io.BytesIO(evidence_image(caption))).convert("RGB")
    page = Image.new("RGB", (595, 842), (255, 255, 255))
    page.paste(image, (57, 80))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=72.0, title=caption)
    return buffer.getvalue()
