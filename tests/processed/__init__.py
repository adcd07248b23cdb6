"""Tests of adass_survey.processed."""
