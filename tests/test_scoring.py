"""Tests of siyu_diag.diagnosis.scoring: every expected value is worked out by hand or with
plain numpy.
"""

import math

import numpy as np
import pandas as pd
import pytest
import yaml
from pandas.testing import assert_frame_equal, assert_series_equal

from siyu_diag.core import vocab
from siyu_diag.diagnosis import scoring
from siyu_diag.diagnosis.bank import QuestionBank


def _text(s: str) -> dict:
    return {"zh": s, "en": s}


def _bank(scale: dict, dimensions: dict[str, dict[str, list]]) -> QuestionBank:
    """Build a bank from {dim: {sub: [(item, reverse, audience), ...]}}."""
    dims, items = [], []
    for d, subs in dimensions.items():
        dims.append(
            {
                "id": d,
                "name": _text(d),
                "subdimensions": [{"id": s, "name": _text(s)} for s in subs],
            }
        )
        for s, its in subs.items():
            for item_id, reverse, audience in its:
                items.append(
                    {
                        "id": item_id,
                        "dimension": d,
                        "subdimension": s,
                        "text": _text(item_id),
                        "reverse": reverse,
                        "audience": audience,
                        "allow_na": True,
                    }
                )
    return QuestionBank.model_validate(
        {
            "id": "test",
            "version": "1",
            "title": _text("test"),
            "scale": scale,
            "dimensions": dims,
            "items": items,
        }
    )


# Dimension "a": sub s1 has two items (A1, A2 reverse-keyed), sub s2 one item (A3), so the mean of
# sub-dimension means differs from the mean of a's three items. Dimension "b": one sub, two items.
BANK_5 = _bank(
    {"min": 1, "max": 5},
    {
        "a": {"s1": [("A1", False, "all"), ("A2", True, "all")], "s2": [("A3", False, "all")]},
        "b": {"s3": [("B1", False, "all"), ("B2", False, "management")]},
    },
)

# Respondent r3 answered A2 "not applicable"; r2 left B1 blank.
ANSWERS_5 = pd.DataFrame(
    {
        "A1": [1.0, 5.0, 3.0],
        "A2": [1.0, 2.0, np.nan],
        "A3": [5.0, 4.0, 4.0],
        "B1": [2.0, np.nan, 4.0],
        "B2": [3.0, 3.0, 3.0],
    },
    index=["r1", "r2", "r3"],
)
NA_5 = pd.DataFrame(False, index=ANSWERS_5.index, columns=ANSWERS_5.columns)
NA_5.loc["r3", "A2"] = True


# ---------------------------------------------------------------- score_answers


def test_score_answers_linear_and_reverse_on_1_to_5():
    # 100·(x−1)/4; A2 is reverse-keyed: 100·(5−x)/4.
    expected = pd.DataFrame(
        {
            "A1": [0.0, 100.0, 50.0],
            "A2": [100.0, 75.0, np.nan],
            "A3": [100.0, 75.0, 75.0],
            "B1": [25.0, np.nan, 75.0],
            "B2": [50.0, 50.0, 50.0],
        },
        index=ANSWERS_5.index,
    )
    assert_frame_equal(scoring.score_answers(ANSWERS_5, BANK_5), expected)


def test_score_answers_does_not_depend_on_column_order():
    shuffled = ANSWERS_5[["B2", "A2", "B1", "A3", "A1"]]
    out = scoring.score_answers(shuffled, BANK_5)
    assert list(out.columns) == ["B2", "A2", "B1", "A3", "A1"]
    assert out.loc["r1", "A2"] == 100.0  # reversed
    assert out.loc["r1", "A1"] == 0.0  # not reversed
    assert out.loc["r1", "B2"] == 50.0


def test_score_answers_0_to_10_scale():
    bank = _bank({"min": 0, "max": 10}, {"d": {"s": [("X1", False, "all"), ("X2", True, "all")]}})
    answers = pd.DataFrame({"X1": [0.0, 10.0, 7.0], "X2": [3.0, 10.0, 0.0]})
    # X1: 100·x/10; X2 reversed: 100·(10−x)/10.
    expected = pd.DataFrame({"X1": [0.0, 100.0, 70.0], "X2": [70.0, 0.0, 100.0]})
    assert_frame_equal(scoring.score_answers(answers, bank), expected)


