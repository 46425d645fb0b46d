"""Import: files -> records -> one transaction. On any problem nothing is written and the error names FILE:LINE.

A text already in the project (same sha256) is not stored twice: the record's annotations attach to the
existing document, so a second annotator's file of the same texts lands beside the first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from ..io import formats
from ..io.csvfile import read_csv
from ..io.jsonl import read_jsonl
from ..io.jsontext import check_free_form
from ..io.source import DEFAULT_MAX_CHARS, Record, SourceError
from ..io.txt import read_txt
from ..model import DEFAULT_ANNOTATOR, ENTITY, GOLD, QUOTE_KIND, STANCE, TODO
from ..names import AnnotatorNameError, check_annotator_name
from ..store import Project, text_hash
from ..io.validate import RecordError, check_status, parse_annotations
from ..io.annotation_rows import annotation_rows

SUFFIXES = (".txt", ".jsonl", ".csv")

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


@dataclass
class ImportOptions:
    annotator: Optional[str] = None  # overrides the records' own "annotator"
    text_column: str = "text"
    id_column: Optional[str] = "id"
    max_chars: int = DEFAULT_MAX_CHARS
    replace: bool = False  # replace an annotator's existing, different set instead of refusing
    # Interchange formats (io/formats.py): the format of every file (None: by extension), CoNLL columns and
    # document size, label renaming, and whether a corpus' own labels are refused instead of added.
    format: Optional[str] = None
    tag_column: Optional[int] = None
    doc_size: Optional[int] = None
    label_map: dict[str, str] = field(default_factory=dict)
    strict_labels: bool = False
    gold: bool = False  # accept sets of the reserved annotator "gold" (an export of adjudicated sets, on purpose)


@dataclass
class ImportSummary:
    files: int = 0
    records: int = 0
    new_documents: int = 0
    existing_documents: int = 0
    annotation_sets: int = 0
    unchanged_sets: int = 0
    annotators: set[str] = field(default_factory=set)
    added_labels: list[str] = field(default_factory=list)  # labels an interchange-format corpus brought
    notes: list[str] = field(default_factory=list)  # what format readers repaired or skipped

    def lines(self) -> list[str]:
        out = [f"{self.records} record(s) from {self.files} file(s): {self.new_documents} new document(s), "
               f"{self.existing_documents} already in the project"]
        if self.annotation_sets or self.unchanged_sets:
            out.append(f"{self.annotation_sets} annotation set(s) written, {self.unchanged_sets} unchanged "
                       f"(annotators: {', '.join(sorted(self.annotators))})")
        if self.added_labels:
            out.append(f"added {len(self.added_labels)} label(s) the files use: {', '.join(self.added_labels)}")
        out += [f"note: {n}" for n in self.notes[:20]]
        if len(self.notes) > 20:
            out.append(f"note: ... and {len(self.notes) - 20} more")
        return out


def expand_sources(sources: Iterable[str | Path], fmt: Optional[str] = None) -> list[Path]:
    """Files named, and the .txt/.jsonl/.csv (and CoNLL) files inside folders named (sorted, recursively); with a
    format, the files of that format's extensions."""
    out: list[Path] = []
    suffixes = formats.folder_suffixes(fmt)
    for src in sources:
        p = Path(src)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes)
            if not found:
                raise SourceError(p, None, f"folder holds no {fmt} files ({', '.join(suffixes)})" if fmt else
                                  "folder holds no .txt, .jsonl or .csv files (nor CoNLL files)")
            out += found
        elif p.is_file():
            if formats.file_format(p, fmt) is None:
                raise SourceError(p, None, f"unknown file type {p.suffix!r} (expected {', '.join(SUFFIXES)}, "
                                           f"{', '.join(formats.AUTO_FOLDER_SUFFIXES[3:])}, .json, .spacy, "
                                           f"or name the format with --format)")
            out.append(p)
        else:
            raise SourceError(p, None, "no such file or folder")
    return out


def read_records(path: Path, opts: ImportOptions) -> Iterator[Record]:
    name = formats.file_format(path, opts.format)
    if name not in formats.NATIVE:
        yield from formats.read(name, path, opts)
        return
    suffix = "." + name
    if suffix == ".txt":
        yield from read_txt(path, opts.max_chars)
    elif suffix == ".jsonl":
        yield from read_jsonl(path, opts.max_chars)
    else:
        yield from read_csv(path, opts.text_column, opts.id_column, opts.max_chars)


