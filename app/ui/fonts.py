"""The shipped Arabic font (Amiri, OFL): loaded once from resources/fonts so every machine renders the same."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
DEFAULT_POINT_SIZE = 16


@lru_cache(maxsize=1)
def arabic_family() -> str:
    """Register the bundled fonts; returns the Amiri family name (falls back to the default family)."""
    family = ""
    for path in sorted(FONT_DIR.glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        fams = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        if fams and not family:
            family = fams[0]
    return family or QFont().family()


def article_font(point_size: int = DEFAULT_POINT_SIZE) -> QFont:
    f = QFont(arabic_family())
    f.setPointSize(point_size)
    return f