def test_score_answers_1_to_7_scale():
    bank = _bank({"min": 1, "max": 7}, {"d": {"s": [("Y1", False, "all"), ("Y2", True, "all")]}})
    answers = pd.DataFrame({"Y1": [1.0, 4.0, 7.0], "Y2": [6.0, 1.0, 4.0]})
    # Y1: 100·(x−1)/6 → 0, 50, 100; Y2 reversed: 100·(7−x)/6 → 16.67, 100, 50.
    expected = pd.DataFrame({"Y1": [0.0, 50.0, 100.0], "Y2": [100 / 6, 100.0, 50.0]})
    assert_frame_equal(scoring.score_answers(answers, bank), expected)


# ---------------------------------------------------------------- score_items and roll-up


def test_score_items_by_hand():
    items = scoring.score_items(ANSWERS_5, NA_5, BANK_5).set_index("item")
    assert list(items.reset_index().columns) == list(scoring.ITEM_COLUMNS)
    # A1 scores 0, 100, 50 → 50; A2 (reverse) 100, 75 → 87.5; A3 100, 75, 75 → 83.33;
    # B1 25, 75 → 50; B2 50.
    assert items.loc["A1", "score"] == pytest.approx(50.0)
    assert items.loc["A2", "score"] == pytest.approx(87.5)
    assert items.loc["A3", "score"] == pytest.approx(250 / 3)
    assert items.loc["B1", "score"] == pytest.approx(50.0)
    assert items.loc["B2", "score"] == pytest.approx(50.0)
    assert items.loc["A2", "n"] == 2 and items.loc["A2", "n_na"] == 1
    assert items.loc["B1", "n"] == 2 and items.loc["B1", "n_na"] == 0
    assert bool(items.loc["A2", "reverse"]) is True
    assert items.loc["B2", "audience"] == "management"
    # agree = share of raw answers in {4, 5}; disagree in {1, 2}; as worded, before reversal.
    assert items.loc["A1", "agree"] == pytest.approx(1 / 3)
    assert items.loc["A1", "disagree"] == pytest.approx(1 / 3)
    assert items.loc["A2", "agree"] == 0.0
    assert items.loc["A2", "disagree"] == 1.0  # raw 1 and 2, although they score 100 and 75
    assert items.loc["A3", "agree"] == 1.0
    assert items.loc["B1", "agree"] == 0.5 and items.loc["B1", "disagree"] == 0.5
    assert items.loc["B2", "agree"] == 0.0 and items.loc["B2", "disagree"] == 0.0


def test_na_and_blank_are_left_out_not_counted_as_zero():
    items = scoring.score_items(ANSWERS_5, NA_5, BANK_5).set_index("item")
    # Treating r3's N/A on A2 as a zero score would give (100 + 75 + 0) / 3 = 58.33,
    # and r2's blank on B1 as zero (25 + 0 + 75) / 3 = 33.33.
    as_zero = pd.DataFrame(
        {"A2": [100.0, 75.0, 0.0], "B1": [25.0, 0.0, 75.0]}, index=ANSWERS_5.index
    ).mean()
    assert as_zero["A2"] == pytest.approx(175 / 3)
    assert as_zero["B1"] == pytest.approx(100 / 3)
    assert items.loc["A2", "score"] == pytest.approx(87.5) != as_zero["A2"]
    assert items.loc["B1", "score"] == pytest.approx(50.0) != as_zero["B1"]


