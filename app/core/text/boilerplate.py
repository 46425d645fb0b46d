"""Boilerplate marking: share bars, "0 تعليق", "ارسل طباعة", "أخبار ذات صلة" are page furniture, not article.

Scraped news carries them above and below the body. They are detected line by line with rules that are data
(resources/arabic/boilerplate.json); the text is never changed: the window greys those lines and imports record
the body range (code points) in meta["body"], with every furniture line in meta["boilerplate"].
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

RULES_PATH = Path(__file__).resolve().parents[3] / "resources" / "arabic" / "boilerplate.json"


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    return {"lines": tuple(re.compile(p) for p in data["line_patterns"]),
            "headers": tuple(re.compile(p) for p in data.get("list_headers", ())),
            "max_lines": int(data.get("list_max_lines", 0)), "max_words": int(data.get("list_max_words", 0))}


def _patterns() -> tuple[re.Pattern, ...]:
    return _rules()["lines"]


def boilerplate_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every furniture line (without its line break). After a list header ("اقرأ أيضاً:") the
    short headline lines that follow are links too."""
    rules = _rules()
    out, pos, listing = [], 0, 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if stripped and any(p.match(stripped) for p in rules["lines"]):
            out.append((pos, pos + len(body)))
            listing = rules["max_lines"] if any(p.match(stripped) for p in rules["headers"]) else 0
        elif stripped and listing and len(stripped.split()) <= rules["max_words"] and \
                not stripped.endswith((".", "。")):
            out.append((pos, pos + len(body)))
            listing -= 1
        elif stripped:
            listing = 0
        pos += len(line)
    return out


def body_range(text: str, furniture: list[tuple[int, int]] | None = None) -> tuple[int, int]:
    """From the first to the last line that is neither blank nor furniture."""
    furniture = boilerplate_lines(text) if furniture is None else furniture
    skip = set(furniture)
    start, end, pos = None, 0, 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        span = (pos, pos + len(body))
        if body.strip() and span not in skip:
            lead = len(body) - len(body.lstrip())
            start = pos + lead if start is None else start
            end = pos + len(body.rstrip())
        pos += len(line)
    return (start or 0, end) if start is not None else (0, len(text))


def annotate_meta(text: str, meta: dict) -> dict:
    """meta with "body" and "boilerplate" added when the text has furniture (an existing "body" is kept)."""
    if "body" in meta:
        return meta
    furniture = boilerplate_lines(text)
    if not furniture:
        return meta
    return {**meta, "body": list(body_range(text, furniture)), "boilerplate": [list(f) for f in furniture]}
