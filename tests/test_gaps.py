"""Tests of siyu_diag.diagnosis.gaps against hand formulas, a plain pandas groupby and scipy."""

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal
from scipy import stats

from siyu_diag.diagnosis import gaps

# ---------------------------------------------------------------- hedges_g


def test_hedges_g_equal_sizes_by_hand():
    # Means 2 and 5, both variances 1 → pooled sd 1, d = −3.
    # J = 1 − 3 / (4·(3+3) − 9) = 1 − 3/15 = 0.8 → g = −2.4.
    assert gaps.hedges_g(np.array([1.0, 2.0, 3.0]), np.array([4.0, 5.0, 6.0])) == pytest.approx(
        -2.4
    )


def test_hedges_g_unequal_sizes_by_hand():
    a = np.array([2.0, 4.0, 6.0, 8.0])  # mean 5, var (9+1+1+9)/3 = 20/3
    b = np.array([1.0, 3.0])  # mean 2, var 2
    # pooled sd = sqrt((3·20/3 + 1·2) / (4 + 2 − 2)) = sqrt(5.5); J = 1 − 3/(4·6 − 9) = 0.8
    expected = (5 - 2) / math.sqrt(5.5) * 0.8
    assert gaps.hedges_g(a, b) == pytest.approx(expected)
    assert gaps.hedges_g(b, a) == pytest.approx(-expected)


def test_hedges_g_degenerate_cases():
    assert math.isnan(gaps.hedges_g(np.array([1.0]), np.array([1.0, 2.0])))
    assert math.isnan(gaps.hedges_g(np.array([3.0, 3.0]), np.array([3.0, 3.0])))
    assert gaps.hedges_g(np.array([4.0, 4.0]), np.array([3.0, 3.0])) == math.inf
    assert gaps.hedges_g(np.array([3.0, 3.0]), np.array([4.0, 4.0])) == -math.inf


# ---------------------------------------------------------------- holm


def test_holm_hand_worked_example():
    # Sorted 0.01, 0.03, 0.04 × 3, 2, 1 = 0.03, 0.06, 0.04 → running max 0.03, 0.06, 0.06.
    p = pd.Series([0.01, 0.04, 0.03], index=["x", "y", "z"])
    expected = pd.Series([0.03, 0.06, 0.06], index=["x", "y", "z"])
    assert_series_equal(gaps.holm(p), expected)


def test_holm_keeps_nan_and_caps_at_one():
    p = pd.Series([0.6, np.nan, 0.5])
    # Two valid p-values: 0.5·2 = 1.0, 0.6·1 = 0.6 → running max 1.0, 1.0.
    out = gaps.holm(p)
    assert out[0] == pytest.approx(1.0)
    assert math.isnan(out[1])
    assert out[2] == pytest.approx(1.0)


def test_holm_does_not_mutate_input():
    p = pd.Series([0.01, 0.04, 0.03])
    before = p.copy()
    gaps.holm(p)
    assert_series_equal(p, before)


# ---------------------------------------------------------------- group_scores

SCORES = pd.DataFrame(
    {
        "goals": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0],
        "growth": [5.0, np.nan, 15.0, 25.0, 35.0, 45.0, 55.0, 65.0, 75.0],
    },
    index=[f"r{i}" for i in range(9)],
)
GROUPS = pd.Series(["x", "x", "x", "x", "y", "y", "y", "z", "z"], index=SCORES.index)


def test_group_scores_equals_plain_groupby_and_hides_small_groups():
    out = gaps.group_scores(SCORES, GROUPS, min_size=3)
    assert list(out.index) == ["x", "y"]  # largest first; z (2 people) is hidden
    assert list(out.columns) == ["n", "goals", "growth"]
    assert out["n"].tolist() == [4, 3]
    expected = SCORES.groupby(GROUPS).mean().loc[["x", "y"]]
    assert_frame_equal(out[["goals", "growth"]], expected, check_names=False)
    # By hand: x goals (10+20+30+40)/4 = 25, growth (5+15+25)/3 = 15 (blank left out).
    assert out.loc["x", "goals"] == 25.0
    assert out.loc["x", "growth"] == 15.0


def test_group_scores_min_size_is_inclusive():
    assert list(gaps.group_scores(SCORES, GROUPS, min_size=2).index) == ["x", "y", "z"]
    assert list(gaps.group_scores(SCORES, GROUPS, min_size=4).index) == ["x"]


def test_hidden_groups():
    hidden = gaps.hidden_groups(GROUPS, min_size=3)
    assert hidden.to_dict() == {"z": 2}


def test_group_scores_does_not_mutate_inputs():
    scores, groups = SCORES.copy(), GROUPS.copy()
    gaps.group_scores(scores, groups)
    gaps.perception_gaps(scores, groups)
    assert_frame_equal(scores, SCORES)
    assert_series_equal(groups, GROUPS)


# ---------------------------------------------------------------- perception_gaps


def _two_groups(a: list[float], b: list[float], dim: str = "goals"):
    scores = pd.DataFrame({dim: a + b})
    groups = pd.Series(["A"] * len(a) + ["B"] * len(b))
    return scores, groups


HIGH = [80.0, 82.0, 85.0, 88.0, 90.0, 92.0]
LOW = [40.0, 45.0, 50.0, 52.0, 55.0, 60.0]


