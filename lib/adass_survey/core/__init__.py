"""Foundations every stage uses: errors a reader can act on, the project's paths, the names of the environment
variables that change results, the codebook (the questionnaire as data) and replacing an output folder atomically.

May import: nothing else of the package.
"""
