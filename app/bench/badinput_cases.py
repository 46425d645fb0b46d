"""The cases of the bad-input benchmark (app/bench/badinput.py): per importer family, a valid sample and the ways
to break it, each with the command that reads it and whether it must be refused or accepted.

Generic damage (empty, truncated, invalid UTF-8, UTF-16, NULs, binary junk, missing / folder / symlinks, an
oversized line) applies to every family; each family adds what its format can get wrong (offsets, labels, ids,
nesting, surrogates, quoting ...). Accepted variants (a BOM, CRLF, a symlink to a good file) keep the checks honest:
a tool that refused everything would fail them.
"""
from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = ("jsonl", "csv", "txt", "conll", "prodigy", "doccano", "labelstudio", "hf", "bundle", "gazetteer",
            "labels", "validate")
TEXT = "قال نواف العنزي إن الكويت شريك لحلف ناتو."
PER = (4, 15)  # نواف العنزي
GPE = (19, 25)  # الكويت
SURROGATE, LOW_SURROGATE = "\\ud83d", "\\ude00"
DEEP = b"[" * 100_000
JUNK = random.Random(7).randbytes(4096)


def _seed(name: str) -> str:
    return (ROOT / "seeds" / f"{name}.txt").read_text(encoding="utf-8")


def jsonl_bytes(*objs: object) -> bytes:
    return b"".join(json.dumps(o, ensure_ascii=False).encode() + b"\n" for o in objs)


# One annotator's set on a seed text: what the base project holds and bundles carry.
ANEZI = _seed("kuwait-nato-anezi")
ANEZI_PER_START = ANEZI.index("نواف العنزي")
SEED_SET = jsonl_bytes({"id": "kuwait-nato-anezi", "text": ANEZI, "annotator": "amal", "status": "done",
                "entities": [{"id": "e1", "start": ANEZI_PER_START, "end": ANEZI_PER_START + 11, "label": "PER"}]})


@dataclass(frozen=True)
class Case:
    family: str
    name: str
    data: Optional[bytes]  # the file's bytes (None: see kind)
    suffix: str
    command: str  # import, merge, init, validate, gazetteer
    args: tuple[str, ...] = ()
    accept: bool = False
    kind: str = "file"  # file, folder (the file inside a folder), empty-folder, missing, symlink, dangling, loop
    side: Optional[bytes] = None  # hf: the label list beside the file

    def materialise(self, here: Path, base: Path) -> Path:
        f = here / f"input{self.suffix}"
        if self.kind == "folder":
            (here / "in").mkdir()
            f = here / "in" / f"input{self.suffix}"
        if self.data is not None:
            f.write_bytes(self.data)
        if self.side is not None:
            (here / "input.labels.json").write_bytes(self.side)
        if self.kind == "folder":
            return here / "in"
        if self.kind == "empty-folder":
            (here / "empty").mkdir()
            return here / "empty"
        if self.kind in ("symlink", "dangling", "loop"):
            link = here / f"link{self.suffix}"
            os.symlink(link if self.kind == "loop" else f if self.kind == "symlink" else here / "gone", link)
            return link
        return f


