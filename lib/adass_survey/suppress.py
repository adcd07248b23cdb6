"""One disclosure policy for every table, chart, filter result and download.

The rules (reasoning in ``docs/disclosure-policy.md``):

* a count of 1 to ``threshold - 1`` councils is shown as ``[c]`` (the GSS symbol), with its
  percentage and interval, and a footnote explains it; zeros are shown;
* *secondary suppression*: in every additive line (the categories of a view and its base; a
  multi-choice option and its "not ticked" complement; a cell of one group and the same cell of the
  other groups of a filter dimension and of everyone) a suppressed cell never stands alone, and the
  suppressed cells of a line whose total is shown add up to at least ``threshold``;
* *complement rule*: a cell of a filtered group is suppressed when everyone's cell minus the group's
  cell is 1 to ``threshold - 1``; a whole group is withheld (plain message, no table) when its base or
  its complement's base is;
* the report's own printed national figures (``published=True``) are shown as published.

Build dashboard views with :func:`suppress_views`, which suppresses every group of every filter
combination *together*, so no view can be differenced against another; then check them with
:func:`audit_views`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import product
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from . import SYNTHETIC_NOTICE
from .errors import DisclosureError
from .groups import ALL, all_selections, dimensions, filter_respondents, selection_label, with_groups
from .tabulate import round_half_up

SUPPRESSED = "[c]"
PUBLISHED_NOTE = "As published in the report."
ENV_THRESHOLD = "ADASS_DISCLOSURE_THRESHOLD"


@dataclass(frozen=True)
class DisclosurePolicy:
    """The disclosure threshold and the wording that goes with it.

    Examples
    --------
    >>> p = DisclosurePolicy()
    >>> [p.is_small(n) for n in (0, 1, 4, 5)]
    [False, True, True, False]
    >>> p.group_message(17, 58) is None
    True
    >>> p.group_message(3, 58)
    'Too few councils to show (fewer than 5): choose a wider filter.'
    """

    threshold: int = 5

    def __post_init__(self):
        if not isinstance(self.threshold, (int, np.integer)) or self.threshold < 1:
            raise ValueError(f"the disclosure threshold must be a whole number of at least 1, not {self.threshold!r}")

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "DisclosurePolicy":
        """Policy with the threshold from ``ADASS_DISCLOSURE_THRESHOLD`` (default 5).

        Examples
        --------
        >>> DisclosurePolicy.from_env({"ADASS_DISCLOSURE_THRESHOLD": "10"}).threshold
        10
        """
        environ = os.environ if environ is None else environ
        raw = environ.get(ENV_THRESHOLD, "").strip()
        if not raw:
            return cls()
        try:
            return cls(int(raw))
        except ValueError:
            raise ValueError(f"{ENV_THRESHOLD} must be a whole number of at least 1, not '{raw}'") from None

    def is_small(self, count) -> bool:
        """True for a count from 1 to threshold - 1."""
        return 0 < count < self.threshold

    @property
    def footnote(self) -> str:
        """The footnote that explains ``[c]``."""
        return (
            f"[c] confidential: fewer than {self.threshold} councils, or a figure that would let such a count "
            "be worked out, so not shown to keep responding councils anonymous."
        )

    @property
    def small_group_message(self) -> str:
        """What a reader sees instead of a table for a group that is too small."""
        return f"Too few councils to show (fewer than {self.threshold}): choose a wider filter."

    @property
    def linked_group_message(self) -> str:
        """What a reader sees for a group withheld because it would reveal a small group by differencing."""
        return (
            "This group cannot be shown because, compared with other views, it would reveal a group of fewer "
            f"than {self.threshold} councils: choose a wider filter."
        )

    @property
    def few_answers_message(self) -> str:
        """What a reader sees when too few councils of a group answered the question."""
        return f"Too few councils in this group answered this question to show (fewer than {self.threshold})."

    def group_message(self, base: int, total: int) -> str | None:
        """Plain message if a group of ``base`` councils out of ``total`` must not be shown, else None."""
        if self.is_small(base) or self.is_small(total - base):
            return self.small_group_message
        return None

    def published(self, table: pd.DataFrame, title: str = "") -> "SuppressedTable":
        """Wrap a national table the report printed: shown as published, nothing suppressed."""
        mask = np.zeros(len(table), dtype=bool)
        return _to_suppressed(table, mask, self, published=True, title=title)

    def suppress(
        self, table: pd.DataFrame, *, national: pd.DataFrame | None = None, published_national: bool = False,
        title: str = "", selection: dict | None = None,
    ) -> "SuppressedTable":
        """Suppress one table; with ``national``, also protect the group against differencing.

        Parameters
        ----------
        table : a table from :mod:`adass_survey.tabulate` (true counts)
        national : the same table for everyone, when ``table`` is for a filtered group
        published_national : the national table is the report's own and is shown unsuppressed

        Examples
        --------
        >>> from adass_survey.tabulate import frequency_table
        >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 3}), "dp_restrictions")
        >>> DisclosurePolicy().suppress(t).display["Councils"].tolist()
        ['[c]', '[c]', '0']
        """
        forced = None
        if national is None:
            grid, lattice_ndim = _as_grid(table), 0
        else:
            g, n = _as_grid(table), _as_grid(national)
            grid, lattice_ndim = np.stack([g, n - g, n]), 1
            forced = np.zeros(grid.shape, dtype=bool)
            forced[-1] = published_national
        mask = protect(grid, self.threshold, lattice_ndim=lattice_ndim, kind=table.attrs["kind"], forced=forced)
        mask = mask if national is None else mask[0]
        return _view_table(table, mask, self, title=title, selection=selection)


def _as_grid(table: pd.DataFrame) -> np.ndarray:
    """Counts of a tidy table as an array whose every total axis ends with its total."""
    kind = table.attrs["kind"]
    if kind == "additive":
        return np.append(table["count"].to_numpy(int), int(table["base"].iloc[0]) if len(table) else 0)
    if kind == "binary":
        count, base = table["count"].to_numpy(int), table["base"].to_numpy(int)
        return np.stack([count, base - count, base], axis=1)
    if kind == "crosstab":
        wide = table.pivot_table(index="row_category", columns="col_category", values="count", aggfunc="sum", sort=False)
        wide = wide.reindex(index=table["row_category"].unique(), columns=table["col_category"].unique())
        arr = wide.to_numpy(int)
        arr = np.vstack([arr, arr.sum(axis=0)])
        return np.hstack([arr, arr.sum(axis=1, keepdims=True)])
    raise ValueError(f"unknown table kind '{kind}'")


def _total_axes(kind: str) -> tuple[bool, ...]:
    """Which category axes of a grid end with a total."""
    return {"groups": (), "additive": (True,), "binary": (False, True), "crosstab": (True, True)}[kind]


# --------------------------------------------------------------------------------------------
# The suppression algorithm: primary cells, then lines protected until nothing changes.
# --------------------------------------------------------------------------------------------


def _line_protected(values: np.ndarray, sup: np.ndarray, threshold: int) -> bool:
    """A line (cells then total) is safe: nothing suppressed, or two or more with a safe sum."""
    n_sup = int(sup.sum())
    if n_sup == 0 or (values[-1] == 0 and not sup[-1]):
        return True
    if n_sup == 1:
        return False
    if sup[-1]:
        return True
    hidden = int(values[:-1][sup[:-1]].sum())
    return hidden >= threshold


def _next_cell(values: np.ndarray, sup: np.ndarray, forced: np.ndarray) -> int | None:
    """The cell to suppress next: smallest non-zero cell, then the total, then a zero cell."""
    free = ~sup & ~forced
    interior = np.arange(len(values)) < len(values) - 1
    for pick in (free & interior & (values > 0), free & ~interior & (values > 0), free):
        if pick.any():
            candidates = np.flatnonzero(pick)
            return int(candidates[np.argmin(values[candidates])])
    return None


def _protect_lines(values, mask, forced, axis: int, threshold: int) -> bool:
    """Protect every line along one axis in place; True if anything changed."""
    v, m, f = (np.moveaxis(a, axis, -1) for a in (values, mask, forced))
    changed = False
    for idx in np.ndindex(m.shape[:-1]):
        line_v, line_m, line_f = v[idx], m[idx], f[idx]
        while not _line_protected(line_v, line_m, threshold):
            cell = _next_cell(line_v, line_m, line_f)
            if cell is None:
                break
            line_m[cell] = True
            changed = True
    return changed


def _withhold_views(mask, lattice_ndim: int, kind: str, forced) -> bool:
    """A view whose base is suppressed is withheld entirely; True if anything changed."""
    base_index = tuple(-1 if total else slice(None) for total in _total_axes(kind))
    changed = False
    for view in np.ndindex(mask.shape[:lattice_ndim]):
        cells = mask[view]
        if cells[base_index].any() and not cells.all():
            cells[~forced[view]] = True
            changed = True
    return changed


def _couple_binary(mask, kind: str) -> bool:
    """For multi-choice and themes: a count is hidden when its 'not ticked' complement is."""
    if kind != "binary":
        return False
    before = mask[..., 0].copy()
    mask[..., 0] |= mask[..., 1]
    mask[..., 1] |= mask[..., 0]
    return bool((mask[..., 0] != before).any())


def protect(
    values: np.ndarray, threshold: int, *, lattice_ndim: int, kind: str,
    forced: np.ndarray | None = None, withheld: np.ndarray | None = None,
) -> np.ndarray:
    """Suppression mask for a grid of counts: lattice axes (groups, last = everyone), then categories.

    Parameters
    ----------
    values : integer counts; every lattice axis and every total axis of the kind ends with its total
    threshold : counts 1 .. threshold - 1 are primary suppressions
    lattice_ndim : number of leading filter axes (0 for a single table)
    kind : ``additive``, ``binary`` or ``crosstab`` (how the category axes add up)
    forced : cells that must stay visible (the report's published national figures)
    withheld : lattice-shaped flags of views withheld whole

    Returns
    -------
    numpy.ndarray of bool, True where a cell is suppressed

    Examples
    --------
    >>> protect(np.array([52, 3, 0, 55]), 5, lattice_ndim=0, kind="additive").tolist()
    [True, True, False, False]
    """
    values = np.asarray(values, dtype=np.int64)
    forced = np.zeros(values.shape, dtype=bool) if forced is None else forced.astype(bool)
    mask = (values > 0) & (values < threshold) & ~forced
    if lattice_ndim:
        national = values[(-1,) * lattice_ndim]
        complement = national[(None,) * lattice_ndim] - values
        # a group with no respondents has everyone as its complement: nothing to protect there
        bases = values[(Ellipsis,) + tuple(-1 if total else 0 for total in _total_axes(kind))]
        populated = (bases > 0).reshape(bases.shape + (1,) * (values.ndim - lattice_ndim))
        mask |= (complement > 0) & (complement < threshold) & ~forced & populated
    if withheld is not None:
        mask[np.asarray(withheld, dtype=bool)] = True
        mask &= ~forced
    line_axes = list(range(lattice_ndim)) + [
        lattice_ndim + i for i, total in enumerate(_total_axes(kind)) if total
    ]
    mask_views = mask if lattice_ndim else mask[None]
    forced_views = forced if lattice_ndim else forced[None]
    changed = True
    while changed:
        changed = _couple_binary(mask, kind)
        for axis in line_axes:
            changed |= _protect_lines(values, mask, forced, axis, threshold)
        changed |= _withhold_views(mask_views, max(lattice_ndim, 1), kind, forced_views)
    return mask


# --------------------------------------------------------------------------------------------
# Suppressed tables: what pages, charts and downloads are allowed to see.
# --------------------------------------------------------------------------------------------


@dataclass
class SuppressedTable:
    """A table after disclosure control: the only kind of table a page, chart or download takes.

    Attributes
    ----------
    question_id : the question (or ``"row by col"`` for a cross-tabulation)
    kind : ``additive``, ``binary`` or ``crosstab``
    display : strings as a reader sees them (``[c]`` where suppressed)
    values : numbers, with suppressed cells (count, percent, interval) as NA
    footnotes : notes to print under the table
    base : the base shown, or None when the table is withheld
    is_published : the national figures as printed in the report (not suppressed)
    selection : the filter this table is for (``{}`` is every respondent)
    message : plain message shown instead of the table when it is withheld, else None
    title : caption
    """

    question_id: str
    kind: str
    display: pd.DataFrame
    values: pd.DataFrame
    footnotes: list[str]
    base: int | None
    is_published: bool
    selection: dict = field(default_factory=dict)
    message: str | None = None
    title: str = ""

    @property
    def shown(self) -> bool:
        """False when the whole table is withheld (show :attr:`message` instead)."""
        return self.message is None

    @property
    def group_label(self) -> str:
        """Plain description of the councils covered, e.g. 'county councils in the North'."""
        return selection_label(self.selection)

    def to_html(self, caption: bool = True) -> str:
        """Accessible HTML table: caption with base, header cells with scope, footnotes below.

        With ``caption=False`` (a table inside a figure whose ``<figcaption>`` already says the
        same) the caption is left out and the table is labelled with ``aria-label`` instead.

        Examples
        --------
        >>> from adass_survey.tabulate import frequency_table
        >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 6}), "dp_restrictions")
        >>> "<caption>" in DisclosurePolicy().suppress(t, title="Restrictions").to_html()
        True
        """
        from html import escape

        if not self.shown:
            return f'<p class="adass-withheld" role="status">{escape(self.message)}</p>'
        label = escape(self.title or self.question_id)
        label += f" (n = {self.base}{', ' + escape(self.group_label) if self.selection else ''})"
        head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in self.display.columns)
        body = []
        for _, row in self.display.iterrows():
            cells = [f'<th scope="row">{escape(str(row.iloc[0]))}</th>']
            cells += [f"<td>{escape(str(v))}</td>" for v in row.iloc[1:]]
            body.append("<tr>" + "".join(cells) + "</tr>")
        notes = "".join(f"<p class=\"adass-footnote\">{escape(n)}</p>" for n in self.footnotes)
        return (
            (f'<table class="adass-table"><caption>{label}</caption>' if caption
             else f'<table class="adass-table" aria-label="{label}">')
            + f"<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>{notes}"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def _pct_text(value) -> str:
    return "-" if pd.isna(value) else f"{round_half_up(float(value))}%"


def _display_frame(values: pd.DataFrame, kind: str, hidden: np.ndarray) -> pd.DataFrame:
    count = [SUPPRESSED if h else str(int(c)) for c, h in zip(values["count"], hidden)]
    pct = [SUPPRESSED if h else _pct_text(p) for p, h in zip(values["percent"], hidden)]
    if kind == "crosstab":
        return pd.DataFrame({"Row": values["row_label"], "Column": values["col_label"], "Councils": count, "Percent of row": pct})
    ci = [
        SUPPRESSED if h else ("-" if pd.isna(lo) else f"{_pct_text(lo)} to {_pct_text(hi)}")
        for lo, hi, h in zip(values["ci_low"], values["ci_high"], hidden)
    ]
    return pd.DataFrame({"Answer": values["label"], "Councils": count, "Percent": pct, "95% CI": ci})


def _footnotes(policy: DisclosurePolicy, published: bool, any_hidden: bool) -> list[str]:
    if published:
        return [PUBLISHED_NOTE + " National figures printed in the report are shown as published, not suppressed."]
    notes = [SYNTHETIC_NOTICE]
    if any_hidden:
        notes.append(policy.footnote)
    notes.append("Percentages are rounded half up to whole numbers; 95% CI is the Wilson score interval.")
    return notes


def _to_suppressed(
    table: pd.DataFrame, hidden: np.ndarray, policy: DisclosurePolicy, *, published: bool = False, title: str = "",
    selection: dict | None = None, message: str | None = None,
) -> SuppressedTable:
    kind = table.attrs["kind"]
    values = table.copy()
    values["count"] = values["count"].astype("Int64").mask(hidden)
    for col in ("percent", "ci_low", "ci_high"):
        if col in values:
            values[col] = values[col].astype("Float64").mask(hidden)
    base = None if message else int(table["base"].iloc[0]) if len(table) else 0
    if message:
        values["count"] = pd.NA
        for col in ("percent", "ci_low", "ci_high", "base", "row_base", "col_base"):
            if col in values:
                values[col] = pd.NA
        display = pd.DataFrame()
    else:
        display = _display_frame(values, kind, hidden)
    return SuppressedTable(
        question_id=table.attrs.get("question_id", ""), kind=kind, display=display, values=values,
        footnotes=_footnotes(policy, published, bool(np.any(hidden))), base=base, is_published=published,
        selection=dict(selection or {}), message=message, title=title,
    )


def _view_table(
    table: pd.DataFrame, mask: np.ndarray, policy: DisclosurePolicy, *, title: str = "", selection: dict | None = None,
    message: str | None = None, published: bool = False,
) -> SuppressedTable:
    """Turn one view's slice of the suppression mask into a SuppressedTable."""
    kind = table.attrs["kind"]
    if kind == "additive":
        hidden, base_hidden = mask[:-1], bool(mask[-1])
    elif kind == "binary":
        hidden, base_hidden = mask[:, 0] | mask[:, 1], bool(mask[:, 2].any())
    else:
        hidden, base_hidden = mask[:-1, :-1].reshape(-1), bool(mask[-1, -1])
    if base_hidden and message is None:
        base = int(table["base"].iloc[0]) if len(table) else 0
        message = policy.few_answers_message if policy.is_small(base) else policy.linked_group_message
    result = _to_suppressed(table, hidden, policy, published=published, title=title, selection=selection, message=message)
    if kind == "crosstab" and result.shown:
        rows, cols = mask[:-1, -1], mask[-1, :-1]
        n_cols = mask.shape[1] - 1
        result.values["row_base"] = result.values["row_base"].astype("Int64").mask(np.repeat(rows, n_cols))
        result.values["col_base"] = result.values["col_base"].astype("Int64").mask(np.tile(cols, len(rows)))
    return result


