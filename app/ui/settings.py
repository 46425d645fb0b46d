"""Per-user preferences in QSettings: the annotator's name, text size, language, window geometry, recent files.

Only preferences live here; annotations live in the project file (STYLE.md: settings never hold data).
"""
from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QByteArray, QSettings

from .fonts import DEFAULT_POINT_SIZE


class Settings:
    def __init__(self, qsettings: Optional[QSettings] = None):
        self.q = qsettings or QSettings("Tawsim", "Tawsim")

    def _get(self, key: str, default, typ=str):
        v = self.q.value(key, default)
        try:
            return typ(v) if v is not None else default
        except (TypeError, ValueError):
            return default

    @property
    def annotator(self) -> str:
        return self._get("annotator", "").strip()

    @annotator.setter
    def annotator(self, name: str) -> None:
        self.q.setValue("annotator", name.strip())
        self.q.sync()

    @property
    def font_size(self) -> int:
        return self._get("font_size", DEFAULT_POINT_SIZE, int)

    @font_size.setter
    def font_size(self, size: int) -> None:
        self.q.setValue("font_size", int(size))
        self.q.sync()

    @property
    def language(self) -> str:
        return self._get("language", "en")

    @language.setter
    def language(self, lang: str) -> None:
        self.q.setValue("language", lang)
        self.q.sync()

    def geometry(self) -> Optional[QByteArray]:
        v = self.q.value("geometry")
        return v if isinstance(v, QByteArray) else None

    def set_geometry(self, data: QByteArray) -> None:
        self.q.setValue("geometry", data)

    def window_state(self, lang: str) -> Optional[QByteArray]:
        """Dock sizes and places, per interface language (Arabic mirrors the docks, so one layout cannot serve
        both)."""
        v = self.q.value(f"windowState/{lang}")
        return v if isinstance(v, QByteArray) else None

    def set_window_state(self, lang: str, data: QByteArray) -> None:
        self.q.setValue(f"windowState/{lang}", data)
        self.q.sync()
