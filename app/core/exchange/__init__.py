"""What crosses the project's boundary: files in (importer; defaults imports the seed articles into a new default
project), JSONL lines out (exporter) and one annotator's work carried to a reviewer (bundle). The top of the core:
it combines io/ (file formats) with store/ (the project), and nothing in the core imports it back."""
