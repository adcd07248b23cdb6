"""Tests of adass_survey.coding."""
