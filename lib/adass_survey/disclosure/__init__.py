"""One disclosure policy for every output: the policy, cell protection, view planning over filter
selections, and the two audits (the view audit and the exact, linear-programming audit).

May import: core, tables, published.
"""
