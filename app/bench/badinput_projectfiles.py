"""Bad-input benchmark cases for the files around a project's documents: bundles (`tawsim merge`), label files
(`tawsim init --labels`), gazetteers (the window's Import gazetteer…) and exports checked by `tawsim validate`.
The documents' own importers, the Case type and the generic damage are in badinput_cases.py."""
from __future__ import annotations

import hashlib
import json
from typing import Iterator, Optional

from .badinput_cases import (ANEZI, ANEZI_PER_START, DEEP, PER, SURROGATE, TEXT, Case, document_cases,
                                   generic_cases, jsonl_bytes)


UNSIGNED = ("--allow-unsigned",)


def _bundle(sets: list[bytes], header: Optional[dict] = None, count: Optional[int] = None) -> bytes:
    """A bundle with a correct checksum around whatever set lines are given (so the lines themselves are judged)."""
    head = {"format": "tawsim-bundle", "version": 1, "annotator": "amal", "created": "2025-01-01T00:00:00+00:00",
            "source_project": "desk.db", "documents": len(sets)}
    body = json.dumps(header or head).encode() + b"\n" + b"".join(s + b"\n" for s in sets)
    end = {"end": True, "count": len(sets) if count is None else count, "sha256": hashlib.sha256(body).hexdigest()}
    return body + json.dumps(end).encode() + b"\n"


def _per(label: str = "PER") -> dict:
    return {"id": "e1", "start": ANEZI_PER_START, "end": ANEZI_PER_START + 11, "label": label}


def _bundles() -> Iterator[Case]:
    aset = {"id": "kuwait-nato-anezi", "text": ANEZI, "meta": {}, "annotator": "amal", "status": "done",
            "schema_version": 1, "entities": [_per()],
            "quotes": [], "stances": [], "hash": hashlib.sha256(ANEZI.encode()).hexdigest(),
            "updated_at": "2025-06-01T00:00:00+00:00", "comment": ""}
    line = json.dumps(aset, ensure_ascii=False).encode()
    good = _bundle([line])
    # Unsigned on purpose, merged with --allow-unsigned: these cases judge how a bundle's contents are read (signing
    # has its own tests, tests/test_bundle_signing.py); times in the past, as a future one is refused.
    yield from generic_cases("bundle", good, ".jsonl", "merge", UNSIGNED, folder=False, exact=True)
    mk = lambda **kw: json.dumps({**aset, **kw}, ensure_ascii=False).encode()  # noqa: E731
    for name, data in (
            ("deep-set-line", _bundle([DEEP])),
            ("lone-surrogate-set", _bundle([f'{{"text": "{SURROGATE}"}}'.encode()])),
            ("deep-meta", _bundle([mk(meta={"a": json.loads("[" * 300 + "]" * 300)})])),
            ("hash-mismatch", _bundle([mk(hash="0" * 64)])), ("other-annotator", _bundle([mk(annotator="omar")])),
            ("offsets-past-text", _bundle([mk(entities=[{"id": "e1", "start": 0, "end": 10 ** 6, "label": "PER"}])])),
            ("unknown-label", _bundle([mk(entities=[_per("WEAPON")])])),
            ("bad-time", _bundle([mk(updated_at="yesterday")])), ("same-set-twice", _bundle([line, line])),
            ("missing-text-refused", _bundle([mk(text="نص غير موجود", hash=hashlib.sha256(
                "نص غير موجود".encode()).hexdigest())])),
            ("gold", _bundle([line], {"format": "tawsim-bundle", "version": 1, "annotator": "gold", "documents": 1})),
            ("version-99", _bundle([line], {"format": "tawsim-bundle", "version": 99, "annotator": "amal",
                                            "documents": 1})),
            ("header-not-bundle", _bundle([line], {"format": "other"})), ("count-wrong", _bundle([line], count=5)),
            ("checksum-wrong", good.replace(b'"sha256": "', b'"sha256": "0')),
            ("no-end-line", good[: good.rindex(b"{")]), ("huge-count", _bundle([line], count=10 ** 30))):
        yield Case("bundle", name, data, ".jsonl", "merge", UNSIGNED)


