"""Export: JSONL, one line per (document, annotation set), written to a temporary file and renamed into place;
the same records in an interchange format (export_format); train/dev/test splits."""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from ..io import formats
from ..io.atomic import WriteCancelled, atomic_write_group, write_lines
from ..io.output_guard import check_output
from ..io.interop import ExportOptions, ExportResult, FormatError
from ..model import ENTITY, EXPORT_SCHEMA_VERSION, STANCE, AnnotationSet
from ..store import Project
from ..store.jsonline import annotations_from_objects, annotations_from_rows

Progress = Callable[[int, int], None]  # (lines written, lines expected)


def set_to_record(aset: AnnotationSet) -> dict:
    """The public JSONL shape of one annotation set (the contract in resources/export.schema.json)."""
    return {
        "id": aset.document.id,
        "text": aset.document.text,
        "meta": aset.document.meta,
        "annotator": aset.annotator,
        "status": aset.status,
        "schema_version": EXPORT_SCHEMA_VERSION,
        **annotations_from_objects(aset.entities, aset.quotes, aset.stances),
        **({"provenance": aset.provenance} if aset.provenance else {}),
    }


def iter_records(project: Project, annotator: Optional[str] = None, gold: bool = False,
                 status: Optional[str] = None) -> Iterator[dict]:
    """set_to_record(aset) for every set of project.iter_sets(...), built straight from the store's rows.

    The same dicts, key for key and in the same order (tests/test_export.py compares them), without the model
    objects in between: on 100k documents that is 2M Entity objects less, a third of the export's time.
    """
    loads = json.loads  # as Project.iter_sets reads meta, so odd values (NaN, huge ints) come out the same
    provenance = project.set_provenances()  # only adjudicated (gold) sets have one: a small map
    for (_dk, did, text, meta, _h, sk, annotator_, status_, _comment, ents, quotes, stances) in \
            project.iter_set_rows(annotator=annotator, gold=gold, status=status):
        rec = {
            "id": did,
            "text": text,
            "meta": loads(meta),
            "annotator": annotator_,
            "status": status_,
            "schema_version": EXPORT_SCHEMA_VERSION,
            **annotations_from_rows(text, ents, quotes, stances),
        }
        if sk in provenance:
            rec["provenance"] = loads(provenance[sk])
        yield rec


def export_jsonl(project: Project, out: str | Path, annotator: Optional[str] = None, gold: bool = False,
                 status: Optional[str] = None, progress: Optional[Progress] = None) -> int:
    """Write the export; returns the number of lines. A failure, or WriteCancelled raised by `progress`, leaves
    any earlier file at `out` untouched and no partial file."""
    total = project.count_documents() if progress else 0
    n = write_lines(out, (line for _doc_id, line in project.iter_export_lines(annotator, gold, status)),
                    on_flush=(lambda k: progress(k, max(total, k))) if progress else None)
    if progress:
        try:
            progress(n, max(n, 1))
        except WriteCancelled:
            pass  # too late to cancel: the whole file is already in place
    return n


# ---- train/dev/test split ---------------------------------------------------------------------------------------
# By document, never by set: two annotators' sets of one article in different splits would leak the test texts
# into training. Documents are ranked by sha256(seed, text hash), so a split depends only on the texts and the
# seed (not on import order or on Python's random module) and is the same in every project holding those texts.

SPLIT_NAMES = {3: ("train", "dev", "test"), 2: ("train", "test")}


class SplitError(ValueError):
    """A split ratio that cannot be used; str() says why."""


def parse_ratios(spec: str | Sequence[float]) -> tuple[float, ...]:
    """"80/10/10" (train/dev/test) or "90/10" (train/test), any scale ("8/1/1"); also a sequence of numbers."""
    parts = spec.split("/") if isinstance(spec, str) else list(spec)
    shown = spec if isinstance(spec, str) else "/".join(map(str, spec))
    if len(parts) not in SPLIT_NAMES:
        raise SplitError(f"split {shown!r}: give 2 or 3 numbers separated by '/', e.g. 80/10/10 "
                         f"(train/dev/test) or 90/10 (train/test)")
    out = []
    for part in parts:
        try:
            v = float(part.strip()) if isinstance(part, str) else float(part)
        except (TypeError, ValueError):
            v = math.nan
        if not math.isfinite(v) or v < 0:
            raise SplitError(f"split {shown!r}: {str(part).strip()!r} is not a number of 0 or more")
        out.append(int(v) if v.is_integer() else v)
    if sum(out) <= 0:
        raise SplitError(f"split {shown!r}: the parts add up to 0")
    return tuple(out)


def split_sizes(n: int, ratios: Sequence[float]) -> list[int]:
    """n documents shared out in proportion to `ratios`, adding up to n exactly (largest remainder first)."""
    total = sum(ratios)
    exact = [n * r / total for r in ratios]
    sizes = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(ratios)), key=lambda i: (-(exact[i] - sizes[i]), i))
    for i in by_remainder[: n - sum(sizes)]:
        sizes[i] += 1
    return sizes


def split_path(out: str | Path, name: str) -> Path:
    """out.jsonl -> out-train.jsonl (the stem of OUT, whatever its suffix, then -NAME.jsonl)."""
    out = Path(out)
    return out.with_name(f"{out.stem}-{name}.jsonl")


