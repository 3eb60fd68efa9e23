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
    assert set(fmt.FILTERS) == {"score", "signed", "pct", "num", "int", "money", "p"}
    assert fmt.FILTERS["money"] is fmt.fmt_money


def test_regressions_found_in_review():
    import pandas as pd

    from siyu_diag.core.fmt import fmt_money, fmt_score, fmt_signed

    assert fmt_signed(-0.04) == "+0.0"  # rounds to zero: no negative zero
    assert fmt_money(99_999_999) == "1.00亿"  # 9999.99…万 rounds to 10000.0万 → next unit
    assert fmt_money(9_999.6) == "1.0万"
    assert fmt_score(pd.NA) == "—"
