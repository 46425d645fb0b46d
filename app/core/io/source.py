"""Reading source files: UTF-8 with or without BOM, errors that name FILE:LINE, and the Record they yield."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

BOM = "\ufeff"


class SourceError(ValueError):
    """A problem in an input file, located: str() reads `FILE:LINE: problem`."""

    def __init__(self, path: str | Path, line: Optional[int], problem: str):
        self.path, self.line, self.problem = str(path), line, problem
        super().__init__(f"{path}:{line}: {problem}" if line else f"{path}: {problem}")


@dataclass
class Record:
    """One document as read from a file, with whatever annotations came with it (still unchecked)."""

    path: str
    line: int
    text: str
    id: Optional[str] = None
    meta: dict = field(default_factory=dict)
    annotator: Optional[str] = None
    status: Optional[str] = None
    raw: dict[str, Any] = field(default_factory=dict)  # entities / quotes / stances as in the file
    format: Optional[str] = None  # set by the interchange formats (io.formats): their tag sets may add labels
    notes: list[str] = field(default_factory=list)  # what the reader repaired or skipped, for the import summary

    @property
    def has_annotations(self) -> bool:
        return any(self.raw.get(k) for k in ("entities", "quotes", "stances"))


def read_text(path: str | Path) -> str:
    """The file decoded as UTF-8, a leading BOM removed, nothing else touched (CRLF stays CRLF)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                      f"convert the file to UTF-8") from exc
    return text[1:] if text.startswith(BOM) else text