def test_large_gap_with_six_per_group_is_significant():
    scores, groups = _two_groups(HIGH, LOW)
    out = gaps.perception_gaps(scores, groups)
    assert list(out.columns) == list(gaps.GAP_COLUMNS)
    assert len(out) == 1
    row = out.iloc[0]
    assert {row["group_a"], row["group_b"]} == {"A", "B"}
    sign = 1 if row["group_a"] == "A" else -1
    assert row["n_a"] == 6 and row["n_b"] == 6
    assert row["gap"] == pytest.approx(sign * (np.mean(HIGH) - np.mean(LOW)))
    a, b = (HIGH, LOW) if sign == 1 else (LOW, HIGH)
    expected_p = stats.mannwhitneyu(a, b, alternative="two-sided").pvalue
    assert row["p_value"] == pytest.approx(expected_p)
    # Complete separation of 6 vs 6 with no ties: exact two-sided p = 2 / C(12, 6) = 2/924.
    assert row["p_value"] == pytest.approx(2 / math.comb(12, 6))
    assert row["p_holm"] == pytest.approx(row["p_value"])  # one comparison in the dimension
    assert row["hedges_g"] == pytest.approx(gaps.hedges_g(np.array(a), np.array(b)))
    assert row["strength"] == "significant"
    assert bool(row["counts"]) is True


def test_large_gap_with_small_groups_is_only_indicative():
    scores, groups = _two_groups(HIGH[:3], LOW[:4])
    row = gaps.perception_gaps(scores, groups).iloc[0]
    assert row["n_a"] + row["n_b"] == 7
    assert math.isnan(row["p_value"]) and math.isnan(row["p_holm"])
    assert row["strength"] == "indicative"
    assert bool(row["counts"]) is True


def test_five_per_group_is_tested():
    scores, groups = _two_groups(HIGH[:5], LOW[:5])
    row = gaps.perception_gaps(scores, groups).iloc[0]
    assert row["p_value"] == pytest.approx(
        stats.mannwhitneyu(
            *((HIGH[:5], LOW[:5]) if row["group_a"] == "A" else (LOW[:5], HIGH[:5])),
            alternative="two-sided",
        ).pvalue
    )
    # 2 / C(10, 5) = 2/252 = 0.0079 < 0.05
    assert row["strength"] == "significant"


def test_small_difference_does_not_count():
    a = [50.0, 52.0, 54.0, 56.0, 58.0, 60.0]
    b = [49.0, 51.0, 53.0, 55.0, 57.0, 59.0]
    row = gaps.perception_gaps(*_two_groups(a, b)).iloc[0]
    assert abs(row["gap"]) == pytest.approx(1.0)
    assert row["strength"] == "none"
    assert bool(row["counts"]) is False


def test_large_points_but_small_effect_does_not_count():
    # Gap of 10 points but very spread answers: |g| < 0.5.
    a = [0.0, 100.0, 10.0, 90.0, 20.0, 100.0]
    b = [0.0, 90.0, 0.0, 80.0, 10.0, 80.0]
    row = gaps.perception_gaps(*_two_groups(a, b)).iloc[0]
    assert abs(row["gap"]) == pytest.approx(10.0)
    assert abs(row["hedges_g"]) < 0.5
    assert row["strength"] == "none"


def test_holm_is_applied_within_each_dimension():
    rng = np.random.default_rng(3)
    groups = pd.Series(["A"] * 6 + ["B"] * 6 + ["C"] * 6)
    scores = pd.DataFrame(
        {
            "goals": np.concatenate([rng.normal(m, 8, 6) for m in (80, 50, 60)]),
            "growth": np.concatenate([rng.normal(m, 8, 6) for m in (40, 45, 70)]),
        }
    )
    out = gaps.perception_gaps(scores, groups)
    assert len(out) == 6
    for dim, sub in out.groupby("dimension"):
        raw = []
        for row in sub.itertuples():
            xa = scores.loc[groups == row.group_a, dim]
            xb = scores.loc[groups == row.group_b, dim]
            raw.append(stats.mannwhitneyu(xa, xb, alternative="two-sided").pvalue)
        np.testing.assert_allclose(sub["p_value"], raw)
        # Holm over the three comparisons of this dimension only.
        order = np.argsort(raw)
        adjusted = np.maximum.accumulate(np.array(raw)[order] * np.array([3, 2, 1]))
        expected = np.empty(3)
        expected[order] = np.minimum(adjusted, 1.0)
        np.testing.assert_allclose(sub["p_holm"], expected)
    # Largest absolute gaps first.
    assert (np.diff(out["gap"].abs().to_numpy()) <= 1e-12).all()


def test_pairs_restrict_the_comparisons():
    groups = pd.Series(["A"] * 3 + ["B"] * 3 + ["C"] * 3 + ["D"] * 2)
    scores = pd.DataFrame({"goals": np.arange(11, dtype=float) * 5})
    every = gaps.perception_gaps(scores, groups)
    # D (2 people) is below the minimum size: 3 pairs among A, B, C.
    assert len(every) == 3
    assert "D" not in set(every["group_a"]) | set(every["group_b"])
    only = gaps.perception_gaps(scores, groups, pairs=[("C", "A"), ("A", "D")])
    assert list(zip(only["group_a"], only["group_b"], strict=True)) == [("C", "A")]
    # gap = mean(C) − mean(A) = (30+35+40)/3 − (0+5+10)/3 = 30
    assert only.loc[0, "gap"] == pytest.approx(30.0)


def test_no_comparable_groups_gives_an_empty_table():
    scores = pd.DataFrame({"goals": [1.0, 2.0, 3.0, 4.0]})
    groups = pd.Series(["A", "A", "B", "B"])
    out = gaps.perception_gaps(scores, groups, min_size=3)
    assert out.empty
    assert list(out.columns) == list(gaps.GAP_COLUMNS)
