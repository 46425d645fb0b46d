"""`tawsim server init URL` and `tawsim copy SOURCE DEST`: the commands of team projects on a PostgreSQL server.

Kept beside cli.py (which registers them) so the server commands read as one unit. Every other command takes a
server URL wherever it takes a project file, through Project.open: nothing here is needed for that.
"""
from __future__ import annotations

import argparse

from .core.io.labelfile import read_label_file
from .core.labels import DEFAULT_LABELS
from .core.store import Project, ProjectError
from .core.store.location import is_server_url, location

URL_HELP = "a PostgreSQL URL, e.g. postgresql://amal@newsroom-db/elections (libpq conventions: PGHOST, " \
           "PGPASSWORD, ~/.pgpass, service files and sslmode work; Tawsim never stores a password)"


def add_server_commands(sub) -> None:
    s = sub.add_parser("server", help="team projects on a PostgreSQL server")
    verbs = s.add_subparsers(dest="server_command", required=True)
    v = verbs.add_parser("init", help="create the project schema in a database you own")
    v.add_argument("url", help=URL_HELP)
    v.add_argument("--labels", help="label file: JSON list of {name, kind, display, color, key}, or one name a line")

    v = verbs.add_parser("add-user", help="create a login for a team member (an admin's or the owner's command)")
    v.add_argument("url", help=URL_HELP)
    v.add_argument("name", help="the login, which is also the annotator's name")
    v.add_argument("--role", choices=("annotator", "reviewer", "admin"), default="annotator",
                   help="annotator (own sets only), reviewer (every set, gold) or admin (users, labels, settings)")
    v.add_argument("--password-file", help="read the password from the first line of this file "
                                           "(default: ask on the terminal, without echo)")

    s = sub.add_parser("copy", help="copy a whole project, SQLite file <-> PostgreSQL server, losslessly")
    s.add_argument("source", help="project file or PostgreSQL URL")
    s.add_argument("dest", help="a project file that does not exist yet, or a PostgreSQL URL without a project")


def cmd_server(a: argparse.Namespace) -> int:
    if a.server_command == "add-user":
        from .cli_team import cmd_add_user

        return cmd_add_user(a)
    if not is_server_url(a.url):
        raise ProjectError(f"{a.url}: not a PostgreSQL URL (postgresql://USER@HOST/DATABASE); "
                           f"for a project file use `tawsim init FILE`")
    labels = read_label_file(a.labels) if a.labels else DEFAULT_LABELS
    Project.create(a.url, labels).close()
    print(f"created a Tawsim project in {location(a.url)}")
    return 0


def cmd_copy(a: argparse.Namespace) -> int:
    from .core.store.project_copy import copy_project

    counts = copy_project(a.source, a.dest)
    print(f"copied {location(a.source)} to {location(a.dest)}: {counts['documents']} document(s), "
          f"{counts['annotation_sets']} annotation set(s), "
          f"{counts['entities'] + counts['quotes'] + counts['stances']} annotation(s)")
    return 0


HANDLERS = {"server": cmd_server, "copy": cmd_copy}
