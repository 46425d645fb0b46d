"""A named-entity recogniser trained in the tool, from the project's own annotations, on a laptop CPU.

No model can be downloaded at run time, so the recogniser is a linear-chain CRF (python-crfsuite) over Arabic
features the project already knows how to compute: clitic-stripped forms from the snapper, affixes, normalised match
keys, gazetteer membership, word shape and a context window. One responsibility per module:

* sequences.py: documents -> sentences of tokens (clitics split off as the snapper would), BIO tags <-> spans
* gazetteer.py: known names indexed by their token keys, matched over a sentence (longest first)
* features.py:  the feature strings of every token of a sentence
* clusters.py:  word clusters learnt from unlabelled news (resources/arabic/word_clusters.tsv), read once
* build_clusters.py: rebuilds that file (`python -m app.core.learn.build_clusters`)
* lexicon.py:   word lists (places, nationalities, first names, organisation words, titles) as features
* score.py:     entity-level exact-span precision / recall / F1 (seqeval's definition), per label and micro
* crf.py:       training (python-crfsuite) and tagging with per-span confidence
* modelfile.py: the model as bytes (format version, labels, metrics, gazetteer, the CRF itself); refusals
* training.py:  a project's annotated sets -> examples, the document-level split, train + held-out report
* predict.py:   a model's spans written as a machine annotator's sets
* curve.py:     the learning curve (held-out F1 against documents learnt from)
"""
