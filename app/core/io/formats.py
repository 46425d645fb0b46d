"""The registry of interchange formats: name -> reader / writer, detection by file extension, and what every
format import shares (label maps, adopting a corpus' own labels) and every format export shares.

`tawsim import P FILE --format NAME` and `tawsim export P OUT --format NAME` go through here; so can the GUI
(`import_sources(project, files, ImportOptions(format=NAME))` and `exporter.export_format(project, NAME, out)`).
Native formats (jsonl, csv, txt) stay with app.core.exchange.importer / app.core.exchange.exporter. This registry
sits below both and imports neither: the exporter feeds its records to a format's writer, not the reverse.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

from ..labels import palette_colour
from ..model import DEFAULT_ANNOTATOR, ENTITY, QUOTE_KIND, STANCE, AnnotationError, Label
from . import conll, doccano, hf, labelstudio, prodigy, spacy_docbin, trec
from .interop import ExportOptions, ExportResult, FormatError, map_raw_labels, parse_label_map
from .source import Record, SourceError

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Project

Reader = Callable[[Path, Any], Iterator[Record]]
Writer = Callable[[Iterable[dict], Path, ExportOptions], ExportResult]

# Read by the importer itself; jsonl is written by the exporter (write_jsonl below only serves `--label-map`, which
# the exporter's fast path does not do).
NATIVE = ("jsonl", "csv", "txt")


def write_jsonl(records: Iterable[dict], out: Path, opts: ExportOptions) -> ExportResult:
    """The export schema with labels renamed by opts.label_map (the plain export is exporter.export_jsonl)."""
    from .atomic import atomic_write
    from .interop import map_record_labels
    from ..jsonbytes import dumps

    res = ExportResult(files=[Path(out)])
    with atomic_write(out) as f:
        for rec in records:
            f.write(dumps(map_record_labels(rec, opts.label_map), len(rec.get("text") or ""), newline=True))
            res.documents += 1
            res.units += 1
    return res


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    detect: tuple[str, ...]  # extensions recognised without --format (a file named on the command line)
    folder: tuple[str, ...]  # extensions taken from a folder given with --format NAME
    read: Optional[Reader] = None
    write: Optional[Writer] = None


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("jsonl", "Tawsim JSONL (the export schema)", (".jsonl",), (".jsonl",), None, write_jsonl),
    Format("csv", "CSV, one document a row (import only)", (".csv",), (".csv",)),
    Format("txt", "plain-text articles, one a file (import only)", (".txt",), (".txt",)),
    Format("conll", "CoNLL / BIO, one token a line (IOB1, IOB2, BIOES)", conll.SUFFIXES,
           conll.SUFFIXES + (".txt",), conll.read_conll, conll.write_conll),
    Format("prodigy", "Prodigy JSONL (text, tokens, spans, relations, accept)", (), (".jsonl",),
           prodigy.read_prodigy, prodigy.write_prodigy),
    Format("doccano", "doccano JSONL (label, or entities/relations, cats)", (), (".jsonl",),
           doccano.read_doccano, doccano.write_doccano),
    Format("labelstudio", "Label Studio JSON tasks (labels, relation, choices)", (".json",), (".json",),
           labelstudio.read_labelstudio, labelstudio.write_labelstudio),
    Format("hf", "Hugging Face token classification JSONL (tokens, ner_tags) + OUT-stem.labels.json", (),
           (".jsonl",), hf.read_hf, hf.write_hf),
    Format("spacy", "spaCy DocBin (.spacy; needs the spacy extra)", (".spacy",), (".spacy",),
           spacy_docbin.read_docbin, spacy_docbin.write_docbin),
    Format("trec", "TREC/SGML news archives: <DOC> <DOCNO> <TITLE> <TEXT> (import only; .txt found by content)",
           trec.SUFFIXES, trec.FOLDER_SUFFIXES, trec.read_trec),
)}

IMPORT_FORMATS = tuple(FORMATS)
EXPORT_FORMATS = tuple(n for n, f in FORMATS.items() if f.write is not None)
# Extensions a folder is searched for when no --format is given: the native ones and CoNLL's own (never .json,
# which a folder of articles may hold for other reasons).
AUTO_FOLDER_SUFFIXES = (".txt", ".jsonl", ".csv") + conll.SUFFIXES + trec.SUFFIXES


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatError(name, None, f"unknown format (one of {', '.join(FORMATS)})") from None


def detect(path: Path) -> Optional[str]:
    """The format of a file named on the command line, by extension; None when it needs --format."""
    suffix = path.suffix.lower()
    for f in FORMATS.values():
        if suffix in f.detect:
            return f.name
    return None


# The output suffixes each exported format is normally given (for `suffix_warnings`).
OUTPUT_SUFFIXES = {"jsonl": (".jsonl",), "prodigy": (".jsonl",), "doccano": (".jsonl",), "hf": (".jsonl",),
                   "labelstudio": (".json",), "spacy": (".spacy",), "conll": conll.SUFFIXES + (".txt",)}


def suffix_warnings(name: str, out: str | Path) -> list[str]:
    """A warning when the output file's suffix is another format's (`export P out.conll` without --format writes
    JSONL, which a CoNLL reader then chokes on): the export goes ahead, the user is told."""
    suffix = Path(out).suffix.lower()
    expected = OUTPUT_SUFFIXES.get(name, ())
    if not suffix or suffix in expected:
        return []
    others = [n for n, sfx in OUTPUT_SUFFIXES.items() if suffix in sfx and n != name]
    if not others:
        return []  # a suffix of no format (.out, .db ...): nothing to say about it
    hint = f" (did you mean --format {others[0]}?)" if others and name == "jsonl" else ""
    return [f"{out}: writing {name} ({', '.join(expected)}) to a file named {suffix}{hint}"]


def folder_suffixes(name: Optional[str]) -> tuple[str, ...]:
    return AUTO_FOLDER_SUFFIXES if name is None else get(name).folder


def file_format(path: Path, forced: Optional[str]) -> Optional[str]:
    """The format to read `path` with: --format if given, else by extension (None: not importable); a .txt file
    that opens with `<DOC` is a TREC/SGML archive (detected by content: news archives ship as .txt)."""
    if forced:
        return forced
    name = detect(path)
    if name == "txt" and trec.looks_like_trec(path):
        return "trec"
    return name


def read(name: str, path: Path, opts: Any) -> Iterator[Record]:
    fmt = get(name)
    if fmt.read is None:
        raise FormatError(path, None, f"{name} cannot be imported")
    yield from fmt.read(path, opts)


# ---- import: labels ----------------------------------------------------------------------------------------------

_LABEL_FIELDS = ((ENTITY, "entities", "label"), (STANCE, "stances", "label"), (QUOTE_KIND, "quotes", "kind"))
_KIND_NAMES = {ENTITY: "entity", STANCE: "stance", QUOTE_KIND: "quote kind"}


def prepare_record(project: "Project", rec: Record, labels: dict[str, set[str]], opts: Any) -> list[str]:
    """What the importer does to a record before checking it: apply --label-map; and for an interchange-format
    record, add the labels it brings that the project lacks (inside the import's transaction; `labels` is updated
    too; with --strict-labels the first one is refused at its FILE:LINE), and give its annotations the ids of the
    same annotations already in the project (see reuse_ids). Returns the labels added, as "NAME (kind)"."""
    map_raw_labels(rec.raw, getattr(opts, "label_map", None) or {})
    if rec.format is None:
        return []
    added = _adopt_labels(project, rec, labels, opts)
    reuse_ids(project, rec, getattr(opts, "annotator", None))
    return added


def _adopt_labels(project: "Project", rec: Record, labels: dict[str, set[str]], opts: Any) -> list[str]:
    strict = bool(getattr(opts, "strict_labels", False))
    added: list[str] = []
    for kind, key, fld in _LABEL_FIELDS:
        for item in rec.raw.get(key) or []:
            if not isinstance(item, dict):
                continue
            name = item.get(fld)
            if not isinstance(name, str) or not name or name in labels[kind]:
                continue
            line = item.get("_line") or rec.line
            if strict:
                raise SourceError(rec.path, line, f"{_KIND_NAMES[kind]} label {name!r} is not in the project "
                                  f"(it has {', '.join(sorted(labels[kind]))}); rename it with --label-map "
                                  f"{name}=LABEL, or drop --strict-labels to add it")
            try:
                project.add_label(Label(name, kind, "", palette_colour(_count(project, kind)),
                                        _free_key(project, kind)))
            except AnnotationError as exc:
                raise SourceError(rec.path, line, f"cannot add the {_KIND_NAMES[kind]} label {name!r}: {exc}; "
                                  f"rename it with --label-map") from exc
            labels[kind].add(name)
            added.append(f"{name} ({_KIND_NAMES[kind]})")
    return added


def adopt_entity_label(project: "Project", name: str) -> None:
    """Add an entity label the project lacks the way an import adds one (next palette colour, a free key): for a
    model trained in another project, whose labels arrive like a corpus' labels."""
    project.add_label(Label(name, ENTITY, "", palette_colour(_count(project, ENTITY)), _free_key(project, ENTITY)))


