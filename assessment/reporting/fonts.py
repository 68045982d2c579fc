"""The report's faces, where they come from, and making them visible to the renderers.

| role | face | package |
| --- | --- | --- |
| body (仿宋) | FandolFang | Debian `texlive-lang-chinese` (TeX Live's Fandol fonts) |
| level-2 headings (楷体) | AR PL UKai CN | Debian `fonts-arphic-ukai` |
| level-1 headings (黑体) | Noto Sans CJK SC | Debian `fonts-noto-cjk` |
| title (小标宋-like), page numbers (宋体), translations | Noto Serif CJK SC | `fonts-noto-cjk` |

One serif face with real bold for everything would write the PDF about 9 % faster and
25 % smaller, but was compared on page images and not taken: the body would lose its
仿宋 and the 一、 and （一） headings would look alike (README, Benchmarks).

Fandol's files sit in TeX Live's tree, which fontconfig does not search: `configure()`
points fontconfig (WeasyPrint's and LibreOffice's font lookup) at `fonts.conf`, the
system's configuration plus that directory, unless FONTCONFIG_FILE is already set.
"""

from __future__ import annotations

import os
from pathlib import Path

BODY = "FandolFang"
KAI = "AR PL UKai CN"
HEI = "Noto Sans CJK SC"
SONG = "Noto Serif CJK SC"

#: Every face the report names, for the system check.
FACES = (BODY, KAI, HEI, SONG)

FANDOL_DIR = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
CONFIG_FILE = Path(__file__).with_name("fonts.conf")


def configure() -> None:
    os.environ.setdefault("FONTCONFIG_FILE", str(CONFIG_FILE))


def font_dirs() -> list[str]:
    """Directories beyond the system's that hold the report's faces."""
    return [str(FANDOL_DIR)] if FANDOL_DIR.is_dir() else []
