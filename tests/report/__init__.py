"""Tests of adass_survey.report."""
