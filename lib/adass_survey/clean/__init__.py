"""Turn the strings of a raw export into typed, coded respondents; quarantine faulty rows with reasons.

May import: core, ingest.
"""
