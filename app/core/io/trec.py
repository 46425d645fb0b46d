"""TREC / SGML news archives: `<DOC>` blocks with `<DOCNO>`, a headline (`<TITLE>` or `<HEADLINE>`), a dateline
(`<TIME>`, `<DATE>`, `<DATELINE>`) and the body in `<TEXT>` (with or without `<P>` paragraphs), as Arabic Gigaword,
TREC/CLEF collections and the ANT corpus ship them. Read-only: Tawsim never writes this format.

Rules (`tawsim import P FILE --format trec`, or any `.txt`/`.sgml`/`.sgm`/`.trec` file whose first non-blank text is
`<DOC`: detected by content, so a folder of such `.txt` files imports as articles, not as tagged text):

* A file may hold many `<DOC>`s; each is one document. Text between `</DOC>` and the next `<DOC>` must be blank.
* **Text** = what `<TEXT>` holds, exactly as in the file, without the tags: the blank lines right after `<TEXT>`
  and before `</TEXT>` are dropped (they belong to the layout, not the article). With `<P>` paragraphs, each
  paragraph's content (without the line breaks around it) is one paragraph of the text, paragraphs separated by a
  blank line. Entities such as `&amp;` are kept as written: the text is the file's.
* **Id** = `<DOCNO>` (or the `id` attribute of `<DOC id="...">`, Gigaword's), else the file name with `-1`, `-2` ...
* **meta**: every other field by its lower-case tag name (`title`, `time`, `url`, `abstract`, `headline` ...), the
  `<DOC>` attributes as `doc_NAME`, `file` and `line`; the headline is also `meta.title`, the document title.
* A `<DOC>` with an empty `<TEXT>`, or none, is skipped and counted in the import summary.
* Unclosed `<DOC>`, or a file without one, is refused with `FILE:LINE`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

from ..text.boilerplate import annotate_meta
from .source import Record, SourceError, iter_lines, max_chars_of

SUFFIXES = (".sgml", ".sgm", ".trec")
FOLDER_SUFFIXES = (".txt",) + SUFFIXES
_DOC_OPEN = re.compile(r"\s*<DOC(\s[^>]*)?>", re.IGNORECASE)
_DOC_CLOSE = re.compile(r"</DOC>\s*$", re.IGNORECASE)
_FIELD = re.compile(r"<([A-Za-z][\w.-]*)(\s[^>]*)?>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
_ATTR = re.compile(r"""([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_P_TAG = re.compile(r"</?P(\s[^>]*)?>", re.IGNORECASE)
_TITLE_TAGS = ("title", "headline", "hl", "head")


def looks_like_trec(path: Path) -> bool:
    """True when the file's first non-blank text (after a BOM) opens a `<DOC>` block."""
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError:
        return False
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return bool(re.match(rb"<DOC[\s>]", head, re.IGNORECASE))


def _body(content: str) -> str:
    if _P_TAG.search(content):
        paras = (p.strip("\r\n") for p in _P_TAG.split(content) if p is not None)
        return "\n\n".join(p for p in paras if p.strip())
    return _strip_blank_lines(content)


def _strip_blank_lines(s: str) -> str:
    """s without its leading and trailing blank lines (a line of spaces/tabs only); the rest untouched."""
    lines = s.split("\n")
    while lines and not lines[0].strip(" \t\r"):
        lines.pop(0)
    while lines and not lines[-1].strip(" \t\r"):
        lines.pop()
    out = "\n".join(lines)
    return out[:-1] if out.endswith("\r") else out


def _record(path: Path, block: str, line: int, attrs: str, k: int, max_chars: int) -> Record | None:
    meta: dict[str, Any] = {"file": path.name, "line": line}
    for m in _ATTR.finditer(attrs or ""):
        meta[f"doc_{m.group(1).lower()}"] = next(v for v in m.group(2, 3, 4) if v is not None)
    text = None
    for m in _FIELD.finditer(block):
        name, value = m.group(1).lower(), m.group(3)
        if name == "text":
            text = (text + "\n\n" if text else "") + _body(value)
        elif name not in meta:
            meta[name] = value.strip()
    if not text or not text.strip():
        return None
    if len(text) > max_chars:
        raise SourceError(path, line, f"article is {len(text):,} characters; the limit is {max_chars:,} "
                                      f"(raise it with --max-chars)")
    title = next((meta[t] for t in _TITLE_TAGS if isinstance(meta.get(t), str) and meta[t]), None)
    if title:
        meta["title"] = title
    doc_id = meta.pop("docno", None) or meta.get("doc_id") or f"{path.stem}-{k}"
    return Record(str(path), line, text, id=doc_id, meta=annotate_meta(text, meta), format="trec")


def read_trec(path: str | Path, opts: Any = None) -> Iterator[Record]:
    """One record per `<DOC>` (see the module docstring), read one bounded line at a time."""
    path = Path(path)
    max_chars = max_chars_of(opts)
    block: list[str] | None = None
    start = attrs = None
    k = found = 0
    skipped: list[int] = []
    held: Record | None = None  # yielded one <DOC> late, so the skipped ones after it can still be noted on it
    for n, line in iter_lines(path, max_chars):
        if block is None:
            m = _DOC_OPEN.match(line)
            if m is None:
                if line.strip():
                    raise SourceError(path, n, f"text outside a <DOC> ... </DOC> block: {line.strip()[:60]!r}")
                continue
            block, start, attrs = [line[m.end():]], n, m.group(1)
        else:
            block.append(line)
        close = _DOC_CLOSE.search(block[-1])
        if close:
            found += 1
            k += 1
            block[-1] = block[-1][:close.start()]
            rec = _record(path, "".join(block), start, attrs, k, max_chars)
            block = None
            if rec is None:
                skipped.append(start)
                continue
            if held is not None:
                yield held
            held = rec
    if block is not None:
        raise SourceError(path, start, "<DOC> is never closed by </DOC>")
    if not found:
        raise SourceError(path, None, "no <DOC> ... </DOC> block (not a TREC/SGML file?)")
    if held is None:
        raise SourceError(path, skipped[0], "no <DOC> here has text in <TEXT>; no article in the file")
    if skipped:
        held.notes.append(f"{path}: {len(skipped)} <DOC>(s) without text skipped (lines "
                          f"{', '.join(map(str, skipped[:10]))}{' ...' if len(skipped) > 10 else ''})")
    yield held
