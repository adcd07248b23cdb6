"""The filter dimensions a reader may use, and filtering respondents by a selection.

Two dimensions: ``council_type`` (the four codebook types) and ``region_group``, the nine
regions merged into four groups coarse enough that every group, and every group's complement, holds
at least five councils (tested against the published cohort profile):

========================  =========================================================
region_group              regions
========================  =========================================================
``north``                 North East, North West, Yorkshire and the Humber
``midlands``              East Midlands, West Midlands
``south_and_east``        East of England, South East, South West
``london``                London
========================  =========================================================

A *selection* is a dict ``{dimension: code}``; a dimension left out (or set to ``"all"``) is not
filtered on.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import pandas as pd

from .codebook import Codebook, load_codebook

ALL = "all"

REGION_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "north": ("North", ("north_east", "north_west", "yorkshire_humber")),
    "midlands": ("Midlands", ("east_midlands", "west_midlands")),
    "south_and_east": ("South and East", ("east_of_england", "south_east", "south_west")),
    "london": ("London", ("london",)),
}

_TYPE_PLURALS = {
    "london_borough": "London boroughs",
    "county": "county councils",
    "metropolitan": "metropolitan councils",
    "unitary": "unitary councils",
}


@dataclass(frozen=True)
class Dimension:
    """A filter dimension: its id, its label for a reader, and its options (code -> label)."""

    id: str
    label: str
    description: str
    options: tuple[tuple[str, str], ...]

    def codes(self) -> list[str]:
        """Option codes in display order."""
        return [code for code, _ in self.options]

    def label_of(self, code: str) -> str:
        """Label of one option code."""
        return dict(self.options)[code]


def dimensions(codebook: Codebook | None = None) -> dict[str, Dimension]:
    """The filter dimensions, keyed by id.

    Examples
    --------
    >>> dims = dimensions()
    >>> dims["council_type"].codes()
    ['london_borough', 'county', 'metropolitan', 'unitary']
    >>> dims["region_group"].label_of("south_and_east")
    'South and East'
    """
    codebook = codebook or load_codebook()
    types = tuple((o.code, o.label) for o in codebook["council_type"].options)
    regions = tuple((code, label) for code, (label, _) in REGION_GROUPS.items())
    return {
        "council_type": Dimension("council_type", "Council type", "Show councils of this type", types),
        "region_group": Dimension("region_group", "Region", "Show councils in this group of regions", regions),
    }


def region_group(region: pd.Series) -> pd.Series:
    """Map region codes to region-group codes (missing or unknown regions stay missing).

    Examples
    --------
    >>> region_group(pd.Series(["north_east", "london", "south_west", None])).tolist()
    ['north', 'london', 'south_and_east', nan]
    """
    lookup = {region: group for group, (_, regions) in REGION_GROUPS.items() for region in regions}
    return region.map(lookup)


def with_groups(respondents: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of the respondents with a ``region_group`` column added (if not present).

    Examples
    --------
    >>> with_groups(pd.DataFrame({"region": ["west_midlands"]}))["region_group"].item()
    'midlands'
    """
    out = respondents.copy()
    if "region_group" not in out.columns:
        out["region_group"] = region_group(out["region"])
    return out


def clean_selection(selection: dict | None, dims: dict[str, Dimension] | None = None) -> dict[str, str]:
    """Validate a selection and drop its ``"all"`` entries.

    Raises
    ------
    ValueError
        naming the dimension or value that is not allowed (input from a browser is untrusted)

    Examples
    --------
    >>> clean_selection({"council_type": "county", "region_group": "all"})
    {'council_type': 'county'}
    """
    dims = dims or dimensions()
    out = {}
    for dim, value in (selection or {}).items():
        if dim not in dims:
            raise ValueError(f"'{dim}' is not a filter dimension")
        if value == ALL or value is None:
            continue
        if not isinstance(value, str) or value not in dims[dim].codes():
            raise ValueError(f"'{value}' is not an option of {dims[dim].label.lower()}")
        out[dim] = value
    return out


def filter_respondents(respondents: pd.DataFrame, selection: dict | None) -> pd.DataFrame:
    """Keep the respondents matching every entry of the selection.

    Examples
    --------
    >>> df = pd.DataFrame({"council_type": ["county", "unitary"], "region": ["north_west", "london"]})
    >>> len(filter_respondents(df, {"council_type": "county", "region_group": "north"}))
    1
    """
    selection = clean_selection(selection)
    data = with_groups(respondents)
    keep = pd.Series(True, index=data.index)
    for dim, value in selection.items():
        keep &= data[dim] == value
    return data[keep]


def filter_themes(themes: pd.DataFrame, respondents: pd.DataFrame) -> pd.DataFrame:
    """Keep the theme rows of the given respondents.

    Examples
    --------
    >>> th = pd.DataFrame({"respondent_id": [1, 2], "question_id": "q", "theme": "t"})
    >>> filter_themes(th, pd.DataFrame({"respondent_id": [2]}))["respondent_id"].tolist()
    [2]
    """
    return themes[themes["respondent_id"].isin(respondents["respondent_id"])]


def selection_label(selection: dict | None, dims: dict[str, Dimension] | None = None) -> str:
    """Describe the councils a selection covers, in plain words.

    Examples
    --------
    >>> selection_label({"council_type": "county", "region_group": "north"})
    'county councils in the North'
    >>> selection_label({})
    'councils'
    """
    dims = dims or dimensions()
    selection = clean_selection(selection, dims)
    noun = _TYPE_PLURALS.get(selection.get("council_type", ""), "councils")
    if "council_type" in selection and selection["council_type"] not in _TYPE_PLURALS:
        noun = dims["council_type"].label_of(selection["council_type"]) + " councils"
    if "region_group" in selection:
        noun += f" in {'the ' if selection['region_group'] != 'london' else ''}{dims['region_group'].label_of(selection['region_group'])}"
    return noun


def all_selections(dimension_ids: tuple[str, ...], dims: dict[str, Dimension] | None = None) -> list[dict[str, str]]:
    """Every selection a panel over these dimensions can make (``{}`` is everyone).

    Examples
    --------
    >>> len(all_selections(("council_type", "region_group")))
    25
    """
    dims = dims or dimensions()
    levels = [dims[d].codes() + [ALL] for d in dimension_ids]
    return [clean_selection(dict(zip(dimension_ids, combo)), dims) for combo in product(*levels)]
