"""Who may do what on a server project, enforced by PostgreSQL itself: group roles, grants and row-level security.

Why in the database: on a shared server the window is not the only client. Anyone with a login can open psql, so
blindness, "only your own sets" and "only a reviewer writes gold" hold only if the server refuses the rest.

Identities are logins. `tawsim server add-user URL NAME --role R` creates a LOGIN role NAME, member of one of three
group roles (cluster-wide, NOLOGIN, created by the first project that needs them):

* tawsim_annotator: reads documents, labels, settings and its own sets (others' too when the project is not blind;
  gold always, the suggestions use it); writes only sets whose annotator row is its own login (`current_user`);
  may import its own work for documents already there; cannot add or delete documents, edit labels, assignments
  or most settings (only the shared memory of rejected suggestions, `assist.rejected_patterns`), or write gold.
* tawsim_reviewer (member of tawsim_annotator): reads every set, writes gold and a model's (machine annotator's)
  sets, the gazetteer, trained models and pinned bundle keys.
* tawsim_admin (member of tawsim_reviewer): manages users, labels, documents, assignments, annotators' rows and
  settings.

The project's owner (who ran `server init`) owns the tables and is not subject to row-level security: the
project's superuser, as the file's owner is for a project file.

User management without CREATEROLE for admins: `tawsim_add_user` is a SECURITY DEFINER function owned by the
project's owner (who needs CREATEROLE, or is a superuser). Only tawsim_admin may EXECUTE it (PUBLIC's default
EXECUTE is revoked), it only creates new logins (never touches an existing role, so no admin can take over or
re-password the owner or another login) and only grants one of the three group roles. Giving admins CREATEROLE
instead would let them (before PostgreSQL 16) grant themselves any non-superuser role, and needs no less trust.
No login holds ADMIN OPTION on a group role, so nobody grants themselves a role. Names are quoted by format('%I')
inside the function (the server's identifier quoting); the password reaches the server already hashed (SCRAM, by
libpq's PQencryptPasswordConn), so it is in no statement or log.

Everything here is plain PostgreSQL run through PgConnection.query (not the SQLite-dialect rewrites), inside the
schema-6 migration's transaction; every statement can run again (CREATE OR REPLACE, DROP POLICY IF EXISTS).
"""
from __future__ import annotations

GROUP_ROLES = ("tawsim_annotator", "tawsim_reviewer", "tawsim_admin")
ROLES = {"annotator": "tawsim_annotator", "reviewer": "tawsim_reviewer", "admin": "tawsim_admin"}

# Settings keys a role below admin may write: the project-wide memory of rejected suggestions (every annotator's
# Backspace teaches it, app.core.assist.learning) and, for reviewers, the pinned bundle keys (merge).
ANNOTATOR_SETTINGS = ("assist.rejected_patterns",)
REVIEWER_SETTINGS = ("bundle_keys",)

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION tawsim_is(r text) RETURNS boolean LANGUAGE plpgsql STABLE AS $f$
BEGIN
    RETURN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) AND pg_has_role(current_user, r, 'USAGE');
END $f$;
CREATE OR REPLACE FUNCTION tawsim_my_key() RETURNS bigint LANGUAGE sql STABLE AS $f$
    SELECT key FROM annotators WHERE name = current_user $f$;
CREATE OR REPLACE FUNCTION tawsim_gold_key() RETURNS bigint LANGUAGE sql STABLE AS $f$
    SELECT key FROM annotators WHERE name = 'gold' AND role = 'gold' $f$;
CREATE OR REPLACE FUNCTION tawsim_blind() RETURNS boolean LANGUAGE sql STABLE AS $f$
    SELECT COALESCE(
        (SELECT CASE value WHEN 'null' THEN NULL WHEN 'false' THEN false WHEN '0' THEN false ELSE true END
           FROM settings WHERE key = 'blind'),
        (SELECT count(*) > 1 FROM annotators WHERE role != 'gold')) $f$;
CREATE OR REPLACE FUNCTION tawsim_can_read(ann bigint) RETURNS boolean LANGUAGE sql STABLE AS $f$
    SELECT ann = tawsim_my_key() OR ann = tawsim_gold_key() OR tawsim_is('tawsim_reviewer') OR NOT tawsim_blind() $f$;