def generic_cases(fam: str, good: bytes, suffix: str, command: str, args: tuple[str, ...] = (), *,
             json_like: bool = True, folder: bool = True, exact: bool = False) -> Iterator[Case]:
    """The damage every file can take. `json_like`: truncation and NULs break it (not so plain text); `exact`: a
    checksummed file, which a BOM or CRLF damages like any other change."""
    def c(name, data, accept=False, kind="file", extra=()):
        return Case(fam, name, data, suffix, command, args + tuple(extra), accept, kind)

    yield c("valid", good, True)
    yield c("bom", b"\xef\xbb\xbf" + good, not exact)
    yield c("crlf", good.replace(b"\n", b"\r\n"), not exact)
    yield c("symlink-to-valid", good, True, "symlink")
    if folder and command == "import":
        yield c("in-a-folder", good, True, "folder")
        yield c("empty-folder", None, kind="empty-folder")
    yield c("empty", b"")
    yield c("blank-lines", b"\n \n\t\n")
    yield c("missing", None, kind="missing")
    yield c("dangling-symlink", None, kind="dangling")
    yield c("symlink-loop", None, kind="loop")
    yield c("invalid-utf8", good[: len(good) // 2] + b"\xff\xfe" + good[len(good) // 2:])
    yield c("utf16", good.decode("utf-8").encode("utf-16"))
    yield c("latin1", "café olé\n".encode("latin-1") + good)
    yield c("binary-junk", JUNK)
    yield c("png-header", b"\x89PNG\r\n\x1a\n" + JUNK)
    yield c("overlong-utf8", good + b"\xc0\xaf\n")
    yield c("encoded-surrogate-utf8", good + "x".encode() + b"\xed\xa0\x80\n")
    if json_like:
        yield c("truncated-half", good[: len(good) // 2])
        yield c("truncated-end", good.rstrip(b"\n")[:-2])
        yield c("nul-bytes", good.replace(b'"', b'"\x00', 1))
        yield c("trailing-garbage", good + b"}}}\n")
    if command == "import":
        yield c("oversized-line", good + b"x" * ((1 << 20) + 1000) + b"\n", extra=("--max-chars", "1000"))


def _jsonl() -> Iterator[Case]:
    ents = [{"id": "e1", "start": PER[0], "end": PER[1], "label": "PER"}]
    good = jsonl_bytes({"id": "d1", "text": TEXT, "annotator": "zed", "entities": ents})
    yield from generic_cases("jsonl", good, ".jsonl", "import")

    def bad(name, obj_or_bytes, accept=False, args=()):
        data = obj_or_bytes if isinstance(obj_or_bytes, bytes) else jsonl_bytes(obj_or_bytes)
        return Case("jsonl", name, data, ".jsonl", "import", args, accept)

    def rec(**kw):
        return {"id": "d1", "text": TEXT, "annotator": "zed", "entities": ents, **kw}

    yield bad("lone-surrogate", f'{{"text": "half {SURROGATE} emoji"}}\n'.encode())
    yield bad("lone-low-surrogate", f'{{"text": "half {LOW_SURROGATE}"}}\n'.encode())
    yield bad("surrogate-pair", f'{{"text": "emoji {SURROGATE}{LOW_SURROGATE} ok"}}\n'.encode(), True)
    yield bad("deep-nesting", DEEP)
    yield bad("deep-meta-2000", b'{"text": "x", "meta": {"a": ' + b"[" * 2000 + b"]" * 2000 + b"}}\n")
    yield bad("deep-meta-300", b'{"text": "x", "meta": {"a": ' + b"[" * 300 + b"]" * 300 + b"}}\n")
    yield bad("nan", b'{"text": "x", "meta": {"a": NaN}}\n')
    yield bad("huge-number-meta", b'{"text": "x", "meta": {"a": 1e400}}\n')
    yield bad("5000-digit-number", b'{"text": "x", "meta": {"a": ' + b"9" * 5000 + b"}}\n")
    yield bad("top-level-array", b"[1, 2]\n")
    yield bad("top-level-string", b'"text"\n')
    yield bad("text-number", {"text": 5})
    yield bad("text-null", {"text": None})
    yield bad("text-empty", {"text": "  "})
    yield bad("text-list", {"text": ["a"]})
    yield bad("id-object", {"text": TEXT, "id": {"a": 1}})
    yield bad("id-bool", {"text": TEXT, "id": True})
    yield bad("meta-list", {"text": TEXT, "meta": [1]})
    yield bad("annotator-number", {"text": TEXT, "annotator": 7})
    yield bad("status-unknown", rec(status="finished"))
    yield bad("entities-object", rec(entities={"a": 1}))
    yield bad("entity-string", rec(entities=["PER"]))
    for name, s, e in (("negative-start", -1, 4), ("end-past-text", 0, 10_000), ("start-after-end", 10, 4),
                       ("empty-span", 4, 4), ("float-offsets", 4.0, 15.0), ("bool-offsets", True, 15),
                       ("string-offsets", "4", "15"), ("huge-offsets", 2 ** 70, 2 ** 71), ("null-offsets", None, 15)):
        yield bad(name, rec(entities=[{"id": "e1", "start": s, "end": e, "label": "PER"}]))
    yield bad("span-text-mismatch", rec(entities=[{**ents[0], "text": "الكويت"}]))
    yield bad("unknown-label", rec(entities=[{**ents[0], "label": "WEAPON"}]))
    yield bad("label-number", rec(entities=[{**ents[0], "label": 1}]))
    yield bad("duplicate-entity-ids", rec(entities=[ents[0], {"id": "e1", "start": GPE[0], "end": GPE[1],
                                                               "label": "GPE"}]))
    yield bad("speaker-missing", rec(quotes=[{"id": "q1", "start": 16, "end": 40, "speaker": "e9", "kind": "direct"}]))
    yield bad("quote-kind-unknown", rec(quotes=[{"id": "q1", "start": 16, "end": 40, "kind": "sung"}]))
    yield bad("cue-outside", rec(quotes=[{"id": "q1", "start": 16, "end": 40, "cue": {"start": 0, "end": 999},
                                           "kind": "direct"}]))
    yield bad("stance-unknown", rec(stances=[{"id": "s1", "label": "love", "target_text": "x", "scope": "document"}]))
    yield bad("stance-scope-missing", rec(stances=[{"id": "s1", "label": "favor", "target_text": "x", "scope": "q9"}]))
    yield bad("provenance-string", rec(provenance="me"))
    yield bad("same-id-other-text", jsonl_bytes({"id": "d1", "text": TEXT}, {"id": "d1", "text": TEXT + " ثانٍ"}))
    yield bad("id-of-seed-other-text", {"id": "kuwait-nato-anezi", "text": TEXT})
    yield bad("same-set-twice", jsonl_bytes(rec(), rec()))
    yield bad("other-set-exists", {"id": "x", "text": ANEZI, "annotator": "amal", "entities": []})
    yield bad("too-long-article", {"text": "ن" * 2000}, args=("--max-chars", "1000"))
    yield bad("second-line-broken", good + b'{"text": \n')
    yield bad("duplicate-key", b'{"text": "a", "text": "b"}\n', True)
    yield bad("control-chars-escaped", {"text": "a\u0000b\u001fc"}, True)


def _csv() -> Iterator[Case]:
    good = "id,text,source\nd1,\"قال، نواف\",x\nd2,نص ثان,y\n".encode()
    yield from generic_cases("csv", good, ".csv", "import", json_like=False)
    for name, data, accept in (
            ("unclosed-quote", 'id,text\nd1,"نص\nd2,ثان\nd3,ثالث\n', False),
            ("unclosed-quote-closed-later", 'id,text\nd1,"نص\nd2,ثان\nd3,"ثالث"\n', False),
            ("text-after-closing-quote", 'id,text\nd1,"نص" بعد\n', False),
            ("duplicate-header", "id,text,text\nd1,a,b\n", False),
            ("duplicate-id-column", "id,id,text\n1,2,a\n", False),
            ("no-text-column", "id,body\nd1,a\n", False),
            ("more-fields-than-header", "id,text\nd1,a,extra\n", False),
            ("empty-text", "id,text\nd1,\n", False),
            ("header-only", "id,text\n", False),
            ("same-id-other-text", "id,text\nd1,a\nd1,b\n", False),
            ("fewer-fields", "id,text,source\nd1,نص\n", True),
            ("cr-line-endings", "id,text\rd1,نص\rd2,ثان\r", True),
            ("multiline-quoted", 'id,text\nd1,"سطر\nسطر ثان"\n', True),
            ("doubled-quotes", 'id,text\nd1,"قال ""نعم"""\n', True),
            ("nul-in-field", "id,text\nd1,a\x00b\n", True),
            ("empty-header-names", "id,text,,\nd1,a,,\n", True)):
        yield Case("csv", name, data.encode(), ".csv", "import", (), accept)


def _txt() -> Iterator[Case]:
    good = TEXT.encode() + b"\n"
    yield from generic_cases("txt", good, ".txt", "import", json_like=False)
    yield Case("txt", "whitespace-only", b" \n\t", ".txt", "import")
    yield Case("txt", "too-big-for-max-chars", "ن".encode() * 5000, ".txt", "import", ("--max-chars", "1000"))
    yield Case("txt", "nul-inside", b"a\x00b", ".txt", "import", (), True)
    yield Case("txt", "unknown-extension", good, ".bin", "import")


def _conll() -> Iterator[Case]:
    good = "نواف\tB-PER\nالعنزي\tI-PER\nقال\tO\n\nالكويت\tB-GPE\n".encode()
    yield from generic_cases("conll", good, ".conll", "import", json_like=False)
    for name, data, accept, args in (
            ("one-column", "نواف\n", False, ()), ("bad-tag", "نواف\tX-PER\n", False, ()),
            ("empty-label", "نواف\tB-\n", False, ()), ("cr-inside-line", "نواف\tB-PER\rx\tO\n", False, ()),
            ("space-in-token", "نواف العنزي\tB-PER\n", False, ()), ("empty-token-tagged", "\tB-PER\n", False, ()),
            ("tag-column-past-end", "نواف\tB-PER\n", False, ("--tag-column", "5")),
            ("tag-column-is-token", "نواف\tB-PER\n", False, ("--tag-column", "1")),
            ("strict-unknown-label", "نواف\tB-WEAPON\n", False, ("--strict-labels",)),
            ("new-label-adopted", "نواف\tB-WEAPON\n", True, ()), ("iob1", "نواف\tI-PER\n", True, ()),
            ("docstart-only", "-DOCSTART- O\n\n", False, ())):
        yield Case("conll", name, data.encode(), ".conll", "import", args, accept)


def _prodigy() -> Iterator[Case]:
    args = ("--format", "prodigy")
    good = jsonl_bytes({"text": TEXT, "spans": [{"start": PER[0], "end": PER[1], "label": "PER"}], "answer": "accept"})
    yield from generic_cases("prodigy", good, ".jsonl", "import", args)
    for name, obj, accept in (
            ("span-past-text", {"text": TEXT, "spans": [{"start": 0, "end": 999, "label": "PER"}]}, False),
            ("token-index-bad", {"text": TEXT, "spans": [{"token_start": 5, "token_end": 9, "label": "PER"}]}, False),
            ("token-without-offsets", {"text": TEXT, "tokens": [{"text": "x"}],
                                       "spans": [{"token_start": 0, "token_end": 0, "label": "PER"}]}, False),
            ("spans-object", {"text": TEXT, "spans": {"a": 1}}, False),
            ("label-empty", {"text": TEXT, "spans": [{"start": 4, "end": 15, "label": ""}]}, False),
            ("text-mismatch", {"text": TEXT, "spans": [{"start": 4, "end": 15, "label": "PER", "text": "x"}]}, False),
            ("accept-not-list", {"text": TEXT, "accept": "yes"}, False),
            ("relation-to-nothing", {"text": TEXT, "relations": [{"head": 0, "child": 9, "label": "SAYS"}]}, False),
            ("lone-surrogate", None, False), ("deep", None, False), ("new-label", {"text": TEXT, "spans": [
                {"start": 4, "end": 15, "label": "WEAPON"}]}, True)):
        data = {"lone-surrogate": f'{{"text": "{SURROGATE}"}}\n'.encode(), "deep": DEEP}.get(name) or jsonl_bytes(obj)
        yield Case("prodigy", name, data, ".jsonl", "import", args, accept)


def _doccano() -> Iterator[Case]:
    args = ("--format", "doccano")
    good = jsonl_bytes({"text": TEXT, "label": [[PER[0], PER[1], "PER"]]})
    yield from generic_cases("doccano", good, ".jsonl", "import", args)
    for name, obj in (("triple-short", {"text": TEXT, "label": [[4, 15]]}),
                      ("triple-label-number", {"text": TEXT, "label": [[4, 15, 3]]}),
                      ("negative", {"text": TEXT, "label": [[-4, 15, "PER"]]}),
                      ("past-text", {"text": TEXT, "label": [[4, 1500, "PER"]]}),
                      ("float", {"text": TEXT, "label": [[4.5, 15, "PER"]]}),
                      ("label-not-list", {"text": TEXT, "label": "PER"}),
                      ("entities-bad", {"text": TEXT, "entities": [{"start_offset": 4}]}),
                      ("text-missing", {"label": []}), ("relations-bad", {"text": TEXT, "relations": [{"from_id": 1}]}),
                      ("huge-offset", {"text": TEXT, "label": [[2 ** 80, 2 ** 81, "PER"]]})):
        yield Case("doccano", name, jsonl_bytes(obj), ".jsonl", "import", args)
    yield Case("doccano", "lone-surrogate", f'{{"text": "a{SURROGATE}"}}\n'.encode(), ".jsonl", "import", args)


def _ls_task(result: list, text: str = TEXT) -> dict:
    return {"id": 1, "data": {"text": text}, "annotations": [{"created_username": "lsuser", "result": result}]}


def _region(s: int, e: int, label: str = "PER", text: Optional[str] = None) -> dict:
    return {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": s, "end": e, "labels": [label], "text": TEXT[s:e] if text is None else text}}


def _labelstudio() -> Iterator[Case]:
    good = json.dumps([_ls_task([_region(*PER)])], ensure_ascii=False).encode()
    yield from generic_cases("labelstudio", good, ".json", "import", folder=False)  # .json: not taken from folders
    yield Case("labelstudio", "in-a-folder-with-format", good, ".json", "import", ("--format", "labelstudio"), True,
               "folder")
    cases = {
        "lone-surrogate-in-text": f'[{{"data": {{"text": "half {SURROGATE} emoji"}}}}]'.encode(),
        "lone-surrogate-in-label": f'[{{"data": {{"text": "x"}}, "meta": {{"a": "{SURROGATE}"}}}}]'.encode(),
        "deep-nesting": DEEP, "deep-task": b"[{\"data\": " + b"[" * 100_000 + b"]",
        "deep-meta-300": b'[{"data": {"text": "x"}, "meta": {"a": ' + b"[" * 300 + b"]" * 300 + b"}}]",
        "nan": b'[{"data": {"text": "x", "n": NaN}}]', "infinity": b'[{"data": {"text": "x", "n": -Infinity}}]',
        "5000-digit-int": b'[{"data": {"text": "x", "n": ' + b"9" * 5000 + b"}}]",
        "not-a-task": b"[1, 2]", "data-missing": b'[{"id": 1}]', "two-text-fields": b'[{"data": {"a": "x", "b": "y"}}]',
        "missing-comma": b'[{"data": {"text": "x"}} {"data": {"text": "y"}}]',
    }
    for name, data in cases.items():
        yield Case("labelstudio", name, data, ".json", "import")
    for name, task in (("region-past-text", _ls_task([_region(0, 999, text="x")])),
                       ("region-text-mismatch", _ls_task([_region(*PER, text="الكويت")])),
                       ("region-negative", _ls_task([_region(-3, 2, text="x")])),
                       ("labels-not-list", _ls_task([{**_region(*PER), "value": {"start": 4, "end": 15,
                                                                                 "labels": "PER"}}])),
                       ("result-not-list", _ls_task({"a": 1})), ("annotations-not-list", {"data": {"text": TEXT},
                                                                                          "annotations": 5}),
                       ("choices-not-strings", _ls_task([{"type": "choices", "value": {"choices": [1]}}])),
                       ("duplicate-region-ids", _ls_task([_region(*PER), _region(*GPE, label="GPE")])),
                       ("float-offsets", _ls_task([{**_region(*PER), "value": {"start": 4.0, "end": 15.0,
                                                                               "labels": ["PER"]}}]))):
        yield Case("labelstudio", name, json.dumps([task], ensure_ascii=False).encode(), ".json", "import")
    yield Case("labelstudio", "new-label", json.dumps([_ls_task([_region(*PER, "WEAPON")])]).encode(), ".json",
               "import", (), True)
    yield Case("labelstudio", "json-min", json.dumps([{"text": TEXT, "label": [
        {"start": 4, "end": 15, "text": TEXT[4:15], "labels": ["PER"]}]}]).encode(), ".json", "import", (), True)


def _hf() -> Iterator[Case]:
    args = ("--format", "hf")
    toks = TEXT.split(" ")
    tags = ["O", "B-PER", "I-PER"] + ["O"] * (len(toks) - 3)
    good = jsonl_bytes({"tokens": toks, "ner_tags": tags})
    yield from generic_cases("hf", good, ".jsonl", "import", args)
    for name, obj, side in (("lengths-differ", {"tokens": toks, "ner_tags": tags[:-1]}, None),
                            ("ids-without-list", {"tokens": ["a"], "ner_tags": [1]}, None),
                            ("id-past-list", {"tokens": ["a"], "ner_tags": [9]}, b'["O", "B-PER"]'),
                            ("negative-id", {"tokens": ["a"], "ner_tags": [-1]}, b'["O", "B-PER"]'),
                            ("bool-tag", {"tokens": ["a"], "ner_tags": [True]}, b'["O", "B-PER"]'),
                            ("side-lone-surrogate", {"tokens": ["a"], "ner_tags": [1]},
                             f'["O", "{SURROGATE}"]'.encode()),
                            ("side-deep", {"tokens": ["a"], "ner_tags": [1]}, DEEP),
                            ("side-not-list", {"tokens": ["a"], "ner_tags": [1]}, b'{"a": "b"}'),
                            ("side-invalid-utf8", {"tokens": ["a"], "ner_tags": [1]}, b'["O", "\xff"]'),
                            ("token-with-space", {"tokens": ["a b"], "ner_tags": ["O"]}, None),
                            ("tokens-not-strings", {"tokens": [1], "ner_tags": ["O"]}, None),
                            ("bad-tag", {"tokens": ["a"], "ner_tags": ["Q-PER"]}, None)):
        yield Case("hf", name, jsonl_bytes(obj), ".jsonl", "import", args, side=side)


def document_cases() -> list[Case]:
    """The cases of the importers of documents (badinput_projectfiles adds bundles, labels ...)."""
    return [*_jsonl(), *_csv(), *_txt(), *_conll(), *_prodigy(), *_doccano(), *_labelstudio(), *_hf()]
