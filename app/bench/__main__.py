"""`python -m app.bench core|ui|agreement|assist|conll|crash|badinput|team|learn [OPTIONS]`: one subcommand per
benchmark module.

Benchmarks, not timed tests: timings depend on the machine, so nothing here fails a build. `python -m app.bench`
alone runs `core`. A new benchmark is a module of this package with `add_arguments(parser)` and `run(args)`,
registered in SUBCOMMANDS; its synthetic data comes from corpus.py. The window benchmark (ui) and the assistance
benchmark are imported only when chosen, so the others never load Qt.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Optional, Sequence

# name -> (module, help, name of its add-arguments function, name of its run function)
SUBCOMMANDS: dict[str, tuple[str, str, str, str]] = {
    "core": ("core", "import / export (fresh, and after editing every set) / stats at scale against bare sqlite3 + "
             "json and orjson yardsticks", "add_core_arguments", "run_core"),
    "agreement": ("agreement", "agreement report over N doubly-annotated documents (target <= 2 s at 10,000)",
                  "add_arguments", "run"),
    "conll": ("conll", "CoNLL import and export of a 150,000-token corpus (target <= 3 s each), byte-identical "
              "round trip", "add_conll_arguments", "run_conll"),
    "assist": ("assist", "quote suggestions on a 5,000-char article; corpus-wide tag-all over 100k articles",
               "add_arguments", "run"),
    "badinput": ("badinput", "hostile and malformed files through every importer of the real CLI: tried / clean / "
                 "traceback / wrongly accepted / project changed", "add_arguments", "run"),
    "team": ("team", "N concurrent annotators on a PostgreSQL project (--url URL): commit latency, lost and "
             "interleaved edits; then opening a 1,000,000-document server project", "add_arguments", "run"),
    "crash": ("crash", "SIGKILL an editing process at random moments and check the project against its journal "
              "(--trials N)", "add_arguments", "run"),
    "learn": ("learn", "entity recogniser on AQMAR: F1 on the last fifth of sentences, training time on 120,000 "
              "tokens (target <= 60 s), tagging a 5,000-char article (target <= 20 ms), model size",
              "add_arguments", "run_cli"),
    "ui": ("ui", "open a 100k-document project, switch to a 5,000-char/200-span article, scroll the list",
           "add_arguments", "run_cli"),
}


def _attr(module: str, name: str):
    """The function `name` of benchmark module `module`, imported on first use."""
    return getattr(importlib.import_module(f"{__package__}.{module}"), name)


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """Subcommands' own arguments are added only for the one chosen (`argv[0]`), so `core` never imports ui.py."""
    p = argparse.ArgumentParser(prog="python -m app.bench", description="Tawsim benchmarks (not timed tests).")
    sub = p.add_subparsers(dest="bench", metavar="BENCH")
    chosen = argv[0] if argv else None
    for name, (module, help_, add_args, run) in SUBCOMMANDS.items():
        s = sub.add_parser(name, help=help_)
        if name == chosen:
            _attr(module, add_args)(s)
            s.set_defaults(run=_attr(module, run))
    if chosen == "_phase":  # internal: one measured phase of `core` in a fresh process
        core = importlib.import_module(f"{__package__}.core")
        w = sub.add_parser("_phase")
        w.add_argument("name", choices=list(core.PHASES))
        w.add_argument("--dir", required=True)
        w.add_argument("--profile", action="store_true")
        w.set_defaults(run=core.run_phase_worker)
    return p


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["core"] + argv  # `python -m app.bench` alone runs the core benchmark
    args = build_parser(argv).parse_args(argv)
    if not hasattr(args, "run"):
        build_parser(argv).print_help()
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
