"""The names of the environment variables that change what the library computes.

A name lives here, in a module that imports nothing, so that the light readers (the views catalogue, which a
dashboard kernel reads without pandas or numpy) and the heavy users (the disclosure policy) share one spelling.

Examples
--------
>>> from adass_survey.disclosure.policy import DisclosurePolicy
>>> THRESHOLD_ENV, DisclosurePolicy.from_env({THRESHOLD_ENV: "10"}).threshold, DisclosurePolicy.from_env({}).threshold
('ADASS_DISCLOSURE_THRESHOLD', 10, 5)
"""

from __future__ import annotations

THRESHOLD_ENV = "ADASS_DISCLOSURE_THRESHOLD"
"""The disclosure threshold's override (a whole number of at least 1; 5 when unset), read by
:meth:`adass_survey.disclosure.policy.DisclosurePolicy.from_env` and part of the catalogue's key."""
