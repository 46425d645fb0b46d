"""Compact JSON bytes of one record, safe for very large texts: the one place export lines are encoded.

Why: orjson is several times faster than json and is used for every ordinary line, but it segfaults when memory runs
out on a multi-megabyte article (seen under `ulimit -v`), killing the process and leaving the user nothing to read.
Above LARGE characters json writes the same bytes and raises MemoryError instead, which the writers turn into a
message. At the bottom of the core (it imports nothing of it) so the store's cached fragments and every io writer
share it.
"""
from __future__ import annotations

import json
from typing import Any

import orjson

LARGE = 200_000  # characters of text above which a payload is written by json, not orjson (see the docstring)


def dumps(obj: Any, size: int, newline: bool = False) -> bytes:
    """Compact JSON bytes of `obj`, whose strings hold about `size` characters: orjson below LARGE, json above
    (the same bytes; json raises MemoryError where orjson would crash the process)."""
    if size <= LARGE:
        return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE) if newline else orjson.dumps(obj)
    out = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return out + b"\n" if newline else out
