"""The seven key messages of the report's conclusions, linked to the figures that bear on them.

Section 12 of the report restates its findings as seven key messages (12.1 to 12.7). The file
``data/published/key_messages.csv`` links each message to the published figures
(``figures.csv`` ids) that support, qualify or contradict it, one row per (message, figure), read by
:func:`adass_survey.published.figures.load_key_messages` with the other published files.

The links are a reader's judgement; the numbers are not: every
linked figure is recomputed live from the survey with :func:`adass_survey.published.reconcile.reconcile`.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from ..present.html_block import HtmlBlock
from ..published.figures import MESSAGE_IDS, RELATIONS, load_errata, load_figures, load_key_messages
from ..published.reconcile import printed_text, reconcile
from ..tables.tabulate import figure_with_base

EVIDENCE_COLUMNS = [
    "message_id",
    "figure_id",
    "relation",
    "section",
    "quote",
    "published",
    "reproduced_count",
    "reproduced_base",
    "percent_reproduced",
    "status",
    "erratum_id",
    "note",
]


def message_evidence(survey, message_id: str, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """The figures linked to one key message, each recomputed from the survey.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey` (anything with ``respondents`` and ``themes``)
    message_id : ``"12.1"`` to ``"12.7"``
    links : optional table from :func:`load_key_messages`

    Returns
    -------
    pandas.DataFrame
        One row per linked figure, columns :data:`EVIDENCE_COLUMNS`: the relation, the report's
        quote and printed figure, the count, base and percentage recomputed now, and the reconcile
        status (``reproduced``, ``erratum`` or ``mismatch``).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> evidence = message_evidence(load_survey(), "12.6")
    >>> evidence.loc[evidence["figure_id"] == "F11-03", ["relation", "reproduced_count", "reproduced_base"]].values.tolist()
    [['contradicts', 4, 58]]
    """
    links = load_key_messages() if links is None else links
    if message_id not in MESSAGE_IDS:
        raise ValueError(f"'{message_id}' is not a key message; use one of {', '.join(MESSAGE_IDS)}")
    chosen = links[links["message_id"] == message_id]
    figures = load_figures()
    linked = figures[figures["id"].isin(chosen["figure_id"])]
    result = reconcile(survey, linked).set_index("id")
    quotes = figures.set_index("id")["quote"]
    rows = []
    for link in chosen.to_dict("records"):
        live = result.loc[link["figure_id"]]
        rows.append(
            {
                "message_id": message_id,
                "figure_id": link["figure_id"],
                "relation": link["relation"],
                "section": live["section"],
                "quote": quotes[link["figure_id"]],
                "published": printed_text(live),
                "reproduced_count": live["reproduced_count"],
                "reproduced_base": live["reproduced_base"],
                "percent_reproduced": live["percent_reproduced"],
                "status": live["status"],
                "erratum_id": live["erratum_id"],
                "note": link["note"],
            }
        )
    evidence = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    for column in ("reproduced_count", "reproduced_base", "percent_reproduced"):
        evidence[column] = evidence[column].astype("Int64")
    return evidence


def message_errata(message_id: str, evidence: pd.DataFrame) -> list[str]:
    """Errata touching a message: those of its linked figures and those listed against the message.

    Examples
    --------
    >>> message_errata("12.6", pd.DataFrame({"erratum_id": ["", "E09"]}))
    ['E09', 'E11']
    """
    errata = load_errata()
    own = errata.loc[errata["section"].astype(str) == message_id, "id"].tolist()
    linked = [e for e in evidence["erratum_id"].tolist() if isinstance(e, str) and e]
    return sorted(set(own) | set(linked))


def evidence_summary(survey, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """One line per key message: how many linked figures reproduce, how they bear on it, its errata.

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey`
    links : optional table from :func:`load_key_messages`

    Returns
    -------
    pandas.DataFrame
        ``message_id, opening, linked, reproduced, erratum, mismatch, supports, qualifies,
        contradicts, errata, summary`` (``summary`` is the line in words).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> summary = evidence_summary(load_survey())
    >>> print(summary.set_index("message_id").loc["12.6", "summary"])
    12.6: 7 linked figures, 7 reproduced; 5 support, 1 qualifies, 1 contradicts; errata E09, E11
    """
    links = load_key_messages() if links is None else links
    rows = []
    for message_id in MESSAGE_IDS:
        evidence = message_evidence(survey, message_id, links)
        status = evidence["status"].value_counts()
        relation = evidence["relation"].value_counts()
        errata = message_errata(message_id, evidence)
        row = {
            "message_id": message_id,
            "opening": links.loc[links["message_id"] == message_id, "message_quote"].iloc[0],
            "linked": len(evidence),
            **{s: int(status.get(s, 0)) for s in ("reproduced", "erratum", "mismatch")},
            **{r: int(relation.get(r, 0)) for r in RELATIONS},
            "errata": ", ".join(errata),
        }
        row["summary"] = _summary_line(row)
        rows.append(row)
    return pd.DataFrame(rows)


def _summary_line(row: dict) -> str:
    reproduced = f"{row['reproduced']} reproduced"
    if row["erratum"]:
        reproduced += f", {row['erratum']} differ{'s' if row['erratum'] == 1 else ''} from the print (listed erratum)"
    if row["mismatch"]:
        reproduced += f", {row['mismatch']} NOT reproduced"
    verbs = {
        "supports": ("supports", "support"),
        "qualifies": ("qualifies", "qualify"),
        "contradicts": ("contradicts", "contradict"),
    }
    bearing = ", ".join(f"{row[r]} {verbs[r][0] if row[r] == 1 else verbs[r][1]}" for r in RELATIONS if row[r])
    errata = f"; errata {row['errata']}" if row["errata"] else "; no errata"
    return f"{row['message_id']}: {row['linked']} linked figures, {reproduced}; {bearing}{errata}"


def _data_and_status(row) -> tuple[str, str]:
    if pd.isna(row["reproduced_count"]):
        data = "not reproducible from these data"
    else:
        data = figure_with_base(int(row["reproduced_count"]), int(row["reproduced_base"]))
    status = {
        "reproduced": "reproduced",
        "erratum": f"differs: listed erratum {row['erratum_id']}",
        "mismatch": "NOT reproduced",
    }[row["status"]]
    return data, status


def show_message(survey, message_id: str) -> HtmlBlock:
    """One key message with its linked figures recomputed live, for a notebook cell.

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> print(repr(show_message(load_survey(), "12.7")).splitlines()[1])
    - supports: F04-09 (4.4) "Eight councils (14% of the cohort) said their advisory or brokerage services did not extend" | published 8 (14%) | data: 8 of 58 councils (14%, 95% CI 7% to 25%) | reproduced
    """
    evidence = message_evidence(survey, message_id)
    errata = message_errata(message_id, evidence)
    lines = [f"Key message {message_id}: the figures that bear on it, recomputed from the data:"]
    items = []
    for _, row in evidence.iterrows():
        data, status = _data_and_status(row)
        lines.append(
            f'- {row["relation"]}: {row["figure_id"]} ({row["section"]}) "{row["quote"]}" | '
            f"published {row['published']} | data: {data} | {status}"
        )
        lines.append(f"    why: {row['note']}")
        items.append(
            f'<li class="adass-{escape(row["relation"])}"><strong>{escape(row["relation"])}</strong>: '
            f"<q>{escape(row['quote'])}</q> (published {escape(row['published'])}; from the data: "
            f"{escape(data)}; {escape(status)}) "
            f"<small>[{escape(row['figure_id'])}, section {escape(str(row['section']))}]</small>"
            f"<br><em>{escape(row['note'])}</em></li>"
        )
    if errata:
        lines.append("Errata touching this message: " + ", ".join(errata))
        items.append(f"<li>Errata touching this message: {escape(', '.join(errata))}</li>")
    html = f'<section class="adass-key-message"><ul>{"".join(items)}</ul></section>'
    return HtmlBlock(html, "\n".join(lines))


def _thin_reasons(row, small_base: int, small_count: int) -> list[str]:
    reasons = []
    if row["published"].startswith("vague quantifier") and row["published"] != "vague quantifier (all)":
        quantifier = row["published"].removeprefix("vague quantifier (").removesuffix(")")
        reasons.append(f"no count printed, only '{quantifier}'")
    if pd.notna(row["reproduced_base"]) and row["reproduced_base"] < small_base:
        reasons.append(f"base of {int(row['reproduced_base'])} councils")
    leans = row["relation"] == "supports" and pd.notna(row["reproduced_count"])
    if leans and 0 < row["reproduced_count"] < small_count:
        reasons.append(f"rests on {int(row['reproduced_count'])} council{'s' if row['reproduced_count'] != 1 else ''}")
    if row["status"] != "reproduced":
        reasons.append(f"differs from the print ({row['erratum_id'] or 'not reproduced'})")
    return reasons


def thin_evidence(
    survey, links: pd.DataFrame | None = None, small_base: int = 20, small_count: int = 5
) -> pd.DataFrame:
    """The linked figures a key message should not lean on too hard, and why.

    A figure is thin when the report printed no count for it (a vague quantifier such as "most";
    "all" counts as a count), when its base is small, when a supporting figure rests on a few
    councils, or when it differs from the print (an erratum).

    Parameters
    ----------
    survey : from :func:`adass_survey.processed.survey.load_survey`
    links : optional table from :func:`load_key_messages`
    small_base : a base below this is small (default 20 councils)
    small_count : a count below this is small (default 5, the disclosure threshold)

    Returns
    -------
    pandas.DataFrame
        ``message_id, figure_id, relation, quote, reasons`` (reasons joined by ``; ``).

    Examples
    --------
    >>> from adass_survey.processed.survey import load_survey
    >>> thin = thin_evidence(load_survey()).set_index("figure_id")
    >>> thin.loc["F10-08", "reasons"]
    'base of 13 councils'
    >>> "F10-01" in thin.index
    False
    """
    links = load_key_messages() if links is None else links
    rows = []
    for message_id in MESSAGE_IDS:
        for _, row in message_evidence(survey, message_id, links).iterrows():
            reasons = _thin_reasons(row, small_base, small_count)
            if reasons:
                rows.append(
                    {
                        "message_id": message_id,
                        "figure_id": row["figure_id"],
                        "relation": row["relation"],
                        "quote": row["quote"],
                        "reasons": "; ".join(reasons),
                    }
                )
    return pd.DataFrame(rows, columns=["message_id", "figure_id", "relation", "quote", "reasons"])