def test_subdimension_dimension_overall_are_means_of_means():
    items = scoring.score_items(ANSWERS_5, NA_5, BANK_5)
    subs = scoring.score_subdimensions(items).set_index("subdimension")
    # s1 = (50 + 87.5) / 2 = 68.75 (2 items); s2 = 83.33 (1 item); s3 = (50 + 50) / 2 = 50.
    assert subs.loc["s1", "score"] == pytest.approx(68.75)
    assert subs.loc["s2", "score"] == pytest.approx(250 / 3)
    assert subs.loc["s3", "score"] == pytest.approx(50.0)
    assert subs["n_items"].to_dict() == {"s1": 2, "s2": 1, "s3": 2}

    dims = scoring.score_dimensions(subs.reset_index(), BANK_5)
    assert list(dims["dimension"]) == ["a", "b"]
    # a = (68.75 + 83.333) / 2 = 76.0417,
    # not the mean of its three items (50 + 87.5 + 83.33) / 3 = 73.61.
    dim_a = (68.75 + 250 / 3) / 2
    grand_mean_a = (50 + 87.5 + 250 / 3) / 3
    assert dims.loc[0, "score"] == pytest.approx(dim_a)
    assert dims.loc[0, "score"] != pytest.approx(grand_mean_a)
    assert dims.loc[1, "score"] == pytest.approx(50.0)
    # overall = (76.0417 + 50) / 2 = 63.0208
    assert scoring.score_overall(dims) == pytest.approx((dim_a + 50.0) / 2)


def test_unanswered_item_is_left_out_of_its_subdimension():
    answers = ANSWERS_5.assign(A3=np.nan)
    items = scoring.score_items(answers, NA_5, BANK_5)
    assert math.isnan(items.set_index("item").loc["A3", "agree"])
    subs = scoring.score_subdimensions(items)
    assert "s2" not in set(subs["subdimension"])
    dims = scoring.score_dimensions(subs, BANK_5)
    assert dims.loc[0, "score"] == pytest.approx(68.75)  # only s1 is left for dimension a


def test_score_items_0_to_10_top_and_bottom_two_points():
    bank = _bank({"min": 0, "max": 10}, {"d": {"s": [("X1", False, "all"), ("X2", True, "all")]}})
    answers = pd.DataFrame({"X1": [0.0, 1.0, 9.0, 10.0, 5.0], "X2": [2.0, 8.0, 9.0, 9.0, 1.0]})
    na = pd.DataFrame(False, index=answers.index, columns=answers.columns)
    items = scoring.score_items(answers, na, bank).set_index("item")
    # Top two points are 9 and 10, bottom two 0 and 1.
    assert items.loc["X1", "agree"] == pytest.approx(2 / 5)
    assert items.loc["X1", "disagree"] == pytest.approx(2 / 5)
    assert items.loc["X2", "agree"] == pytest.approx(2 / 5)
    assert items.loc["X2", "disagree"] == pytest.approx(1 / 5)
    # X1: (0 + 10 + 90 + 100 + 50) / 5 = 50; X2 reversed: (80 + 20 + 10 + 10 + 90) / 5 = 42.
    assert items.loc["X1", "score"] == pytest.approx(50.0)
    assert items.loc["X2", "score"] == pytest.approx(42.0)


def test_score_items_1_to_7():
    bank = _bank({"min": 1, "max": 7}, {"d": {"s": [("Y1", False, "all"), ("Y2", True, "all")]}})
    answers = pd.DataFrame({"Y1": [1.0, 2.0, 6.0, 7.0], "Y2": [3.0, 3.0, 3.0, np.nan]})
    na = pd.DataFrame(False, index=answers.index, columns=answers.columns)
    items = scoring.score_items(answers, na, bank).set_index("item")
    # Y1: (0 + 16.67 + 83.33 + 100) / 4 = 50; agree {6, 7} 2/4, disagree {1, 2} 2/4.
    assert items.loc["Y1", "score"] == pytest.approx(50.0)
    assert items.loc["Y1", "agree"] == 0.5 and items.loc["Y1", "disagree"] == 0.5
    # Y2 reversed: 100·(7−3)/6 = 66.67.
    assert items.loc["Y2", "score"] == pytest.approx(400 / 6)
    assert items.loc["Y2", "n"] == 3


# ---------------------------------------------------------------- assign_level


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0.0, 1),
        (19.999, 1),
        (20.0, 2),
        (39.99, 2),
        (40.0, 3),
        (59.99, 3),
        (60.0, 4),
        (79.999, 4),
        (80.0, 5),
        (99.9, 5),
        (100.0, 5),
        (float("nan"), 0),
        (None, 0),
    ],
)
def test_assign_level_boundaries(score, level):
    assert scoring.assign_level(score, vocab.maturity_levels()) == level