# --------------------------------------------------------------------------------------------
# Dashboard views: every filter combination suppressed together.
# --------------------------------------------------------------------------------------------


def selection_key(selection: dict | None) -> tuple:
    """Hashable key of a selection (``"all"`` entries dropped).

    Examples
    --------
    >>> selection_key({"region_group": "north", "council_type": "all"})
    (('region_group', 'north'),)
    """
    return tuple(sorted((k, v) for k, v in (selection or {}).items() if v not in (ALL, None)))


@dataclass
class ViewPlan:
    """Which filter selections may be shown at all, decided once from group sizes.

    Attributes
    ----------
    dimension_ids : the filter dimensions
    levels : per dimension, its option codes then ``"all"``
    members : respondent ids of each selection (by :func:`selection_key`)
    messages : plain message for each withheld (or empty) selection
    withheld : lattice-shaped flags of selections withheld for disclosure
    total : number of respondents
    """

    dimension_ids: tuple[str, ...]
    levels: list[list[str]]
    members: dict[tuple, frozenset]
    messages: dict[tuple, str]
    withheld: np.ndarray
    total: int

    def selections(self) -> list[dict]:
        """Every selection, in lattice order."""
        return [dict(k) for k in self.members]

    def index(self, selection: dict) -> tuple[int, ...]:
        """Position of a selection in the lattice."""
        sel = dict(selection_key(selection))
        return tuple(self.levels[i].index(sel.get(d, ALL)) for i, d in enumerate(self.dimension_ids))

    def message(self, selection: dict) -> str | None:
        """Plain message if this selection is not shown, else None."""
        return self.messages.get(selection_key(selection))

    def base(self, selection: dict) -> int:
        """Number of respondents the selection covers."""
        return len(self.members[selection_key(selection)])


