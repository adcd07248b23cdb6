"""Tests of adass_survey.serve."""