CREATE OR REPLACE FUNCTION tawsim_can_write(ann bigint) RETURNS boolean LANGUAGE sql STABLE AS $f$
    SELECT ann = tawsim_my_key() OR (tawsim_is('tawsim_reviewer') AND
        (ann = tawsim_gold_key() OR ann IN (SELECT annotator FROM machine_annotators))) $f$;
CREATE OR REPLACE FUNCTION tawsim_can_write_set(sk bigint) RETURNS boolean LANGUAGE sql STABLE AS $f$
    SELECT EXISTS (SELECT 1 FROM annotation_sets WHERE key = sk AND tawsim_can_write(annotator)) $f$;
CREATE OR REPLACE FUNCTION tawsim_may_set(k text) RETURNS boolean LANGUAGE sql STABLE AS $f$
    SELECT k IN ({", ".join(f"'{k}'" for k in ANNOTATOR_SETTINGS)})
        OR (k IN ({", ".join(f"'{k}'" for k in REVIEWER_SETTINGS)}) AND tawsim_is('tawsim_reviewer'))
        OR tawsim_is('tawsim_admin') $f$;

CREATE OR REPLACE FUNCTION tawsim_grant_roles(strict boolean) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path FROM CURRENT AS $f$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['tawsim_annotator', 'tawsim_reviewer', 'tawsim_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN insufficient_privilege THEN
                IF strict THEN RAISE; END IF;
                RETURN false;  -- an owner without CREATEROLE: the project works for its owner alone
            WHEN duplicate_object THEN NULL;  -- another project created it meanwhile
            END;
        END IF;
    END LOOP;
    GRANT tawsim_annotator TO tawsim_reviewer;
    GRANT tawsim_reviewer TO tawsim_admin;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO tawsim_annotator', current_schema());
    GRANT SELECT ON settings, labels, documents, annotators, annotation_sets, entities, quotes, stances, gazetteer,
        open_sessions, models, machine_annotators, schema_version, assignments, edit_times TO tawsim_annotator;
    GRANT INSERT, UPDATE, DELETE ON annotation_sets, entities, quotes, stances, open_sessions TO tawsim_annotator;
    GRANT INSERT ON annotators, edit_times TO tawsim_annotator;
    GRANT INSERT, UPDATE ON settings TO tawsim_annotator;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA {'{'}schema{'}'} TO tawsim_annotator;
    GRANT INSERT, UPDATE, DELETE ON gazetteer, models, machine_annotators TO tawsim_reviewer;
    GRANT INSERT, UPDATE, DELETE ON labels, documents, assignments TO tawsim_admin;
    GRANT UPDATE, DELETE ON annotators TO tawsim_admin;
    GRANT DELETE ON settings TO tawsim_admin;
    REVOKE ALL ON FUNCTION tawsim_add_user(text, text, text) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION tawsim_add_user(text, text, text) TO tawsim_admin;
    RETURN true;
END $f$;

CREATE OR REPLACE FUNCTION tawsim_add_user(p_name text, p_password text, p_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $f$
BEGIN
    IF p_role NOT IN ('annotator', 'reviewer', 'admin') THEN
        RAISE EXCEPTION 'unknown role %% (annotator, reviewer or admin)', p_role USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_name IS NULL OR length(trim(p_name)) = 0 OR lower(trim(p_name)) = 'gold' OR p_name ~* '^(pg_|tawsim_)' THEN
        RAISE EXCEPTION 'the name %% is reserved', p_name USING ERRCODE = 'reserved_name';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_name) THEN
        RAISE EXCEPTION 'a role named %% already exists on this server', p_name USING ERRCODE = 'duplicate_object';
    END IF;
    PERFORM tawsim_grant_roles(true);
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_name, p_password);
    EXECUTE format('GRANT %I TO %I', 'tawsim_' || p_role, p_name);
    INSERT INTO annotators (name, role) VALUES (p_name, CASE p_role WHEN 'annotator' THEN 'annotator' ELSE 'reviewer' END)
        ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role;