def reuse_ids(project: "Project", rec: Record, annotator: Optional[str] = None) -> None:
    """Most interchange formats cannot carry Tawsim's ids, so a record read from one numbers its annotations afresh.
    When the project already holds this text with a set by the same annotator, give every annotation that is also
    in that set (same offsets and label; for stances the same label, target and scope) the id it has there, and
    the others ids that collide with none. Re-importing an export then finds the set unchanged instead of
    "different", and links (speaker, target, scope) keep pointing at the same annotations."""
    from ..store import text_hash

    doc_key = project.document_key_by_hash(text_hash(rec.text))
    name = annotator or rec.annotator or DEFAULT_ANNOTATOR
    if doc_key is None or not project.has_set(doc_key, name):
        return
    old = project.load(doc_key, name)
    raw_e, raw_q, raw_s = (rec.raw.get(k) or [] for k in ("entities", "quotes", "stances"))
    if not all(isinstance(x, dict) for x in (*raw_e, *raw_q, *raw_s)):
        return  # malformed: the importer's own checks report it

    def renumber(items: list[dict], old_keys: dict[Any, list[str]], key: Callable[[dict], Any], prefix: str,
                 taken: set[str]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        pending = []
        for item in items:
            cands = old_keys.get(key(item))
            if cands:
                new_id = cands.pop(0)
                if item.get("id") is not None:
                    mapping[str(item["id"])] = new_id
                item["id"] = new_id
            else:
                pending.append(item)
        n = 0
        for item in pending:
            n += 1
            while f"{prefix}{n}" in taken:
                n += 1
            if item.get("id") is not None:
                mapping[str(item["id"])] = f"{prefix}{n}"
            item["id"] = f"{prefix}{n}"
            taken.add(item["id"])
        return mapping

    def group(pairs) -> dict[Any, list[str]]:
        out: dict[Any, list[str]] = {}
        for k, v in pairs:
            out.setdefault(k, []).append(v)
        return out

    taken_e = {e.id for e in old.entities}
    e_map = renumber(raw_e, group(((e.start, e.end, e.label), e.id) for e in old.entities),
                     lambda i: (i.get("start"), i.get("end"), i.get("label")), "e", taken_e)
    for q in raw_q:
        if q.get("speaker") is not None:
            q["speaker"] = e_map.get(str(q["speaker"]), q["speaker"])
    for st in raw_s:
        if st.get("target") is not None:
            st["target"] = e_map.get(str(st["target"]), st["target"])
    q_map = renumber(raw_q, group(((q.start, q.end), q.id) for q in old.quotes),
                     lambda i: (i.get("start"), i.get("end")), "q", {q.id for q in old.quotes})
    for st in raw_s:
        scope = st.get("scope", "document")
        if scope != "document":
            st["scope"] = q_map.get(str(scope), scope)
    renumber(raw_s, group(((s.label, s.target, s.target_text if s.target is None else "", s.scope), s.id)
                          for s in old.stances),
             lambda i: (i.get("label"), i.get("target"), (i.get("target_text") or "") if i.get("target") is None
                        else "", i.get("scope", "document")), "s", {s.id for s in old.stances})


# Read with SQL, not Project.labels(): its cache would outlive a rolled-back import.
def _count(project: "Project", kind: str) -> int:
    return project.conn.execute("SELECT count(*) FROM labels WHERE kind = ?", (kind,)).fetchone()[0]


def _free_key(project: "Project", kind: str) -> str:
    if kind != ENTITY:
        return ""
    used = {r[0] for r in project.conn.execute("SELECT key FROM labels WHERE kind = ?", (kind,))}
    return next((k for k in "123456789" if k not in used), "")


__all__ = ["FORMATS", "IMPORT_FORMATS", "EXPORT_FORMATS", "Format", "ExportOptions", "ExportResult", "FormatError",
           "prepare_record", "reuse_ids", "detect", "file_format", "folder_suffixes", "get",
           "parse_label_map", "read", "suffix_warnings", "write_jsonl"]
