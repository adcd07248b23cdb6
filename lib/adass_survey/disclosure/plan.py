"""View planning: every selection a filter panel offers, suppressed together.

:func:`plan_views` decides from group sizes alone which selections may be shown (a group, or
everyone minus it, of 1 to ``threshold - 1`` councils is withheld, and so is a group whose size would
reveal one). :func:`suppress_views` then suppresses every group of every filter combination of one
question *together*, so no view can be differenced against another, and checks the result with
:func:`adass_survey.disclosure.audit.audit_views`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.errors import DisclosureError
from ..tables.groups import (
    ALL,
    DEFAULT_DIMENSIONS,
    dimensions,
    filter_respondents,
    selection_key,
    with_groups,
)
from .audit import View, audit_views
from .policy import DisclosurePolicy, view_table
from .protect import as_grid, group_disclosed, protect, total_axes
from .table import SuppressedTable


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
    respondents: pd.DataFrame,
    dimension_ids: tuple[str, ...] = DEFAULT_DIMENSIONS,
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
    'Hidden: fewer than 5 councils are in this group, or fewer than 5 are outside it, so its figures could point to individual councils. Choose a wider filter.'
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
    plan: ViewPlan,
    respondents: pd.DataFrame,
    make_table: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    published_national: bool = False,
    policy: DisclosurePolicy | None = None,
    title: str = "",
    exact: bool = False,
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
        (:mod:`adass_survey.disclosure.exact_audit`, which assumes the real survey's public facts) and withhold views
        until none is exposed; without it, only the checks of :func:`audit_views` drive withholding

    Returns
    -------
    dict mapping :func:`selection_key` to :class:`SuppressedTable`

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> df = pd.DataFrame({"respondent_id": range(20), "council_type": ["county"] * 10 + ["unitary"] * 10,
    ...                    "region": ["london"] * 20, "dp_restrictions": ["yes", "no"] * 5 + ["yes"] * 8 + ["no"] * 2})
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
    grids = np.zeros(shape + as_grid(tables[national_key]).shape, dtype=np.int64)
    for key in tables:
        grids[plan.index(dict(key))] = as_grid(tables[key])
    forced = np.zeros(grids.shape, dtype=bool)
    if published_national:
        forced[(-1,) * len(shape)] = True
    kind = tables[national_key].attrs["kind"]
    answered = _answered_grid(plan, tables)
    withheld = plan.withheld.copy()
    messages = dict(plan.messages)
    if kind == "additive":  # group disclosure: every council of a group gave one answer -> say so
        same = group_disclosed(grids, lattice_ndim=len(shape), kind=kind)[(Ellipsis, -1)]
        for key in tables:
            if same[plan.index(dict(key))] and key not in messages:
                messages[key] = policy.same_answer_message
    for _ in range(withheld.size + 1):
        mask, withheld = _protect_lattice(grids, answered, plan, withheld, forced, kind, policy)
        out = {}
        for key, table in tables.items():
            published = published_national and key == national_key
            out[key] = view_table(
                table,
                mask[plan.index(dict(key))],
                policy,
                title=title,
                selection=dict(key),
                message=messages.get(key),
                published=published,
            )
        exposed = _exposed_view(plan, out, policy, exact)
        if exposed is None:
            return out
        withheld[plan.index(dict(exposed))] = True  # withhold one more view and suppress again
    raise DisclosureError(f"question '{tables[national_key].attrs.get('question_id')}': no safe set of views found")


def _protect_lattice(
    grids, answered, plan: ViewPlan, withheld: np.ndarray, forced, kind: str, policy: DisclosurePolicy
) -> tuple[np.ndarray, np.ndarray]:
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
    :mod:`adass_survey.disclosure.exact_audit` over everything shown (group sizes included).
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
    from .exact_audit import hidden_bounds, panel_sizes

    for bound in hidden_bounds(out, panel_sizes(plan), threshold=policy.threshold):
        if bound.protected(policy.threshold):
            continue
        own = bound.selection if bound.selection and out[bound.selection].shown else None
        dims = {d for d, _ in bound.selection}
        siblings = [k for k in out if {d for d, _ in k} == dims]
        choice = own or _smallest_shown(siblings, plan, out) or _smallest_shown(list(out), plan, out)
        if choice is None:
            raise DisclosureError(
                f"question '{bound.question_id}': hidden {bound.quantity!r} of view "
                f"{bound.selection or 'everyone'} is exposed by the national table alone"
            )
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


def _answered_withheld(
    answered: np.ndarray, plan_withheld: np.ndarray, withheld: np.ndarray, threshold: int
) -> np.ndarray:
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
    mask = protect(
        answered, threshold, lattice_ndim=lattice_ndim, kind="additive", forced=forced, withheld=withheld, answers=False
    )
    return withheld | mask[..., 0] | mask[..., 1]


def _base_hidden(mask: np.ndarray, lattice_ndim: int, kind: str) -> np.ndarray:
    """Lattice-shaped flags: the view's base is suppressed (so the view is withheld)."""
    base_index = tuple(-1 if total else slice(None) for total in total_axes(kind))
    hidden = mask[(Ellipsis,) + base_index]
    return hidden.reshape(mask.shape[:lattice_ndim] + (-1,)).any(axis=-1)


def views_of(plan: ViewPlan, tables: dict[tuple, SuppressedTable]) -> list[View]:
    """Pair each suppressed table with its selection's respondents, ready for :func:`audit_views`.

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> df = pd.DataFrame({"respondent_id": range(20), "council_type": ["county"] * 10 + ["unitary"] * 10,
    ...                    "region": ["london"] * 20, "dp_restrictions": ["yes"] * 14 + ["no"] * 6})
    >>> plan = plan_views(df, ("council_type",))
    >>> views = views_of(plan, suppress_views(plan, df, lambda r: frequency_table(r, "dp_restrictions")))
    >>> sorted(len(v.members) for v in views)  # every council type (two with no councils here) and all
    [0, 0, 10, 10, 20]
    >>> audit_views(views)
    """
    return [View(dict(key), plan.members[key], table) for key, table in tables.items()]
