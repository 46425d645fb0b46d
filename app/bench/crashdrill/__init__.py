"""The crash drill: random edits made through the window's own Project calls, killed with SIGKILL at random moments,
then the project checked against what the editing process had reported committed.

An annotator's trust rests on "every edit is committed as it happens, and a crash loses nothing but the edit in
flight". The drill tests exactly that, from outside the process, the way a power cut or `kill -9` would:

* driver.py:  the editing process. Opens a project and makes a seeded random mix of the edits the window's undo
              commands make (app/ui/undo.py), journalling each one before it starts and after it commits.
* journal.py: the journal: one fsync'd line per event, append-only, read back into committed edits and the one
              edit in flight.
* expected.py: what the project must hold: the annotation sets and labels read from a project, and each journalled
              edit applied to them with the store's rules (a deleted entity unlinks its quotes, ...).
* check.py:   after the kill: SQLite's integrity checks, the database against the replayed journal (the edit in
              flight either whole or absent), and the export written and validated against the schema.
* trial.py:   one trial end to end (a copy of a prepared project, the driver as a subprocess, the kill, the check),
              shared by tests/test_crash_drill.py and `python -m app.bench crash`.
"""
