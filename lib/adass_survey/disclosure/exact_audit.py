"""The exact disclosure audit: bound every hidden figure from everything a page shows, all at once.

:func:`adass_survey.disclosure.audit.audit_views` checks single lines, nested pairs and one-dimension
splits. A determined reader can do more: write every number the dashboards of a question show as a
linear equation over the unknown counts and solve them together. This module does exactly that,
with integer linear programming (``scipy.optimize.milp``, HiGHS):

* unknowns: the number of responding councils of each council type in each region (bounded by the
  public frame of 152 councils), and, for each council type × region group, the count of each
  category (and, for multi-choice and free-text questions, the number who answered); for views
  filtered by another question's answer (an answer dimension such as ``take_up_band``), the same
  per option of that answer instead, bounded by the number of respondents;
* equations: every group size the filter panel states, the report's published counts of
  respondents by region, and every base and count shown in any view of the question;
* for each hidden figure (a ``[c]`` cell, the "not ticked" count of an option, the base and the
  "not answered" count of a withheld view, the size of a withheld group), its smallest and largest
  whole-number value consistent with all of that.

A hidden figure is *protected* when its largest feasible value is at least the threshold (a reader
cannot tell that it is small) or is 0 (it is known to be zero, and zeros are shown anyway). Its
interval is reported too, so a stricter margin can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_matrix

from ..core.errors import DisclosureError
from ..tables.groups import REGION_GROUPS, dimensions, selection_key
from .policy import DisclosurePolicy
from .table import SuppressedTable

SIZE, BASE, NOT_ANSWERED = "__size__", "__base__", "__not_answered__"


@dataclass(frozen=True)
class HiddenBound:
    """The feasible range of one hidden figure.

    Attributes
    ----------
    question_id : the question
    selection : selection key of the view (``()`` is everyone)
    quantity : category code, ``"<code>|not"`` (not ticked), ``__base__``, ``__not_answered__`` or ``__size__``
    low, high : whole-number values consistent with everything shown: the exact smallest and largest
        when the figure is not protected; otherwise a witnessed range (values of feasible solutions
        found) that already shows it can be 0 or at least the threshold
    whole_group : the figure belongs to a withheld group whose size is itself 1 to threshold - 1
        (which the withheld message says: "fewer than 5"), so every figure of it is small; such
        figures are not held to the rule (see the limits in ``docs/disclosure-policy.md``)
    """

    question_id: str
    selection: tuple
    quantity: str
    low: int
    high: int
    whole_group: bool = False

    def protected(self, threshold: int) -> bool:
        """True unless a reader can tell the figure is 1 to threshold - 1 (and it is not a whole small group).

        A figure that must equal its whole group (e.g. every responding council of a withheld group
        gave the same answer, shown as a zero elsewhere) says no more than the withheld message:
        "Hidden: fewer than 5 councils are in this group".
        """
        return self.low == 0 or self.high >= threshold or self.whole_group


@dataclass(frozen=True)
class PublicFacts:
    """What a reader knows without the dashboards: the frame of councils and published region counts.

    Attributes
    ----------
    frame : councils per (council_type, region) in England, 2011 (upper bounds)
    region_counts : responding councils per region as printed in the report
    """

    frame: dict[tuple[str, str], int]
    region_counts: dict[str, int]

    @classmethod
    def load(cls) -> PublicFacts:
        """The facts from ``data/reference/frame_2011.csv`` and the published figures.

        Examples
        --------
        >>> facts = PublicFacts.load()
        >>> sum(facts.frame.values()), facts.region_counts["london"]
        (152, 10)
        """
        from ..published.figures import load_figures, load_frame

        frame = load_frame()
        bounds = {(r.council_type, r.region): int(r.councils) for r in frame.itertuples()}
        figures = load_figures()
        regions = figures[(figures["question"] == "region") & (figures["check"] == "exact")]
        counts = {r.category: int(r.count) for r in regions.itertuples()}
        return cls(bounds, counts)


class _Model:
    """Unknowns and equations of one question's views.

    The councils are split into *cells*, the finest groups a panel can select: council type × region
    group (``("county", "north")``), or, for a panel filtering by an answer dimension, that answer's
    options (``("below_60",)``). Group sizes are unknowns too: per council type × region, bounded by the
    public frame, or per answer option, bounded by the number of respondents.
    """

    def __init__(self, categories: list[str], binary: bool, facts: PublicFacts, answer_dim=None):
        self.answer_dim = answer_dim
        self.categories, self.binary = categories, binary
        self.index: dict = {}
        upper = []
        if answer_dim is None:
            dims = dimensions()
            self.types = dims["council_type"].codes()
            self.groups = dims["region_group"].codes()
            self.frame_cells = [(t, reg) for (t, reg), n in sorted(facts.frame.items()) if n > 0]
            for t, reg in self.frame_cells:
                self._add(("s", t, reg), facts.frame[(t, reg)], upper)
            regions = {g: REGION_GROUPS[g][1] for g in self.groups}
            self.cells = []
            for t in self.types:
                for g in self.groups:
                    population = sum(facts.frame[(t, r)] for r in regions[g] if (t, r) in self.frame_cells)
                    if population:
                        self.cells.append((t, g))
                        self._add_cell((t, g), population, upper)
        else:
            respondents = sum(facts.region_counts.values())
            self.cells = [(code,) for code in answer_dim.codes()]
            for cell in self.cells:
                self._add(("s", *cell), respondents, upper)
                self._add_cell(cell, respondents, upper)
        self.upper = np.array(upper, dtype=float)
        self.rows: list[np.ndarray] = []
        self.rhs: list[float] = []
        self.ineq: list[np.ndarray] = []
        self._problem = None
        self.witnesses: list[np.ndarray] = []
        for cell in self.cells:
            size, answered = self._size_of([cell]), self._vec({("a", *cell): 1})
            ticks = [self._vec({("x", *cell, k): 1}) for k in categories]
            self.ineq.append(answered - size)  # those who answered are some of the group
            if binary:
                self.ineq.extend(x - answered for x in ticks)  # an option is ticked by some who answered
            else:
                self.equal(sum(ticks) - answered, 0)  # the categories partition those who answered
        if answer_dim is None:
            for reg, n in facts.region_counts.items():
                self.equal(sum(self._vec({("s", t, r): 1}) for t, r in self.frame_cells if r == reg), n)
        else:  # every respondent gave one of the options (an answer, or "no response" as its own option)
            self.equal(self._size_of(self.cells), sum(facts.region_counts.values()))

    def _add_cell(self, cell: tuple, population: int, upper) -> None:
        self._add(("a", *cell), population, upper)
        for k in self.categories:
            self._add(("x", *cell, k), population, upper)

    def _add(self, key, upper_bound, upper) -> None:
        self.index[key] = len(self.index)
        upper.append(upper_bound)

    def _vec(self, coefficients: dict) -> np.ndarray:
        v = np.zeros(len(self.index))
        for key, c in coefficients.items():
            if key in self.index:
                v[self.index[key]] += c
        return v

    def cell_selection(self, cell: tuple) -> tuple:
        """The selection key that selects exactly one cell."""
        if self.answer_dim is None:
            return (("council_type", cell[0]), ("region_group", cell[1]))
        return ((self.answer_dim.id, cell[0]),)

    def pairs(self, selection: tuple) -> list[tuple]:
        """The cells a selection covers."""
        sel = dict(selection)
        if self.answer_dim is None:
            return [
                (t, g) for t, g in self.cells if sel.get("council_type", t) == t and sel.get("region_group", g) == g
            ]
        return [cell for cell in self.cells if sel.get(self.answer_dim.id, cell[0]) == cell[0]]

    def _size_of(self, pairs) -> np.ndarray:
        if self.answer_dim is not None:
            return self._vec({("s", *cell): 1 for cell in pairs})
        regions = {g: REGION_GROUPS[g][1] for g in self.groups}
        return self._vec({("s", t, r): 1 for t, g in pairs for r in regions[g] if (t, r) in self.frame_cells})

    def quantity(self, selection: tuple, name: str) -> np.ndarray:
        """Linear expression of one figure of a view."""
        pairs = self.pairs(selection)
        size = self._size_of(pairs)
        answered = self._vec({("a", *cell): 1 for cell in pairs})
        if name == SIZE:
            return size
        if name == BASE:
            return answered
        if name == NOT_ANSWERED:
            return size - answered
        if name.endswith("|not"):
            return answered - self.quantity(selection, name[:-4])
        return self._vec({("x", *cell, name): 1 for cell in pairs})

    def equal(self, row: np.ndarray, value: float) -> None:
        self.rows.append(row)
        self.rhs.append(float(value))

    def _solve(self, objective: np.ndarray):
        if self._problem is None or self._problem[0] != len(self.rows):
            constraints = [LinearConstraint(csr_matrix(np.array(self.rows)), self.rhs, self.rhs)]
            if self.ineq:
                constraints.append(LinearConstraint(csr_matrix(np.array(self.ineq)), -np.inf, 0))
            bounds = Bounds(np.zeros(len(self.upper)), self.upper)
            self._problem = (len(self.rows), constraints, bounds, np.ones(len(self.upper)))
        _, constraints, bounds, integrality = self._problem
        result = milp(objective, constraints=constraints, bounds=bounds, integrality=integrality)
        if not result.success:
            raise DisclosureError(f"the shown figures are inconsistent with each other: {result.message}")
        self.witnesses.append(np.round(result.x))
        return int(round(result.fun))

    def bounds_of(self, row: np.ndarray) -> tuple[int, int]:
        """Smallest and largest whole-number value of ``row`` over the feasible counts."""
        return self._solve(row), -self._solve(-row)

    def witnessed(self, row: np.ndarray) -> tuple[int, int]:
        """Range of ``row`` over the feasible solutions found so far (inside its exact bounds)."""
        if not self.witnesses:
            self._solve(np.zeros(len(self.upper)))
        values = np.array(self.witnesses) @ row
        return int(round(values.min())), int(round(values.max()))


def _shown_numbers(table: SuppressedTable) -> dict[str, float | None]:
    """Every figure of a view by quantity name, None where hidden."""
    out: dict[str, float | None] = {BASE: None if not table.shown else float(table.base)}
    for cat, count in zip(table.values["category"], table.values["count"]):
        shown = table.shown and not pd.isna(count)
        out[cat] = float(count) if shown else None
        if table.kind == "binary":
            out[f"{cat}|not"] = out[BASE] - out[cat] if shown else None
    return out


def hidden_bounds(
    tables: dict[tuple, SuppressedTable],
    sizes: dict[tuple, int | None],
    facts: PublicFacts | None = None,
    threshold: int | None = None,
) -> list[HiddenBound]:
    """Bound every hidden figure of one question's views by integer linear programming.

    Parameters
    ----------
    tables : every view of one question, by :func:`adass_survey.tables.groups.selection_key`
        (e.g. ``QuestionViews.all_tables()``)
    sizes : the group size the filter panel states for each selection (None where it is withheld)
    facts : public knowledge (default :meth:`PublicFacts.load`)

    Returns
    -------
    list of :class:`HiddenBound`, one per distinct hidden figure

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> from adass_survey.present.views import QuestionViews
    >>> views = QuestionViews(load_survey(), "dp_restrictions", "Most restrict")
    >>> bounds = hidden_bounds(views.all_tables(), panel_sizes(views.plan))
    >>> all(b.protected(5) for b in bounds)
    True
    """
    facts = facts or PublicFacts.load()
    threshold = threshold or DisclosurePolicy.from_env().threshold
    national = tables[selection_key({})]
    categories = list(national.values["category"])
    model = _Model(categories, national.kind == "binary", facts, _answer_dimension(tables))
    for key, size in sizes.items():
        if size is not None:
            model.equal(model.quantity(key, SIZE), size)
    shown = {key: _shown_numbers(t) for key, t in tables.items()}
    for key, numbers in shown.items():
        for name, value in numbers.items():
            if value is not None and not name.endswith("|not"):
                model.equal(model.quantity(key, name), value)
    if national.shown and sizes.get(()) == national.base:  # the base is everyone ("No response" is a category)
        for cell in model.pairs(()):
            model.equal(model.quantity(model.cell_selection(cell), NOT_ANSWERED), 0)
    results, seen = [], {}
    for key, numbers in shown.items():
        if not tables[key].is_published:  # a figure shown (or "not ticked", worked out at sight) below the threshold
            results += [
                HiddenBound(national.question_id, key, n, int(v), int(v))
                for n, v in numbers.items()
                if v is not None and 0 < v < threshold
            ]
        if key and numbers[BASE] is not None and sizes.get(key) is not None:
            gap = int(sizes[key] - numbers[BASE])  # councils of the group that did not answer, seen directly
            results.append(HiddenBound(national.question_id, key, NOT_ANSWERED, gap, gap))
        names = [n for n, v in numbers.items() if v is None]
        if numbers[BASE] is None:
            names.append(NOT_ANSWERED)
        if sizes.get(key) is None:
            names.append(SIZE)
        for name in names:
            row = model.quantity(key, name)
            signature = row.tobytes()
            if sizes.get(key) == 0 or not row.any():
                seen[signature] = (0, 0, False)  # no council can be in this group
            if signature not in seen:
                seen[signature] = _bound(model, row, threshold, model.quantity(key, SIZE))
            low, high, whole = seen[signature]
            results.append(HiddenBound(national.question_id, key, name, low, high, whole))
    return results


def _answer_dimension(tables: dict[tuple, SuppressedTable]):
    """The answer dimension the views filter by, or None for council type / region group views."""
    dims = dimensions()
    used = {d for key in tables for d, _ in key}
    answers = [dims[d] for d in sorted(used) if d in dims and dims[d].question_id]
    if answers and len(used) > 1:
        raise ValueError(
            f"views filter by the answer dimension '{answers[0].id}' and by {sorted(used - {answers[0].id})}: "
            "the exact audit models one or the other"
        )
    return answers[0] if answers else None


def _bound(model: _Model, row: np.ndarray, threshold: int, size: np.ndarray) -> tuple[int, int, bool]:
    """Bounds of a figure: witnessed when a feasible solution shows it is 0 or at least the threshold, else exact.

    The flag says the figure belongs to a group whose own size is worked out to be 1 to threshold - 1
    (the page withholds it as "too few councils"), or must equal that group's size.
    """
    low, high = model.witnessed(row)
    if low == 0 or high >= threshold:
        return low, high, False
    low, high = model.bounds_of(row)
    if low == 0 or high >= threshold:
        return low, high, False
    if model.bounds_of(size - row) == (0, 0):
        return low, high, True
    size_low, size_high = model.bounds_of(size)
    return low, high, size_low >= 1 and size_high < threshold


def panel_sizes(plan) -> dict[tuple, int | None]:
    """The group size the filter panel states for each selection of a plan (None where withheld).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> from adass_survey.disclosure.plan import plan_views
    >>> panel_sizes(plan_views(load_survey().respondents))[()]
    58
    """
    return {
        key: None if plan.withheld[plan.index(dict(key))] else len(members) for key, members in plan.members.items()
    }


def audit_exact(
    tables: dict[tuple, SuppressedTable],
    sizes: dict[tuple, int | None],
    policy: DisclosurePolicy | None = None,
    facts: PublicFacts | None = None,
) -> list[HiddenBound]:
    """Raise DisclosureError if solving all shown figures together pins a hidden figure to 1..threshold-1.

    Returns the bounds when every hidden figure is protected.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> from adass_survey.present.views import QuestionViews
    >>> views = QuestionViews(load_survey(), "dp_restrictions", "Most restrict")
    >>> bounds = audit_exact(views.all_tables(), panel_sizes(views.plan))
    >>> bounds[0].question_id, all(bound.protected(5) for bound in bounds)
    ('dp_restrictions', True)
    """
    policy = policy or DisclosurePolicy.from_env()
    bounds = hidden_bounds(tables, sizes, facts)
    for b in bounds:
        if not b.protected(policy.threshold):
            raise DisclosureError(
                f"question '{b.question_id}', view {b.selection or 'everyone'}: hidden {b.quantity!r} can be worked "
                f"out to lie between {b.low} and {b.high} from all the figures shown, below {policy.threshold}"
            )
    return bounds