@pytest.mark.parametrize("score", [-0.1, 100.01])
def test_assign_level_outside_bands_raises(score):
    with pytest.raises(ValueError, match="outside"):
        scoring.assign_level(score, vocab.maturity_levels())


def test_assign_level_uses_the_given_bands():
    levels = pd.DataFrame(
        {"level": [2, 1], "lower": [50.0, 0.0], "upper": [100.0, 50.0]}
    )  # deliberately unsorted
    assert scoring.assign_level(49.9, levels) == 1
    assert scoring.assign_level(50.0, levels) == 2
    assert scoring.assign_level(100.0, levels) == 2


# ---------------------------------------------------------------- cronbach_alpha


def _alpha_by_variance_of_sum(matrix: np.ndarray) -> float:
    """α = k/(k−1) · (1 − Σ σ²_item / σ²_total) on a complete matrix."""
    k = matrix.shape[1]
    item_var = matrix.var(axis=0, ddof=1).sum()
    total_var = matrix.sum(axis=1).var(ddof=1)
    return k / (k - 1) * (1 - item_var / total_var)


def test_cronbach_alpha_hand_example():
    # Items: [1,2,3,4] var 5/3, [2,3,3,4] var 2/3, [2,3,4,5] var 5/3; Σ = 4.
    # Sums 5, 8, 10, 13: mean 9, squared deviations 16+1+1+16 = 34, var 34/3.
    # α = 3/2 · (1 − 4 / (34/3)) = 3/2 · 22/34 = 33/34.
    data = pd.DataFrame({"i1": [1, 2, 3, 4], "i2": [2, 3, 3, 4], "i3": [2, 3, 4, 5]}, dtype=float)
    assert scoring.cronbach_alpha(data) == pytest.approx(33 / 34)


def test_cronbach_alpha_matches_variance_of_sum_formula():
    rng = np.random.default_rng(7)
    latent = rng.normal(size=(30, 1))
    matrix = np.clip(np.round(3 + latent + rng.normal(scale=0.8, size=(30, 5))), 1, 5)
    expected = _alpha_by_variance_of_sum(matrix)
    got = scoring.cronbach_alpha(pd.DataFrame(matrix, columns=list("abcde")))
    assert got == pytest.approx(expected)
    assert 0 < got < 1


def test_cronbach_alpha_ignores_an_item_nobody_answered():
    data = pd.DataFrame({"i1": [1, 2, 3, 4], "i2": [2, 3, 3, 4], "i3": [2, 3, 4, 5]}, dtype=float)
    with_empty = data.assign(i4=np.nan)
    assert scoring.cronbach_alpha(with_empty) == pytest.approx(33 / 34)


def test_cronbach_alpha_pairwise_with_a_missing_cell_is_finite():
    data = pd.DataFrame(
        {"i1": [1, 2, 3, 4, 5], "i2": [2, 3, 3, 4, np.nan], "i3": [2, 3, 4, 5, 5]}, dtype=float
    )
    assert math.isfinite(scoring.cronbach_alpha(data))


@pytest.mark.parametrize(
    "data",
    [
        pd.DataFrame({"i1": [1.0, 2.0, 3.0, 4.0]}),  # one item
        pd.DataFrame({"i1": [1.0, 2.0], "i2": [2.0, 3.0]}),  # two respondents
        pd.DataFrame({"i1": [3.0, 3.0, 3.0], "i2": [4.0, 4.0, 4.0]}),  # no variance at all
        pd.DataFrame(  # i1 and i2 never answered together by three people
            {"i1": [1.0, 2.0, 3.0, np.nan, np.nan], "i2": [np.nan, np.nan, 3.0, 4.0, 2.0]}
        ),
    ],
    ids=["one-item", "two-respondents", "constant", "no-overlap"],
)
def test_cronbach_alpha_nan_cases(data):
    assert math.isnan(scoring.cronbach_alpha(data))