def import_sources(project: Project, sources: Iterable[str | Path], opts: Optional[ImportOptions] = None,
                   progress: Optional[Progress] = None) -> ImportSummary:
    """Import every source in one transaction; raises SourceError (and writes nothing) on the first problem."""
    opts = opts or ImportOptions()
    if opts.annotator is not None:
        try:
            _check_name(opts.annotator, opts)
        except RecordError as exc:
            raise SourceError("--annotator", None, str(exc)) from exc
    files = expand_sources(sources, opts.format)
    total = sum(f.stat().st_size for f in files) or 1
    done = 0
    summary = ImportSummary(files=len(files))
    labels = {k: project.label_names(k) for k in (ENTITY, STANCE, QUOTE_KIND)}
    with project.transaction():
        by_hash = project.document_hashes()
        by_id = {i: h for i, h in project.document_ids().items()}
        sets_seen: set[tuple[int, str]] = set()
        ann_keys: dict[str, int] = {}  # annotator name -> key, looked up once per import
        for path in files:
            for rec in read_records(path, opts):
                if rec.format is not None or opts.label_map:
                    summary.added_labels += formats.prepare_record(project, rec, labels, opts)
                    summary.notes += rec.notes
                try:
                    _import_record(project, rec, opts, labels, by_hash, by_id, sets_seen, summary, ann_keys)
                except RecordError as exc:
                    raise SourceError(rec.path, rec.line, str(exc)) from exc
            done += path.stat().st_size
            if progress:
                progress(done, total)
        if summary.records == 0:
            raise SourceError(", ".join(map(str, files)) or "import", None, "no documents found")
    return summary


def _check_name(annotator: str, opts: ImportOptions) -> None:
    """The set's annotator must be a name a person may use (core/names.py): "gold" is written by adjudication, and
    comes in by import only when the user says the file is an exported gold set (`--gold`); look-alikes never."""
    if annotator == GOLD and opts.gold:
        return
    try:
        check_annotator_name(annotator)
    except AnnotatorNameError as exc:
        hint = " (an exported gold set is imported on purpose with --gold)" if annotator == GOLD else ""
        raise RecordError(f"{exc}{hint}") from exc


def _import_record(project: Project, rec: Record, opts: ImportOptions, labels: dict, by_hash: dict, by_id: dict,
                   sets_seen: set, summary: ImportSummary, ann_keys: dict[str, int]) -> None:
    summary.records += 1
    if len(rec.text) > opts.max_chars:
        raise RecordError(f"article is {len(rec.text):,} characters; the limit is {opts.max_chars:,} "
                          f"(split the file, or raise it with --max-chars)")
    for what, value in (("\"meta\"", rec.meta), ("\"provenance\"", rec.raw.get("provenance"))):
        why = check_free_form(value, what)
        if why:
            raise RecordError(why)
    h = text_hash(rec.text)
    doc_id = rec.id or f"doc-{h[:12]}"
    doc_key = by_hash.get(h)
    new_doc = doc_key is None  # inserted by this import: it cannot have a set yet (sets_seen guards the rest)
    if new_doc:
        if doc_id in by_id:
            raise RecordError(f"id {doc_id!r} is already used by a different text in the project")
        doc_key = project.insert_document(doc_id, rec.text, rec.meta, h)
        by_hash[h] = doc_key
        by_id[doc_id] = h
        summary.new_documents += 1
    else:
        summary.existing_documents += 1
    status = check_status({"status": rec.status})
    if not rec.has_annotations and status == TODO and not opts.annotator and rec.annotator is None:
        return  # a bare text: nothing to attach (a named annotator's empty set is kept, so re-export matches)
    # A new document's set in the common shape goes straight from the parsed dict to rows (io/annotation_rows.py);
    # anything else, and every problem, through parse_annotations and its messages.
    rows = annotation_rows(rec.raw, rec.text, labels[ENTITY], labels[STANCE], labels[QUOTE_KIND]) if new_doc \
        else None
    if rows is None:
        entities, quotes, stances = parse_annotations(rec.raw, rec.text, labels[ENTITY], labels[STANCE],
                                                      labels[QUOTE_KIND])
    annotator = opts.annotator or rec.annotator or DEFAULT_ANNOTATOR
    _check_name(annotator, opts)
    if (doc_key, annotator) in sets_seen:
        raise RecordError(f"a second annotation set by {annotator!r} for the same text in this import")
    sets_seen.add((doc_key, annotator))
    provenance = rec.raw.get("provenance")
    if rows is not None:
        if provenance is not None and not isinstance(provenance, dict):
            raise RecordError("\"provenance\" must be an object")
        project.insert_set_rows(doc_key, annotator, status, rec.text, *rows, provenance=provenance or None,
                                annotator_keys=ann_keys)
        summary.annotation_sets += 1
        summary.annotators.add(annotator)
        return
    if not new_doc and project.has_set(doc_key, annotator):
        old = project.load(doc_key, annotator)
        # The store reads entities and quotes back in export order; compare in that order, not the file's.
        same = (old.entities == sorted(entities, key=lambda e: (e.start, e.end, e.label, e.id))
                and old.quotes == sorted(quotes, key=lambda q: (q.start, q.end, q.id))
                and (old.stances, old.status) == (stances, status))
        if same:
            summary.unchanged_sets += 1
            return
        if not opts.replace:
            raise RecordError(f"{annotator!r} already has different annotations on document {old.document.id!r}; "
                              f"pass --replace to overwrite them")
    if provenance is not None and not isinstance(provenance, dict):
        raise RecordError("\"provenance\" must be an object")
    project.replace_set(doc_key, annotator, status, entities, quotes, stances, new=new_doc,
                        provenance=provenance or None)
    summary.annotation_sets += 1
    summary.annotators.add(annotator)
