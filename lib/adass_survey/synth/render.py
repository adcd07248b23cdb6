"""Write each synthetic answer as a survey tool would export it, messy on purpose.

Phrasing is data (``data/synth/phrases.yaml`` and the coding frames' ``examples`` in
``data/codebook.yaml``): closed answers as their label or an accepted spelling, percentages and
counts in hand-written forms, free text joined from theme examples (a few precomputed templates per
distinct theme set) plus the respondents' verbatim quotes, and the survey tool's metadata columns."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.codebook import MISSING, Question
from .draw import ID_BASE, TEXT_VARIANTS, largest_remainder


def _pick(rng: np.random.Generator, variants: list[str], size: int) -> np.ndarray:
    return np.array(variants, dtype=object)[rng.integers(0, len(variants), size=size)]


def _render_by_code(rng: np.random.Generator, codes: np.ndarray, variants: dict[str, list[str]]) -> np.ndarray:
    out = np.empty(len(codes), dtype=object)
    for code in sorted(set(codes.tolist())):
        mask = codes == code
        out[mask] = _pick(rng, variants[code], int(mask.sum()))
    return out


def _spelling_surface(spelling: str) -> str:
    if len(spelling) <= 2:
        return spelling.upper()
    return spelling[0].upper() + spelling[1:]


def _option_variants(question: Question, phrases: dict) -> dict[str, list[str]]:
    """Written forms of each option: its label (``label_share`` of the time) or a spelling."""
    share = float(phrases["label_share"])
    variants = {}
    for option in question.options:
        others = [_spelling_surface(s) for s in option.spellings if s != option.label.lower() and s != option.code]
        weight = max(1, round(share / (1 - share) * max(len(others), 1)))
        variants[option.code] = [option.label] * weight + others
    variants[MISSING] = phrases["missing"]
    return variants


def render_closed(rng: np.random.Generator, question: Question, codes: np.ndarray, phrases: dict) -> np.ndarray:
    """Write closed answers: an option as its label or a spelling, yes/no and Likert as the phrase banks say.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> from adass_survey.synth.draw import load_yaml
    >>> codes = np.array(["county", "unitary", "__missing__"], dtype=object)
    >>> text = render_closed(np.random.default_rng(0), load_codebook()["council_type"], codes, load_yaml("phrases.yaml"))
    >>> len(text), text[2] in load_yaml("phrases.yaml")["missing"]
    (3, True)
    """
    if question.type == "yes_no":
        variants = {"yes": phrases["yes_no"]["yes"], "no": phrases["yes_no"]["no"], MISSING: phrases["missing"]}
        if question.id == "on_target":
            variants["no"] = phrases["yes_no"]["on_target_no"]
        return _render_by_code(rng, codes, variants)
    if question.type == "likert5":
        variants = {
            o.code: [f.format(code=o.code, label=o.label, label_lower=o.label.lower()) for f in phrases["likert"]]
            for o in question.options
        }
        variants[MISSING] = phrases["missing"]
        return _render_by_code(rng, codes, variants)
    return _render_by_code(rng, codes, _option_variants(question, phrases))


def render_percent(rng: np.random.Generator, bands: np.ndarray, early: np.ndarray, phrases: dict) -> np.ndarray:
    """Write take-up percentages by hand within each band (``early``: expects 100% by 2011-12, so 85% or more).

    Examples
    --------
    >>> from adass_survey.clean.values import parse_percent
    >>> from adass_survey.synth.draw import load_yaml
    >>> bands = np.array(["below_60", "60_or_above"], dtype=object)
    >>> text = render_percent(np.random.default_rng(0), bands, np.array([False, True]), load_yaml("phrases.yaml"))
    >>> parse_percent(text[0]) < 60 <= 85 <= parse_percent(text[1])
    True
    """
    spec = phrases["percent"]
    formats = spec["formats"]
    table = {v: [f.format(v=v) for f in formats] for v in range(0, 101)}
    out = np.empty(len(bands), dtype=object)
    for band in ("below_60", "60_or_above"):
        mask = bands == band
        low, high = spec[band]
        values = rng.integers(low, high + 1, size=int(mask.sum()))
        if band == "60_or_above":  # those expecting 100% by the end of 2011-12 are nearly there
            values = np.where(early[mask], rng.integers(max(low, 85), high + 1, size=int(mask.sum())), values)
        grid = np.array([table[v] for v in range(low, high + 1)], dtype=object)
        out[mask] = grid[values - low, rng.integers(0, len(formats), size=int(mask.sum()))]
    mask = bands == "insufficient"
    out[mask] = _pick(rng, spec["insufficient"], int(mask.sum()))
    return out


def render_number(rng: np.random.Generator, council_types: np.ndarray, phrases: dict) -> np.ndarray:
    """Write target-group sizes by hand, in the range the phrase banks give each council type; a few blank.

    Examples
    --------
    >>> from adass_survey.clean.values import parse_number
    >>> from adass_survey.synth.draw import load_yaml
    >>> text = render_number(np.random.default_rng(0), np.array(["county"] * 58, dtype=object), load_yaml("phrases.yaml"))
    >>> sizes = [parse_number(t).value for t in text if t]
    >>> len(sizes), 13000 <= min(sizes) and max(sizes) <= 26000
    (56, True)
    """
    spec = phrases["number"]
    formats = spec["formats"]
    low = min(r[0] for r in spec["ranges"].values())
    high = max(r[1] for r in spec["ranges"].values())
    values = np.zeros(len(council_types), dtype=np.int64)
    for council_type in sorted(spec["ranges"]):
        mask = council_types == council_type
        a, b = spec["ranges"][council_type]
        values[mask] = rng.integers(a, b + 1, size=int(mask.sum()))
    step = np.array(spec["round_to"])[rng.integers(0, len(spec["round_to"]), size=len(values))]
    values = np.clip(np.round(values / step) * step, low, high).astype(np.int64)
    grid = np.array([[f.format(int=v, comma=f"{v:,}") for f in formats] for v in range(low, high + 1)], dtype=object)
    out = grid[values - low, rng.integers(0, len(formats), size=len(values))]
    blank = largest_remainder([spec["blank"], 58 - spec["blank"]], len(values))[0]
    out[rng.permutation(len(values))[:blank]] = ""
    return out


def _theme_examples(question: Question) -> dict[str, list[str]]:
    return {t.code: [e.rstrip(". ") for e in t.examples] for t in question.frame}


def render_text(
    rng: np.random.Generator, question: Question, matrix: np.ndarray, phrases: dict, implies: dict[str, list[str]]
) -> np.ndarray:
    """Write each row's answer from its theme set: a few templates per distinct set, drawn at random.

    ``implies`` names themes another theme's examples already carry (they are not written twice).

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> from adass_survey.synth.draw import load_yaml
    >>> question = load_codebook()["advisory_how"]
    >>> matrix = np.zeros((2, len(question.frame)), dtype=bool)
    >>> matrix[0, 0] = True
    >>> text = render_text(np.random.default_rng(0), question, matrix, load_yaml("phrases.yaml"), {})
    >>> bool(text[0].strip()), text[1] in load_yaml("phrases.yaml")["missing"]
    (True, True)
    """
    codes = [t.code for t in question.frame]
    examples = _theme_examples(question)
    text = phrases["text"]
    answered = matrix.any(axis=1)
    out = np.empty(len(matrix), dtype=object)
    out[~answered] = _pick(rng, phrases["missing"], int((~answered).sum()))
    keys = matrix[answered].astype(np.int64) @ (np.int64(1) << np.arange(len(codes), dtype=np.int64))
    unique_keys, inverse = np.unique(keys, return_inverse=True)
    templates = np.empty((len(unique_keys), TEXT_VARIANTS), dtype=object)
    for u, key in enumerate(unique_keys.tolist()):
        themes = [c for j, c in enumerate(codes) if key >> j & 1]
        implied = {p for t in themes for p in implies.get(t, [])}
        written = [t for t in themes if t not in implied]
        for v in range(TEXT_VARIANTS):
            order = rng.permutation(len(written))
            parts = [examples[written[i]][rng.integers(len(examples[written[i]]))] for i in order]
            joiner = text["joiners"][rng.integers(len(text["joiners"]))]
            prefix = text["prefixes"][rng.integers(len(text["prefixes"]))]
            suffix = text["suffixes"][rng.integers(len(text["suffixes"]))]
            templates[u, v] = prefix + joiner.join(parts) + suffix
    out[answered] = templates[inverse.ravel(), rng.integers(0, TEXT_VARIANTS, size=int(answered.sum()))]
    return out


def place_verbatim(question: Question, matrix: np.ndarray, texts: np.ndarray, quotes: list[dict], exact: bool) -> None:
    """Put each verbatim quote (at most once) on a respondent whose intended themes fit it.

    ``matrix`` and ``texts`` are changed in place; with ``exact`` the respondent's themes must be
    the quote's exactly (joint profiles), otherwise they must include them.

    Examples
    --------
    >>> from adass_survey.core.codebook import load_codebook
    >>> question = load_codebook()["advisory_how"]
    >>> matrix = np.zeros((2, len(question.frame)), dtype=bool)
    >>> matrix[1, [0, 1]] = True
    >>> texts = np.array(["", "written"], dtype=object)
    >>> quote = {"themes": [question.frame[0].code], "text": "A quote."}
    >>> place_verbatim(question, matrix, texts, [quote], exact=False)
    >>> texts.tolist(), int(matrix[1].sum())
    (['', 'A quote.'], 1)
    """
    codes = [t.code for t in question.frame]
    used = np.zeros(len(matrix), dtype=bool)
    for quote in quotes:
        wanted = np.zeros(len(codes), dtype=bool)
        wanted[[codes.index(t) for t in quote["themes"]]] = True
        covers = matrix[:, wanted].all(axis=1) & ~used
        fits = covers & (matrix == wanted).all(axis=1) if exact else covers
        candidates = np.flatnonzero(fits)
        if not len(candidates):
            continue
        row = candidates[np.argmin(matrix[candidates].sum(axis=1))]
        matrix[row] = wanted
        texts[row] = quote["text"]
        used[row] = True


def render_meta(rng: np.random.Generator, n: int, phrases: dict) -> dict[str, np.ndarray]:
    """The survey tool's own columns: ascending respondent ids, collector ids and start/end times in the fieldwork.

    Examples
    --------
    >>> from adass_survey.synth.draw import load_yaml
    >>> meta = render_meta(np.random.default_rng(0), 3, load_yaml("phrases.yaml"))
    >>> sorted(meta), len(meta["respondent_id"]), meta["start_date"][0][2:]
    (['collector_id', 'end_date', 'respondent_id', 'start_date'], 3, '/09/2011 ...')
    """
    ids = ID_BASE + np.cumsum(rng.integers(1, 3000, size=n, dtype=np.int64))
    collectors = phrases["collectors"]
    shares = np.array([c["share"] for c in collectors], dtype=float)
    collector = np.array([str(c["id"]) for c in collectors], dtype=object)[
        rng.choice(len(collectors), size=n, p=shares / shares.sum())
    ]
    first = pd.Timestamp(phrases["fieldwork"]["first_day"]) + pd.Timedelta(hours=8)
    last = pd.Timestamp(phrases["fieldwork"]["last_day"]) + pd.Timedelta(hours=18)
    span = int((last - first).total_seconds())
    start = np.sort(rng.integers(0, span, size=n))
    duration = rng.integers(6 * 60, 5 * 3600, size=n)
    fmt = "%d/%m/%Y %H:%M:%S"
    start_at = (first + pd.to_timedelta(start, unit="s")).strftime(fmt)
    end_at = (first + pd.to_timedelta(start + duration, unit="s")).strftime(fmt)
    return {
        "respondent_id": ids.astype(str).astype(object),
        "collector_id": collector,
        "start_date": np.asarray(start_at, dtype=object),
        "end_date": np.asarray(end_at, dtype=object),
    }
