"""Team commands: `tawsim server add-user` (a login and its role on a server project), `tawsim assign` (documents
to annotators, k per document) and `tawsim progress` (per annotator: assigned, done, time, agreement).

Registered by cli.py (assign, progress) and cli_server.py (add-user); the work is in app.core.review.assignment /
progress and app.core.store.team / pg_roles.
"""
from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path

from .core.model import STATUSES
from .core.store import Project, ProjectError
from .core.store.location import is_server_url, location


def add_parsers(sub) -> None:
    s = sub.add_parser("assign", help="assign documents to annotators, k annotators per document, balanced")
    s.add_argument("project")
    s.add_argument("--to", required=True, help="annotators, comma-separated: amal,omar,huda")
    s.add_argument("--per-document", type=int, default=1, help="annotators per document (default 1)")
    s.add_argument("--only-status", choices=STATUSES,
                   help="only documents nobody has finished (todo), or with a set of this status")
    s.add_argument("--seed", type=int, default=0, help="the same seed gives the same assignment (default 0)")
    s = sub.add_parser("progress", help="per annotator: assigned, done, skipped, flagged, time spent, agreement")
    s.add_argument("project")
    s.add_argument("--json", action="store_true")


def _password(a: argparse.Namespace) -> str:
    if a.password_file:
        try:
            lines = Path(a.password_file).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ProjectError(f"{a.password_file}: cannot read the password ({exc})") from exc
        password = lines[0] if lines else ""
    else:
        password = getpass.getpass(f"password for {a.name}: ")
    if not password:
        raise ProjectError(f"{a.password_file or 'password'}: empty password refused")
    return password


def cmd_add_user(a: argparse.Namespace) -> int:
    if not is_server_url(a.url):
        raise ProjectError(f"{a.url}: not a PostgreSQL URL; users are logins of a server project")
    password = _password(a)
    with Project.open(a.url) as project:
        project.add_user(a.name, password, a.role)
    print(f"added {a.name} as {a.role} to {location(a.url)}")
    return 0


def cmd_assign(a: argparse.Namespace) -> int:
    from .core.review.assignment import assign

    names = [n.strip() for n in a.to.split(",") if n.strip()]
    with Project.open(a.project) as project:
        plan = assign(project, names, a.per_document, a.only_status, a.seed)
    loads = ", ".join(f"{n} {k}" for n, k in sorted(plan.loads.items()))
    print(f"assigned {len(plan.documents)} document(s), {a.per_document} annotator(s) each: {loads}")
    return 0


def cmd_progress(a: argparse.Namespace) -> int:
    from .core.review.progress import format_progress, project_progress  # numpy: only for this command

    with Project.open(a.project) as project:
        rows = project_progress(project)
    if a.json:
        print(json.dumps({"annotators": [r.to_dict() for r in rows]}, ensure_ascii=False, indent=1))
    else:
        print(format_progress(rows))
    return 0


HANDLERS = {"assign": cmd_assign, "progress": cmd_progress}
