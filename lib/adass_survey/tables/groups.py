"""The filter dimensions a reader may use, and filtering respondents by a selection.

Two dimensions: ``council_type`` (the four codebook types) and ``region_group``, the nine
regions merged into four groups coarse enough that every group, and every group's complement, holds
at least five councils (tested against the published cohort profile). The groups are data:
``data/reference/region_groups.yaml``, read into :data:`REGION_GROUPS`.

Besides these, the codebook's ``answer_filters`` name closed questions whose answer a reader may
filter another question by (e.g. ``take_up_band``, the take-up band of section 2.1). An answer
dimension is offered in a panel of its own: :func:`check_panel` refuses to combine it with another
dimension, or to filter a question by its own answer.

A *selection* is a dict ``{dimension: code}``; a dimension left out (or set to ``"all"``) is not
filtered on.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import pandas as pd
import yaml

from ..core.codebook import Codebook, load_codebook
from ..core.paths import reference_dir

ALL = "all"


def load_region_groups(path=None) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Read the region groups (``data/reference/region_groups.yaml``): code -> (label, region codes).

    Raises
    ------
    ValueError
        When a region of the codebook is in no group or in two, or a group names an unknown region.

    Examples
    --------
    >>> groups = load_region_groups()
    >>> list(groups), groups["midlands"]
    (['north', 'midlands', 'south_and_east', 'london'], ('Midlands', ('east_midlands', 'west_midlands')))
    """
    with open(path or reference_dir() / "region_groups.yaml", encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["region_groups"]
    groups = {str(g["code"]): (str(g["label"]), tuple(str(r) for r in g["regions"])) for g in entries}
    listed = [r for _, regions in groups.values() for r in regions]
    regions = load_codebook()["region"].option_codes()
    if sorted(listed) != sorted(regions):
        raise ValueError(
            f"the region groups must hold each region of the codebook once: {sorted(listed)} against {sorted(regions)}"
        )
    return groups


REGION_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = load_region_groups()
"""Region group code -> (label, region codes), in display order (from ``data/reference/region_groups.yaml``)."""

_TYPE_PLURALS = {
    "london_borough": "London boroughs",
    "county": "county councils",
    "metropolitan": "metropolitan councils",
    "unitary": "unitary councils",
}


DEFAULT_DIMENSIONS = ("council_type", "region_group")
"""The filter dimensions a panel offers unless told otherwise: council type and region group."""


@dataclass(frozen=True)
class Dimension:
    """A filter dimension: its id (the respondents' column), its label for a reader, and its options (code -> label).

    ``question_id`` is set for an answer dimension: the codebook question whose answer it filters by.
    """

    id: str
    label: str
    description: str
    options: tuple[tuple[str, str], ...]
    all_label: str = "All"
    question_id: str | None = None

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
    >>> dims["take_up_band"].codes()  # an answer dimension, from the codebook's answer_filters
    ['below_60', '60_or_above', 'insufficient']
    """
    codebook = codebook or load_codebook()
    types = tuple((o.code, o.label) for o in codebook["council_type"].options)
    regions = tuple((code, label) for code, (label, _) in REGION_GROUPS.items())
    out = {
        "council_type": Dimension(
            "council_type", "Council type", "Show councils of this type", types, "All council types"
        ),
        "region_group": Dimension(
            "region_group", "Region", "Show councils in this group of regions", regions, "All regions"
        ),
    }
    for question_id in codebook.answer_filters:
        dim = answer_dimension(codebook, question_id)
        out[dim.id] = dim
    return out


def answer_dimension(codebook: Codebook, question_id: str) -> Dimension:
    """The filter dimension of a closed question's answer (for a percent_text question, its bands).

    Examples
    --------
    >>> dim = answer_dimension(load_codebook(), "take_up")
    >>> dim.id, dim.label, dim.label_of("below_60")
    ('take_up_band', 'Current take-up of personal budgets', 'Less than 60%')
    """
    question = codebook[question_id]
    if question.type == "percent_text":
        column = f"{question.id}_band"
        options = tuple((b.code, b.label) for b in question.bands)
        if question.unbanded is not None:
            options += ((question.unbanded.code, question.unbanded.label),)
    else:
        column, options = question.id, tuple((o.code, o.label) for o in question.options)
    label = question.short or question.header
    return Dimension(
        column,
        label,
        f"Show councils by their answer to: {question.header}",
        options,
        "All answers",
        question_id=question.id,
    )


def check_panel(
    dimension_ids: tuple[str, ...], question_id: str | None = None, dims: dict[str, Dimension] | None = None
) -> None:
    """Refuse a filter panel the disclosure checks do not cover.

    Council type and region group may be combined. An answer dimension stands alone (the exact audit models
    councils by type × region, or by one answer, not both), and never filters the question it is the answer of.

    Raises
    ------
    ValueError
        naming the dimensions and why

    Examples
    --------
    >>> check_panel(("council_type", "region_group"), "strategy")
    >>> check_panel(("take_up_band",), "full_take_up_year")
    >>> check_panel(("council_type", "take_up_band"), "strategy")
    Traceback (most recent call last):
    ...
    ValueError: the answer filter 'take_up_band' must be the only filter of its panel, not combined with ['council_type']
    """
    dims = dims or dimensions()
    unknown = [d for d in dimension_ids if d not in dims]
    if unknown:
        raise ValueError(f"unknown filter dimensions {unknown}; choose from {sorted(dims)}")
    answers = [d for d in dimension_ids if dims[d].question_id]
    if answers and len(dimension_ids) > 1:
        others = [d for d in dimension_ids if d != answers[0]]
        raise ValueError(
            f"the answer filter '{answers[0]}' must be the only filter of its panel, not combined with {others}"
        )
    for d in answers:
        if question_id is not None and dims[d].question_id == question_id:
            raise ValueError(f"'{question_id}' cannot be filtered by its own answer ('{d}')")


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


def selection_label(selection: dict | None, dims: dict[str, Dimension] | None = None) -> str:
    """Describe the councils a selection covers, in plain words.

    Examples
    --------
    >>> selection_label({"council_type": "county", "region_group": "north"})
    'county councils in the North'
    >>> selection_label({})
    'councils'
    >>> selection_label({"take_up_band": "below_60"})
    'councils answering "Less than 60%" (current take-up of personal budgets)'
    """
    dims = dims or dimensions()
    selection = clean_selection(selection, dims)
    answers = [d for d in selection if dims[d].question_id]
    if answers:
        dim = dims[answers[0]]
        return f'councils answering "{dim.label_of(selection[dim.id])}" ({dim.label[:1].lower()}{dim.label[1:]})'
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


def selection_key(selection: dict | None) -> tuple:
    """Hashable key of a selection (``"all"`` entries dropped).

    Examples
    --------
    >>> selection_key({"region_group": "north", "council_type": "all"})
    (('region_group', 'north'),)
    """
    return tuple(sorted((k, v) for k, v in (selection or {}).items() if v not in (ALL, None)))
