"""How well the free-text coder agrees with a human coder on text nobody here wrote.

The gold set is the report's own verbatim respondent quotes, hand-coded independently into the
codebook's themes (``data/coding/report_quotes_handcoded.csv``, read by
:func:`adass_survey.published.figures.load_handcoded_quotes`; ``themes`` is ``;``-separated, missing or
``uncoded`` when no theme applies). Agreement is measured over binary decisions: for every quote and every theme of its
question's frame, "coded to this theme?" by the coder and by the human. Cohen's kappa corrects the
raw agreement for chance, which matters here because most decisions are "no".

Independence: the coder's patterns were written from the report's wording before the hand-coded
file was read, and were not changed after it was read. The quotes are not wholly unseen text: the
patterns' author read the report, and some of these quotes also serve as synthetic answers. Measured
on the 25 quotes of the first hand-coding (270 decisions): pooled kappa 0.88, 97.8% agreement; the
coder missed 4 human codes (e.g. "embed ... as the new business operating model" as mainstreaming)
and added 2. :func:`agreement_view` shows the table to readers (notebook 01).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from ..coding.themes import UNCODED, code_text
from ..core.codebook import Codebook, load_codebook
from ..present.display import table_view
from ..present.html_block import HtmlBlock
from ..published.figures import load_handcoded_quotes

POOLED = "__all__"


def _human_themes(value) -> set[str]:
    if not isinstance(value, str):  # missing: no theme applies
        return set()
    return {t.strip() for t in value.split(";") if t.strip() and t.strip() != UNCODED}


def decisions(handcoded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Lay out every (quote, theme) decision of the human and of the coder.

    Parameters
    ----------
    handcoded : hand-coded quotes (see the module docstring)
    codebook : the questionnaire, with the coding frames

    Returns
    -------
    pandas.DataFrame
        Columns ``quote_id, question_id, theme, human, coder`` (booleans), one row per theme of the
        quote's frame.

    Raises
    ------
    ValueError
        If a quote names a question without a frame or a theme that is not in its frame.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> gold = pd.DataFrame({"quote_id": ["x"], "question_id": ["risk_management"],
    ...                      "quote": ["We use a risk matrix."], "themes": ["risk_matrix"]})
    >>> d = decisions(gold, load_codebook())
    >>> d.loc[d.theme == "risk_matrix", ["human", "coder"]].values.tolist()
    [[True, True]]
    """
    pieces = []
    for question_id, group in handcoded.groupby("question_id", sort=False):
        if question_id not in codebook or not codebook[question_id].frame:
            raise ValueError(f"hand-coded quotes name '{question_id}', which has no coding frame")
        question = codebook[question_id]
        codes = [t.code for t in question.frame]
        coder = code_text(group["quote"].reset_index(drop=True), question)[codes].to_numpy()
        human = np.zeros_like(coder)
        for i, value in enumerate(group["themes"]):
            unknown = _human_themes(value) - set(codes)
            if unknown:
                raise ValueError(
                    f"quote {group['quote_id'].iloc[i]}: themes {sorted(unknown)} are not in the '{question_id}' frame"
                )
            human[i] = [c in _human_themes(value) for c in codes]
        pieces.append(
            pd.DataFrame(
                {
                    "quote_id": np.repeat(group["quote_id"].to_numpy(), len(codes)),
                    "question_id": question_id,
                    "theme": np.tile(codes, len(group)),
                    "human": human.ravel(),
                    "coder": coder.ravel(),
                }
            )
        )
    return pd.concat(pieces, ignore_index=True)


def _summary(rows: pd.DataFrame) -> dict:
    human, coder = rows["human"].to_numpy(), rows["coder"].to_numpy()
    both_constant = len(set(human)) == 1 and len(set(coder)) == 1 and human[0] == coder[0]
    kappa = np.nan if both_constant else cohen_kappa_score(human, coder)
    return {
        "quotes": rows["quote_id"].nunique(),
        "n": len(rows),
        "kappa": float(kappa),
        "percent_agreement": float(100 * (human == coder).mean()),
        "human_positive": int(human.sum()),
        "coder_positive": int(coder.sum()),
    }