def test_reliability_per_dimension_over_common_items():
    bank = _bank(
        {"min": 1, "max": 5},
        {
            "a": {"s": [("a1", False, "all"), ("a2", False, "all"), ("a3", False, "all")]},
            "b": {"s": [("b1", False, "all"), ("b2", False, "frontline")]},
        },
    )
    scores = pd.DataFrame(
        {
            "a1": [1, 2, 3, 4],
            "a2": [2, 3, 3, 4],
            "a3": [2, 3, 4, 5],
            "b1": [1, 2, 3, 4],
            "b2": [4, 3, 2, 1],
        },
        dtype=float,
    )
    rel = scoring.reliability(scores, bank).set_index("dimension")
    assert rel.loc["a", "alpha"] == pytest.approx(33 / 34)
    assert rel.loc["a", "k"] == 3
    assert rel.loc["b", "k"] == 1  # b2 is frontline-only
    assert math.isnan(rel.loc["b", "alpha"])


# ---------------------------------------------------------------- respondent_dimension_scores


def test_respondent_dimension_scores_use_common_items_only():
    scores = scoring.score_answers(ANSWERS_5, BANK_5)
    out = scoring.respondent_dimension_scores(scores, BANK_5)
    # a: r1 mean(0, 100, 100) = 66.67; r3 mean(50, —, 75) = 62.5.
    # b: B2 is management-only, so b is B1 alone: r1 25, r2 blank → NaN, r3 75.
    assert out.loc["r1", "a"] == pytest.approx(200 / 3)
    assert out.loc["r3", "a"] == pytest.approx(62.5)
    assert out.loc["r1", "b"] == pytest.approx(25.0)
    assert math.isnan(out.loc["r2", "b"])
    assert out.loc["r3", "b"] == pytest.approx(75.0)


# ---------------------------------------------------------------- agreement_index


def test_agreement_index_by_hand():
    bank = _bank(
        {"min": 1, "max": 5},
        {
            "a": {"s": [("A1", False, "all"), ("A2", True, "all"), ("A3", False, "all")]},
            "b": {"s": [("B1", False, "all")]},
        },
    )
    answers = pd.DataFrame(
        {
            "A1": [3, 3, 3, 3, 3],  # everyone the same: r_wg = 1
            "A2": [2, 3, 3, 4, np.nan],  # var 2/3; σ²_EU = (5² − 1)/12 = 2 → r_wg = 2/3
            "A3": [1, 5, np.nan, np.nan, np.nan],  # two answers < min_answers: left out
            "B1": [1, 2, 3, 4, 5],  # var 2.5 > 2 → 1 − 1.25 < 0, clipped to 0
        },
        dtype=float,
    )
    out = scoring.agreement_index(answers, bank).set_index("dimension")["agreement"]
    assert out["a"] == pytest.approx((1 + 2 / 3) / 2)
    assert out["b"] == pytest.approx(0.0)


def test_agreement_index_uses_the_number_of_scale_points():
    bank = _bank({"min": 0, "max": 10}, {"d": {"s": [("X1", False, "all"), ("X2", False, "all")]}})
    answers = pd.DataFrame({"X1": [4.0, 5.0, 6.0], "X2": [5.0, 5.0, 5.0]})
    # 11 points: σ²_EU = (121 − 1)/12 = 10; X1 var 1 → r_wg 0.9; X2 → 1.
    out = scoring.agreement_index(answers, bank)
    assert out.loc[0, "agreement"] == pytest.approx((0.9 + 1.0) / 2)


# ---------------------------------------------------------------- item_distribution


def test_item_distribution_rows_sum_to_one_and_match_value_counts():
    dist = scoring.item_distribution(ANSWERS_5, BANK_5)
    assert list(dist.columns) == [1, 2, 3, 4, 5]
    assert list(dist.index) == list(ANSWERS_5.columns)
    np.testing.assert_allclose(dist.sum(axis=1), 1.0)
    for item in ANSWERS_5.columns:
        expected = (
            ANSWERS_5[item]
            .value_counts(normalize=True)
            .reindex([1.0, 2.0, 3.0, 4.0, 5.0], fill_value=0.0)
        )
        np.testing.assert_allclose(dist.loc[item].to_numpy(), expected.to_numpy())


def test_item_distribution_of_an_unanswered_item_is_nan():
    dist = scoring.item_distribution(ANSWERS_5.assign(A3=np.nan), BANK_5)
    assert dist.loc["A3"].isna().all()


