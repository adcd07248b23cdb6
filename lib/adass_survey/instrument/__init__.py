"""The instrument for a next wave, printed from the codebook: questionnaire, data dictionary, blank export template.

One job: turn ``data/codebook.yaml`` into the documents a survey team sends out and receives back, so that a new
wave's codebook gives a new questionnaire, dictionary and template with no code change, and a real export made
from the template runs through ``build`` unchanged.

May import: core, and present.html_block (nothing else of the package; no cycles).
"""
