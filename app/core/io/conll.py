"""CoNLL / BIO: one token per line with its tag; read IOB1, IOB2 and BIOES, write IOB2 or BIOES.

Reading (`tawsim import P corpus.conll [--tag-column N] [--doc-size N] [--label-map A=B] [--strict-labels]`):

* **Columns**: a line holding a tab is split on tabs (so a token may hold any other space-like character); any
  other line is split on runs of U+0020. ASCII spaces around tab-separated columns and empty trailing columns are
  dropped. The token is column 1 (column 2, FORM, in `.conllu`); the tag is the last column, or `--tag-column N`
  (1-based; negative counts from the end). Other columns (POS, chunks) are not kept.
* **Sentences** end at a blank line: a line of nothing but white space and invisible marks (LRM/RLM/ALM/ZWSP/BOM).
  A file with no blank lines is one sentence.
* **Documents** end at a `-DOCSTART-` line (its text is kept in `meta.conll_docstart` and written back), at the end
  of a file, and, with `--doc-size N`, after every N sentences. Ids: the file name without its extension, with
  `-1`, `-2` ... when the file holds more than one document.
* **Text** = the tokens joined by single spaces, sentences joined by single newlines; `meta.tokenization` is
  `"whitespace"`, which tells every token-based writer to split on exactly those characters again, so the tokens
  come back character for character.
* **UTF-8 BOM**: removed at the start of the file, and ignored before a `-DOCSTART-` (files concatenated with
  `cat`); a U+FEFF anywhere else is an ordinary character of its token.
* **CRLF**: a "\\r" before the "\\n" is removed; a "\\r" anywhere else in a line is rejected (`FILE:LINE`).
* **No final newline**: the last line is read like any other.
* **Direction marks** (U+200E, U+200F, U+061C) and every other invisible character inside a token are kept in the
  token (and the text) exactly; around a tag they are removed (`B-PER` + RLM reads as `B-PER`).
* **Space-like marks** inside a token (NBSP U+00A0, U+2009, U+202F, ZWSP ...) are kept: only tabs and U+0020
  separate columns. A token holding U+0020 (possible only in a tab-separated line) is rejected: it could not be
  told apart from two tokens in the rebuilt text.
* **Empty tokens** (an empty first column in a tab-separated line, or a space-separated line that begins with a
  space, like ANERcorp's ` O`) are kept as empty tokens when tagged `O` (the
  text then holds two spaces in a row, and the token comes back on export); tagged with an entity they are
  rejected: an entity cannot start, end or continue on nothing.
* **Tags** must be `O` or `B-`/`I-`/`E-`/`S-` (BILOU's `L-`/`U-` read as `E-`/`S-`) and a label; a clearly broken
  one (`OO`, `IO`, `I--ORG`, `` B-MIS1` ``: app.core.io.conll_tags) is read as the tag it was meant to be, with a
  note naming `FILE:LINE`, and written back as the file had it; anything else is rejected with `FILE:LINE`.
  In `.conllu` `_` reads as `O` and a MISC value `...|NER=B-PER|...` as `B-PER`.
* **An I- tag with no B-** (after `O`, after another label, or first in a sentence) opens an entity, which is also
  how IOB1 is read; the import summary counts these, and their offsets go to `meta.conll_i_starts` so the IOB2
  export writes them as `I-` again (tag for tag, whatever mix of IOB1 and IOB2 the file held). An `E-` with nothing open is a one-token entity.
* **Tags outside the label set** are added to the project's entity labels, listed in the import summary, unless
  `--strict-labels` is given, which rejects the first one with `FILE:LINE`. `--label-map PERS=PER` renames first.
* Lines of fewer than two columns, and a `--tag-column` that is the token column, are rejected with `FILE:LINE`.
  In `.conllu`, `#` comment lines and multi-word / empty-node lines (ids `1-2`, `1.1`) are skipped.

Writing: one `TOKEN<TAB>TAG` line per token (`TOKEN TAG` for a document read from a space-separated file:
`meta.conll_separator`), a blank line after every sentence, and before each document its own
`-DOCSTART-` line if it came with one, none if it came from a file without them, and `-DOCSTART-<TAB>O` for a
document that did not come from CoNLL (one text line is one sentence, tokens from app.core.text.tokenize). Quotes and
stances have no place in CoNLL and are counted in a warning.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from .atomic import atomic_write
from .conll_tags import RAW_TAGS_KEY, repair_tag, restore_raw_tags
from .interop import ExportOptions, ExportResult, map_record_labels
from .source import Record, SourceError, iter_lines, max_chars_of
from .tokens import (TOKENIZATION_KEY, WHITESPACE, TagError, decode_tags, document_sentences, encode_tags,
                     join_tokens, parse_tag, spans_to_token_spans)

DOCSTART = "-DOCSTART-"
DOCSTART_KEY = "conll_docstart"
SEPARATOR_KEY = "conll_separator"  # " " when the document's lines were space-separated: written back the same way
I_STARTS_KEY = "conll_i_starts"  # offsets of entities the file opened with I- (IOB1-style): written back as I-
SUFFIXES = (".conll", ".conllu", ".bio", ".iob", ".iob2", ".bioes")
# Invisible marks that do not make a line non-blank and are stripped around a tag.
_INVISIBLE = "\u200e\u200f\u061c\ufeff\u200b\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"
_DROP_INVISIBLE = {ord(c): None for c in _INVISIBLE}


def _is_blank(line: str) -> bool:
    return not line.translate(_DROP_INVISIBLE).strip()


def _columns(line: str) -> list[str]:
    if "\t" in line:
        cols = [c.strip(" ") for c in line.split("\t")]
    else:
        cols = [c for c in line.split(" ") if c]
        if line.startswith(" ") and cols:
            cols.insert(0, "")  # ` O`: the token column is empty (ANERcorp-style files hold such lines)
    while cols and cols[-1] == "":
        cols.pop()
    return cols


def _conllu_tag(value: str) -> str:
    if value == "_":
        return "O"
    if "=" in value:
        for part in value.split("|"):
            key, _, v = part.partition("=")
            if key in ("NER", "Entity", "ner"):
                return v
        return "O"
    return value


class _Doc:
    __slots__ = ("sentences", "start_line", "docstart", "tabs")

    def __init__(self, start_line: int, docstart: Optional[str]):
        self.sentences: list[list[tuple[str, tuple[str, Optional[str]], int, Optional[str]]]] = []
        self.start_line = start_line
        self.docstart = docstart
        self.tabs = False  # a token line of this document held a tab


def read_conll(path: str | Path, opts: Any = None) -> Iterator[Record]:
    """Records (one per document) of a CoNLL/BIO file; every rule is in the module docstring."""
    path = Path(path)
    tag_column: Optional[int] = getattr(opts, "tag_column", None)
    doc_size: Optional[int] = getattr(opts, "doc_size", None)
    conllu = path.suffix.lower() == ".conllu"
    token_index = 1 if conllu else 0
    if tag_column == 0:
        raise SourceError(path, None, "--tag-column counts from 1 (or from the end with -1, -2 ...)")
    tag_index = -1 if tag_column is None else (tag_column - 1 if tag_column > 0 else tag_column)
    blank = True
    docs: list[_Doc] = []
    doc = _Doc(1, None)
    sent: list[tuple[str, tuple[str, Optional[str]], int, Optional[str]]] = []
    parse = parse_tag
    cache: dict[str, tuple[str, Optional[str]]] = {}
    repairs: dict[str, str] = {}  # raw tag -> note text, for tags read as another (conll_tags)
    repaired_lines: list[str] = []

    def end_sentence() -> None:
        nonlocal sent, doc
        if sent:
            doc.sentences.append(sent)
            sent = []
            if doc_size and len(doc.sentences) >= doc_size:
                docs.append(doc)
                doc = _Doc(0, None)

    for n, line in iter_lines(path, max_chars_of(opts)):  # bounded lines: a huge one is refused unread
        if line.endswith("\n"):
            line = line[:-1]
        if blank and line.strip():
            blank = False
        if line.endswith("\r"):
            line = line[:-1]
        if "\r" in line:
            raise SourceError(path, n, "carriage return inside a line (old Mac line endings?); "
                                       "convert the file to LF or CRLF line endings")
        if _is_blank(line):
            end_sentence()
            continue
        if conllu and line.startswith("#"):
            continue
        cols = _columns(line)
        doc.tabs = doc.tabs or "\t" in line
        if cols and cols[0].lstrip(_INVISIBLE) == DOCSTART:  # a BOM before it: files concatenated
            end_sentence()
            if doc.sentences:
                docs.append(doc)
            doc = _Doc(n, line)
            continue
        if conllu and cols and ("-" in cols[0] or "." in cols[0]):
            continue  # multi-word token range or empty node
        if len(cols) < 2:
            raise SourceError(path, n, f"expected a token and a tag separated by a tab or spaces, "
                                       f"got {len(cols)} column(s): {line!r}")
        try:
            token, raw_tag = cols[token_index], cols[tag_index]
        except IndexError:
            raise SourceError(path, n, f"no column {tag_column} for the tag: the line has {len(cols)} column(s)")
        if (tag_index % len(cols)) == token_index:
            raise SourceError(path, n, f"--tag-column {tag_column} is the token column")
        if " " in token:
            raise SourceError(path, n, f"token {token!r} contains a space (U+0020); it could not be told apart "
                                       f"from two tokens (use a placeholder, or another space-like character)")
        tag = cache.get(raw_tag)
        if tag is None:
            clean = raw_tag.translate(_DROP_INVISIBLE).strip()
            if conllu:
                clean = _conllu_tag(clean)
            meant = repair_tag(clean)
            if meant is not None:
                repairs[raw_tag] = f"tag {clean!r} read as {meant[0]!r} ({meant[1]}; written back as it was)"
                clean = meant[0]
            try:
                tag = parse(clean)
            except TagError as exc:
                raise SourceError(path, n, str(exc)) from None
            cache[raw_tag] = tag
        raw = None
        if raw_tag in repairs:
            raw = raw_tag
            repaired_lines.append(f"{path}:{n}: {repairs[raw_tag]}")
        if token == "" and tag[0] != "O":
            raise SourceError(path, n, f"empty token tagged {raw_tag!r}: an entity cannot start, end or continue "
                                       f"on an empty token (tag it O, or remove the line)")
        if not doc.sentences and not sent and doc.start_line == 0:
            doc.start_line = n
        sent.append((token, tag, n, raw))
    end_sentence()
    if doc.sentences:
        docs.append(doc)
    if blank:
        raise SourceError(path, None, "empty file: no tokens")
    if not docs:
        raise SourceError(path, None, "no tokens found")
    built = [_record(path, d, k, len(docs)) for k, d in enumerate(docs, 1)]
    records = [r for r, _ in built]
    repaired = sum(n for _, n in built)
    empty = sum(1 for d in docs for s in d.sentences for t in s if t[0] == "")
    if repaired:
        records[-1].notes.append(f"{path}: {repaired} entity(ies) open with I- or E- and no B- before them "
                                 f"(IOB1, or a missing B-); read as the first token of an entity")
    if empty:
        records[-1].notes.append(f"{path}: {empty} empty token(s) tagged O kept as empty tokens")
    records[-1].notes.extend(repaired_lines)
    yield from records


def conllu_path(path: Path) -> bool:
    return path.suffix.lower() == ".conllu"


def _record(path: Path, doc: _Doc, k: int, n_docs: int) -> tuple[Record, int]:
    """The document's record, and how many of its entities opened with I- or E-."""
    text, all_starts = join_tokens([[t[0] for t in sent] for sent in doc.sentences])
    entities: list[dict] = []
    repaired = 0
    i_starts: list[int] = []
    raw_tags: list[list] = []
    for sent, starts in zip(doc.sentences, all_starts):
        raw_tags += [[starts[i], t[3]] for i, t in enumerate(sent) if t[3] is not None]
        spans, rep = decode_tags([t[1] for t in sent])
        repaired += len(rep)
        i_starts += [starts[i] for i in rep if sent[i][1][0] == "I"]
        for i, j, label in spans:
            entities.append({"start": starts[i], "end": starts[j - 1] + len(sent[j - 1][0]), "label": label,
                             "_line": sent[i][2]})
    if not text.strip():
        raise SourceError(path, doc.start_line, "a document whose tokens are all empty or white space")
    meta: dict[str, Any] = {"file": path.name, "line": doc.start_line, TOKENIZATION_KEY: WHITESPACE,
                            DOCSTART_KEY: doc.docstart}
    if not doc.tabs and not conllu_path(path):
        meta[SEPARATOR_KEY] = " "
    if i_starts:
        meta[I_STARTS_KEY] = i_starts
    if raw_tags:
        meta[RAW_TAGS_KEY] = raw_tags
    doc_id = path.stem if n_docs == 1 else f"{path.stem}-{k}"
    return Record(str(path), doc.start_line, text, doc_id, meta, None, "done",
                  {"entities": entities, "quotes": [], "stances": []}, format="conll"), repaired


