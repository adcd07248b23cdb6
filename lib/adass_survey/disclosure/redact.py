"""Screen free-text answers before a page shows them: direct identifiers become ``[redacted]``.

Redacted: names of the 152 English councils with adult social care duties in 2011 and of common
English places (a compact built-in list, below, as data), "X County Council" / "London Borough of
X" style names, people's names (a title such as Mr or Cllr followed by a capitalised name; a first
name from a short list followed by a capitalised surname), job titles tied to a place ("Director of
Adult Services for X"), email addresses, telephone numbers and web addresses.

Kept: names of organisations, programmes and products that are not councils, places or people
("The Campaign Company", "Empower card", "Keeping House", "Shop4support"), because the report
printed them and removing every capitalised phrase would make the answers unreadable. Such names
can still point to a council indirectly: ``extra_terms`` lets a reviewer add any phrase to redact,
and examples from a real export should be read by a person before a dashboard is published.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .policy import DisclosurePolicy

REDACTED = "[redacted]"

# The 152 councils with adult social services responsibilities in England, 2011 (short names).
COUNCIL_NAMES: tuple[str, ...] = (
    # London (32 boroughs and the City)
    "Barking and Dagenham",
    "Barnet",
    "Bexley",
    "Brent",
    "Bromley",
    "Camden",
    "City of London",
    "Croydon",
    "Ealing",
    "Enfield",
    "Greenwich",
    "Hackney",
    "Hammersmith and Fulham",
    "Haringey",
    "Harrow",
    "Havering",
    "Hillingdon",
    "Hounslow",
    "Islington",
    "Kensington and Chelsea",
    "Kingston upon Thames",
    "Lambeth",
    "Lewisham",
    "Merton",
    "Newham",
    "Redbridge",
    "Richmond upon Thames",
    "Southwark",
    "Sutton",
    "Tower Hamlets",
    "Waltham Forest",
    "Wandsworth",
    "Westminster",
    # Metropolitan (36)
    "Bolton",
    "Bury",
    "Manchester",
    "Oldham",
    "Rochdale",
    "Salford",
    "Stockport",
    "Tameside",
    "Trafford",
    "Wigan",
    "Knowsley",
    "Liverpool",
    "St Helens",
    "Sefton",
    "Wirral",
    "Barnsley",
    "Doncaster",
    "Rotherham",
    "Sheffield",
    "Gateshead",
    "Newcastle upon Tyne",
    "North Tyneside",
    "South Tyneside",
    "Sunderland",
    "Birmingham",
    "Coventry",
    "Dudley",
    "Sandwell",
    "Solihull",
    "Walsall",
    "Wolverhampton",
    "Bradford",
    "Calderdale",
    "Kirklees",
    "Leeds",
    "Wakefield",
    # Counties (27)
    "Buckinghamshire",
    "Cambridgeshire",
    "Cumbria",
    "Derbyshire",
    "Devon",
    "Dorset",
    "East Sussex",
    "Essex",
    "Gloucestershire",
    "Hampshire",
    "Hertfordshire",
    "Kent",
    "Lancashire",
    "Leicestershire",
    "Lincolnshire",
    "Norfolk",
    "North Yorkshire",
    "Northamptonshire",
    "Nottinghamshire",
    "Oxfordshire",
    "Somerset",
    "Staffordshire",
    "Suffolk",
    "Surrey",
    "Warwickshire",
    "West Sussex",
    "Worcestershire",
    # Unitary (56)
    "Darlington",
    "Durham",
    "Hartlepool",
    "Middlesbrough",
    "Northumberland",
    "Redcar and Cleveland",
    "Stockton-on-Tees",
    "Blackburn with Darwen",
    "Blackpool",
    "Cheshire East",
    "Cheshire West and Chester",
    "Halton",
    "Warrington",
    "East Riding of Yorkshire",
    "Kingston upon Hull",
    "North East Lincolnshire",
    "North Lincolnshire",
    "York",
    "Derby",
    "Leicester",
    "Nottingham",
    "Rutland",
    "Herefordshire",
    "Shropshire",
    "Stoke-on-Trent",
    "Telford and Wrekin",
    "Bedford",
    "Central Bedfordshire",
    "Luton",
    "Peterborough",
    "Southend-on-Sea",
    "Thurrock",
    "Bracknell Forest",
    "Brighton and Hove",
    "Isle of Wight",
    "Medway",
    "Milton Keynes",
    "Portsmouth",
    "Reading",
    "Slough",
    "Southampton",
    "West Berkshire",
    "Windsor and Maidenhead",
    "Wokingham",
    "Bath and North East Somerset",
    "Bournemouth",
    "Bristol",
    "Cornwall",
    "Isles of Scilly",
    "North Somerset",
    "Plymouth",
    "Poole",
    "South Gloucestershire",
    "Swindon",
    "Torbay",
    "Wiltshire",
)

# Other common place names that would point to a council (county towns, cities, short forms).
PLACE_NAMES: tuple[str, ...] = (
    "Hull",
    "Stoke",
    "Newcastle",
    "Brighton",
    "Hove",
    "Oxford",
    "Cambridge",
    "Norwich",
    "Ipswich",
    "Exeter",
    "Gloucester",
    "Worcester",
    "Lincoln",
    "Preston",
    "Lancaster",
    "Carlisle",
    "Chester",
    "Chelmsford",
    "Maidstone",
    "Guildford",
    "Winchester",
    "Truro",
    "Taunton",
    "Dorchester",
    "Lewes",
    "Chichester",
    "Northampton",
    "Hertford",
    "Stafford",
    "Warwick",
    "Matlock",
    "Trowbridge",
    "Aylesbury",
    "Kendal",
    "Northallerton",
    "Beverley",
    "Scunthorpe",
    "Grimsby",
    "Huddersfield",
    "Halifax",
    "Teesside",
    "Tyneside",
    "Merseyside",
    "Greater Manchester",
    "West Midlands",
    "South Yorkshire",
    "West Yorkshire",
    "Black Country",
    "Cheshire",
    "Yorkshire",
    "Sussex",
    "Berkshire",
    "Bedfordshire",
    "Somerset",
)

_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Cllr|Councillor|Sir|Dame|Lord|Lady|Rev|Revd)"
_FIRST_NAMES = (
    "John",
    "David",
    "Peter",
    "Paul",
    "Michael",
    "James",
    "Robert",
    "Richard",
    "Andrew",
    "Stephen",
    "Christopher",
    "Simon",
    "Ian",
    "Alan",
    "Martin",
    "Graham",
    "Kevin",
    "Gary",
    "Steve",
    "Tony",
    "Neil",
    "Mike",
    "Chris",
    "Dave",
    "Sarah",
    "Susan",
    "Helen",
    "Elizabeth",
    "Jane",
    "Julie",
    "Karen",
    "Claire",
    "Emma",
    "Rachel",
    "Catherine",
    "Margaret",
    "Mary",
    "Anne",
    "Linda",
    "Nicola",
    "Joanne",
    "Gillian",
    "Patricia",
    "Janet",
    "Lisa",
    "Angela",
    "Deborah",
    "Fiona",
    "Alison",
    "Caroline",
    "Louise",
    "Tracey",
    "Amanda",
    "Sue",
    "Liz",
    "Kate",
)
_NAME = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_JOBS = (
    r"(?:Assistant |Deputy |Executive |Strategic )?(?:Director|Head|Chief Executive|Cabinet Member|Lead Member|"
    r"Portfolio Holder|Service Manager|Commissioning Manager)"
)


def _alternation(names) -> str:
    return "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))


_PLACES = _alternation(COUNCIL_NAMES + PLACE_NAMES)
_PATTERNS: tuple[re.Pattern, ...] = (
    re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(
        r"(?:https?://|www\.)[^\s<>\"')]+[^\s<>\"').,;:!?]|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|org|co|nhs|ac)\.uk\b\S*"
    ),
    re.compile(r"(?:\+44\s?(?:\(0\)\s?)?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),
    re.compile(
        rf"\b(?:(?:London |Royal )?Borough|City|County|Council) of (?:the )?(?:{_PLACES}|{_NAME})(?:\s(?:{_NAME}))*"
    ),
    re.compile(
        rf"\b(?:{_NAME}\s)*{_NAME}\s(?:County|City|Borough|District|Metropolitan Borough|Metropolitan District|Unitary)\s+Council\b"
    ),
    re.compile(
        rf"\b{_JOBS}\b[\w ,&]{{0,50}}?\b(?:for|at|in)\s+(?:the\s+)?(?:{_PLACES}|{_NAME}(?:\s(?:and|upon|on)?\s?{_NAME})*)"
    ),
    re.compile(rf"\b{_TITLES}\.?\s+{_NAME}(?:\s+{_NAME})?"),
    re.compile(rf"\b(?:{'|'.join(_FIRST_NAMES)})\s+{_NAME}"),
    re.compile(rf"(?<![\w-])(?:{_PLACES})(?![\w-])"),
)


def redact(text: str, extra_terms: tuple[str, ...] = ()) -> str:
    """Replace direct identifiers in a free-text answer with ``[redacted]``.

    Parameters
    ----------
    text : the answer
    extra_terms : further phrases a reviewer wants removed (matched case-insensitively)

    Examples
    --------
    >>> redact("Contact Mrs Jones at jones@kent.gov.uk or 01622 123456.")
    'Contact [redacted] at [redacted] or [redacted].'
    >>> redact("The Director of Adult Services for Kent chairs the panel.")
    'The [redacted] chairs the panel.'
    >>> redact("We use the Empower card, as in Sutton and Merton.")
    'We use the Empower card, as in [redacted] and [redacted].'
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    out = str(text)
    patterns = list(_PATTERNS)
    if extra_terms:
        patterns.insert(0, re.compile(_alternation(extra_terms), re.IGNORECASE))
    for pattern in patterns:
        out = pattern.sub(REDACTED, out)
    return out


