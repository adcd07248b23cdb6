"""Cell protection: which cells of a grid of counts to suppress.

:func:`protect` applies the rules of :mod:`adass_survey.disclosure.policy` to an array of counts whose
leading axes are filter groups (the last level of each is everyone) and whose other axes are the
categories of a table, each total axis ending with its total: primary suppression of counts 1 to
``threshold - 1``, the complement rule between a group and everyone, and secondary suppression along
every additive line until no suppressed cell can be worked out from its line."""

from __future__ import annotations

import numpy as np
import pandas as pd


def as_grid(table: pd.DataFrame) -> np.ndarray:
    """Counts of a tidy table as an array whose every total axis ends with its total.

    An ``additive`` table gives its counts then the base; a ``binary`` one a row per category of
    (ticked, not ticked, base); a ``crosstab`` the grid of cells with row and column totals.

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"on_target": ["yes"] * 55 + ["no"] * 3}), "on_target", include_missing=False)
    >>> as_grid(t).tolist()
    [55, 3, 58]
    """
    kind = table.attrs["kind"]
    if kind == "additive":
        return np.append(table["count"].to_numpy(int), int(table["base"].iloc[0]) if len(table) else 0)
    if kind == "binary":
        count, base = table["count"].to_numpy(int), table["base"].to_numpy(int)
        return np.stack([count, base - count, base], axis=1)
    if kind == "crosstab":
        wide = table.pivot_table(
            index="row_category", columns="col_category", values="count", aggfunc="sum", sort=False
        )
        wide = wide.reindex(index=table["row_category"].unique(), columns=table["col_category"].unique())
        arr = wide.to_numpy(int)
        arr = np.vstack([arr, arr.sum(axis=0)])
        return np.hstack([arr, arr.sum(axis=1, keepdims=True)])
    raise ValueError(f"unknown table kind '{kind}'")


def total_axes(kind: str) -> tuple[bool, ...]:
    """Which category axes of a grid of this kind end with a total (``groups`` has no category axis).

    Examples
    --------
    >>> total_axes("additive"), total_axes("binary"), total_axes("crosstab")
    ((True,), (False, True), (True, True))
    """
    return {"groups": (), "additive": (True,), "binary": (False, True), "crosstab": (True, True)}[kind]


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
    base_index = tuple(-1 if total else slice(None) for total in total_axes(kind))
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


def group_disclosed(values: np.ndarray, *, lattice_ndim: int, kind: str) -> np.ndarray:
    """Cells to hide because every council of a filtered group gave the same answer (group disclosure).

    A filtered group (any view of the lattice but everyone, the last) whose councils all sit in one category
    of a single-answer question ("No response" is a category) would tell a reader that answer of each of them:
    the whole view is marked, base included, so it is withheld. For a multi-choice option or a theme, an option
    that every council of the group that answered ticked, or that none ticked, marks its "ticked" and
    "not ticked" cells. Cross-tabulations and single tables (``lattice_ndim=0``) are left to the other rules.

    Examples
    --------
    >>> grid = np.array([[7, 0, 0, 7], [10, 5, 2, 17], [52, 6, 0, 58]])  # metropolitan, county, everyone
    >>> group_disclosed(grid, lattice_ndim=1, kind="additive").astype(int).tolist()
    [[1, 1, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0]]
    >>> group_disclosed(np.array([[[6, 0, 6], [2, 4, 6]], [[30, 28, 58], [9, 49, 58]]]), lattice_ndim=1,
    ...                 kind="binary").astype(int)[0].tolist()
    [[1, 1, 0], [0, 0, 0]]
    """
    values = np.asarray(values, dtype=np.int64)
    marked = np.zeros(values.shape, dtype=bool)
    if not lattice_ndim or kind not in ("additive", "binary"):
        return marked
    for view in np.ndindex(values.shape[:lattice_ndim]):
        if all(i == n - 1 for i, n in zip(view, values.shape)):
            continue  # everyone: the report itself says "none of the respondents ..."
        cells = values[view]
        if kind == "additive":
            if cells[-1] > 0 and np.count_nonzero(cells[:-1]) == 1:
                marked[view] = True
        else:
            one_sided = (cells[:, 2] > 0) & ((cells[:, 0] == 0) | (cells[:, 1] == 0))
            marked[view][one_sided, :2] = True
    return marked


def protect(
    values: np.ndarray,
    threshold: int,
    *,
    lattice_ndim: int,
    kind: str,
    forced: np.ndarray | None = None,
    withheld: np.ndarray | None = None,
    answers: bool = True,
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
    answers : the categories are answers to a question (so :func:`group_disclosed` applies); False for other
        grids, such as councils that answered and did not

    Primary suppressions are counts 1 to ``threshold - 1``, the complement rule's cells and the cells of
    :func:`group_disclosed` (every council of a filtered group giving one answer); secondary suppression follows.

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
        bases = values[(Ellipsis,) + tuple(-1 if total else 0 for total in total_axes(kind))]
        populated = (bases > 0).reshape(bases.shape + (1,) * (values.ndim - lattice_ndim))
        mask |= (complement > 0) & (complement < threshold) & ~forced & populated
        if answers:
            mask |= group_disclosed(values, lattice_ndim=lattice_ndim, kind=kind) & ~forced
    if withheld is not None:
        mask[np.asarray(withheld, dtype=bool)] = True
        mask &= ~forced
    line_axes = list(range(lattice_ndim)) + [lattice_ndim + i for i, total in enumerate(total_axes(kind)) if total]
    mask_views = mask if lattice_ndim else mask[None]
    forced_views = forced if lattice_ndim else forced[None]
    changed = True
    while changed:
        changed = _couple_binary(mask, kind)
        for axis in line_axes:
            changed |= _protect_lines(values, mask, forced, axis, threshold)
        changed |= _withhold_views(mask_views, max(lattice_ndim, 1), kind, forced_views)
    return mask