# ---------------------------------------------------------------- purity


def test_scoring_functions_do_not_mutate_inputs():
    answers, na = ANSWERS_5.copy(), NA_5.copy()
    scores = scoring.score_answers(answers, BANK_5)
    scores_copy = scores.copy()
    items = scoring.score_items(answers, na, BANK_5)
    items_copy = items.copy()
    subs = scoring.score_subdimensions(items)
    subs_copy = subs.copy()
    dims = scoring.score_dimensions(subs, BANK_5)
    dims_copy = dims.copy()
    scoring.score_overall(dims)
    scoring.cronbach_alpha(scores)
    scoring.reliability(scores, BANK_5)
    scoring.respondent_dimension_scores(scores, BANK_5)
    scoring.agreement_index(answers, BANK_5)
    scoring.item_distribution(answers, BANK_5)
    assert_frame_equal(answers, ANSWERS_5)
    assert_frame_equal(na, NA_5)
    assert_frame_equal(scores, scores_copy)
    assert_frame_equal(items, items_copy)
    assert_frame_equal(subs, subs_copy)
    assert_frame_equal(dims, dims_copy)


def test_score_answers_regression_reverse_applies_per_column():
    # Regression: reverse keys were aligned on the row index instead of the columns, so every
    # item was mirrored. A non-reversed 5 must score 100, a reversed 5 must score 0.
    answers = pd.DataFrame({"A1": [5.0], "A2": [5.0]}, index=["only"])
    out = scoring.score_answers(answers, BANK_5)
    assert_series_equal(out.loc["only"], pd.Series({"A1": 100.0, "A2": 0.0}, name="only"))


# ---------------------------------------------------------------- decimal answers, end to end


@pytest.mark.parametrize(
    ("scale", "g01", "g02", "expected"),
    [
        # 0–10: G01 1, 10, 7 → 10, 100, 70 → 60; G02 (reverse) 2, 8, 5 → 80, 20, 50 → 50.
        ({"min": 0, "max": 10}, ["1.0", "10.0", "7.00"], ["2.0", "8", "5.0"], (60.0, 50.0)),
        # 1–6: G01 2, 6, 4 → 20, 100, 60 → 60; G02 (reverse) 1, 6, 3 → 100, 0, 60 → 53.33.
        ({"min": 1, "max": 6}, ["2.0", "6.00", "4"], ["1.0", "6", "3.00"], (60.0, 160 / 3)),
        # 1–5: G01 1, 5, 4 → 0, 100, 75 → 58.33; G02 (reverse) 2, 4, 3 → 75, 25, 50 → 50.
        ({"min": 1, "max": 5}, ["1.0", "5.00", "4."], ["2.0", "4.0", "3"], (175 / 3, 50.0)),
    ],
)
def test_decimal_answers_score_as_the_whole_numbers_they_are(
    make_client, tiny_bank, scale, g01, g02, expected
):
    from siyu_diag.core.client import load_client
    from siyu_diag.diagnosis.config import client_bank
    from siyu_diag.diagnosis.survey import load_responses

    header = ["编号", "部门", "岗位层级", "G01", "G02", "G03", "G04", "C01", "C02", "C03", "C04"]
    rows = [
        [f"R{i}", "市场部", "一线员工", a, b, "", "", "", "", "", ""]
        for i, (a, b) in enumerate(zip(g01, g02, strict=True))
    ]
    folder = make_client(header, rows)
    tiny_bank["scale"] = scale
    (folder / "bank.yaml").write_text(yaml.safe_dump(tiny_bank, allow_unicode=True), "utf-8")
    client = load_client(folder)
    resp = load_responses(client)
    items = scoring.score_items(resp.answers, resp.not_applicable, client_bank(client)).set_index(
        "item"
    )
    assert items.loc["G01", "score"] == pytest.approx(expected[0])
    assert items.loc["G02", "score"] == pytest.approx(expected[1])
    assert items.loc[["G01", "G02"], "n"].tolist() == [3, 3]
    subs = scoring.score_subdimensions(items.reset_index()).set_index("subdimension")
    assert subs.loc["stage_fit", "score"] == pytest.approx(sum(expected) / 2)