def plan_views(
    respondents: pd.DataFrame, dimension_ids: tuple[str, ...] = ("council_type", "region_group"),
    policy: DisclosurePolicy | None = None,
) -> ViewPlan:
    """Decide, from group sizes alone, which filter selections can be shown.

    A selection is withheld when its size, or everyone minus it, is 1 to threshold - 1, or when
    showing its size would let such a group be worked out from the sizes of the others.

    Examples
    --------
    >>> df = pd.DataFrame({"respondent_id": range(12), "council_type": ["county"] * 9 + ["unitary"] * 3,
    ...                    "region": ["london"] * 12})
    >>> plan = plan_views(df, ("council_type",))
    >>> plan.message({"council_type": "unitary"})
    'Too few councils to show (fewer than 5): choose a wider filter.'
    >>> plan.message({}) is None
    True
    """
    policy = policy or DisclosurePolicy.from_env()
    dims = dimensions()
    data = with_groups(respondents)
    levels = [dims[d].codes() + [ALL] for d in dimension_ids]
    shape = tuple(len(lv) for lv in levels)
    sizes = np.zeros(shape, dtype=np.int64)
    members: dict[tuple, frozenset] = {}
    for idx in np.ndindex(shape):
        selection = {d: levels[i][idx[i]] for i, d in enumerate(dimension_ids)}
        ids = frozenset(filter_respondents(data, selection)["respondent_id"].tolist())
        members[selection_key(selection)] = ids
        sizes[idx] = len(ids)
    withheld = protect(sizes, policy.threshold, lattice_ndim=len(dimension_ids), kind="groups")
    total = int(sizes[(-1,) * len(dimension_ids)])
    messages = {}
    for idx in np.ndindex(shape):
        key = selection_key({d: levels[i][idx[i]] for i, d in enumerate(dimension_ids)})
        if withheld[idx]:
            direct = policy.group_message(int(sizes[idx]), total)
            messages[key] = direct or policy.linked_group_message
        elif sizes[idx] == 0:
            messages[key] = "No responding councils match this filter: choose a wider filter."
    return ViewPlan(tuple(dimension_ids), levels, members, messages, withheld, total)


