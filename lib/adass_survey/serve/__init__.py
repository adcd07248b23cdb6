"""Serve the notebooks: the Voila kernel manager, the section navigation and the static export.

May import: core, present (the panel's static form) and report (the views catalogue, the static export's pages).
"""
