"""Tests of adass_survey.disclosure."""
