"""Tests of adass_survey.ingest."""
