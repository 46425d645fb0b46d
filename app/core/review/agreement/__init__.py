"""Inter-annotator agreement: entity span F1 per pair, Cohen's kappa and Krippendorff's alpha on stance and on quote
speaker attribution, and per-document figures that point at the articles annotators read differently.

Pure functions over plain rows (no Qt, no SQL): `Project.iter_agreement_rows` feeds them in one pass ordered by
document, and `from_annotation_sets` adapts model objects, so the CLI, the GUI dashboard and the tests share them.

Conventions, chosen so that every figure is defined or explicitly absent (None, printed "-"), never NaN:

* The gold annotator never takes part; only documents annotated by at least two annotators are compared.
* Entities are compared as sets of (start, end, label): an annotator who tags the same span twice with the same
  label agreed with themselves, not with anyone else.
* Precision and recall of a pair (A, B) take A (the first name, alphabetically) as the reference: recall is the
  share of A's entities that B found, precision the share of B's entities that A has. F1 is symmetric.
* F1 with no entity on either side is None (nothing to compare), as are kappa and alpha without a pairable unit
  or with a single category used throughout (chance agreement is total: the statistic is 0/0).
* Stance and speaker units are matched across annotators; an annotator who left a unit uncoded is a missing
  value (not a category), as Krippendorff prescribes. How many units only one annotator coded is reported beside.

One responsibility per module, everything public re-exported here:

* inputs.py:      SetRows and DocAnnotations, read from the store (read_project) or from model objects
* spans.py:       entity matching and precision / recall / F1 per pair and per label
* units.py:       quotes and stances matched across annotators into units
* categorical.py: Cohen's kappa and Krippendorff's alpha over those units
* report.py:      the whole report (compute, project_agreement), worst documents, JSON and text output
"""
from __future__ import annotations

from .categorical import (CategoricalAgreement, KappaPair, alpha_from_observations, categorical_agreement,
                          cohen_kappa, krippendorff_alpha)
from .inputs import DocAnnotations, SetRows, Span, from_annotation_sets, read_project
from .report import (AgreementReport, DocumentAgreement, PairAgreement, compute, format_report, project_agreement,
                     worst_documents)
from .spans import PRF, EntityAgreement, entity_agreement, match_overlaps
from .units import NO_SPEAKER, document_units, norm_text, quote_units

__all__ = ["NO_SPEAKER", "PRF", "AgreementReport", "CategoricalAgreement", "DocAnnotations", "DocumentAgreement",
           "EntityAgreement", "KappaPair", "PairAgreement", "SetRows", "Span", "alpha_from_observations",
           "categorical_agreement", "cohen_kappa", "compute", "document_units", "entity_agreement", "format_report",
           "from_annotation_sets", "krippendorff_alpha", "match_overlaps", "norm_text", "project_agreement",
           "quote_units", "read_project", "worst_documents"]