def write_conll(records: Iterable[dict], out: str | Path, opts: Optional[ExportOptions] = None) -> ExportResult:
    """Write records as CoNLL (see the module docstring); problems that lose information become warnings."""
    opts = opts or ExportOptions()
    res = ExportResult(unit="sentence", files=[Path(out)])
    dropped_quotes = dropped_stances = 0
    with atomic_write(out) as f:
        buf: list[str] = []
        for rec in records:
            rec = map_record_labels(rec, opts.label_map)
            text, meta = rec["text"], rec.get("meta") or {}
            ents = rec.get("entities") or []
            dropped_quotes += len(rec.get("quotes") or [])
            dropped_stances += len(rec.get("stances") or [])
            sentences, tags, problems = document_tags(text, meta, ents, opts.scheme)
            own = DOCSTART_KEY in meta and meta.get(TOKENIZATION_KEY) == WHITESPACE  # read from CoNLL
            sep = meta.get(SEPARATOR_KEY) if own and meta.get(SEPARATOR_KEY) == " " else "\t"
            if own and opts.scheme == "iob2" and meta.get(I_STARTS_KEY):
                restore_i_starts(text, sentences, tags, meta[I_STARTS_KEY])
            if own and opts.scheme == "iob2" and meta.get(RAW_TAGS_KEY):
                restore_raw_tags(sentences, tags, meta[RAW_TAGS_KEY])
            where = f"{rec.get('id')} ({rec.get('annotator') or 'no annotator'})"
            res.warnings += [f"{where}: {p}" for p in problems]
            if own:
                if meta[DOCSTART_KEY]:
                    buf.append(f"{meta[DOCSTART_KEY]}\n\n")
            else:
                buf.append(f"{DOCSTART}\tO\n\n")
            for sent, stags in zip(sentences, tags):
                buf.append("".join(f"{text[s:e]}{sep}{t}\n" for (s, e), t in zip(sent, stags)))
                buf.append("\n")
                res.units += 1
            res.documents += 1
            if len(buf) > 2000:
                f.write("".join(buf).encode("utf-8"))
                buf.clear()
        f.write("".join(buf).encode("utf-8"))
    if dropped_quotes or dropped_stances:
        res.warnings.append(f"CoNLL holds entities only: {dropped_quotes} quote(s) and {dropped_stances} stance(s) "
                            f"were not written (prodigy, doccano, labelstudio and spacy keep them)")
    return res


