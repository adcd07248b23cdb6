"""Serve the pages: standalone Voilà's handlers (one render per page version), the headers of every route, the
``serve`` command, and the deploy recipe's nginx and supervisord configuration.

May import: core, pages (what a page is made of) and report (the views catalogue a page's version includes).
"""
