"""The PostgreSQL dialect: every difference between the store's SQL (written once, in SQLite's dialect) and what
PostgreSQL accepts, as a short list of documented rewrites. Its counterpart for a project file is sqlite.py.

Why rewrites instead of a second copy of every query: the store has a few hundred statements and other work keeps
changing them; two copies would drift. The differences are few and mechanical, so they live here, once, and every
statement (queries, edits, schema migrations) passes through `translate` (cached: each distinct text is rewritten
once per process). What cannot be a text rewrite is in pg_connection.py (lastrowid, COPY, errors, cursors).

Rewrites, in order:
* parameters: `?` -> `%s`, `:name` -> `%(name)s`, a literal `%` -> `%%` (psycopg's format);
* `BEGIN IMMEDIATE` -> `BEGIN` (PostgreSQL locks rows, not the file);
* `INSERT OR IGNORE` -> `... ON CONFLICT DO NOTHING`; `INSERT OR REPLACE` -> an upsert on the table's primary key
  (filled in by the connection, which knows the table's columns);
* `sqlite_master` -> the same names from information_schema / pg_indexes;
* `instr(a, b)` -> `strpos(a, b)`; `ON 0` -> `ON false`; `IS NOT ?` -> `IS DISTINCT FROM ?`; `NULL AS key` ->
  `NULL::bigint AS key` (an untyped NULL is text on PostgreSQL, and keys are compared with bigint keys);
* `tkey(x.col)` (the Arabic search key, a Python function on SQLite) -> the stored column `x.col_key`, which the
  connection computes with the same Python function whenever a row is inserted (SEARCH_KEYED);
* schema DDL: `INTEGER PRIMARY KEY` -> a BIGINT identity column and the columns that reference one BIGINT too
  (SQLite's keys are 64-bit); other INTEGERs (offsets, positions) stay 32-bit, which substr() and friends take;
  `BLOB` -> `BYTEA`, `TEXT` -> `TEXT COLLATE "C"` (code-point order, as SQLite sorts, so both backends list and
  export in the same order), the search-key columns added, each SQLite trigger -> a PL/pgSQL function + trigger,
  and the live-update triggers (_NOTIFY) created with the tables they watch; `DROP TRIGGER name` -> dropping
  the function made for it, which takes its trigger along (a PostgreSQL DROP TRIGGER must name the table).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..text import arabic

# Columns the shared SQL searches through tkey(): on PostgreSQL each has a stored key column `<col>_key`.
SEARCH_KEYED = {"documents": ("id", "text")}

# Live updates: every committed change to a set (its status, or its annotations, which touch the set's time) or to
# the document table is announced on this channel, delivered by PostgreSQL only when the transaction commits.
# Payloads: "set:<document key>:<annotator key>" and "documents". The triggers come with the table (added to its
# CREATE TABLE), so every server project has them; live.py listens.
CHANNEL = "tawsim_changes"
_NOTIFY = {
    "annotation_sets": f"""CREATE FUNCTION annotation_sets_notify_fn() RETURNS trigger LANGUAGE plpgsql AS $tawsim$
BEGIN PERFORM pg_notify('{CHANNEL}', 'set:' || COALESCE(NEW.document, OLD.document) || ':'
    || COALESCE(NEW.annotator, OLD.annotator)); RETURN NULL; END $tawsim$;
CREATE TRIGGER annotation_sets_notify AFTER INSERT OR UPDATE OR DELETE ON annotation_sets
    FOR EACH ROW EXECUTE FUNCTION annotation_sets_notify_fn()""",
    "documents": f"""CREATE FUNCTION documents_notify_fn() RETURNS trigger LANGUAGE plpgsql AS $tawsim$
BEGIN PERFORM pg_notify('{CHANNEL}', 'documents'); RETURN NULL; END $tawsim$;
CREATE TRIGGER documents_notify AFTER INSERT OR DELETE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION documents_notify_fn()""",
}

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"])*"|\?|(?<!:):([A-Za-z_]\w*)|%|[^'"?:%]+|:""", re.S)


