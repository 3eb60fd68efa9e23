"""Scoring: item → sub-dimension → dimension → overall, levels, reliability and agreement.

Pure functions: DataFrames and the question bank in, new DataFrames out; inputs are never changed.

Method (also stated in the report appendix):

* An answer ``x`` on a scale ``min..max`` scores ``100 · (x − min) / (max − min)``; a
  reverse-keyed item scores ``100 · (max − x) / (max − min)``. Blanks and "not applicable" are
  left out of every mean, never counted as zero.
* An item's score is the mean of its answers; a sub-dimension's score is the mean of its items'
  scores, a dimension's the mean of its sub-dimensions', the overall score the mean of the
  dimensions'.
* Group comparisons (departments, role levels) use each respondent's dimension score: the mean of
  the items that respondent answered among the items everyone is asked (audience "all"), so that
  groups are compared on the same questions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bank import QuestionBank

#: Columns of :func:`score_items`.
ITEM_COLUMNS = (
    "item",
    "dimension",
    "subdimension",
    "reverse",
    "audience",
    "n",
    "n_na",
    "score",
    "agree",
    "disagree",
)


def score_answers(answers: pd.DataFrame, bank: QuestionBank) -> pd.DataFrame:
    """Convert raw answers (respondent × item) to 0–100 scores with reverse keys applied."""
    lo, hi = bank.scale.min, bank.scale.max
    scaled = (answers - lo) / (hi - lo) * 100.0
    flip = [c for c in answers.columns if bank.item_index[c].reverse]
    scaled[flip] = 100.0 - scaled[flip]
    return scaled


def score_items(
    answers: pd.DataFrame, not_applicable: pd.DataFrame, bank: QuestionBank
) -> pd.DataFrame:
    """Score every item: mean 0–100, answer counts and the shares agreeing and disagreeing.

    ``agree`` is the share of answers in the top two points of the scale (the statement as worded,
    before any reversal); ``disagree`` the share in the bottom two. N/A answers count in ``n_na``
    only.
    """
    scores = score_answers(answers, bank)
    hi, lo = bank.scale.max, bank.scale.min
    rows = []
    for item in bank.items:
        if item.id not in answers.columns:
            continue
        raw = answers[item.id].dropna()
        rows.append(
            {
                "item": item.id,
                "dimension": item.dimension,
                "subdimension": item.subdimension,
                "reverse": item.reverse,
                "audience": item.audience,
                "n": int(raw.size),
                "n_na": int(not_applicable[item.id].sum()),
                "score": scores[item.id].mean(),
                "agree": (raw >= hi - 1).mean() if raw.size else np.nan,
                "disagree": (raw <= lo + 1).mean() if raw.size else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=list(ITEM_COLUMNS))


def score_subdimensions(items: pd.DataFrame) -> pd.DataFrame:
    """Mean item score per sub-dimension.

    Columns ``dimension``, ``subdimension``, ``score``, ``n_items``.

    Items nobody answered are left out.
    """
    scored = items.dropna(subset=["score"])
    out = scored.groupby(["dimension", "subdimension"], sort=False)["score"].agg(["mean", "size"])
    return out.reset_index().rename(columns={"mean": "score", "size": "n_items"})


def score_dimensions(subdimensions: pd.DataFrame, bank: QuestionBank) -> pd.DataFrame:
    """Mean sub-dimension score per dimension, in the bank's order: ``dimension``, ``score``."""
    means = subdimensions.groupby("dimension")["score"].mean()
    order = [d.id for d in bank.dimensions]
    return pd.DataFrame({"dimension": order, "score": [means.get(d, np.nan) for d in order]})


def score_overall(dimensions: pd.DataFrame) -> float:
    """The overall score: the mean of the dimension scores."""
    return float(dimensions["score"].mean())