END $f$;
"""

# Who the login is, as once-per-statement values: a function call wrapped in a scalar sub-select is an InitPlan,
# evaluated once per query instead of once per row, so a reviewer's export of a million sets pays for it once.
_ME, _GOLD = "(SELECT tawsim_my_key())", "(SELECT tawsim_gold_key())"
_REVIEWER, _ADMIN = "(SELECT tawsim_is('tawsim_reviewer'))", "(SELECT tawsim_is('tawsim_admin'))"
_READ_SET = f"annotator = {_ME} OR annotator = {_GOLD} OR {_REVIEWER} OR NOT (SELECT tawsim_blind())"
_WRITE_SET = f"annotator = {_ME} OR ({_REVIEWER} AND (annotator = {_GOLD} OR annotator IN " \
             f"(SELECT annotator FROM machine_annotators)))"

# table -> [(policy name, command, USING, WITH CHECK)]; tables not listed rely on grants alone. (The functions
# tawsim_can_read / tawsim_can_write say the same per value, for one row: a write's point lookup.)
_POLICIES = {
    "annotation_sets": [("sets_read", "SELECT", _READ_SET, None),
                        ("sets_insert", "INSERT", None, _WRITE_SET),
                        ("sets_update", "UPDATE", _WRITE_SET, _WRITE_SET),
                        ("sets_delete", "DELETE", _WRITE_SET, None)],
    **{t: [(f"{t}_read", "SELECT", "set_key IN (SELECT key FROM annotation_sets)", None),
           (f"{t}_insert", "INSERT", None, "tawsim_can_write_set(set_key)"),
           (f"{t}_update", "UPDATE", "tawsim_can_write_set(set_key)", "tawsim_can_write_set(set_key)"),
           (f"{t}_delete", "DELETE", "tawsim_can_write_set(set_key)", None)]
       for t in ("entities", "quotes", "stances")},
    "edit_times": [("edit_times_read", "SELECT", "set_key IN (SELECT key FROM annotation_sets)", None),
                   ("edit_times_insert", "INSERT", None, "tawsim_can_write_set(set_key)")],
    "annotators": [("annotators_read", "SELECT", "true", None),
                   ("annotators_insert", "INSERT", None,
                    "(role = 'annotator' AND (name = current_user OR tawsim_is('tawsim_reviewer'))) "
                    "OR tawsim_is('tawsim_admin')"),
                   ("annotators_update", "UPDATE", "tawsim_is('tawsim_admin')", "tawsim_is('tawsim_admin')"),
                   ("annotators_delete", "DELETE", "tawsim_is('tawsim_admin')", None)],
    "settings": [("settings_read", "SELECT", "true", None),
                 ("settings_insert", "INSERT", None, "tawsim_may_set(key)"),
                 ("settings_update", "UPDATE", "tawsim_may_set(key)", "tawsim_may_set(key)"),
                 ("settings_delete", "DELETE", "tawsim_is('tawsim_admin')", None)],
    "open_sessions": [("sessions_read", "SELECT", "true", None),
                      ("sessions_insert", "INSERT", None, "annotator = current_user"),
                      ("sessions_update", "UPDATE", "annotator = current_user", "annotator = current_user"),
                      ("sessions_delete", "DELETE", "annotator = current_user OR tawsim_is('tawsim_admin')", None)],
    "assignments": [("assignments_read", "SELECT", f"annotator = {_ME} OR {_REVIEWER}", None),
                    ("assignments_admin", "ALL", _ADMIN, _ADMIN)],
}


def _policy_sql() -> list[str]:
    out = []
    for table, policies in _POLICIES.items():
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name, command, using, check in policies:
            out.append(f"DROP POLICY IF EXISTS {name} ON {table}")
            out.append(f"CREATE POLICY {name} ON {table} FOR {command}"
                       + (f" USING ({using})" if using else "") + (f" WITH CHECK ({check})" if check else ""))
    return out


def install(conn) -> bool:
    """Functions, policies and (when the owner may create roles) the group roles and grants, in the caller's
    transaction. Returns whether the roles are in place (False: an owner without CREATEROLE; the project then
    works for its owner alone until `server add-user` is run by one who has it)."""
    schema = conn.query("SELECT current_schema()")[0][0]
    conn.query(_FUNCTIONS.replace("{schema}", '"' + schema.replace('"', '""') + '"').replace("%%", "%"))
    for stmt in _policy_sql():
        conn.query(stmt)
    return bool(conn.query("SELECT tawsim_grant_roles(false)")[0][0])


def add_user(conn, name: str, password: str, role: str) -> None:
    """Create the login `name` with `password` (sent hashed) as a member of the group role of `role`."""
    verifier = conn.raw.pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256")
    conn.query("SELECT tawsim_add_user(%s, %s, %s)", (name, verifier.decode("ascii"), role))


def login_name(conn) -> str:
    """The login this connection runs as: a server project's annotator name."""
    return conn.query("SELECT current_user")[0][0]
