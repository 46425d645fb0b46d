"""Where a project lives: a SQLite file (a path) or a database on a PostgreSQL server (a `postgresql://` URL).

Every place that accepts a project accepts either; this module tells them apart and gives a server project the same
few path-like attributes the rest of the app reads from `project.path` (`name` for window titles and bundles,
`stem` for default export names, `parent` for file dialogs), so the window and the CLI need not know which backend
they talk to. A password written in the URL is used to connect and never shown: `str()` leaves it out.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

SCHEMES = ("postgresql", "postgres")


def is_server_url(target) -> bool:
    """True for `postgresql://…` / `postgres://…` (libpq's two URL schemes), whatever else follows."""
    return isinstance(target, (str, ServerLocation)) and str(target).split("://", 1)[0].lower() in SCHEMES \
        and "://" in str(target)


class ServerLocation:
    """A project on a PostgreSQL server, addressed by a libpq URL (host, port, user, database, sslmode, service…).

    Connection details the URL leaves out (host, user, password, database) come from libpq's own conventions:
    PGHOST, PGUSER, PGPASSWORD, ~/.pgpass, service files. Nothing here stores a password."""

    def __init__(self, url: str | "ServerLocation"):
        self.url = url.url if isinstance(url, ServerLocation) else str(url)
        parts = urlsplit(self.url)
        self._parts = parts
        self.database = unquote(parts.path.lstrip("/")) or ""

    @property
    def name(self) -> str:
        """What a window title shows: the database name (or the host when the URL names none)."""
        return self.database or self._parts.hostname or "server"

    @property
    def stem(self) -> str:
        return self.name

    @property
    def parent(self) -> Path:
        """Where file dialogs start for a server project: the current folder (there is no project folder)."""
        return Path.cwd()

    def redacted(self) -> str:
        """The URL without its password, for messages and titles."""
        p = self._parts
        if p.password is None:
            return self.url
        netloc = p.netloc.rsplit("@", 1)
        user = netloc[0].split(":", 1)[0]
        return urlunsplit((p.scheme, f"{user}@{netloc[1]}", p.path, p.query, p.fragment))

    def __str__(self) -> str:
        return self.redacted()

    def __repr__(self) -> str:
        return f"ServerLocation({self.redacted()!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, ServerLocation) and other.url == self.url

    def __hash__(self) -> int:
        return hash(self.url)


def location(target) -> Path | ServerLocation:
    """A project's location from what a user typed: a URL becomes a ServerLocation, anything else a Path."""
    if isinstance(target, (Path, ServerLocation)):
        return target
    return ServerLocation(target) if is_server_url(target) else Path(target)