def assign_level(score: float, levels: pd.DataFrame) -> int:
    """Return the maturity level whose band ``lower <= score < upper`` holds ``score``.

    The top band includes its upper bound (100 is level 5). A missing score has no level (0).
    """
    if score is None or np.isnan(score):
        return 0
    top = levels["upper"].max()
    for row in levels.sort_values("lower").itertuples():
        if row.lower <= score < row.upper or (score == top and row.upper == top):
            return int(row.level)
    raise ValueError(f"score {score} lies outside the level bands 0–{top}")


def cronbach_alpha(scores: pd.DataFrame) -> float:
    """Cronbach's alpha of a respondent × item matrix, with pairwise-complete covariances.

    ``alpha = k / (k − 1) · (1 − Σ var(item) / Σ cov(item_i, item_j))``; NaN when there are fewer
    than two items or three respondents, or when some pair of items was never answered together.
    """
    data = scores.dropna(axis=1, how="all")
    k = data.shape[1]
    if k < 2 or data.dropna(how="all").shape[0] < 3:
        return float("nan")
    cov = data.cov(min_periods=3)
    if cov.isna().to_numpy().any():
        return float("nan")
    total = cov.to_numpy().sum()
    if total <= 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.trace(cov.to_numpy()) / total))


def common_items(bank: QuestionBank) -> list[str]:
    """Items every respondent is asked (audience "all"); all items if the bank has none such."""
    shared = [i.id for i in bank.items if i.audience == "all"]
    return shared or [i.id for i in bank.items]


def respondent_dimension_scores(scores: pd.DataFrame, bank: QuestionBank) -> pd.DataFrame:
    """Each respondent's mean score per dimension over the common items they answered."""
    shared = [i for i in common_items(bank) if i in scores.columns]
    by_dim = {
        d.id: [i for i in shared if bank.item_index[i].dimension == d.id] for d in bank.dimensions
    }
    return pd.DataFrame(
        {d: scores[ids].mean(axis=1) if ids else np.nan for d, ids in by_dim.items()},
        index=scores.index,
    )


def reliability(scores: pd.DataFrame, bank: QuestionBank) -> pd.DataFrame:
    """Cronbach's alpha per dimension over its common items: ``dimension``, ``alpha``, ``k``."""
    shared = [i for i in common_items(bank) if i in scores.columns]
    rows = []
    for d in bank.dimensions:
        ids = [i for i in shared if bank.item_index[i].dimension == d.id]
        rows.append({"dimension": d.id, "alpha": cronbach_alpha(scores[ids]), "k": len(ids)})
    return pd.DataFrame(rows)


def agreement_index(
    answers: pd.DataFrame, bank: QuestionBank, min_answers: int = 3
) -> pd.DataFrame:
    """Within-organisation agreement per dimension: the mean of the items' r_wg.

    For an item, ``r_wg = 1 − s² / σ²_EU`` where ``s²`` is the variance of its answers and
    ``σ²_EU = (A² − 1) / 12`` the variance of a uniform answer over the scale's ``A`` points;
    clipped to 0–1. 1 means everyone gave the same answer; 0 means answers are as spread as
    random. Items with fewer than ``min_answers`` answers are left out.
    """
    expected = (bank.scale.n_points**2 - 1) / 12.0
    var = answers.var(ddof=1)
    counts = answers.notna().sum()
    rwg = (1 - var / expected).clip(0, 1).where(counts >= min_answers)
    dims = pd.Series({i: bank.item_index[i].dimension for i in answers.columns})
    out = rwg.groupby(dims).mean()
    return pd.DataFrame(
        {
            "dimension": [d.id for d in bank.dimensions],
            "agreement": [out.get(d.id, np.nan) for d in bank.dimensions],
        }
    )


def item_distribution(answers: pd.DataFrame, bank: QuestionBank) -> pd.DataFrame:
    """Share of answers at each scale point per item (N/A and blanks excluded); rows sum to 1."""
    points = list(range(bank.scale.min, bank.scale.max + 1))
    counts = pd.DataFrame(
        {p: (answers == p).sum() for p in points}, index=answers.columns, dtype=float
    )
    totals = counts.sum(axis=1)
    return counts.div(totals.where(totals > 0), axis=0)