@dataclass(frozen=True)
class Statement:
    """One statement as PostgreSQL takes it: `sql` for execution with parameters (psycopg format), `plain` without
    parameters (no % escaping), and what the connection must add (`upsert`: the table of an INSERT OR REPLACE;
    `insert_table`/`insert_columns`: a plain INSERT … VALUES (…) it may RETURN a key for or turn into COPY;
    `keyed`: for each search-key column appended, the index of its source value among the parameters)."""

    sql: str
    plain: str
    upsert: Optional[str] = None
    insert_table: Optional[str] = None
    insert_columns: tuple[str, ...] = ()
    copyable: bool = False
    keyed: tuple[int, ...] = field(default=())


def _params(sql: str) -> str:
    out = []
    for m in _TOKEN.finditer(sql):
        tok = m.group(0)
        if tok == "?":
            out.append("%s")
        elif m.group(1):
            out.append(f"%({m.group(1)})s")
        elif tok == "%":
            out.append("%%")
        elif tok.startswith("'"):
            out.append(tok.replace("%", "%%"))
        else:
            out.append(tok)
    return "".join(out)


_SQLITE_MASTER = ("(SELECT table_name::text AS name, 'table'::text AS type FROM information_schema.tables "
                  "WHERE table_schema = current_schema() UNION ALL SELECT indexname::text, 'index' FROM pg_indexes "
                  "WHERE schemaname = current_schema()) AS sqlite_master")
_DML_RULES = [
    (re.compile(r"^\s*BEGIN\s+IMMEDIATE\b", re.I), "BEGIN"),
    (re.compile(r"\bFROM\s+sqlite_master\b", re.I), "FROM " + _SQLITE_MASTER),
    (re.compile(r"\binstr\(", re.I), "strpos("),
    (re.compile(r"\bON\s+0\b"), "ON false"),
    (re.compile(r"\bON\s+1\b"), "ON true"),
    (re.compile(r"\bIS\s+NOT\s+\?"), "IS DISTINCT FROM ?"),
    (re.compile(r"\bNULL\s+AS\s+key\b"), "NULL::bigint AS key"),
    (re.compile(r"\bmax\((\w+),\s*\?\)", re.I), r"GREATEST(\1, ?)"),  # SQLite's scalar two-argument max
    (re.compile(r"\btkey\(\s*((?:\w+\.)?)\"?(\w+)\"?\s*\)"), r"\1\2_key"),
]
_INSERT = re.compile(r"^\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)\s*(?:\(([^)]*)\))?\s*VALUES\s*"
                     r"\((.*)\)\s*;?\s*$", re.I | re.S)


def _split_values(values: str) -> list[str]:
    """The top-level comma-separated items of a VALUES list (commas inside quotes or parentheses stay)."""
    items, buf, depth, quote = [], [], 0, ""
    for ch in values:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append("".join(buf).strip())
            buf = []
            continue
        buf.append(ch)
    items.append("".join(buf).strip())
    return items


def _sql_search_key(expr: str) -> str:
    """SQL for the search key of a literal value in an INSERT (parameters get the exact Python key instead)."""
    table = arabic._SEARCH_TABLE  # noqa: SLF001 - the one definition of the key
    drop = "".join(chr(c) for c, v in table.items() if v is None)
    folds = [(chr(c), v) for c, v in table.items() if v is not None]
    src = "".join(k for k, _ in folds) + drop
    dst = "".join(v for _, v in folds)
    return f"lower(translate({expr}, '{src}', '{dst}'))"