def restore_i_starts(text: str, sentences: list[list[tuple[int, int]]], tags: list[list[str]],
                     i_starts: Any) -> None:
    """Write I- again where the file opened an entity with I- (kept in meta by the reader), so an IOB2 file with a
    few IOB1-style starts comes back tag for tag. Not where an I- would join the entity before it."""
    try:
        wanted = {int(x) for x in i_starts}
    except (TypeError, ValueError):
        return
    for sent, stags in zip(sentences, tags):
        for k, ((s, _e), tag) in enumerate(zip(sent, stags)):
            if tag.startswith("B-") and s in wanted and (k == 0 or stags[k - 1][2:] != tag[2:]):
                stags[k] = "I-" + tag[2:]


def document_tags(text: str, meta: dict, entities: list[dict], scheme: str
                  ) -> tuple[list[list[tuple[int, int]]], list[list[str]], list[str]]:
    """A document's sentences of tokens, their tags, and the problems met. Entities overlapping an earlier, longer
    one are dropped first (BIO cannot nest), so that their boundaries do not split the tokens of the others."""
    kept, problems, end = [], [], -1
    for e in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        if e["start"] < end:
            problems.append(f"entity {e.get('id', '?')} [{e['start']}, {e['end']}) {text[e['start']:e['end']]!r} "
                            f"overlaps another entity; not written (BIO tags cannot nest)")
            continue
        kept.append(e)
        end = e["end"]
    sentences = document_sentences(text, meta, [x for e in kept for x in (e["start"], e["end"])])
    tags, more = sentence_tags(text, sentences, kept, scheme)
    return sentences, tags, problems + more


