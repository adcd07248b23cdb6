"""Tests of adass_survey.clean."""
