"""Tests of adass_survey.pages."""