def suppress_views(
    plan: ViewPlan, respondents: pd.DataFrame, make_table: Callable[[pd.DataFrame], pd.DataFrame], *,
    published_national: bool = False, policy: DisclosurePolicy | None = None, title: str = "", exact: bool = False,
) -> dict[tuple, SuppressedTable]:
    """Suppress one table for every selection of a plan, all together.

    Parameters
    ----------
    plan : from :func:`plan_views`
    respondents : every respondent
    make_table : builds the (true) table for a set of respondents, e.g.
        ``lambda r: frequency_table(r, "on_target")``
    published_national : the national table is the report's own (shown unsuppressed)
    exact : also bound every hidden figure by integer programming over all views together
        (:mod:`adass_survey.linear_audit`, which assumes the real survey's public facts) and withhold views
        until none is exposed; without it, only the checks of :func:`audit_views` drive withholding

    Returns
    -------
    dict mapping :func:`selection_key` to :class:`SuppressedTable`

    Examples
    --------
    >>> from adass_survey.tabulate import frequency_table
    >>> df = pd.DataFrame({"respondent_id": range(20), "council_type": ["county"] * 10 + ["unitary"] * 10,
    ...                    "region": ["london"] * 20, "dp_restrictions": ["yes"] * 17 + ["no"] * 3})
    >>> plan = plan_views(df, ("council_type",))
    >>> views = suppress_views(plan, df, lambda r: frequency_table(r, "dp_restrictions"))
    >>> views[(("council_type", "unitary"),)].display["Councils"].tolist()
    ['[c]', '[c]', '0']
    """
    policy = policy or DisclosurePolicy.from_env()
    ids = respondents["respondent_id"]
    tables = {key: make_table(respondents[ids.isin(members)]) for key, members in plan.members.items()}
    national_key = selection_key({})
    shape = plan.withheld.shape
    grids = np.zeros(shape + _as_grid(tables[national_key]).shape, dtype=np.int64)
    for key in tables:
        grids[plan.index(dict(key))] = _as_grid(tables[key])
    forced = np.zeros(grids.shape, dtype=bool)
    if published_national:
        forced[(-1,) * len(shape)] = True
    kind = tables[national_key].attrs["kind"]
    answered = _answered_grid(plan, tables)
    withheld = plan.withheld.copy()
    for _ in range(withheld.size + 1):
        mask, withheld = _protect_lattice(grids, answered, plan, withheld, forced, kind, policy)
        out = {}
        for key, table in tables.items():
            published = published_national and key == national_key
            out[key] = _view_table(
                table, mask[plan.index(dict(key))], policy, title=title, selection=dict(key),
                message=plan.messages.get(key), published=published,
            )
        exposed = _exposed_view(plan, out, policy, exact)
        if exposed is None:
            return out
        withheld[plan.index(dict(exposed))] = True  # withhold one more view and suppress again
    raise DisclosureError(f"question '{tables[national_key].attrs.get('question_id')}': no safe set of views found")


