"""Group breakdowns and perception gaps between departments and between role levels.

The rule for when a gap counts (also stated in the report):

* Groups with fewer than ``min_size`` respondents are not shown and not compared (anonymity).
* For two groups A and B, the gap is ``mean(A) − mean(B)`` of their respondents' dimension scores,
  with Hedges' g as the effect size.
* A gap counts when it is at least :data:`MIN_POINTS` points **and** |g| ≥ :data:`MIN_EFFECT`.
  When both groups have at least :data:`MIN_TEST_N` respondents, a two-sided Mann–Whitney U test
  must also give p < :data:`P_LEVEL` after Holm's correction over the comparisons of the same
  dimension; the gap is then *significant*. With smaller groups it is only *indicative*.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

MIN_POINTS = 10.0
MIN_EFFECT = 0.5
MIN_TEST_N = 5
P_LEVEL = 0.05

#: Columns of :func:`perception_gaps`.
GAP_COLUMNS = (
    "dimension",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "mean_a",
    "mean_b",
    "gap",
    "hedges_g",
    "p_value",
    "p_holm",
    "strength",
    "counts",
)


def group_scores(scores: pd.DataFrame, groups: pd.Series, *, min_size: int = 3) -> pd.DataFrame:
    """Mean dimension scores per group, with ``n``; groups below ``min_size`` are left out.

    Parameters
    ----------
    scores
        Respondent × dimension scores (0–100).
    groups
        The group of each respondent, same index as ``scores``.
    min_size
        Smallest group shown.

    Returns
    -------
    pandas.DataFrame
        Indexed by group (largest first), columns ``n`` then one per dimension.
    """
    sizes = groups.value_counts()
    shown = sizes[sizes >= min_size].index
    means = scores.groupby(groups).mean().loc[list(shown)]
    return pd.concat([sizes.loc[list(shown)].rename("n"), means], axis=1)


def hidden_groups(groups: pd.Series, *, min_size: int = 3) -> pd.Series:
    """Sizes of the groups too small to show."""
    sizes = groups.value_counts()
    return sizes[sizes < min_size]


def hedges_g(a: np.ndarray, b: np.ndarray) -> float:
    """Hedges' g: the standardised mean difference with the small-sample correction."""
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return float("nan")
    pooled = np.sqrt(((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / (na + nb - 2))
    if pooled == 0:
        return (
            float("nan")
            if np.mean(a) == np.mean(b)
            else float(np.sign(np.mean(a) - np.mean(b)) * np.inf)
        )
    correction = 1 - 3 / (4 * (na + nb) - 9)
    return float((np.mean(a) - np.mean(b)) / pooled * correction)


def holm(p_values: pd.Series) -> pd.Series:
    """Holm–Bonferroni adjusted p-values (NaN stays NaN)."""
    valid = p_values.dropna().sort_values()
    m = len(valid)
    adjusted = (valid * np.arange(m, 0, -1)).cummax().clip(upper=1.0)
    return adjusted.reindex(p_values.index)


def perception_gaps(
    scores: pd.DataFrame,
    groups: pd.Series,
    *,
    min_size: int = 3,
    pairs: list[tuple[str, str]] | None = None,
) -> pd.DataFrame:
    """Compare every pair of shown groups on every dimension under the module's rule.

    Parameters
    ----------
    scores
        Respondent × dimension scores (0–100).
    groups
        The group of each respondent.
    min_size
        Groups smaller than this are not compared.
    pairs
        The pairs to compare; every pair of shown groups when None.

    Returns
    -------
    pandas.DataFrame
        One row per dimension and pair with the columns in :data:`GAP_COLUMNS`, largest gaps first.
    """
    sizes = groups.value_counts()
    shown = [g for g in sizes.index if sizes[g] >= min_size]
    if pairs is None:
        pairs = list(itertools.combinations(shown, 2))
    pairs = [(a, b) for a, b in pairs if a in shown and b in shown]
    rows = []
    for dim in scores.columns:
        for a, b in pairs:
            xa = scores.loc[groups == a, dim].dropna().to_numpy()
            xb = scores.loc[groups == b, dim].dropna().to_numpy()
            if len(xa) == 0 or len(xb) == 0:
                continue
            tested = len(xa) >= MIN_TEST_N and len(xb) >= MIN_TEST_N
            p = stats.mannwhitneyu(xa, xb, alternative="two-sided").pvalue if tested else np.nan
            rows.append(
                {
                    "dimension": dim,
                    "group_a": a,
                    "group_b": b,
                    "n_a": len(xa),
                    "n_b": len(xb),
                    "mean_a": xa.mean(),
                    "mean_b": xb.mean(),
                    "gap": xa.mean() - xb.mean(),
                    "hedges_g": hedges_g(xa, xb),
                    "p_value": p,
                }
            )
    out = pd.DataFrame(rows, columns=list(GAP_COLUMNS[:10]))
    out["p_holm"] = out.groupby("dimension")["p_value"].transform(holm) if len(out) else []
    large = (out["gap"].abs() >= MIN_POINTS) & (out["hedges_g"].abs() >= MIN_EFFECT)
    significant = large & (out["p_holm"] < P_LEVEL)
    indicative = large & out["p_holm"].isna()
    out["strength"] = np.select([significant, indicative], ["significant", "indicative"], "none")
    out["counts"] = significant | indicative
    order = out["gap"].abs().sort_values(ascending=False).index
    return out.loc[order].reset_index(drop=True)
