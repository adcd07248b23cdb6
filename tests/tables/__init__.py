"""Tests of adass_survey.tables."""
