"""Compare my council: set one council's answers beside the report's published national figures, privately.

One job: build the form from the codebook (which closed questions, which options), compare each answer with the
published figures only (``data/published/figures.csv``, never the synthetic respondent data), write the one-page
summary, and hold the answers in widgets only while the page is open (nothing is written anywhere). The kernel stays
light: files are read with ``csv`` and ``yaml``; pandas and matplotlib are never imported.

May import: core, and present.rich (nothing else of the package; no module here imports another subpackage).
"""
