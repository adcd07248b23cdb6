"""Foundations every stage uses: errors a reader can act on, the project's paths, the codebook
(the questionnaire as data) and replacing an output folder atomically.

May import: nothing else of the package.
"""