def _rewrite_insert(sql: str) -> tuple[str, dict]:
    m = _INSERT.match(sql)
    if not m:
        return sql, {}
    mode, table, cols, values = m.group(1), m.group(2), m.group(3), m.group(4)
    info: dict = {"insert_table": table}
    columns = [c.strip().strip('"') for c in cols.split(",")] if cols else []
    items = _split_values(values)
    keyed: list[int] = []
    if table in SEARCH_KEYED and columns:
        marks = [i for i, it in enumerate(items) if it == "?"]
        for col in SEARCH_KEYED[table]:
            if col in columns:
                pos = columns.index(col)
                if items[pos] == "?":
                    keyed.append(marks.index(pos))
                    items.append("?")
                else:
                    items.append(_sql_search_key(items[pos]))
                columns.append(f"{col}_key")
    info["insert_columns"] = tuple(columns)
    info["keyed"] = tuple(keyed)
    info["copyable"] = mode is None and bool(columns) and all(it == "?" for it in items)
    col_sql = f" ({', '.join(_quote(c) for c in columns)})" if columns else ""
    out = f"INSERT INTO {table}{col_sql} VALUES ({', '.join(items)})"
    if mode and mode.upper() == "IGNORE":
        out += " ON CONFLICT DO NOTHING"
    elif mode:
        info["upsert"] = table
    return out, info


def _quote(col: str) -> str:
    return f'"{col}"' if col in ("end",) else col


_DDL_TYPES = [
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER(?=[^,\n]*\bREFERENCES\b)"), "BIGINT"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
]
_TRIGGER = re.compile(r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+(BEFORE|AFTER)\s+"
                      r"(INSERT|UPDATE|DELETE)(\s+OF\s+[\w\s,]+?)?\s+ON\s+(\w+)(?:\s+FOR\s+EACH\s+ROW)?"
                      r"(?:\s+WHEN\s+(.*?))?\s+BEGIN\s+(.*?);?\s*END\s*;?\s*$", re.I | re.S)
_DROP_TRIGGER = re.compile(r"^\s*DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)\s*;?\s*$", re.I)
_CREATE_TABLE = re.compile(r"^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\((.*)\)\s*;?\s*$", re.I | re.S)


def _ddl(sql: str) -> Optional[str]:
    """PostgreSQL DDL for a schema statement, or None if `sql` is not DDL this module rewrites."""
    m = _TRIGGER.match(sql)
    if m:
        name, when, event, of, table, cond, body = m.groups()
        stmts = [translate(s.strip()).plain for s in body.split(";") if s.strip()]
        ret = "NULL" if when.upper() == "AFTER" else ("OLD" if event.upper() == "DELETE" else "NEW")
        where = f" WHEN ({_dml(cond)})" if cond else ""
        return (f"CREATE FUNCTION {name}_fn() RETURNS trigger LANGUAGE plpgsql AS $tawsim$ BEGIN "
                f"{'; '.join(stmts)}; RETURN {ret}; END $tawsim$;\n"
                f"CREATE TRIGGER {name} {when} {event}{of or ''} ON {table} FOR EACH ROW{where} "
                f"EXECUTE FUNCTION {name}_fn()")
    m = _DROP_TRIGGER.match(sql)
    if m:
        return f"DROP FUNCTION IF EXISTS {m.group(1)}_fn() CASCADE"
    m = _CREATE_TABLE.match(sql)
    if m or re.match(r"^\s*ALTER\s+TABLE\s+\w+\s+ADD\s+COLUMN\b", sql, re.I):
        out = sql.rstrip().rstrip(";")
        for rx, repl in _DDL_TYPES:
            out = rx.sub(repl, out)
        if m and m.group(1) in SEARCH_KEYED:
            extra = ", ".join(f'{c}_key TEXT COLLATE "C" NOT NULL DEFAULT \'\'' for c in SEARCH_KEYED[m.group(1)])
            out = out[:out.rindex(")")] + f",\n    {extra}\n)"
        if m and m.group(1) in _NOTIFY:
            out += ";\n" + _NOTIFY[m.group(1)]
        return out
    return None


def _dml(sql: str) -> str:
    for rx, repl in _DML_RULES:
        sql = rx.sub(repl, sql)
    return sql


@lru_cache(maxsize=4096)
def translate(sql: str) -> Statement:
    """The PostgreSQL form of one statement of the store's SQLite SQL (see the module docstring)."""
    ddl = _ddl(sql)
    if ddl is not None:
        return Statement(ddl, ddl)
    plain = _dml(sql)
    plain, info = _rewrite_insert(plain)
    return Statement(_params(plain), plain, **info)
