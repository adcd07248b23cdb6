"""Compare my council: set one council's answers beside the report's published national figures, privately.

One job: build the form from the codebook (which closed questions, which options), compare each answer with the
published figures only (``data/published/figures.csv``, never the synthetic respondent data), and draw the page as
plain HTML holding every answer's block, so that choosing an answer happens in the reader's browser alone: nothing
is sent, saved or logged. Researchers compare answers given in code (:mod:`adass_survey.compare.answers`). Files are
read with ``yaml`` and the package's one CSV reader (:mod:`adass_survey.core.csv_rows`); percentages and intervals come from
:mod:`adass_survey.core.proportions`; pandas and matplotlib are never imported.

May import: core, present.html_block, present.panel (whether a reader's page is drawn) and present.choices (the
template folder, where :mod:`~adass_survey.compare.style` writes the form's rules); nothing else of the package.
"""