def _protect_lattice(grids, answered, plan: ViewPlan, withheld: np.ndarray, forced, kind: str,
                     policy: DisclosurePolicy) -> tuple[np.ndarray, np.ndarray]:
    """Suppression mask of every view, withholding views until bases and "not answered" counts are safe."""
    lattice_ndim = plan.withheld.ndim
    while True:  # hiding a base can expose a "not answered" count and the other way round: repeat until stable
        withheld = _answered_withheld(answered, plan.withheld, withheld, policy.threshold)
        mask = protect(grids, policy.threshold, lattice_ndim=lattice_ndim, kind=kind, forced=forced, withheld=withheld)
        base_hidden = _base_hidden(mask, lattice_ndim, kind)
        if not (base_hidden & ~withheld).any():
            return mask, withheld
        withheld = withheld | base_hidden


def _smallest_shown(keys, plan: ViewPlan, out: dict) -> tuple | None:
    """Of the given views, the shown filtered view covering the fewest councils."""
    shown = [k for k in keys if k and out[k].shown]
    return min(shown, key=lambda k: (len(plan.members[k]), k)) if shown else None


def _exposed_view(plan: ViewPlan, out: dict, policy: DisclosurePolicy, exact: bool) -> tuple | None:
    """A shown filtered view whose withholding is the next step towards safety, or None when all is safe.

    First the fast checks of :func:`audit_views`; then, with ``exact``, the integer-programming bounds of
    :mod:`adass_survey.linear_audit` over everything shown (group sizes included).
    """
    try:
        audit_views(views_of(plan, out), policy)
    except DisclosureError as error:
        choice = _smallest_shown(error.views, plan, out)
        if choice is None:
            raise
        return choice
    if not exact:
        return None
    from .linear_audit import hidden_bounds, panel_sizes

    for bound in hidden_bounds(out, panel_sizes(plan), threshold=policy.threshold):
        if bound.protected(policy.threshold):
            continue
        own = bound.selection if bound.selection and out[bound.selection].shown else None
        dims = {d for d, _ in bound.selection}
        siblings = [k for k in out if {d for d, _ in k} == dims]
        choice = own or _smallest_shown(siblings, plan, out) or _smallest_shown(list(out), plan, out)
        if choice is None:
            raise DisclosureError(f"question '{bound.question_id}': hidden {bound.quantity!r} of view "
                                  f"{bound.selection or 'everyone'} is exposed by the national table alone")
        return choice
    return None


