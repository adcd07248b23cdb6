"""Draw what a reader sees: HTML blocks, accessible charts, downloads, filter views and widgets.

May import: core, tables, published, disclosure, processed.
"""
