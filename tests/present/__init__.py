"""Tests of adass_survey.present."""