def assign_splits(docs: Sequence[tuple[str, str]], ratios: Sequence[float], seed: int = 0) -> dict[str, str]:
    """doc id -> split name for (id, text hash) pairs."""
    names = SPLIT_NAMES[len(ratios)]
    ranked = sorted(docs, key=lambda d: hashlib.sha256(f"{seed}:{d[1]}".encode()).hexdigest())
    out, at = {}, 0
    for name, size in zip(names, split_sizes(len(ranked), ratios)):
        for doc_id, _ in ranked[at: at + size]:
            out[doc_id] = name
        at += size
    return out


@dataclass(frozen=True)
class SplitPart:
    name: str
    path: Path
    documents: int
    lines: int


@dataclass(frozen=True)
class SplitSummary:
    seed: int
    ratios: tuple[float, ...]
    parts: tuple[SplitPart, ...]

    def lines(self) -> list[str]:
        return [f"wrote {p.lines} line(s) ({p.documents} document(s)) to {p.path}" for p in self.parts]


def export_split(project: Project, out: str | Path, ratios: str | Sequence[float] = (80, 10, 10), seed: int = 0,
                 annotator: Optional[str] = None, gold: bool = False, status: Optional[str] = None,
                 progress: Optional[Progress] = None) -> SplitSummary:
    """The export of export_jsonl(...) divided by document into OUT-train/-dev/-test.jsonl (or -train/-test for
    two ratios), lines in the same order as the single-file export. The files are renamed into place as one group
    once all are written: a failure leaves every old file as it was, never a mix of two exports. A document
    added while the export runs (not ranked yet) goes to train."""
    ratios = parse_ratios(ratios)
    names = SPLIT_NAMES[len(ratios)]
    docs = project.export_documents(annotator=annotator, gold=gold, status=status)
    where = assign_splits(docs, ratios, seed)
    paths = {name: split_path(out, name) for name in names}
    n_docs = {name: 0 for name in names}
    for name in where.values():
        n_docs[name] += 1
    n_lines = {name: 0 for name in names}
    total = len(docs) if progress else 0
    with atomic_write_group([paths[name] for name in names]) as opened:
        files = dict(zip(names, opened))
        done = 0
        for doc_id, line in project.iter_export_lines(annotator, gold, status):
            name = where.get(doc_id, names[0])
            files[name].write(line)
            n_lines[name] += 1
            done += 1
            if progress and done % 1000 == 0:
                progress(done, max(total, done))
    if progress:
        progress(done, max(done, 1))
    return SplitSummary(seed, ratios, tuple(SplitPart(n, paths[n], n_docs[n], n_lines[n]) for n in names))


def export_format(project: Project, name: str, out: str | Path, *, annotator: Optional[str] = None,
                  gold: bool = False, status: Optional[str] = None, options: Optional[ExportOptions] = None,
                  progress: Optional[Callable[[int, int], None]] = None,
                  documents: Optional[set[str]] = None) -> ExportResult:
    """Write the selected annotation sets in interchange format `name` (io/formats.py's registry; plain jsonl is
    export_jsonl above); with `documents`, only the sets of those document ids (one part of a split)."""
    fmt = formats.get(name)
    if fmt.write is None:
        raise FormatError(out, None, f"{name} cannot be exported")
    check_output(out)  # the writer checks too; here so that a refused path is said first, whatever the format
    opts = options or ExportOptions()
    if not opts.entity_labels:
        opts.entity_labels = [l.name for l in project.labels(ENTITY)]
    if not opts.stance_labels:
        opts.stance_labels = [l.name for l in project.labels(STANCE)]
    total = project.count_documents() if progress else 0

    def records() -> Iterator[dict]:
        n = 0
        for rec in iter_records(project, annotator, gold, status):
            if documents is not None and rec["id"] not in documents:
                continue
            yield rec
            n += 1
            if progress and n % 500 == 0:
                progress(n, max(total, n))
        if progress:
            progress(n, max(n, 1))

    return fmt.write(records(), Path(out), opts)


def export_format_split(project: Project, name: str, out: str | Path, ratios: str | Sequence[float] = (80, 10, 10),
                        seed: int = 0, *, annotator: Optional[str] = None, gold: bool = False,
                        status: Optional[str] = None, options: Optional[ExportOptions] = None
                        ) -> list[tuple[str, ExportResult]]:
    """export_format(...) divided by document as export_split divides the JSONL (same documents in the same part,
    for the same seed): OUT-train.SUFFIX, OUT-dev.SUFFIX, OUT-test.SUFFIX (each with its own side files, e.g. the
    HF label list, which is the same in every part since it comes from the project's labels)."""
    ratios = parse_ratios(ratios)
    where = assign_splits(project.export_documents(annotator=annotator, gold=gold, status=status), ratios, seed)
    out = Path(out)
    parts = []
    for part in SPLIT_NAMES[len(ratios)]:
        ids = {d for d, n in where.items() if n == part}
        path = out.with_name(f"{out.stem}-{part}{out.suffix}")
        parts.append((part, export_format(project, name, path, annotator=annotator, gold=gold, status=status,
                                          options=options, documents=ids)))
    return parts
