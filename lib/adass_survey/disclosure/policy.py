"""The disclosure policy: the threshold, its wording, and suppressing one table.

One policy serves every table, chart, filter result and download; the threshold is 5 unless
``ADASS_DISCLOSURE_THRESHOLD`` sets another.

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
* *group disclosure*: a filtered group every council of which gave the same answer is withheld (plain message);
  a multi-choice option ticked by all or by none of a group's councils is ``[c]``;
* the report's own printed national figures (``published=True``) are shown as published.

:meth:`DisclosurePolicy.suppress` suppresses one table; the views of a filter panel are suppressed
together by :func:`adass_survey.disclosure.plan.suppress_views`."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.settings import THRESHOLD_ENV
from .protect import as_grid, group_disclosed, protect
from .table import PUBLISHED_NOTE, SuppressedTable, display_frame

SYNTHETIC_FOOTNOTE = "From the synthetic respondent data (see the notice at the top of the page)."


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
    'Hidden: fewer than 5 councils are in this group, or fewer than 5 are outside it, so its figures could point to individual councils. Choose a wider filter.'
    """

    threshold: int = 5

    def __post_init__(self):
        if not isinstance(self.threshold, (int, np.integer)) or self.threshold < 1:
            raise ValueError(f"the disclosure threshold must be a whole number of at least 1, not {self.threshold!r}")

    @classmethod
    def from_env(cls, environ: dict | None = None) -> DisclosurePolicy:
        """Policy with the threshold from ``ADASS_DISCLOSURE_THRESHOLD`` (default 5).

        Examples
        --------
        >>> DisclosurePolicy.from_env({"ADASS_DISCLOSURE_THRESHOLD": "10"}).threshold
        10
        """
        environ = os.environ if environ is None else environ
        raw = environ.get(THRESHOLD_ENV, "").strip()
        if not raw:
            return cls()
        try:
            return cls(int(raw))
        except ValueError:
            raise ValueError(f"{THRESHOLD_ENV} must be a whole number of at least 1, not '{raw}'") from None

    def is_small(self, count) -> bool:
        """True for a count from 1 to threshold - 1."""
        return 0 < count < self.threshold

    @property
    def footnote(self) -> str:
        """The footnote that explains ``[c]``: one reason for every hidden cell (which one is small is not said)."""
        return (
            f"[c] hidden: fewer than {self.threshold} councils gave one of the hidden answers (in this group or "
            "outside it), or every council of a group gave the same answer, and any hidden figure would let that be "
            "worked out; so none of them is shown, to keep responding councils anonymous."
        )

    @property
    def small_group_message(self) -> str:
        """What a reader sees instead of a table for a group that is too small."""
        return (
            f"Hidden: fewer than {self.threshold} councils are in this group, or fewer than {self.threshold} are "
            "outside it, so its figures could point to individual councils. Choose a wider filter."
        )

    @property
    def linked_group_message(self) -> str:
        """What a reader sees for a group withheld because it would reveal a small group by differencing."""
        return (
            "Hidden: compared with the other views of this chart, this group's figures would let a count of fewer "
            f"than {self.threshold} councils be worked out. Choose a wider filter."
        )

    @property
    def few_answers_message(self) -> str:
        """What a reader sees when too few councils of a group answered the question."""
        return f"Hidden: fewer than {self.threshold} councils in this group answered this question."

    @property
    def same_answer_message(self) -> str:
        """What a reader sees for a group every council of which gave the same answer (group disclosure)."""
        return (
            "Hidden: every council in this group gave the same answer, so showing it would tell anyone how each "
            "of them answered. Choose a wider filter."
        )

    def group_message(self, base: int, total: int) -> str | None:
        """Plain message if a group of ``base`` councils out of ``total`` must not be shown, else None."""
        if self.is_small(base) or self.is_small(total - base):
            return self.small_group_message
        return None

    def published(self, table: pd.DataFrame, title: str = "") -> SuppressedTable:
        """Wrap a national table the report printed: shown as published, nothing suppressed."""
        mask = np.zeros(len(table), dtype=bool)
        return _to_suppressed(table, mask, self, published=True, title=title)

    def suppress(
        self,
        table: pd.DataFrame,
        *,
        national: pd.DataFrame | None = None,
        published_national: bool = False,
        title: str = "",
        selection: dict | None = None,
    ) -> SuppressedTable:
        """Suppress one table; with ``national``, also protect the group against differencing.

        Parameters
        ----------
        table : a table from :mod:`adass_survey.tables.tabulate` (true counts)
        national : the same table for everyone, when ``table`` is for a filtered group
        published_national : the national table is the report's own and is shown unsuppressed

        Examples
        --------
        >>> from adass_survey.tables.tabulate import frequency_table
        >>> t = frequency_table(pd.DataFrame({"dp_restrictions": ["yes"] * 52 + ["no"] * 3}), "dp_restrictions")
        >>> DisclosurePolicy().suppress(t).display["Councils"].tolist()
        ['[c]', '[c]', '0']
        """
        forced = None
        if national is None:
            grid, lattice_ndim = as_grid(table), 0
        else:
            g, n = as_grid(table), as_grid(national)
            grid, lattice_ndim = np.stack([g, n - g, n]), 1
            forced = np.zeros(grid.shape, dtype=bool)
            forced[-1] = published_national
        kind = table.attrs["kind"]
        mask = protect(grid, self.threshold, lattice_ndim=lattice_ndim, kind=kind, forced=forced)
        message = None
        if national is not None:
            same = group_disclosed(grid, lattice_ndim=1, kind=kind)[0]
            message = self.same_answer_message if kind == "additive" and same[-1] else None
            mask = mask[0]
        return view_table(table, mask, self, title=title, selection=selection, message=message)


