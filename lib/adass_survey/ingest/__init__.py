"""Read a raw survey-tool export: decode its bytes, parse CSV or .xlsx, map its columns onto the codebook,
and refuse a file that is not a survey export with a message naming file, row and column.

May import: core.
"""
