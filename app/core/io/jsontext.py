"""JSON in and out of files through one door, so hostile JSON is a `FILE:LINE: problem` and never a traceback.

Reading: orjson's strict parser everywhere. It refuses what Python's json module lets through and fails on later
(an escaped lone surrogate `"\\ud800"` is a str SQLite and UTF-8 cannot store: a UnicodeEncodeError deep in the
import; NaN and Infinity; nesting a thousand levels deep raises RecursionError in json). Label Studio files are
one big JSON array read task by task (each task's own line for messages), which orjson cannot do: decode_at walks
them with json's raw_decode and turns its RecursionError, over-long integers and constants into the same messages,
and hands any task that holds a surrogate escape to orjson to judge.

Writing: orjson segfaults when an allocation fails (seen exporting a 27M-character article under `ulimit -v`),
where Python's json raises MemoryError, which the writers turn into a message and a removed temporary file. So
payloads of more than LARGE characters go through json (the same bytes: compact separators, no ASCII escaping).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator, Optional

import orjson

from .source import SourceError

MAX_DEPTH = 1024  # orjson's nesting limit for reading
META_DEPTH = 100  # free-form values kept and written back (meta, provenance): orjson writes at most 254 levels

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_WS = re.compile(r"\s*")


def problem(exc: json.JSONDecodeError) -> str:
    """What is wrong, in words, for a JSONDecodeError of orjson or json."""
    msg = exc.msg
    if "surrogate" in msg:
        return ("an escaped lone surrogate (\\ud800-\\udfff without its pair) is not a character: the tool that "
                "wrote the file cut an emoji or damaged the text")
    if "depth limit" in msg:
        return "JSON nested too deeply (a thousand levels or more)"
    if "infinity when parsed" in msg:
        return "a number too large to read"
    return f"invalid JSON ({msg}, column {exc.colno})"


def parse(data: bytes | str, path: str | Path, line: int = 1, hint: str = "") -> Any:
    """The JSON value in `data`, which starts on `line` of `path`; a SourceError naming the line on any problem.
    `hint` is added to messages about JSON that ends too soon (e.g. "; is the line truncated?")."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        where = line + max(exc.lineno, 1) - 1
        why = problem(exc)
        if hint and ("end of data" in exc.msg or "EOF" in exc.msg or "empty document" in exc.msg):
            why += hint
        raise SourceError(path, where, why) from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def decode_at(text: str, pos: int, path: str | Path, hint: str = "") -> tuple[Any, int]:
    """(value, end) of the JSON value starting at text[pos] (json's raw_decode), every failure a SourceError."""
    def line_at(i: int) -> int:
        return text.count("\n", 0, i) + 1

    try:
        obj, end = _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise SourceError(path, exc.lineno, f"invalid JSON: {exc.msg}{hint}") from None
    except RecursionError:
        raise SourceError(path, line_at(pos), "JSON nested too deeply (a thousand levels or more)") from None
    except ValueError as exc:  # NaN / Infinity, or an integer of thousands of digits
        raise SourceError(path, line_at(pos), f"invalid JSON: {exc}") from None
    if _SURROGATE_ESCAPE.search(text, pos, end):
        obj = parse(text[pos:end], path, line_at(pos))  # orjson reads pairs and refuses lone halves
    return obj, end


def iter_array(text: str, path: str | Path, noun: str = "element",
               single: bool = False) -> Iterator[tuple[int, int, Any]]:
    """(number, line, value) of each element of the JSON array that is the whole of `text`, parsed one element
    at a time so that each has its own line for messages; with `single`, a lone non-array value is element 1."""
    pos = _WS.match(text, 0).end()
    if not text.startswith("[", pos):
        if not single:
            raise SourceError(path, text.count("\n", 0, pos) + 1, f"expected a JSON list of {noun}s")
        obj, end = decode_at(text, pos, path)
        if _WS.match(text, end).end() != len(text):
            raise SourceError(path, text.count("\n", 0, end) + 1, "text after the JSON value")
        yield 1, text.count("\n", 0, pos) + 1, obj
        return
    pos = _WS.match(text, pos + 1).end()
    k = 0
    line, last = 1, 0
    if text.startswith("]", pos):
        if _WS.match(text, pos + 1).end() != len(text):
            raise SourceError(path, text.count("\n", 0, pos) + 1, "text after the JSON value")
        return
    while True:
        obj, end = decode_at(text, pos, path, "; is the file truncated?")
        line += text.count("\n", last, pos)
        last = pos
        k += 1
        yield k, line, obj
        pos = _WS.match(text, end).end()
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()
            continue
        if text.startswith("]", pos) and not text[_WS.match(text, pos + 1).end():].strip():
            return
        raise SourceError(path, text.count("\n", 0, pos) + 1,
                          f"expected , or ] between {noun}s; is the file truncated?")


def too_deep(value: Any, limit: int = META_DEPTH) -> bool:
    """Whether lists/objects nest more than `limit` levels in `value` (iterative: any depth is safe to ask)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            v = v.values()
        elif not isinstance(v, list):
            continue
        if d > limit:
            return True
        stack.extend((x, d + 1) for x in v if isinstance(x, (dict, list)))
    return False




def check_free_form(value: Any, what: str) -> Optional[str]:
    """A problem with a free-form value the project keeps and writes back as it is (meta, provenance), or None."""
    if too_deep(value):
        return f"{what} is nested more than {META_DEPTH} levels deep"
    return None
