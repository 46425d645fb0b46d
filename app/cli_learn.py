"""`tawsim train` and `tawsim predict`: the entity recogniser from the command line (app.core.learn).

Kept beside cli.py (which registers them) so the learning commands stay one module: training prints where its
held-out score comes from (the document-level split) and the score per label, stores the model in the project (and
in --out), and says how many more documents are needed when there are too few; predict writes a machine annotator's
sets from the project's model or a model file. Like cli.py, never imports Qt.
"""
from __future__ import annotations

import sys

from .core.model import STATUSES
from .core.store import Project


def add_parsers(sub) -> None:
    s = sub.add_parser("train", help="train an entity recogniser on the done sets (or gold) and store it")
    s.add_argument("project")
    src = s.add_mutually_exclusive_group()
    src.add_argument("--from", dest="annotator", metavar="NAME", help="learn from this annotator's done sets")
    src.add_argument("--gold", action="store_true", help="learn from the adjudicated gold sets")
    s.add_argument("--out", metavar="MODEL", help="also write the model to this file (for another project)")
    s.add_argument("--name", help="store the model under this name in the project (default: default)")
    s.add_argument("--seed", type=int, default=0, help="seed of the held-out document split (default: 0)")
    s.add_argument("--curve", type=int, metavar="N", help="also print a learning curve: held-out F1 of models "
                   "trained on 1/N, 2/N ... of the other documents")

    s = sub.add_parser("predict", help="pre-annotate documents with a model, as a machine annotator")
    s.add_argument("project")
    s.add_argument("--as", dest="annotator", required=True, metavar="NAME",
                   help="the machine annotator whose sets receive the predictions (never a person's name)")
    s.add_argument("--model", metavar="MODEL", help="a model file (default: the project's stored model)")
    s.add_argument("--name", help="the project's stored model to use (default: default)")
    s.add_argument("--only-status", choices=STATUSES, metavar="STATUS",
                   help="only documents with this status for the people annotating them (todo: nobody has done, "
                        "skipped or flagged them)")


def _err(msg: str) -> int:
    print(f"tawsim: {msg}", file=sys.stderr)
    return 1


def cmd_train(a) -> int:
    # python-crfsuite and the features load only for these commands, not at every `tawsim` start
    from .core.io.atomic import atomic_write
    from .core.learn.modelfile import FORMAT_VERSION, model_name
    from .core.learn.training import NotEnoughData, train_project

    name = model_name(a.name)
    with Project.open(a.project) as project:
        if a.annotator and a.annotator not in project.annotators():
            return _err(f"{a.project}: no annotator {a.annotator!r} "
                        f"(known: {', '.join(project.annotators()) or 'none'})")
        try:
            report = train_project(project, a.annotator, a.gold, a.seed,
                                   progress=lambda m: print(f"tawsim: {m} ...", file=sys.stderr))
        except NotEnoughData as exc:
            return _err(f"{a.project}: {exc}")
        model = report.model
        data = model.to_bytes()
        if a.out:
            with atomic_write(a.out) as f:
                f.write(data)
        project.save_model(name, data, FORMAT_VERSION, model.labels, model.metrics)
    print(f"learnt from {report.documents} document(s), {report.sentences} sentence(s), {report.tokens:,} "
          f"token(s) ({model.trained_on['source']}) in {report.seconds:.1f} s")
    print(f"held out {report.split}")
    if report.held_out_ids:
        shown = report.held_out_ids[:20]
        print("  held-out documents: " + ", ".join(shown)
              + (f" ... and {len(report.held_out_ids) - 20} more" if len(report.held_out_ids) > 20 else ""))
    if report.score is not None:
        print("held-out entity F1 (exact spans), per label:")
        for line in report.score.lines():
            print(line)
    if a.curve:
        print_curve(a)
    print(f"stored as model {name!r} in {a.project}" + (f" and written to {a.out}" if a.out else "")
          + f" ({len(data):,} bytes; labels {', '.join(model.labels)})")
    return 0


def cmd_predict(a) -> int:
    from .core.learn.modelfile import ModelFileError, from_bytes, model_name, read_model_file
    from .core.learn.predict import predict_into

    with Project.open(a.project) as project:
        try:
            if a.model:
                model = read_model_file(a.model)
                source = a.model
            else:
                name = model_name(a.name)
                data = project.model_data(name)
                if data is None:
                    return _err(f"{a.project}: no model {name!r} in the project; train one with "
                                f"`tawsim train {a.project}`, or give a model file with --model")
                model = from_bytes(data, f"{a.project} (model {name!r})")
                source = name
        except ModelFileError as exc:
            return _err(str(exc))
        summary = predict_into(project, model, a.annotator, source, a.only_status)
    for line in summary.lines():
        print(line)
    return 0


def print_curve(a) -> None:
    from .core.learn.curve import learning_curve

    with Project.open(a.project) as project:
        how, points = learning_curve(project, a.annotator, a.gold, max(1, a.curve), a.seed)
    unit = "document(s)" if how.startswith("by document") else "chunk(s) of sentences"
    print(f"learning curve (held-out entity F1, held out {how}):")
    for p in points:
        print(f"  {p.units:>6} {unit}: F1 {p.f1:.3f}")
