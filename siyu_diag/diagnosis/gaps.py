"""Anonymity, group breakdowns and perception gaps between departments and between role levels.

Anonymity (the minimum group size ``min_size``, ``survey.min_group_size`` or the run's):

* A survey with fewer than ``min_size`` responses left to score (after exclusions), or with no
  item answered by that many people, is refused (:func:`check_anonymity`).
* An item answered by fewer than ``min_size`` people keeps its counts but its score, agreement
  shares and answer distribution are withheld (:func:`withhold_items`); its answers still count
  in the sub-dimension, dimension and overall scores, which rest on every respondent.

The rule for when a gap counts (also stated in the report):

* Groups with fewer than ``min_size`` respondents are not shown and not compared (anonymity).
* For two groups A and B, the gap is ``mean(A) − mean(B)`` of their respondents' dimension scores,
  with Hedges' g as the effect size.
* A gap counts when it is at least :data:`MIN_POINTS` points **and** |g| ≥ :data:`MIN_EFFECT`.
  When both groups have at least :data:`MIN_TEST_N` respondents, a two-sided Mann–Whitney U test
  must also give p < :data:`P_LEVEL` after Holm's correction over the comparisons of the same
  dimension; the gap is then *significant*. With smaller groups it is only *indicative*.

The strengths (:data:`STRENGTHS`) are the only verdicts; how the report words each one is decided
in :mod:`siyu_diag.diagnosis.wording`.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.errors import InputError, Problem

if TYPE_CHECKING:
    from .survey import Responses

MIN_POINTS = 10.0
MIN_EFFECT = 0.5
MIN_TEST_N = 5
P_LEVEL = 0.05

#: A gap's strength, strongest first: passes the rule and the test, passes the rule with groups
#: too small to test, does not pass the rule.
STRENGTHS = ("significant", "indicative", "none")

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


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _left_out(responses: Responses) -> tuple[str, str]:
    """What the message and the fix say about the responses left out ("" when none were)."""
    k = len(responses.excluded_rows)
    if not k:
        return "", ""
    rows = ("row " if k == 1 else "rows ") + ", ".join(map(str, responses.excluded_rows))
    notes = responses.quality
    kinds = set(notes.loc[notes["excluded"].astype(bool), "kind"])
    flagged = bool(kinds & {"straight_lining", "speeding"})
    why = ["earlier answers of a repeated respondent id"] if "duplicate_id" in kinds else []
    if flagged:
        why.append("straight-lined or too fast, as survey.exclude_flagged is true")
    message = (
        f" Of {_count(len(responses.answers) + k, 'response')} read, {k} "
        f"{'was' if k == 1 else 'were'} left out ({rows}: {'; '.join(why)})."
    )
    hint = f", or review the exclusions ({rows})"
    if flagged:
        hint += ": survey.exclude_flagged: false in client.yaml keeps flagged responses"
    return message, hint


def check_anonymity(responses: Responses, configured: int, override: int = 0) -> int:
    """Refuse a survey too small to report without showing someone's answers.

    Parameters
    ----------
    responses
        The responses left to score (:func:`siyu_diag.diagnosis.survey.load_responses`).
    configured
        ``survey.min_group_size`` of ``client.yaml``.
    override
        The run's minimum (``run --min-group-size``); 0 means ``configured``.

    Returns
    -------
    int
        The minimum group size in force.

    Raises
    ------
    InputError
        When fewer responses than the minimum are left after exclusions, or when no item has
        that many answers.
    """
    minimum = override or configured
    source = "survey.min_group_size in client.yaml"
    if override:
        source = "the minimum group size set for this run"
    n = len(responses.answers)
    most = int(responses.answers.notna().sum().max()) if n else 0
    if n >= minimum and most >= minimum:
        return minimum
    if n < minimum:
        message = (
            f"only {_count(n, 'response')} can be scored, fewer than the minimum of {minimum} "
            f"({source}); the report never shows the answers of fewer people, to keep them "
            "anonymous."
        )
        hint = f"collect at least {_count(minimum - n, 'more answer')}"
    else:
        message = (
            f"no item has {minimum} or more answers (the minimum, {source}); the most any item "
            f"has is {most}, so no figure can be shown without showing individual answers."
        )
        hint = "collect more answers, or check why so many cells are blank or not applicable"
    more_message, more_hint = _left_out(responses)
    raise InputError(
        Problem(message + more_message, file=responses.file, hint=hint + more_hint + ".")
    )


#: An item's figures that show how its respondents answered (:data:`scoring.ITEM_COLUMNS`).
ITEM_DETAIL = ("score", "agree", "disagree")


def too_few_answers(items: pd.DataFrame, *, min_size: int = 3) -> list[str]:
    """Ids of the items answered by some people, but fewer than ``min_size``."""
    return items.loc[items["n"].between(1, min_size - 1), "item"].tolist()


def withhold_items(
    items: pd.DataFrame, distribution: pd.DataFrame, *, min_size: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Withhold the figures of items answered by fewer than ``min_size`` people.

    Parameters
    ----------
    items
        Item figures (:func:`siyu_diag.diagnosis.scoring.score_items`).
    distribution
        Item × scale point shares (:func:`siyu_diag.diagnosis.scoring.item_distribution`).
    min_size
        Smallest number of answers whose figures are shown.

    Returns
    -------
    tuple of pandas.DataFrame
        Copies of both: the :func:`too_few_answers` items' :data:`ITEM_DETAIL` and
        distribution rows are NaN, their counts ``n`` and ``n_na`` kept (items nobody answered
        have no figures anyway).
    """
    small = too_few_answers(items, min_size=min_size)
    shown = items.copy()
    shown.loc[shown["item"].isin(small), list(ITEM_DETAIL)] = np.nan
    dist = distribution.copy()
    dist.loc[dist.index.isin(small)] = np.nan
    return shown, dist


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
    from scipy import stats  # only here: loading answers need not import scipy

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
    out["strength"] = np.select([significant, indicative], list(STRENGTHS[:2]), STRENGTHS[2])
    out["counts"] = significant | indicative
    order = out["gap"].abs().sort_values(ascending=False).index
    return out.loc[order].reset_index(drop=True)


