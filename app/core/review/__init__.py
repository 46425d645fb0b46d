"""Comparing annotators: adjudication units and the gold set (adjudication) and inter-annotator agreement
(agreement/). Reads annotation sets; writes only through the store."""
