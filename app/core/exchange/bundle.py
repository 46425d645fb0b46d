"""Bundles: one annotator's work in one file, carried from their desktop to the reviewer's project and merged there.

Not a plain export, because a merge needs three things an export lacks: *which* text each set belongs to (the
sha256 of the text, since the same article can have different ids in two projects), *when* the set last changed
(newer wins; an older set is reported, never silently dropped) and proof that the file arrived whole (an end line
with a count and a checksum: a bundle cut short by a full disk or an interrupted copy is refused, not half-merged).

Format, UTF-8 JSON lines:
  line 1     {"format": "tawsim-bundle", "version": 1, "annotator", "created", "source_project", "documents": N,
              "public_key": the writing installation's Ed25519 public key, base64}
  lines 2..  one annotation set each, in the export schema (exporter.set_to_record) plus "hash" (sha256 of the
             text), "updated_at" (when the annotator last changed the set) and "comment"
  last line  {"end": true, "count": N, "sha256": hex digest of every byte before this line,
              "signature": Ed25519 signature of that digest (signing.py), base64}
  public_key and signature were added to version 1 (older readers ignore them); a bundle without them is
  "unsigned" and merges only when the reviewer allows it (merge.py). Times later than this computer's clock plus
  MAX_CLOCK_SKEW are refused: a far-future updated_at would win every later merge ("newer wins") forever.

Merge rules (merge_bundles, in merge.py): every bundle is checked completely before anything is written, then all are
applied in one transaction. A bundle only ever writes sets of its own annotator, so nobody else's work (nor gold) can
be overwritten. Per set: no set yet -> "new"; the same annotations -> "unchanged" (so merging twice changes nothing);
different and the bundle's updated_at is later -> "updated"; different and not later -> the project's set is kept and
a conflict is reported. Entity/quote/stance ids live inside one set, so two annotators both using e1 never clash. A
merged set keeps the bundle's updated_at, not the time of the merge.

Texts the project lacks refuse the whole merge (listed by id) unless add_missing: then they are imported as new
documents. If a missing text's id is already taken by a different text in the project, it is added as
"ID~HASH8" (the first 8 hex digits of its sha256) and the renaming is reported: ids are names, the hash decides
what a text is.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import orjson

from ..io.atomic import atomic_write
from ..io.jsontext import META_DEPTH, problem as json_problem, too_deep
from ..io.source import SourceError
from ..io.validate import RecordError, check_status, parse_annotations
from ..jsonbytes import dumps as dumps_sized
from ..model import ENTITY, EXPORT_SCHEMA_VERSION, GOLD, QUOTE_KIND, STANCE, Entity, Quote, Stance
from ..names import AnnotatorNameError, check_annotator_name
from ..store import Project, now, text_hash
from . import signing
from .exporter import set_to_record

FORMAT = "tawsim-bundle"
VERSION = 1
SUFFIX = ".tawsim-bundle.jsonl"  # suggested; any file name is accepted
MAX_SHOWN = 20  # problems / ids listed in one message before "... and N more"
NOTHING_MERGED = "nothing was merged; the project is unchanged"
MAX_CLOCK_SKEW = _dt.timedelta(minutes=5)  # two desktops' clocks may differ by this much; more is refused


def reserved_name(name: str) -> bool:
    """Names no bundle may carry: gold and its look-alikes (app.core.names), made by adjudication only."""
    try:
        check_annotator_name(name)
    except AnnotatorNameError:
        return True
    return False


class BundleError(SourceError):
    """Why a bundle was not written or a merge was refused (nothing was changed). `problems` holds every problem,
    each `FILE:LINE: problem` where a line is known; str() shows the first MAX_SHOWN, one a line."""

    def __init__(self, problems: Sequence[str], new_keys: Sequence[str] = (), unsigned: Sequence[str] = ()):
        self.problems = list(problems)
        # What a window may offer to allow on a second try (names whose key changed; paths of unsigned bundles).
        self.new_keys, self.unsigned = list(new_keys), list(unsigned)
        shown = self.problems[:MAX_SHOWN]
        more = len(self.problems) - len(shown)
        msg = "\n".join(shown) + (f"\n... and {more} more problem(s)" if more else "")
        ValueError.__init__(self, msg)
        self.path, self.line, self.problem = "", None, msg


# ---- writing ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BundleSummary:
    path: Path
    annotator: str
    sets: int  # annotation sets written (= documents: one set per document per annotator)
    sha256: str  # the checksum in the end line

    def lines(self) -> list[str]:
        return [f"wrote {self.sets} annotation set(s) by {self.annotator} to {self.path}"]


def write_bundle(project: Project, out: str | Path, annotator: str, key=None) -> BundleSummary:
    """Write every set of `annotator` to one bundle file, atomically: `out` is either the old file or the whole
    new one, signed with `key` (default: this installation's, signing.installation_key). Refuses gold
    (adjudication happens in the reviewer's project) and names the project does not know."""
    if reserved_name(annotator):
        raise BundleError([f"{annotator!r} is reserved: {GOLD!r} is the adjudicated set, not one annotator's work; "
                           f"bundles carry an annotator's own sets (export gold with `tawsim export --gold`)"])
    try:
        check_annotator_name(annotator)
    except AnnotatorNameError as exc:
        raise BundleError([str(exc)]) from exc
    known = project.annotators()
    if annotator not in known:
        raise BundleError([f"{project.path.name}: no annotator {annotator!r} "
                           f"(known: {', '.join(known) or 'none'})"])
    key = key or signing.installation_key()
    dumps = orjson.dumps
    digest = hashlib.sha256()
    n = 0
    # One read snapshot: the header's count and the sets written agree even if the window saves meanwhile; and
    # a read transaction, not a write one, so another process editing the project neither blocks nor is blocked.
    with project.snapshot():
        times = project.set_times(annotator)
        header = {"format": FORMAT, "version": VERSION, "annotator": annotator, "created": now(),
                  "source_project": project.path.name, "documents": len(times),
                  "public_key": signing.public_key_text(key)}
        with atomic_write(out) as f:
            def put(line: bytes) -> None:
                f.write(line)
                digest.update(line)

            put(dumps(header) + b"\n")
            for aset in project.iter_sets(annotator=annotator):
                rec = set_to_record(aset)
                rec["hash"] = aset.document.hash
                rec["updated_at"] = times[aset.document.key]
                rec["comment"] = aset.comment
                put(dumps_sized(rec, len(rec["text"]), newline=True))
                n += 1
            f.write(dumps({"end": True, "count": n, "sha256": digest.hexdigest(),
                           "signature": signing.sign(key, digest.hexdigest())}) + b"\n")
    return BundleSummary(Path(out), annotator, n, digest.hexdigest())


# ---- reading ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BundleSet:
    """One set as read (and checked) from a bundle; `line` is its line in the file, for messages."""

    line: int
    doc_id: str
    text: str
    meta: dict
    hash: str
    status: str
    comment: str
    updated_at: str
    entities: list[Entity]
    quotes: list[Quote]
    stances: list[Stance]

    def labels(self) -> set[tuple[str, str]]:
        """(kind, name) of every label the set uses."""
        return ({(ENTITY, e.label) for e in self.entities} | {(QUOTE_KIND, q.kind) for q in self.quotes}
                | {(STANCE, s.label) for s in self.stances})


@dataclass(frozen=True)
class Bundle:
    path: Path
    annotator: str
    created: str
    source_project: str
    sets: list[BundleSet]
    public_key: Optional[str] = None  # the verified signer's key; None for an unsigned bundle

    @property
    def signed(self) -> bool:
        return self.public_key is not None


def _json(raw: bytes) -> tuple[Optional[Any], str]:
    try:
        return orjson.loads(raw), ""
    except orjson.JSONDecodeError as exc:
        return None, json_problem(exc)


def _timestamp(value: Any) -> Optional[_dt.datetime]:
    """An ISO 8601 time, naive ones read as UTC (store.now() writes UTC); None if it is not one."""
    if not isinstance(value, str):
        return None
    try:
        t = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=_dt.timezone.utc)


def read_bundle(path: str | Path) -> Bundle:
    """Read and check one bundle completely: header, end line, count, checksum, and every set on its own (labels
    are checked against a project by merge_bundles). Raises BundleError listing every problem found."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BundleError([f"{path}: cannot read: {exc.strerror or exc}"]) from exc
    if not data.strip():
        raise BundleError([f"{path}: empty file, not a Tawsim bundle"])
    complete = data.endswith(b"\n")
    lines = data.split(b"\n")
    if complete:
        lines.pop()  # the empty piece after the final newline

    header, _ = _json(lines[0])
    if header is None and len(lines) == 1 and not complete and lines[0].startswith(b'{"format":"' + FORMAT.encode()):
        raise BundleError([f"{path}:1: the bundle is truncated (line 1 is cut short); it was not copied or written "
                           f"completely: ask for it again"])
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BundleError([f"{path}:1: not a Tawsim bundle (the first line should be "
                           f"{{\"format\": \"{FORMAT}\", ...}}; make one with `tawsim bundle`)"])
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise BundleError([f"{path}:1: bad bundle version {version!r}"])
    if version > VERSION:
        raise BundleError([f"{path}:1: bundle version {version} is newer than this Tawsim understands "
                           f"({VERSION}); please upgrade Tawsim"])
    annotator = header.get("annotator")
    if not isinstance(annotator, str) or not annotator.strip():
        raise BundleError([f"{path}:1: the bundle names no annotator"])
    if annotator == GOLD:
        raise BundleError([f"{path}:1: a bundle of {GOLD!r} sets; gold is made by adjudication in the reviewer's "
                           f"project, not merged"])
    try:
        check_annotator_name(annotator)  # nor a look-alike of gold, nor invisible or control characters
    except AnnotatorNameError as exc:
        raise BundleError([f"{path}:1: the bundle's {exc}"]) from exc

    last = len(lines)
    trailer, _ = _json(lines[-1]) if last > 1 else (None, "")
    if not (isinstance(trailer, dict) and trailer.get("end") is True):
        why = (f"line {last} is cut short" if not complete else f"there is no end line after line {last}")
        raise BundleError([f"{path}:{last}: the bundle is truncated ({why}); it was not copied or written "
                           f"completely: ask for it again"])
    body_end = len(data) - len(lines[-1]) - (1 if complete else 0)
    if hashlib.sha256(memoryview(data)[:body_end]).hexdigest() != trailer.get("sha256"):
        raise BundleError([f"{path}:{last}: checksum mismatch: the bundle was changed or damaged after it was "
                           f"written: ask for it again"])
    public_key, signature = header.get("public_key"), trailer.get("signature")
    if public_key is not None or signature is not None:
        if not (isinstance(public_key, str) and isinstance(signature, str)
                and signing.verify(public_key, signature, trailer["sha256"])):
            raise BundleError([f"{path}:{last}: the signature does not match: the bundle was changed after it was "
                               f"signed, or signed with another key than the one it names; nothing from it is "
                               f"merged"])
    records = lines[1:-1]
    problems = []
    latest = _dt.datetime.now(_dt.timezone.utc) + MAX_CLOCK_SKEW
    created = _timestamp(header.get("created"))
    if created is not None and created > latest:
        problems.append(f"{path}:1: created {header.get('created')} is in the future (this computer's clock says "
                        f"{_dt.datetime.now(_dt.timezone.utc).isoformat(timespec='seconds')}); check the clock of "
                        f"the computer that wrote it")
    if trailer.get("count") != len(records):
        problems.append(f"{path}:{last}: the end line counts {trailer.get('count')!r} set(s) but the bundle holds "
                        f"{len(records)}")
    if header.get("documents") != len(records):
        problems.append(f"{path}:1: the header counts {header.get('documents')!r} document(s) but the bundle holds "
                        f"{len(records)} set(s)")

    sets: list[BundleSet] = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(records, 2):
        obj, err = _json(raw)
        if obj is None or not isinstance(obj, dict):
            problems.append(f"{path}:{n}: {err or 'expected a JSON object'}")
            continue
        try:
            s = _parse_set(obj, n, annotator)
        except RecordError as exc:
            problems.append(f"{path}:{n}: {exc}")
            continue
        if _timestamp(s.updated_at) > latest:
            problems.append(f"{path}:{n}: updated_at {s.updated_at} is in the future (more than "
                            f"{int(MAX_CLOCK_SKEW.total_seconds() // 60)} minutes ahead of this computer's clock): a "
                            f"future time would win every later merge; check the clock of the computer that wrote it")
            continue
        if s.hash in seen:
            problems.append(f"{path}:{n}: a second set for the text of line {seen[s.hash]} (document {s.doc_id!r})")
            continue
        seen[s.hash] = n
        sets.append(s)
    if problems:
        raise BundleError(problems)
    return Bundle(path, annotator, str(header.get("created") or ""), str(header.get("source_project") or ""), sets,
                  public_key if isinstance(public_key, str) else None)


def _parse_set(obj: dict, line: int, annotator: str) -> BundleSet:
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise RecordError('missing "text" (a non-empty string)')
    h = obj.get("hash")
    if not isinstance(h, str):
        raise RecordError('missing "hash" (the sha256 of the text)')
    if text_hash(text) != h:
        raise RecordError('"hash" does not match the text (the text was changed after the bundle was written)')
    doc_id = obj.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise RecordError(f'"id" must be a non-empty string, got {doc_id!r}')
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict) or too_deep(meta):
        raise RecordError(f'"meta" must be an object nested at most {META_DEPTH} levels deep')
    if obj.get("annotator") != annotator:
        raise RecordError(f"annotator {obj.get('annotator')!r} differs from the bundle's annotator {annotator!r} "
                          f"(line 1)")
    version = obj.get("schema_version", EXPORT_SCHEMA_VERSION)
    if version != EXPORT_SCHEMA_VERSION:
        raise RecordError(f"schema_version {version!r} is not supported (this Tawsim writes "
                          f"{EXPORT_SCHEMA_VERSION})")
    comment = obj.get("comment") or ""
    if not isinstance(comment, str):
        raise RecordError('"comment" must be a string')
    updated_at = obj.get("updated_at")
    if _timestamp(updated_at) is None:
        raise RecordError(f'"updated_at" must be an ISO 8601 time, got {updated_at!r}')
    status = check_status(obj)
    entities, quotes, stances = parse_annotations(obj, text)  # labels: checked against the project on merge
    return BundleSet(line, doc_id, text, meta, h, status, comment, updated_at, entities, quotes, stances)