def gap_facts(dept_gaps: pd.DataFrame, role_gaps: pd.DataFrame) -> dict[str, Any]:
    """The facts the finding rules read about perception gaps, per dimension ``d``.

    * ``gap.dept_max.d``: the largest absolute gap between two departments;
      ``gap.dept_max_strength.d`` its strength (:data:`STRENGTHS`), and ``gap.dept_max_tag.d``
      the same strength for a title; ``gap.dept_counts.d``: whether any pair counts.
    * ``gap.mgmt_front.d``: management minus front line; ``gap.mgmt_front_strength.d`` and
      ``gap.mgmt_front_tag.d`` its strength; ``gap.mgmt_front_counts.d``: whether it counts.

    A strength reads as a clause in a finding's evidence and a ``_tag`` as a title's qualifier
    (:func:`siyu_diag.diagnosis.wording.fact_wording`), so a finding says what the statistics
    say.

    Parameters
    ----------
    dept_gaps, role_gaps
        :func:`perception_gaps` between departments and between management and front line.

    Returns
    -------
    dict
        The facts (no fact for a dimension without a comparison).
    """
    facts: dict[str, Any] = {}
    for d, sub in dept_gaps.groupby("dimension", sort=False):
        largest = sub.loc[sub["gap"].abs().idxmax()]
        facts[f"gap.dept_max.{d}"] = float(abs(largest["gap"]))
        facts[f"gap.dept_counts.{d}"] = bool(sub["counts"].any())
        for kind in ("strength", "tag"):
            facts[f"gap.dept_max_{kind}.{d}"] = str(largest["strength"])
    for row in role_gaps.itertuples():
        sign = 1 if row.group_a == "management" else -1
        facts[f"gap.mgmt_front.{row.dimension}"] = float(sign * row.gap)
        facts[f"gap.mgmt_front_counts.{row.dimension}"] = bool(row.counts)
        for kind in ("strength", "tag"):
            facts[f"gap.mgmt_front_{kind}.{row.dimension}"] = str(row.strength)
    return facts
