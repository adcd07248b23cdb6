"""The report's printed figures (the ground truth) and their reconciliation with the data.

May import: core, tables, processed.
"""