def _gazetteer() -> Iterator[Case]:
    good = "نواف العنزي\tPER\nالكويت\tGPE\n".encode()
    yield from generic_cases("gazetteer", good, ".tsv", "gazetteer", json_like=False)
    for name, data in (("no-tab", "نواف\n"), ("three-fields", "a\tPER\tx\n"), ("unknown-label", "a\tWEAPON\n"),
                       ("empty-name", "\tPER\n"), ("comments-only", "# nothing\n")):
        yield Case("gazetteer", name, data.encode(), ".tsv", "gazetteer")


def _labels() -> Iterator[Case]:
    good = json.dumps([{"name": "PER", "display": "شخص", "color": "#f4a261", "key": "1"},
                       {"name": "pro", "kind": "stance", "key": "p"}], ensure_ascii=False).encode()
    yield from generic_cases("labels", good, ".json", "init", folder=False)
    items = {"display-number": {"name": "X", "display": 5}, "display-list": {"name": "X", "display": ["a"]},
             "colour-name": {"name": "X", "color": "red"}, "colour-url": {"name": "X", "color": "url(/etc/passwd)"},
             "colour-short": {"name": "X", "color": "#fff"}, "colour-number": {"name": "X", "color": 16711680},
             "key-two-chars": {"name": "X", "key": "12"}, "key-list": {"name": "X", "key": ["1"]},
             "key-letter-entity": {"name": "X", "key": "x"}, "key-zero": {"name": "X", "key": "0"},
             "key-space": {"name": "X", "key": " "}, "name-space": {"name": "A B"}, "name-empty": {"name": ""},
             "name-number": {"name": 5}, "kind-unknown": {"name": "X", "kind": "colour"},
             "field-unknown": {"name": "X", "colour": "#ffffff"}, "item-string": "PER"}
    for name, item in items.items():
        yield Case("labels", name, json.dumps([item]).encode(), ".json", "init")
    for name, lst in (("duplicate-name", [{"name": "X"}, {"name": "X"}]),
                      ("duplicate-key", [{"name": "X", "key": "1"}, {"name": "Y", "key": "1"}]),
                      ("stance-key-digit", [{"name": "X"}, {"name": "s", "kind": "stance", "key": "1"}]),
                      ("stance-key-command", [{"name": "X"}, {"name": "s", "kind": "stance", "key": "q"}]),
                      ("stances-only", [{"name": "s", "kind": "stance", "key": "s"}]), ("empty-list", []),
                      ("not-a-list", {"name": "X"})):
        accept = name == "stances-only"
        yield Case("labels", name, json.dumps(lst).encode(), ".json", "init", (), accept)
    yield Case("labels", "key-int", b'[{"name": "X", "key": 1}]', ".json", "init", (), True)
    yield Case("labels", "lone-surrogate", f'[{{"name": "X{SURROGATE}"}}]'.encode(), ".json", "init")
    yield Case("labels", "deep", DEEP, ".json", "init")
    yield Case("labels", "nan", b'[{"name": "X", "key": NaN}]', ".json", "init")
    for name, data, accept in (("txt-valid", "PER\tشخص\t#f4a261\t1\nORG\n", True),
                               ("txt-bad-colour", "PER\tشخص\tred\n", False),
                               ("txt-key-two-chars", "PER\tشخص\t#f4a261\t12\n", False),
                               ("txt-too-many-fields", "PER\ta\t#f4a261\t1\tx\n", False),
                               ("txt-duplicate", "PER\nPER\n", False), ("txt-comments-only", "# x\n", False)):
        yield Case("labels", name, data.encode(), ".txt", "init", (), accept)


def _validate() -> Iterator[Case]:
    good = jsonl_bytes({"id": "d1", "text": TEXT, "meta": {}, "annotator": "zed", "status": "done", "schema_version": 1,
                "entities": [{"id": "e1", "start": PER[0], "end": PER[1], "label": "PER", "text": TEXT[4:15]}],
                "quotes": [], "stances": []})
    yield from generic_cases("validate", good, ".jsonl", "validate", folder=False)
    yield Case("validate", "lone-surrogate", f'{{"text": "{SURROGATE}"}}\n'.encode(), ".jsonl", "validate")
    yield Case("validate", "deep", DEEP, ".jsonl", "validate")
    mismatch = good.replace(TEXT[4:15].encode(), "الكويت".encode())
    yield Case("validate", "span-mismatch", mismatch, ".jsonl", "validate")


def all_cases() -> list[Case]:
    return [*document_cases(), *_bundles(), *_gazetteer(), *_labels(), *_validate()]