def sentence_tags(text: str, sentences: list[list[tuple[int, int]]], entities: list[dict], scheme: str
                  ) -> tuple[list[list[str]], list[str]]:
    """Tags for each sentence's tokens from the record's entities, and the problems met (see tokens.py)."""
    flat = [t for s in sentences for t in s]
    spans, problems = spans_to_token_spans(
        flat, [(e["start"], e["end"], e["label"], f"entity {e.get('id', '?')}") for e in entities], text)
    # Entities must not cross a sentence break, and never touch an empty token: both would read back differently.
    bounds, k = [], 0
    for s in sentences:
        bounds.append((k, k + len(s)))
        k += len(s)
    sent_of = [si for si, (a, b) in enumerate(bounds) for _ in range(a, b)]
    fixed: list[tuple[int, int, str]] = []
    for i, j, label in spans:
        if sent_of[i] != sent_of[j - 1]:
            problems.append(f"an entity {label} at {text[flat[i][0]:flat[j - 1][1]]!r} crosses a line break: "
                            f"it reads back as one entity per line")
            for si in range(sent_of[i], sent_of[j - 1] + 1):
                a, b = bounds[si]
                fixed.append((max(a, i), min(b, j), label))
        else:
            fixed.append((i, j, label))
    tags = encode_tags(len(flat), [x for x in fixed if x[0] < x[1]], scheme)
    for idx, (s, e) in enumerate(flat):
        if s == e and tags[idx] != "O":
            problems.append(f"an entity covers an empty token at {s}; the token is written O")
            tags[idx] = "O"
    return [tags[a:b] for a, b in bounds], problems
