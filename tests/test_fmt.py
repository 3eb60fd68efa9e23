"""Tests of siyu_diag.core.fmt: Chinese money units, percentages, signs and missing values."""

import numpy as np
import pytest

from siyu_diag.core import fmt

MISSING_VALUES = [None, float("nan"), np.nan, np.float64("nan"), np.float32("nan")]


@pytest.mark.parametrize("func", list(fmt.FILTERS.values()), ids=list(fmt.FILTERS))
@pytest.mark.parametrize("value", MISSING_VALUES, ids=["None", "nan", "np.nan", "f64", "f32"])
def test_missing_values_show_a_dash_in_every_formatter(func, value):
    out = func(value)
    assert out == "—"
    assert "nan" not in out.lower() and "None" not in out


def test_missing_money_in_english_is_a_dash():
    assert fmt.fmt_money(None, lang="en") == "—"
    assert fmt.fmt_money(float("nan"), lang="en") == "—"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ≥ 1e8: 亿 with two decimals. 120,000,000 / 1e8 = 1.2 → "1.20亿".
        (120_000_000, "1.20亿"),
        (356_780_000, "3.57亿"),  # 3.5678 → 3.57
        (100_000_000, "1.00亿"),
        # ≥ 1e4: 万 with one decimal. 12,345,678 / 1e4 = 1234.5678 → "1234.6万".
        (12_345_678, "1234.6万"),
        (3_560_000, "356.0万"),
        (10_000, "1.0万"),
        (99_999_999 - 50_000, "9995.0万"),  # 99,949,999 / 1e4 = 9994.9999 → 9995.0
        # below 1e4: whole yuan with thousands separators.
        (8_500, "8,500"),
        (9_999.4, "9,999"),
        (0, "0"),
        (12.6, "13"),
        # negatives keep the unit and use a true minus sign.
        (-50_000, "−5.0万"),
        (-250_000_000, "−2.50亿"),
        (-8_500, "−8,500"),
    ],
)
def test_fmt_money_zh(value, expected):
    assert fmt.fmt_money(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3_560_000, "CNY 3.56m"),
        (1_000_000, "CNY 1.00m"),
        (2_500_000_000, "CNY 2.50bn"),
        (8_500, "CNY 8,500"),
        (999_999, "CNY 999,999"),
        (-3_560_000, "−CNY 3.56m"),
    ],
)
def test_fmt_money_en(value, expected):
    assert fmt.fmt_money(value, lang="en") == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.658, 1, "65.8%"),  # the parcel-card completion rate 9.73 / 14.78
        (0.0973, 2, "9.73%"),
        (1.0, 1, "100.0%"),
        (0.0, 1, "0.0%"),
        (0.02571, 1, "2.6%"),
        (-0.05, 1, "-5.0%"),
    ],
)
def test_fmt_pct(value, digits, expected):
    assert fmt.fmt_pct(value, digits) == expected


def test_fmt_pct_of_a_completion_rate_computed_by_hand():
    # actual 9.73% against a 14.78% target: 9.73 / 14.78 = 0.6583 → 65.8%
    assert fmt.fmt_pct(0.0973 / 0.1478) == "65.8%"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12.5, "+12.5"),
        (-3.0, "−3.0"),  # U+2212 minus sign, not a hyphen
        (0.0, "+0.0"),
        (7, "+7.0"),
        (-12.46, "−12.5"),
    ],
)
def test_fmt_signed(value, expected):
    assert fmt.fmt_signed(value) == expected


def test_fmt_signed_uses_a_true_minus_and_digits():
    out = fmt.fmt_signed(-3.14159, digits=2)
    assert out == "\u22123.14"
    assert "-" not in out


@pytest.mark.parametrize(
    ("func", "value", "expected"),
    [
        (fmt.fmt_score, 62.44, "62.4"),
        (fmt.fmt_score, 62.46, "62.5"),
        (fmt.fmt_score, 100, "100.0"),
        (fmt.fmt_num, 0.8123, "0.81"),
        (fmt.fmt_int, 213_601, "213,601"),
        (fmt.fmt_int, 2.6, "3"),
        (fmt.fmt_int, np.int64(891_429), "891,429"),
        (fmt.fmt_p, 0.0004, "<0.001"),
        (fmt.fmt_p, 0.001, "0.001"),
        (fmt.fmt_p, 0.0432, "0.043"),
    ],
)
def test_other_formatters(func, value, expected):
    assert func(value) == expected


def test_numpy_scalars_are_accepted():
    assert fmt.fmt_score(np.float64(55.26)) == "55.3"
    assert fmt.fmt_pct(np.float32(0.5)) == "50.0%"
    assert fmt.fmt_money(np.int64(12_345_678)) == "1234.6万"