def _answered_grid(plan: ViewPlan, tables: dict[tuple, pd.DataFrame]) -> np.ndarray:
    """Per selection: [answered (the table's base), not answered, group size]."""
    grid = np.zeros(plan.withheld.shape + (3,), dtype=np.int64)
    for key, table in tables.items():
        size = len(plan.members[key])
        base = int(table["base"].iloc[0]) if len(table) else 0
        grid[plan.index(dict(key))] = (base, size - base, size)
    return grid


def _answered_withheld(answered: np.ndarray, plan_withheld: np.ndarray, withheld: np.ndarray, threshold: int) -> np.ndarray:
    """Selections to withhold so no "not answered" count (group size minus base) is small or derivable.

    The filter panel states each shown group's size, and a view states its base, so their difference
    (councils in the group that did not answer; for a multi-choice or free-text question the base
    is those who answered) is a figure a reader sees. It is protected like a category: small, or
    small against everyone (complement), or derivable across groups -> the view is withheld. The
    national base is shown as it is (it singles out no group) and group sizes shown by the panel
    stay visible.
    """
    lattice_ndim = plan_withheld.ndim
    forced = np.zeros(answered.shape, dtype=bool)
    forced[..., 2] = ~plan_withheld
    forced[(-1,) * lattice_ndim] = True
    mask = protect(answered, threshold, lattice_ndim=lattice_ndim, kind="additive", forced=forced, withheld=withheld)
    return withheld | mask[..., 0] | mask[..., 1]


