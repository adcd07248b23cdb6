"""The processed data: its schema, the build that writes it (raw export -> tidy files) and the
reader that loads it for notebooks.

May import: core, ingest, clean, coding.
"""