def example_answers(
    themes: pd.DataFrame,
    respondents: pd.DataFrame,
    question_id: str,
    theme: str,
    k: int = 3,
    seed: int = 2011,
    policy: DisclosurePolicy | None = None,
    extra_terms: tuple[str, ...] = (),
) -> list[str]:
    """Pick up to ``k`` answers coded to a theme, redacted, in a repeatable random order.

    No examples are given for a theme that fewer than the disclosure threshold of the given
    respondents mention (showing them would reveal a small count).

    Parameters
    ----------
    themes : long theme table (respondent_id, question_id, theme)
    respondents : processed respondents, with the raw text column ``question_id``
    question_id, theme : what to illustrate
    k : how many examples at most
    seed : random seed, so a page shows the same examples each time

    Examples
    --------
    >>> resp = pd.DataFrame({"respondent_id": range(1, 7), "risk_management": [
    ...     "Risk panels meet monthly in Leeds."] * 6})
    >>> th = pd.DataFrame({"respondent_id": range(1, 7), "question_id": "risk_management", "theme": "risk_panels"})
    >>> example_answers(th, resp, "risk_management", "risk_panels", k=1)
    ['Risk panels meet monthly in [redacted].']
    """
    policy = policy or DisclosurePolicy.from_env()
    rows = themes[(themes["question_id"] == question_id) & (themes["theme"] == theme)]
    ids = rows["respondent_id"].drop_duplicates()
    ids = ids[ids.isin(respondents["respondent_id"])]
    if policy.is_small(len(ids)):
        return []
    texts = respondents.set_index("respondent_id").loc[ids.tolist(), question_id].dropna().astype(str).str.strip()
    texts = texts[texts != ""].drop_duplicates()
    if texts.empty:
        return []
    order = np.random.default_rng(seed).permutation(len(texts))[:k]
    return [redact(texts.iloc[i], extra_terms) for i in order]
