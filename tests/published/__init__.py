"""Tests of adass_survey.published."""
