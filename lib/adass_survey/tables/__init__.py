"""Tabulate respondents into tidy tables with bases and Wilson intervals; filter them by a selection.

May import: core.
"""
