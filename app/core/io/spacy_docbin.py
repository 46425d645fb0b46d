"""spaCy v3 DocBin (`.spacy`), for `spacy train`. Needs the optional extra: `pip install -e .[spacy]`.

Writing: each annotation set becomes one Doc whose text is the document's text exactly (tokens from
app.core.io.tokens, split at every span boundary; white space other than one trailing space becomes whitespace
tokens, as spaCy does). Every span is placed with `doc.char_span(start, end, label, alignment_mode="strict")`;
a span that does not align (white space at its edge) is reported and left out. Entities go to `doc.ents` (an
entity overlapping an earlier, longer one is reported and kept out of `doc.ents` only) and, with quotes (`QUOTE`)
and cues (`CUE`), to the span group `doc.spans["tawsim"]`; speaker and cue links to `doc.user_data["tawsim"]
["relations"]` as [head start, head end, head label, child start, child end, child label, relation].
`doc.cats` holds only the project's stance labels, a closed set (1.0 when the set has a stance of that label, else
0.0), what `textcat_multilabel` trains on; the full document labels of interop.py (stance targets and scopes, quote
kinds and typed speakers) go to `doc.user_data["tawsim"]["choices"]`, with id, annotator, status and meta.

Training without losing an entity: `spacy train` re-tokenizes every Doc with the pipeline's tokenizer unless the
corpus is read with `gold_preproc = true`; Tawsim's tokens (split at every entity boundary, Arabic clitics ...)
then differ from spaCy's Arabic ones and entities fall off. So beside OUT.spacy the export writes OUT-stem.cfg, a
config made by spaCy's own `init config` (lang ar, ner + textcat_multilabel when there are stances) with
`gold_preproc = true` for train and dev: `python -m spacy train OUT.cfg --paths.train OUT-train.spacy --paths.dev
OUT-dev.spacy` keeps the tokens, and `spacy debug data` reports 0 misaligned tokens.

Reading takes the spans from `doc.spans["tawsim"]` when present, else `doc.ents`; the relations from the user
data; document labels from the user data's `choices`, or (a DocBin from elsewhere) from `doc.cats` scored 0.5 or
more. FILE:N in messages counts Docs from 1.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

from ..model import STATUSES
from .atomic import atomic_write
from .interop import (ExportOptions, ExportResult, FormatError, FRel, FSpan, map_record_labels, record_to_spans,
                      spans_to_raw)
from .source import Record, SourceError
from .tokens import document_sentences

INSTALL_HINT = "install the spacy extra: pip install -e .[spacy]"
GROUP = "tawsim"


def _spacy(path: Path):
    try:
        from spacy.tokens import Doc, DocBin  # noqa: F401
        from spacy.vocab import Vocab
    except ImportError:
        raise FormatError(path, None, INSTALL_HINT) from None
    return Doc, DocBin, Vocab


def words_and_spaces(text: str, tokens: Iterable[tuple[int, int]]) -> tuple[list[str], list[bool]]:
    """spaCy's (words, spaces) for `text` so that Doc(vocab, words, spaces).text == text exactly."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0

    def gap(upto: int) -> None:
        g = text[pos:upto]
        if not g:
            return
        if words and g[0] == " " and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            g = g[1:]
        if g:
            words.append(g)
            spaces.append(False)

    for s, e in tokens:
        if s == e:
            continue  # an empty token of a pre-tokenized document: nothing spaCy can hold
        gap(s)
        words.append(text[s:e])
        spaces.append(False)
        pos = e
    gap(len(text))
    return words, spaces


