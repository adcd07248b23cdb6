"""Tests of adass_survey.core."""
