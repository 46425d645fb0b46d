"""`tawsim` headless commands for pipelines: init, import, export, validate, stats (and more, see COMMANDS).
Every PROJECT argument is a project file or a PostgreSQL URL (server commands: cli_server.py).

The command names, flags and JSONL fields are a public contract that users' scripts depend on: add, never rename.
Exit codes: 0 success, 1 the input or project has a problem (message on stderr), 2 usage error.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from typing import Optional, Sequence

from . import cli_server
from .core.exchange.exporter import (SplitError, export_format, export_format_split, export_jsonl, export_split,
                                     parse_ratios)
from .core.exchange.importer import DEFAULT_MAX_CHARS, ImportOptions, import_sources
from .core.io import formats
from .core.io.jsonl import iter_jsonl
from .core.io.source import SourceError
from .core.io.labelfile import LabelFileError, read_label_file
from .core.labels import DEFAULT_LABELS
from .core.model import GOLD, STATUSES, AnnotationError
from .core.store import Project, ProjectError, describe_failure
from .core.store.location import location
from .core.io.validate import RecordError, parse_annotations, schema_problems
from . import cli_learn
from . import cli_team
from .terminal import terminal_output

COMMANDS = ("init", "import", "export", "validate", "stats", "agreement", "bundle", "merge", "server", "copy",
            "suggest",
            "train", "predict", "assign", "progress")


class ProgressBar:
    """A one-line progress bar on stderr, drawn at most 10 times a second, only where someone can see it."""

    def __init__(self, label: str, stream=sys.stderr, force: bool = False):
        self.label, self.stream = label, stream
        self.enabled = force or getattr(stream, "isatty", lambda: False)()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        frac = done / total if total else 1.0
        bar = "#" * int(frac * 30)
        self.stream.write(f"\r{self.label} [{bar:<30}] {frac:6.1%}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tawsim", description="Annotate Arabic news: entities, quotes, stance.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("init", help="create a project file")
    s.add_argument("project")
    s.add_argument("--labels", help="label file: JSON list of {name, kind, display, color, key}, or one name a line")

    s = sub.add_parser("import", help="import .txt folders/files, .jsonl and .csv into a project")
    s.add_argument("project")
    s.add_argument("sources", nargs="+", metavar="SOURCE")
    s.add_argument("--annotator", help="store the annotations in the files under this name")
    s.add_argument("--text-column", default="text", help="CSV column holding the article (default: text)")
    s.add_argument("--id-column", default="id", help="CSV column holding the document id (default: id)")
    s.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"refuse longer articles (default: {DEFAULT_MAX_CHARS:,})")
    s.add_argument("--replace", action="store_true", help="overwrite an annotator's existing, different set")
    s.add_argument("--gold", action="store_true", help="accept sets by the reserved annotator \"gold\" (an "
                   "export of adjudicated sets moved on purpose; refused otherwise: adjudication makes gold)")
    s.add_argument("--format", choices=formats.IMPORT_FORMATS,
                   help="read every SOURCE as this format (default: by extension; .conll/.conllu/.bio/.iob are "
                        "CoNLL, .json Label Studio, .spacy spaCy; prodigy, doccano and hf .jsonl need --format)")
    s.add_argument("--tag-column", type=_nonzero_int, metavar="N",
                   help="CoNLL: the column holding the tag, from 1 (negative: from the end; default: the last)")
    s.add_argument("--doc-size", type=_positive_int, metavar="N",
                   help="CoNLL / hf: start a new document every N sentences (besides -DOCSTART- and files)")
    s.add_argument("--label-map", type=_label_map, default={}, metavar="FROM=TO,...",
                   help="rename labels on the way in, e.g. PERS=PER,MIS=MISC")
    s.add_argument("--strict-labels", action="store_true",
                   help="refuse labels the project lacks instead of adding them (CoNLL, prodigy, doccano ...)")

    s = sub.add_parser("export", help="export annotation sets as JSONL")
    s.add_argument("project")
    s.add_argument("out")
    who = s.add_mutually_exclusive_group()
    who.add_argument("--annotator", help="only this annotator's sets (gold: the adjudicated sets, as --gold)")
    who.add_argument("--gold", action="store_true", help="only the adjudicated gold sets that are done")
    s.add_argument("--include-unfinished", action="store_true",
                   help="with --gold: also gold still being adjudicated (status todo: disagreements left open)")
    s.add_argument("--status", choices=STATUSES, help="only sets with this status")
    s.add_argument("--split", type=_split_ratios, metavar="TRAIN/DEV/TEST",
                   help="write OUT-train/-dev/-test.jsonl split by document, e.g. 80/10/10 (or 90/10: train/test); "
                        "with --format, OUT-train/-dev/-test with OUT's suffix")
    s.add_argument("--seed", type=int, default=0, help="seed of the --split (default: 0)")
    s.add_argument("--format", choices=formats.EXPORT_FORMATS, default="jsonl",
                   help="jsonl (default), conll, prodigy, doccano, labelstudio, hf (+ OUT-stem.labels.json), spacy")
    s.add_argument("--scheme", choices=("iob2", "bioes"), default="iob2",
                   help="conll / hf tag scheme (default: iob2)")
    s.add_argument("--label-map", type=_label_map, default={}, metavar="FROM=TO,...",
                   help="rename labels on the way out, e.g. PER=PERS")

    s = sub.add_parser("bundle", help="write one annotator's sets to a bundle file for another desktop")
    s.add_argument("project")
    s.add_argument("out", help="the bundle file (e.g. NAME.tawsim-bundle.jsonl)")
    s.add_argument("--annotator", required=True, help="whose sets to bundle")

    s = sub.add_parser("merge", help="merge annotators' bundle files into a project (the reviewer's)")
    s.add_argument("project")
    s.add_argument("bundles", nargs="+", metavar="BUNDLE")
    s.add_argument("--add-missing", action="store_true",
                   help="import texts the project lacks as new documents (default: refuse the merge)")
    s.add_argument("--accept-new-key", action="append", default=[], metavar="NAME",
                   help="accept NAME's bundle signed with another key than the one pinned at the first merge "
                        "(NAME has a new installation); repeatable")
    s.add_argument("--allow-unsigned", action="store_true",
                   help="merge bundles without a signature (older Tawsim) for names with no pinned key")

    s = sub.add_parser("suggest", help="write every article's suggestions (as the window shows them) as JSONL")
    s.add_argument("project")
    s.add_argument("out")
    s.add_argument("--annotator", help="suggest for this annotator, given their current annotations (default: none)")
    s.add_argument("--kinds", type=_kinds, default=None, metavar="quotes,entities",
                   help="which suggestions to write (default: quotes,entities)")

    s = sub.add_parser("validate", help="check a JSONL file against the schema and the offset invariant")
    s.add_argument("file")

    s = sub.add_parser("stats", help="documents, annotators, labels and status counts")
    s.add_argument("project")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    s = sub.add_parser("agreement", help="inter-annotator agreement: entity F1 per pair, kappa/alpha on stance "
                                         "and quote speakers, worst documents")
    s.add_argument("project")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.add_argument("--worst", type=int, metavar="N", help="list the N least-agreed documents "
                   "(default: 10; with --json every document unless given)")
    s.add_argument("--status", choices=STATUSES, action="append",
                   help="only compare sets with this status (repeatable; default: every set)")
    s.add_argument("--with-models", action="store_true",
                   help="also compare machine annotators' sets (a model's predictions; left out by default)")
    cli_learn.add_parsers(sub)
    cli_server.add_server_commands(sub)
    cli_team.add_parsers(sub)
    return p


def _err(msg: str) -> int:
    print(f"tawsim: {msg}", file=sys.stderr)
    return 1


def cmd_init(a) -> int:
    labels = read_label_file(a.labels) if a.labels else DEFAULT_LABELS
    Project.create(a.project, labels).close()
    print(f"created {location(a.project)}")
    return 0


def cmd_import(a) -> int:
    opts = ImportOptions(annotator=a.annotator, text_column=a.text_column, id_column=a.id_column,
                         max_chars=a.max_chars, replace=a.replace, format=a.format, tag_column=a.tag_column,
                         doc_size=a.doc_size, label_map=a.label_map, strict_labels=a.strict_labels,
                         gold=a.gold)
    with Project.open(a.project) as project:
        summary = import_sources(project, a.sources, opts, ProgressBar("importing"))
    for line in summary.lines():
        print(line)
    return 0


def cmd_export(a) -> int:
    if a.annotator == GOLD:  # the adjudicated sets: the same as --gold (and the same done-only rule)
        a.annotator, a.gold = None, True
    if a.include_unfinished and not a.gold:
        return _err("--include-unfinished goes with --gold")
    if a.gold and not a.include_unfinished:  # gold in progress must never ship as final
        if a.status not in (None, "done"):
            return _err(f"--gold exports done gold only; add --include-unfinished to export gold with status "
                        f"{a.status}")
        a.status = "done"
    with Project.open(a.project) as project:
        if a.annotator and a.annotator not in project.annotators():
            return _err(f"{project.path}: no annotator {a.annotator!r} "
                        f"(known: {', '.join(project.annotators()) or 'none'})")
        for w in formats.suffix_warnings(a.format, a.out):
            print(f"tawsim: warning: {w}", file=sys.stderr)
        if a.format != "jsonl" or a.label_map:
            opts = formats.ExportOptions(a.scheme, a.label_map)
            if a.split is not None:
                results = [r for _, r in export_format_split(project, a.format, a.out, a.split, a.seed,
                                                             annotator=a.annotator, gold=a.gold, status=a.status,
                                                             options=opts)]
            else:
                results = [export_format(project, a.format, a.out, annotator=a.annotator, gold=a.gold,
                                         status=a.status, options=opts, progress=ProgressBar("exporting"))]
            warnings = [w for r in results for w in r.warnings]
            for result in results:
                for line in result.lines():
                    print(line)
            for w in warnings[:50]:
                print(f"tawsim: warning: {w}", file=sys.stderr)
            if len(warnings) > 50:
                print(f"tawsim: warning: ... and {len(warnings) - 50} more", file=sys.stderr)
            return 0
        if a.split is not None:
            split = export_split(project, a.out, a.split, seed=a.seed, annotator=a.annotator, gold=a.gold,
                                 status=a.status, progress=ProgressBar("exporting"))
            for line in split.lines():
                print(line)
            return 0
        n = export_jsonl(project, a.out, annotator=a.annotator, gold=a.gold, status=a.status,
                         progress=ProgressBar("exporting"))
    print(f"wrote {n} line(s) to {a.out}")
    return 0


def validate_file(path: str) -> list[str]:
    """Every problem in a JSONL export file, as `FILE:LINE: problem`."""
    problems: list[str] = []
    try:
        for n, obj in iter_jsonl(path):
            problems += [f"{path}:{n}: {m}" for m in schema_problems(obj)]
            text = obj.get("text")
            if isinstance(text, str):
                try:
                    parse_annotations(obj, text)
                except RecordError as exc:
                    problems.append(f"{path}:{n}: {exc}")
    except SourceError as exc:
        problems.append(str(exc))
    return problems


def cmd_validate(a) -> int:
    problems = validate_file(a.file)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{a.file}: OK")
    return 0


def cmd_stats(a) -> int:
    with Project.open(a.project) as project:
        st = project.stats()
    if a.json:
        print(json.dumps(st, ensure_ascii=False, indent=2))
        return 0
    print(f"documents: {st['documents']} ({st['characters']:,} characters; "
          f"{st['documents_without_annotations']} without annotations)")
    print(f"annotators: {', '.join(st['annotators']) or '-'}")
    print(f"annotation sets: {st['annotation_sets']}")
    print("status: " + (", ".join(f"{k} {v}" for k, v in st["status"].items()) or "-"))
    print("entities per label:")
    for k, v in st["entities_per_label"].items():
        print(f"  {k:<10} {v}")
    print(f"quotes: {st['quotes']} (" + ", ".join(f"{k} {v}" for k, v in st["quotes_per_kind"].items()) + ")")
    print("stances: " + (", ".join(f"{k} {v}" for k, v in st["stances_per_label"].items()) or "-"))
    return 0


def cmd_agreement(a) -> int:
    from .core.review.agreement import format_report, project_agreement  # numpy loads only for this command

    if a.worst is not None and a.worst < 0:
        return _err("--worst must be 0 or more")
    with Project.open(a.project) as project:
        report = project_agreement(project, a.status, a.with_models)
    if a.json:
        print(json.dumps(report.to_dict(a.worst), ensure_ascii=False, indent=2))
    else:
        print(format_report(report, 10 if a.worst is None else a.worst))
    return 0


def _split_ratios(spec: str):
    try:
        return parse_ratios(spec)
    except SplitError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _kinds(spec: str) -> tuple[str, ...]:
    from .core.exchange.suggestions import KINDS

    kinds = tuple(k.strip() for k in spec.split(",") if k.strip())
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise argparse.ArgumentTypeError(f"expected a comma-separated list of {', '.join(KINDS)}, got {spec!r}")
    return kinds


def cmd_suggest(a) -> int:
    # Here, not at the top: the suggestion rules, bundle signing (cryptography) and the recogniser (crfsuite) cost
    # every other command a fifth of a second at start-up.
    from .core.assist.learning import proposed_cues
    from .core.exchange.suggestions import KINDS, write_suggestions

    with Project.open(a.project) as project:
        n = write_suggestions(project, a.out, a.annotator, a.kinds or KINDS, ProgressBar("suggesting"))
        cues = proposed_cues(project)
    print(f"wrote {n} line(s) to {a.out}")
    if cues:  # cue words of accepted quotes that resources/arabic/reporting.json does not know yet
        print("cues used in quotes but not in the reporting lexicon: "
              + ", ".join(f"{c} ({k})" for c, k in cues[:20]))
    return 0


def _label_map(spec: str) -> dict:
    try:
        return formats.parse_label_map(spec)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive_int(v: str) -> int:
    if not v.lstrip("-").isdigit() or int(v) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {v!r}")
    return int(v)


def _nonzero_int(v: str) -> int:
    if not v.lstrip("-").isdigit() or int(v) == 0:
        raise argparse.ArgumentTypeError(f"expected a column number from 1 (or -1 for the last), got {v!r}")
    return int(v)


def cmd_bundle(a) -> int:
    from .core.exchange.bundle import write_bundle

    with Project.open(a.project) as project:
        summary = write_bundle(project, a.out, a.annotator)
    for line in summary.lines():
        print(line)
    return 0


def cmd_merge(a) -> int:
    from .core.exchange.merge import merge_bundles

    with Project.open(a.project) as project:
        summary = merge_bundles(project, a.bundles, add_missing=a.add_missing, allow_unsigned=a.allow_unsigned,
                                accept_new_key=a.accept_new_key)
    for line in summary.lines():
        print(line)
    return 0


HANDLERS = {"init": cmd_init, "import": cmd_import, "export": cmd_export, "validate": cmd_validate,
            "stats": cmd_stats, "agreement": cmd_agreement, "bundle": cmd_bundle, "merge": cmd_merge,
            "suggest": cmd_suggest, "train": cli_learn.cmd_train, "predict": cli_learn.cmd_predict,
            **cli_server.HANDLERS, **cli_team.HANDLERS}


def main(argv: Optional[Sequence[str]] = None) -> int:
    with terminal_output():  # data printed (names, ids, paths from files) cannot drive the terminal
        return _run(argv)


def _run(argv: Optional[Sequence[str]]) -> int:
    args = build_parser().parse_args(argv)
    try:
        return HANDLERS[args.command](args)
    except (SourceError, ProjectError, LabelFileError, AnnotationError) as exc:
        return _err(str(exc))
    except (sqlite3.Error, OSError) as exc:  # a locked project, a full disk, an export folder that cannot be written
        return _err(describe_failure(exc, getattr(args, "project", None) if isinstance(exc, sqlite3.Error) else None))
    except KeyboardInterrupt:
        return _err("interrupted; nothing was written")
