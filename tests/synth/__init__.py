"""Tests of adass_survey.synth."""
