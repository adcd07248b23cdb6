"""Serve the notebooks: the Voila kernel manager, the section navigation and the static export.

May import: core (and report for the static export's pages).
"""
