"""The view audit: no hidden count of a filter panel can be worked out from what it shows.

:func:`audit_views` checks every view a notebook offers alone (a suppressed cell never stands alone
in its line), each nested pair of views (a group inside a wider one) and each one-dimension split
(the groups of a dimension against everyone), and raises
:class:`~adass_survey.core.errors.DisclosureError` naming the view and cell at fault. The exact,
all-at-once check is :mod:`adass_survey.disclosure.exact_audit`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product

import pandas as pd

from ..core.errors import DisclosureError
from ..tables.groups import (
    selection_key,
)
from .policy import DisclosurePolicy
from .table import SuppressedTable


@dataclass(frozen=True, eq=False)
class View:
    """One thing a notebook offers: a selection, the respondents it covers and its table."""

    selection: dict
    members: frozenset
    table: SuppressedTable


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
            raise DisclosureError(
                f"{_describe(view)}: cell {key!r} shows {value:g}, below {policy.threshold}", views=[_key(view)]
            )
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
    _check_group_disclosure(view, cells, lines)


def _check_group_disclosure(view: View, cells: dict, lines: list) -> None:
    """A filtered group must not show every one of its councils in one answer (group disclosure)."""
    if not view.selection or view.table.kind == "crosstab":
        return
    for total_key, keys in lines:
        total = cells[total_key]
        full = [k for k in keys if total and cells[k] == total]
        if full:
            raise DisclosureError(
                f"{_describe(view)}: every council of the group ({total:g}) is in {full[0]!r} (group disclosure)",
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
    additive line of a view (base minus shown cells); no filtered group with all its councils in one answer; every pair of nested groups (the difference of
    the same cell); and every split of a group into the options of one more dimension (the group's
    cell minus the shown groups' cells). Published national figures are exempt on their own but
    are used for differencing.

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 3}), "dp_restrictions")
    >>> leaky = DisclosurePolicy(threshold=1).suppress(t)
    >>> audit_views([View({}, frozenset(range(55)), leaky)])
    Traceback (most recent call last):
    ...
    adass_survey.core.errors.DisclosureError: question 'dp_restrictions', view everyone: cell 'no' shows 3, below 5
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
                    v
                    for k, v in by_key.items()
                    if dict(k).get(dim) is not None
                    and {a: b for a, b in k if a != dim} == dict(selection_key(parent.selection))
                ]
                union = frozenset().union(*(c.members for c in children)) if children else frozenset()
                if children and union == parent.members and sum(len(c.members) for c in children) == len(union):
                    _check_partition(parent, children, {v: cell_of[id(v)] for v in [parent, *children]}, policy)
