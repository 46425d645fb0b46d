"""Reading source files: UTF-8 with or without BOM, errors that name FILE:LINE, and the Record they yield."""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

BOM = "\ufeff"
DEFAULT_MAX_CHARS = 1_000_000  # a news article is ~5k characters; a million is a mistaken file, not an article
# Bytes one line may take per character of the longest article allowed: JSON text escaped as \\uXXXX is 6 bytes a
# character (12 outside the BMP), and annotations repeat span texts. Generous, but bounded: a 200 MB line is refused
# after reading this much of it, not after holding all of it (and its decoded copy) in memory.
LINE_BYTES_PER_CHAR = 32
MIN_LINE_LIMIT = 1 << 20


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


def max_chars_of(opts: Any) -> int:
    """The longest article an import allows (ImportOptions.max_chars; the default without options)."""
    return getattr(opts, "max_chars", None) or DEFAULT_MAX_CHARS


def line_limit(max_chars: int = DEFAULT_MAX_CHARS) -> int:
    """The most bytes one line of a line-based file may hold when articles are at most `max_chars` long."""
    return max(MIN_LINE_LIMIT, LINE_BYTES_PER_CHAR * max_chars)


def iter_lines(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[tuple[int, str]]:
    """(line number, line with its "\\n" if it has one) of a UTF-8 file, a leading BOM removed, read one bounded
    line at a time: a line longer than line_limit(max_chars) bytes is refused (FILE:LINE) after reading only that
    much of it, and the file is never held in memory whole."""
    path = Path(path)
    limit = line_limit(max_chars)
    offset = 0
    try:
        with open(path, "rb") as f:
            n = 0
            while True:
                raw = f.readline(limit + 1)
                if not raw:
                    return
                n += 1
                if len(raw) > limit and not raw.endswith(b"\n"):
                    raise SourceError(path, n, f"line is longer than {limit:,} bytes, more than any article of at "
                                               f"most {max_chars:,} characters needs (raise that limit with "
                                               f"--max-chars); the file was not read further")
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:  # the message read_text gives, offset counted in the whole file
                    raise SourceError(path, n, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                                               f"{offset + exc.start}); convert the file to UTF-8") from exc
                offset += len(raw)
                if n == 1 and line.startswith(BOM):
                    line = line[1:]
                yield n, line
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from exc


SCAN_CHUNK = 1 << 20  # bytes read at a time by scan_lines (at most MIN_LINE_LIMIT, so a chunk never hides a long line)


def scan_lines(path: str | Path, max_chars: int = DEFAULT_MAX_CHARS) -> bool:
    """Whether the file has a non-blank line, having checked it whole the way iter_lines reads it (UTF-8, no line
    over the limit), without splitting it into lines: big chunks through an incremental decoder. A reader that
    must report those problems before any other (jsonl.iter_jsonl) calls this first, then streams the lines once.
    On any problem the file is walked with iter_lines, whose message (FILE:LINE, byte offset) is the one raised."""
    path = Path(path)
    limit = line_limit(max_chars)
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank, since_newline, first = True, 0, True
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(SCAN_CHUNK)
                text = decoder.decode(chunk, final=not chunk)
                if first and text:
                    first = False
                    if text.startswith(BOM):
                        text = text[1:]
                if blank and text.strip():
                    blank = False
                if not chunk:
                    break
                nl = chunk.find(b"\n")
                if nl < 0:
                    since_newline += len(chunk)
                    if since_newline > limit:
                        raise ValueError("line too long")
                else:  # only a line running across chunks can be longer than a chunk, hence than the limit
                    if since_newline + nl + 1 > limit:
                        raise ValueError("line too long")
                    since_newline = len(chunk) - chunk.rfind(b"\n") - 1
    except OSError as exc:
        raise SourceError(path, None, f"cannot read: {exc.strerror or exc}") from exc
    except ValueError:  # UnicodeDecodeError, or a long line: iter_lines names it exactly
        for _, line in iter_lines(path, max_chars):
            if blank and line.strip():
                blank = False
    return not blank