def _base_hidden(mask: np.ndarray, lattice_ndim: int, kind: str) -> np.ndarray:
    """Lattice-shaped flags: the view's base is suppressed (so the view is withheld)."""
    base_index = tuple(-1 if total else slice(None) for total in _total_axes(kind))
    hidden = mask[(Ellipsis,) + base_index]
    return hidden.reshape(mask.shape[:lattice_ndim] + (-1,)).any(axis=-1)


# --------------------------------------------------------------------------------------------
# The audit: could any reader work out a small count from what the views show?
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class View:
    """One thing a notebook offers: a selection, the respondents it covers and its table."""

    selection: dict
    members: frozenset
    table: SuppressedTable


def views_of(plan: ViewPlan, tables: dict[tuple, SuppressedTable]) -> list[View]:
    """Pair each suppressed table with its selection's respondents, ready for :func:`audit_views`.

    Examples
    --------
    >>> from adass_survey.tabulate import frequency_table
    >>> df = pd.DataFrame({"respondent_id": range(20), "council_type": ["county"] * 10 + ["unitary"] * 10,
    ...                    "region": ["london"] * 20, "dp_restrictions": ["yes"] * 14 + ["no"] * 6})
    >>> plan = plan_views(df, ("council_type",))
    >>> views = views_of(plan, suppress_views(plan, df, lambda r: frequency_table(r, "dp_restrictions")))
    >>> sorted(len(v.members) for v in views)  # every council type (two with no councils here) and all
    [0, 0, 10, 10, 20]
    >>> audit_views(views)
    """
    return [View(dict(key), plan.members[key], table) for key, table in tables.items()]


def _num(value):
    return None if pd.isna(value) else float(value)


def _cells(table: SuppressedTable) -> tuple[dict, list[tuple]]:
    """Visible cells (None where hidden), including derived ones, and the additive lines."""
    v = table.values
    cells: dict = {"__base__": None if table.base is None else float(table.base)}
    lines: list[tuple] = []
    if not table.shown:
        cells["__base__"] = None
    if table.kind == "additive":
        for cat, count in zip(v["category"], v["count"]):
            cells[cat] = _num(count) if table.shown else None
        lines.append(("__base__", list(v["category"])))
    elif table.kind == "binary":
        for cat, count in zip(v["category"], v["count"]):
            c = _num(count) if table.shown else None
            cells[cat] = c
            cells[f"{cat}|not"] = None if c is None or cells["__base__"] is None else cells["__base__"] - c
            lines.append(("__base__", [cat, f"{cat}|not"]))
    else:
        for r, c, n, rb, cb in zip(v["row_category"], v["col_category"], v["count"], v["row_base"], v["col_base"]):
            cells[(r, c)] = _num(n) if table.shown else None
            cells[("row", r)] = _num(rb) if table.shown else None
            cells[("col", c)] = _num(cb) if table.shown else None
        rows, cols = list(dict.fromkeys(v["row_category"])), list(dict.fromkeys(v["col_category"]))
        lines += [(("row", r), [(r, c) for c in cols]) for r in rows]
        lines += [(("col", c), [(r, c) for r in rows]) for c in cols]
        lines += [("__base__", [("row", r) for r in rows]), ("__base__", [("col", c) for c in cols])]
    return cells, lines


