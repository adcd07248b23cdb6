"""Redaction of free text: identifiers go, the report's own quotes stay readable."""

import pandas as pd
import pytest

from adass_survey.disclosure.redact import COUNCIL_NAMES, REDACTED, example_answers, redact

# Verbatim quotes printed in the report (sections 2.3, 3.1, 3.2, 4.5, 7.2, 8, 10.2, 11.2).
REPORT_QUOTES = [
    "we believe that further discussion is required in relation to the calculation of indicator NI130, as the "
    "denominator used currently includes customers who may not be eligible for self directed support, but are "
    "receiving community based services funded by the council.",
    "customer journey has been developed to embed personalisation and the offer of personal budgets, as the new "
    "business operating model for adult social care",
    "The Empower card enables the customer to manage their PB and in doing so streamlines the way they manage their "
    "money. They can access their balance 24hrs a day and make payments online and over the phone.",
    "The unit cost of services provided by the council has been benchmarked and is £150 per person cheaper than "
    "services in three neighbouring authorities",
    "Our third sector consortium of support plan brokers are paid on an hourly basis. The current hourly rate is "
    "£14.00 an hour. We expect support plans to be developed as a standard within 2 hours and the more complex ones "
    "within 5 hours.",
    "We have a policy which supports staff to enable positive risk taking.  There is also a Risk Enablement Board "
    "which can be convened if any party feels there is an issue regarding risk which cannot be resolved.",
    "We currently have no plans to make this transition as we do not feel that the accounting and finance system is "
    "the most appropriate part of the council’s IT systems to hold this data.",
    "We are also growing community capacity... through our contract with The Campaign Company to deliver 'Engaging "
    "Communities, Expanding Choices'. This contract aims to increase the number of micro businesses, ULO's and social "
    "enterprises to meet people’s needs differently. We are participating in the JIP funded e-marketplace which will "
    "be in place before April 2012.",
    "In addition to Personalisation and Self-Directed Support Training, which was attended by 92 staff at 11 sessions "
    'from Nov 10 - Mar 11, 249 social work staff attended 7 Self-Directed Support "Master Classes" between April and '
    "June 2011.",
    "Adult Social Care runs a Keeping House market development programme with two key strands",
]


@pytest.mark.parametrize("quote", REPORT_QUOTES)
def test_report_quotes_come_through_unchanged(quote):
    assert redact(quote) == quote


def test_named_organisations_and_products_are_kept():
    text = "Our contract with The Campaign Company and the Empower card via Shop4support."
    assert redact(text) == text


@pytest.mark.parametrize(
    "text,gone",
    [
        ("Please email j.smith@somewhere.gov.uk for the toolkit.", "j.smith@somewhere.gov.uk"),
        ("Call 0113 247 8000 or +44 (0)20 7946 0000.", "0113 247 8000"),
        ("See https://www.example.org.uk/dp-guide and www.ourcouncil.gov.uk.", "https://www.example.org.uk/dp-guide"),
        ("Cllr Patel and Mrs Jones sit on the panel.", "Patel"),
        ("Our lead, Sarah Thompson, runs the master classes.", "Thompson"),
        ("The Director of Adult Services for Kent chairs it.", "Kent"),
        ("Head of Commissioning at Wirral agreed the plan.", "Wirral"),
        ("Leeds City Council and the London Borough of Sutton share a model.", "Sutton"),
        ("Our pilot in Stoke-on-Trent and Kingston upon Hull went well.", "Stoke-on-Trent"),
        ("Unlike Kirklees County Council we pay weekly.", "Kirklees"),
    ],
)
def test_identifiers_are_redacted(text, gone):
    out = redact(text)
    assert gone not in out and REDACTED in out


def test_every_council_name_is_redacted_in_context():
    assert len(COUNCIL_NAMES) == 152 == len(set(COUNCIL_NAMES))
    for name in COUNCIL_NAMES:
        assert name not in redact(f"We worked with colleagues in {name} on this."), name


def test_common_words_are_not_mistaken_for_places():
    text = "We will bury old processes, keep reading the guidance and review people at 6 weeks in April 2013."
    assert redact(text) == text


def test_extra_terms_from_a_reviewer():
    assert redact("Our Keeping House programme", extra_terms=("keeping house",)) == f"Our {REDACTED} programme"


def _survey(n_theme):
    resp = pd.DataFrame(
        {
            "respondent_id": range(1, 11),
            "risk_management": [f"Risk panel {i} meets in Leeds; contact risk{i}@x.gov.uk" for i in range(1, 11)],
        }
    )
    themes = pd.DataFrame(
        {"respondent_id": range(1, n_theme + 1), "question_id": "risk_management", "theme": "risk_panels"}
    )
    return themes, resp


def test_example_answers_are_redacted_repeatable_and_bounded():
    themes, resp = _survey(8)
    first = example_answers(themes, resp, "risk_management", "risk_panels", k=3, seed=1)
    assert len(first) == 3 and len(set(first)) == 3
    assert all("Leeds" not in t and "@" not in t and REDACTED in t for t in first)
    assert first == example_answers(themes, resp, "risk_management", "risk_panels", k=3, seed=1)
    ids = {int(t.split()[2]) for t in first}
    assert ids <= set(range(1, 9))


def test_no_examples_for_a_theme_with_few_councils():
    themes, resp = _survey(3)
    assert example_answers(themes, resp, "risk_management", "risk_panels") == []
