"""Code free-text answers into the themes of the codebook's coding frames.

May import: core.
"""