def agreement_by_frame(handcoded: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Cohen's kappa and percent agreement between coder and human, per frame and pooled.

    Parameters
    ----------
    handcoded, codebook : as for :func:`decisions`

    Returns
    -------
    pandas.DataFrame
        One row per question (frame) with quotes, then a pooled row ``__all__``. Columns
        ``question_id, quotes, n`` (binary decisions), ``kappa`` (NaN when both coders say "no"
        to everything), ``percent_agreement``, ``human_positive``, ``coder_positive``.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> gold = pd.DataFrame({"quote_id": ["a", "b"], "question_id": ["risk_management"] * 2,
    ...                      "quote": ["We use a risk matrix.", "Safeguarding applies."],
    ...                      "themes": ["risk_matrix", "safeguarding"]})
    >>> table = agreement_by_frame(gold, load_codebook())
    >>> pooled = table.set_index("question_id").loc["__all__"]
    >>> int(pooled["n"]), float(pooled["kappa"])
    (16, 1.0)
    """
    laid_out = decisions(handcoded, codebook)
    rows = [{"question_id": q, **_summary(group)} for q, group in laid_out.groupby("question_id", sort=False)]
    rows.append({"question_id": POOLED, **_summary(laid_out)})
    return pd.DataFrame(rows)


AGREEMENT_NOTES = (
    "Each quote is printed in the report and was coded by hand into the themes of its question's coding "
    "frame; the coder's patterns were written before that hand-coding was read and not changed after. A "
    "decision is one quote and one theme: coded to that theme or not.",
    "Kappa is Cohen's kappa: 1 is perfect agreement, 0 no better than chance. It is not defined when both "
    "coders leave every theme of a frame uncoded.",
    "Caveat: most frames rest on one to three quotes, so their kappa can swing from 1 to 0.5 on a single "
    "missed code; only the pooled figure means much. The quotes are not wholly unseen text: the coder's "
    "author read the report, and some quotes also serve as synthetic answers.",
)


def _kappa_text(value: float) -> str:
    return "not defined" if np.isnan(value) else f"{value:.2f}"


def agreement_view(table: pd.DataFrame | None = None, codebook: Codebook | None = None) -> HtmlBlock:
    """Reader-facing table of :func:`agreement_by_frame`: one row per coding frame, then all frames.

    Parameters
    ----------
    table : output of :func:`agreement_by_frame` (default: the repository's hand-coded quotes)
    codebook : the questionnaire (default: the repository's), for the frames' section and short name

    Returns
    -------
    HtmlBlock
        An accessible HTML table (caption, header scopes, notes) and its plain-text form.

    Examples
    --------
    >>> gold = pd.DataFrame({"quote_id": ["a", "b"], "question_id": ["risk_management"] * 2,
    ...                      "quote": ["We use a risk matrix.", "Safeguarding applies."],
    ...                      "themes": ["risk_matrix", "safeguarding"]})
    >>> view = agreement_view(agreement_by_frame(gold, load_codebook()))
    >>> print(repr(view).splitlines()[2])
    8 Managing risk | 2 | 16 | 2 | 2 | 100.0% | 1.00
    >>> '<th scope="col">Kappa</th>' in view._repr_html_()
    True
    """
    codebook = load_codebook() if codebook is None else codebook
    table = agreement_by_frame(load_handcoded_quotes(), codebook) if table is None else table

    def frame_name(question_id: str) -> str:
        if question_id == POOLED:
            return "All frames"
        question = codebook[question_id]
        return f"{question.section} {question.short}"

    shown = pd.DataFrame(
        {
            "Coding frame (report section)": [frame_name(q) for q in table["question_id"]],
            "Quotes": table["quotes"],
            "Decisions": table["n"],
            "Themes coded by hand": table["human_positive"],
            "Themes coded by the coder": table["coder_positive"],
            "Agreement": [f"{p:.1f}%" for p in table["percent_agreement"]],
            "Kappa": [_kappa_text(k) for k in table["kappa"]],
        }
    )
    caption = "How often the automatic coder agrees with a hand-coding of the report's own quotes"
    return table_view(shown, caption, AGREEMENT_NOTES)