def _key(view: View) -> tuple:
    return selection_key(view.selection)


def _describe(view: View) -> str:
    return f"question '{view.table.question_id}', view {selection_key(view.selection) or 'everyone'}"


def _check_alone(view: View, cells: dict, lines: list, policy: DisclosurePolicy) -> None:
    if view.table.is_published:
        return
    for key, value in cells.items():
        if value is not None and policy.is_small(value):
            raise DisclosureError(f"{_describe(view)}: cell {key!r} shows {value:g}, below {policy.threshold}",
                                  views=[_key(view)])
    for total_key, keys in lines:
        total = cells[total_key]
        hidden = [k for k in keys if cells[k] is None]
        if total is None or not hidden or len(hidden) == len(keys):
            continue
        derived = total - sum(cells[k] for k in keys if cells[k] is not None)
        if policy.is_small(derived):
            raise DisclosureError(
                f"{_describe(view)}: hidden cells {hidden!r} add up to {derived:g} (total {total_key!r} minus shown cells)",
                views=[_key(view)],
            )


def _check_nested(outer: View, inner: View, cells_o: dict, cells_i: dict, policy: DisclosurePolicy) -> None:
    for key, value in cells_i.items():
        if value is None or cells_o.get(key) is None:
            continue
        diff = cells_o[key] - value
        if policy.is_small(diff):
            raise DisclosureError(
                f"{_describe(outer)} minus {_describe(inner)}: cell {key!r} differs by {diff:g}, below {policy.threshold}",
                views=[_key(inner), _key(outer)],
            )


def _check_partition(parent: View, children: list[View], cells: dict, policy: DisclosurePolicy) -> None:
    for key, total in cells[parent].items():
        if total is None:
            continue
        values = [cells[c].get(key) for c in children]
        if all(v is not None for v in values) or all(v is None for v in values):
            continue  # nothing hidden, or nothing shown beyond the group's own figure
        derived = total - sum(v for v in values if v is not None)
        if policy.is_small(derived):
            hidden = [selection_key(c.selection) for c, v in zip(children, values) if v is None]
            raise DisclosureError(
                f"{_describe(parent)}: cell {key!r} minus the shown groups leaves {derived:g} for {hidden}",
                views=[_key(c) for c in children] + [_key(parent)],
            )


def audit_views(views: Iterable[View], policy: DisclosurePolicy | None = None) -> None:
    """Raise DisclosureError if any small count can be read or worked out from the views.

    Checks, for the views of each question: every shown cell (and "not ticked" complements); every
    additive line of a view (base minus shown cells); every pair of nested groups (the difference of
    the same cell); and every split of a group into the options of one more dimension (the group's
    cell minus the shown groups' cells). Published national figures are exempt on their own but
    are used for differencing.

    Examples
    --------
    >>> from adass_survey.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 3}), "dp_restrictions")
    >>> leaky = DisclosurePolicy(threshold=1).suppress(t)
    >>> audit_views([View({}, frozenset(range(55)), leaky)])
    Traceback (most recent call last):
    ...
    adass_survey.errors.DisclosureError: question 'dp_restrictions', view everyone: cell 'no' shows 3, below 5
    """
    policy = policy or DisclosurePolicy.from_env()
    by_question: dict[str, list[View]] = {}
    for view in views:
        by_question.setdefault(view.table.question_id, []).append(view)
    for group in by_question.values():
        cell_of = {}
        for view in group:
            c, lines = _cells(view.table)
            if view.selection and view.table.shown:  # the panel states the group size beside the view's base
                c["__not_answered__"] = float(len(view.members) - view.table.base)
            cell_of[id(view)] = c
            _check_alone(view, c, lines, policy)
        for outer, inner in product(group, group):
            if outer is not inner and inner.members <= outer.members:
                _check_nested(outer, inner, cell_of[id(outer)], cell_of[id(inner)], policy)
        by_key = {selection_key(v.selection): v for v in group}
        for parent in group:
            for dim in {d for v in group for d in v.selection} - set(parent.selection):
                children = [
                    v for k, v in by_key.items()
                    if dict(k).get(dim) is not None and {a: b for a, b in k if a != dim} == dict(selection_key(parent.selection))
                ]
                union = frozenset().union(*(c.members for c in children)) if children else frozenset()
                if children and union == parent.members and sum(len(c.members) for c in children) == len(union):
                    _check_partition(parent, children, {v: cell_of[id(v)] for v in [parent, *children]}, policy)