def _footnotes(policy: DisclosurePolicy, published: bool, any_hidden: bool) -> list[str]:
    if published:
        return [PUBLISHED_NOTE + " National figures printed in the report are shown as published, not suppressed."]
    notes = [SYNTHETIC_FOOTNOTE]  # the page states the full notice once, at its top
    if any_hidden:
        notes.append(policy.footnote)
    notes.append("Percentages are rounded half up to whole numbers; 95% CI is the Wilson score interval.")
    return notes


def _to_suppressed(
    table: pd.DataFrame,
    hidden: np.ndarray,
    policy: DisclosurePolicy,
    *,
    published: bool = False,
    title: str = "",
    selection: dict | None = None,
    message: str | None = None,
) -> SuppressedTable:
    """Make the SuppressedTable of a table given its hidden cells (a withheld table when ``message`` is set)."""
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
        display = display_frame(values, kind, hidden)
    return SuppressedTable(
        question_id=table.attrs.get("question_id", ""),
        kind=kind,
        display=display,
        values=values,
        footnotes=_footnotes(policy, published, bool(np.any(hidden))),
        base=base,
        is_published=published,
        selection=dict(selection or {}),
        message=message,
        title=title,
    )


def view_table(
    table: pd.DataFrame,
    mask: np.ndarray,
    policy: DisclosurePolicy,
    *,
    title: str = "",
    selection: dict | None = None,
    message: str | None = None,
    published: bool = False,
) -> SuppressedTable:
    """Turn one view's slice of a suppression mask into a SuppressedTable.

    Parameters
    ----------
    table : the view's table of true counts (:mod:`adass_survey.tables.tabulate`)
    mask : the view's cells of the mask from :func:`adass_survey.disclosure.protect.protect`, shaped as
        :func:`adass_survey.disclosure.protect.as_grid` of the table (its base last)
    policy : the disclosure policy (for the footnotes and the messages)
    title, selection : the caption and the filter the view is for
    message : a plain message to show instead of the table; when the base is hidden and no message
        is given, the policy's message for a small or linked group is used
    published : the report's own printed national figures (shown as published)

    Returns
    -------
    SuppressedTable

    Examples
    --------
    >>> from adass_survey.tables.tabulate import frequency_table
    >>> t = frequency_table(pd.DataFrame({"on_target": ["yes"] * 55 + ["no"] * 3}), "on_target", include_missing=False)
    >>> shown = view_table(t, np.array([True, True, False]), DisclosurePolicy())
    >>> shown.display["Councils"].tolist(), shown.base
    (['[c]', '[c]'], 58)
    >>> view_table(t, np.array([True, True, True]), DisclosurePolicy()).message
    "Hidden: compared with the other views of this chart, this group's figures would let a count of fewer than 5 councils be worked out. Choose a wider filter."
    """
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
    result = _to_suppressed(
        table, hidden, policy, published=published, title=title, selection=selection, message=message
    )
    if kind == "crosstab" and result.shown:
        rows, cols = mask[:-1, -1], mask[-1, :-1]
        n_cols = mask.shape[1] - 1
        result.values["row_base"] = result.values["row_base"].astype("Int64").mask(np.repeat(rows, n_cols))
        result.values["col_base"] = result.values["col_base"].astype("Int64").mask(np.tile(cols, len(rows)))
    return result
