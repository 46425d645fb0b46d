"""Help while annotating: clitic-aware snapping (clitics), spelling-insensitive occurrences (occurrences), quote
suggestions from reporting patterns (suggest), tag-all (tagall) and the project's gazetteer (gazetteer). Proposals
only: nothing here writes an annotation the annotator did not accept."""