def write_docbin(records: Iterable[dict], out: str | Path, opts: Optional[ExportOptions] = None) -> ExportResult:
    out = Path(out)
    Doc, DocBin, Vocab = _spacy(out)
    opts = opts or ExportOptions()
    vocab = Vocab()
    db = DocBin(store_user_data=True)
    res = ExportResult(unit="doc", files=[out])
    any_stance = False
    for rec in records:
        rec = map_record_labels(rec, opts.label_map)
        text, meta = rec["text"], rec.get("meta") or {}
        where = f"{rec.get('id')} ({rec.get('annotator') or 'no annotator'})"
        spans, rels, choices = record_to_spans(rec)
        toks = [t for s in document_sentences(text, meta, [x for sp in spans for x in (sp.start, sp.end)]) for t in s]
        words, spaces = words_and_spaces(text, toks)
        doc = Doc(vocab, words=words, spaces=spaces)
        if doc.text != text:  # pragma: no cover - words_and_spaces guarantees it
            raise FormatError(out, None, f"{where}: the spaCy Doc does not reproduce the text")
        placed: dict[str, Any] = {}
        for sp in spans:
            span = doc.char_span(sp.start, sp.end, label=sp.label, alignment_mode="strict")
            if span is None:
                res.warnings.append(f"{where}: span {sp.key} [{sp.start}, {sp.end}) {text[sp.start:sp.end]!r} does "
                                    f"not align with spaCy tokens (white space at its edge?); not written")
                continue
            placed[sp.key] = span
        ents, taken = [], set()
        for sp in sorted((s for s in spans if s.key in placed and s.label not in ("QUOTE", "CUE")),
                         key=lambda s: (s.start, -(s.end - s.start))):
            span = placed[sp.key]
            if any(i in taken for i in range(span.start, span.end)):
                res.warnings.append(f"{where}: entity {sp.key} overlaps another entity; kept in doc.spans"
                                    f"[{GROUP!r}] only (doc.ents cannot overlap)")
                continue
            taken.update(range(span.start, span.end))
            ents.append(span)
        doc.ents = sorted(ents, key=lambda s: s.start)
        doc.spans[GROUP] = [placed[sp.key] for sp in spans if sp.key in placed]
        held = {st.get("label") for st in rec.get("stances") or []}
        doc.cats = {lab: 1.0 if lab in held else 0.0 for lab in dict.fromkeys([*opts.stance_labels, *sorted(
            x for x in held if isinstance(x, str))])}
        any_stance = any_stance or bool(held)
        by_key = {sp.key: sp for sp in spans}
        doc.user_data[GROUP] = {
            "id": rec.get("id"), "annotator": rec.get("annotator"), "status": rec.get("status"), "meta": meta,
            "choices": choices,
            "relations": [[by_key[r.head].start, by_key[r.head].end, by_key[r.head].label, by_key[r.child].start,
                           by_key[r.child].end, by_key[r.child].label, r.label]
                          for r in rels if r.head in placed and r.child in placed],
        }
        db.add(doc)
        res.documents += 1
        res.units += 1
    with atomic_write(out) as f:
        f.write(db.to_bytes())
    cfg = training_config(out, any_stance or bool(opts.stance_labels))
    if isinstance(cfg, Path):
        res.files.append(cfg)
    else:
        res.warnings.append(cfg)
    return res


def config_path(out: Path) -> Path:
    """OUT.spacy -> OUT.cfg; a split's OUT-train.spacy -> OUT.cfg, one config for its three parts."""
    stem = out.stem
    for part in ("-train", "-dev", "-test"):
        if stem.endswith(part):
            stem = stem[: -len(part)]
    return out.with_name(stem + ".cfg")


def training_config(out: Path, textcat: bool) -> "Path | str":
    """Write the training config made by spaCy's own `init config` with gold_preproc on (see the module
    docstring); its path, or a warning when spaCy could not make one."""
    try:
        from spacy.cli.init_config import init_config
        config = init_config(lang="ar", pipeline=["ner", "textcat_multilabel"] if textcat else ["ner"],
                             optimize="efficiency", gpu=False, silent=True)
    except Exception as exc:  # noqa: BLE001 - spaCy's template machinery; the DocBin is written regardless
        return f"no training config written ({exc}); set gold_preproc = true in [corpora.train] and [corpora.dev]"
    path = config_path(out)
    for part in ("train", "dev"):
        config["corpora"][part]["gold_preproc"] = True
    with atomic_write(path) as f:
        f.write(config.to_str().encode("utf-8"))
    return path


def read_docbin(path: str | Path, opts: Any = None) -> Iterator[Record]:
    path = Path(path)
    Doc, DocBin, Vocab = _spacy(path)
    try:
        db = DocBin().from_bytes(path.read_bytes())
    except Exception as exc:  # spaCy raises several kinds on a damaged or foreign file
        raise SourceError(path, None, f"not a spaCy DocBin: {exc}") from None
    for n, doc in enumerate(db.get_docs(Vocab()), 1):
        text = doc.text
        if not text.strip():
            raise SourceError(path, n, "empty Doc")
        ud = doc.user_data.get(GROUP) if isinstance(doc.user_data.get(GROUP), dict) else {}
        source = doc.spans[GROUP] if GROUP in doc.spans else doc.ents
        spans = [FSpan(f"s{k}", sp.start_char, sp.end_char, sp.label_) for k, sp in enumerate(source, 1)]
        by_offsets = {(sp.start, sp.end, sp.label): sp.key for sp in spans}
        rels = []
        for r in ud.get("relations") or []:
            try:
                hs, he, hl, cs, ce, cl, lab = r
                rels.append(FRel(by_offsets[(hs, he, hl)], by_offsets[(cs, ce, cl)], lab))
            except (KeyError, ValueError, TypeError):
                raise SourceError(path, n, f"relation {r!r} does not link two spans of the Doc") from None
        kept = ud.get("choices")
        choices = [str(c) for c in kept] if isinstance(kept, (list, tuple)) else [c for c, v in doc.cats.items() if v >= 0.5]
        try:
            raw, notes = spans_to_raw(text, spans, rels, choices)
        except ValueError as exc:
            raise SourceError(path, n, str(exc)) from None
        meta = ud.get("meta") if isinstance(ud.get("meta"), dict) else {}
        doc_id = ud.get("id") if isinstance(ud.get("id"), str) and ud.get("id") else None
        annotator = ud.get("annotator") if isinstance(ud.get("annotator"), str) and ud.get("annotator") else None
        status = ud.get("status") if ud.get("status") in STATUSES else ("done" if spans else None)
        yield Record(str(path), n, text, doc_id, meta, annotator, status, raw, format="spacy",
                     notes=[f"{path}:{n}: {x}" for x in notes])