def test_filters_registry():
    assert set(fmt.FILTERS) == {"score", "signed", "pct", "num", "int", "money", "p", "value"}
    assert fmt.FILTERS["money"] is fmt.fmt_money
    assert fmt.FILTERS["value"] is fmt.fmt_value


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (0.0525, "pct", "5.2%"),  # 0.0525 is 0.052499… in binary: the report and dashboard agree
        (0.01098, "pct", "1.1%"),
        (1820.0, "price", "1820.00"),
        (1.05, "num", "1.05"),
        (120_000, "int", "120,000"),
        (162_494.4, "int", "162,494"),
        (3.0, "month", "3"),
        (3_560_000, "money", "356.0万"),
        # a headcount shows no decimals when whole: 4, not 4.0
        (4.0, "num1", "4"),
        (2.5, "num1", "2.5"),
        (0.5, "num1", "0.5"),
        (2.54, "num1", "2.5"),  # one decimal at most
        (10.0, "num1", "10"),
    ],
)
def test_fmt_value_by_kind(value, kind, expected):
    assert fmt.fmt_value(value, kind) == expected


def test_fmt_value_extra_decimals_and_english_money():
    assert fmt.fmt_value(0.0106, "pct", extra=1) == "1.06%"
    assert fmt.fmt_value(1820.0, "price", extra=1) == "1820.000"
    assert fmt.fmt_value(120_000, "int", extra=2) == "120,000"  # a count never gets decimals
    assert fmt.fmt_value(30_400, "money", extra=1) == "3.04万"
    assert fmt.fmt_value(9_000, "money", "en") == "CNY 9,000"
    assert fmt.fmt_value(3_560_000, "money", "en", extra=1) == "CNY 3.560m"


@pytest.mark.parametrize(
    ("before", "after", "kind", "extra"),
    [
        (0.0106, 0.01098, "pct", 1),  # 1.1% / 1.1% → 1.06% / 1.10%
        (0.016, 0.01562, "pct", 1),  # 1.6% / 1.6% → 1.60% / 1.56%
        (0.030, 0.0304, "pct", 1),  # 3.0% / 3.0% → 3.00% / 3.04%
        (0.010, 0.01004, "pct", 2),  # 1.0%, 1.00% → 1.000% / 1.004%
        (0.08, 0.085, "pct", 0),  # 8.0% / 8.5% already differ
        (1.0, 1.04, "num", 0),
        (399.0, 399.004, "price", 1),  # 399.00 / 399.00 → 399.000 / 399.004
        (30_000, 30_400, "money", 1),  # 3.0万 / 3.0万 → 3.00万 / 3.04万
        (120_000, 120_000.4, "int", 0),  # a count: no decimals
        (0.05, 0.05, "pct", 0),  # equal: nothing to show
        (0.05, 0.0500000001, "pct", 0),  # apart only beyond the cap
        (None, 0.05, "pct", 0),
    ],
)
def test_change_digits(before, after, kind, extra):
    assert fmt.change_digits(before, after, kind) == extra


@pytest.mark.parametrize(
    ("before", "after", "kind", "lang", "expected"),
    [
        # qiming's returning conversion 1.06% → 1.098% read "1.1% → 1.1%" in the summary
        (0.0106, 0.01098, "pct", "zh", "1.06% → 1.10%"),
        (0.016, 0.01562, "pct", "zh", "1.60% → 1.56%"),
        (0.080, 0.085, "pct", "zh", "8.0% → 8.5%"),
        (1820.0, 1884.9, "price", "zh", "1820.00 → 1884.90"),
        (7_000, 10_290, "money", "zh", "7,000 → 1.0万"),
        (0, 4_200, "money", "en", "CNY 0 → CNY 4,200"),
        # the same amount is said once, as unchanged
        (9_000, 9_000, "money", "zh", "9,000（不变）"),
        (30_000, 30_000, "money", "en", "CNY 30,000 (unchanged)"),
        (0.05, 0.0500000001, "pct", "zh", "5.0%（不变）"),
    ],
)
def test_fmt_change_shows_the_move(before, after, kind, lang, expected):
    assert fmt.fmt_change(before, after, kind, lang) == expected


def test_fmt_pair_gives_both_sides_the_same_decimals():
    assert fmt.fmt_pair(0.0106, 0.01098, "pct") == ("1.06%", "1.10%")
    assert fmt.fmt_pair(1.0, 1.04, "num") == ("1.00", "1.04")
    assert fmt.fmt_pair(None, 0.05, "pct") == ("—", "5.0%")


def test_regressions_found_in_review():
    import pandas as pd

    from siyu_diag.core.fmt import fmt_money, fmt_score, fmt_signed

    assert fmt_signed(-0.04) == "+0.0"  # rounds to zero: no negative zero
    assert fmt_money(99_999_999) == "1.00亿"  # 9999.99…万 rounds to 10000.0万 → next unit
    assert fmt_money(9_999.6) == "1.0万"
    assert fmt_score(pd.NA) == "—"
