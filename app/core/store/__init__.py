"""The project store: one SQLite file opened through sqlite-utils; the only package holding SQL (schema.py: the
schema and its migrations).

Every public mutating method is one transaction, committed before it returns: an annotator's work is on disk
the moment the edit is made, and a crash loses nothing. WAL mode lets a CLI export read while the window writes.

`Project` is one class assembled from mixins, one responsibility per module, so each stays readable on its own:

* project.py: opening, creating and closing the file, settings, annotators and roles, documents, sets and load
* doclist.py: the document list a page at a time: counting, paging by key, a document's row
* labels.py:  the label set, read and edited (renames and removals carry their annotations along)
* edits.py:   one annotation at a time: status, entities, quotes and stances, with their undo
* clusters.py: mentions of one referent linked together (entity clusters), with their undo
* bulk.py:    whole sets in (import, merge) and out (export streams), set provenance, tag-all bulk edits
* reads.py:   gazetteer, statistics and the agreement read
* set_times.py: when each set was last changed, kept across bundles and merges
* leases.py:  who has the project open (the warning on opening it twice as the same annotator)
* models.py:  trained recognisers kept in the project, and the machine annotators that wrote sets with them
* team.py:    server logins and users (pg_roles.py: roles and row-level security), assignments, progress rows
* common.py:  timestamps, text hashes, row -> model conversions and the records the store returns
* schema.py:  the tables, their CHECKs and the migrations
* jsonline.py: the bytes of one export line (each set's annotations fragment is cached in its row)
* guidelines.py: the project's guidelines, one setting with a default text
* failures.py: a locked project, a full disk, a read-only file... as one line naming the file (CLI and window)

Everything other modules import from `app.core.store` is re-exported here.
"""
from __future__ import annotations

from .bulk import BulkMixin
from .clusters import ClusterChange, ClustersMixin
from .common import (DocRow, EntityRemoval, NotPermitted, ProjectError, QuoteRemoval, ServerGone, StaleEditError,
                     _entities,
                     _quotes, _stances, now, text_hash)
from .doclist import DocumentListMixin
from .edits import EditsMixin
from .failures import AccessDenied, DiskFull, DiskIOError, ProjectLocked, StorageFailure, describe_failure, \
    storage_failure
from .labels import LabelsMixin
from .leases import Lease, LeasesMixin
from .models import ModelsMixin
from .project import ProjectBase
from .reads import ReadsMixin
from .set_times import SetTimesMixin
from .team import TeamMixin

__all__ = ["AccessDenied", "ClusterChange", "DiskFull", "DiskIOError", "DocRow", "EntityRemoval", "Lease", "NotPermitted", "Project",
           "ProjectError",
           "ProjectLocked", "QuoteRemoval", "ServerGone", "StaleEditError", "StorageFailure", "describe_failure", "now",
           "storage_failure", "text_hash"]


class Project(ProjectBase, DocumentListMixin, LabelsMixin, EditsMixin, ClustersMixin, BulkMixin, ReadsMixin, LeasesMixin,
              ModelsMixin, SetTimesMixin, TeamMixin):
    """A project file. Open with `Project.open(path)`, create with `Project.create(path)`."""
