"""The top-down shopping-guide KPI on a worked example, checked step by step."""

import pytest

from siyu_diag.incentives.guides import derive_guide_kpis, monthly_adds, summarise_guides
from siyu_diag.incentives.scheme import ShoppingGuides


def worked(**overrides):
    values = {
        "aov": 100,
        "conversion": 0.25,
        "orders_per_buyer": 3,
        "private_share": 1.0,
        "churn_monthly": 0.0,
        "months": 12,
        "stores": [{"store": "A", "revenue_target": 3_000_000, "guides": 4}],
    }
    values.update(overrides)
    return ShoppingGuides.model_validate(values)


def test_worked_example_without_churn():
    # 3,000,000 CNY ÷ 100 CNY = 30,000 orders; ÷ 3 orders per buyer = 10,000 buyers;
    # ÷ 25% who buy = 40,000 friends; ÷ 4 guides = 10,000 each; ÷ 12 months = 833.3 a month.
    row = derive_guide_kpis(worked()).iloc[0]
    assert row["private_revenue"] == pytest.approx(3_000_000)
    assert row["orders"] == pytest.approx(30_000)
    assert row["buyers"] == pytest.approx(10_000)
    assert row["friends"] == pytest.approx(40_000)
    assert row["friends_per_guide"] == pytest.approx(10_000)
    assert row["monthly_adds_per_guide"] == pytest.approx(10_000 / 12)


def test_private_share_and_current_friends():
    # 20% of 3,000,000 = 600,000 → 6,000 orders → 2,000 buyers → 8,000 friends → 2,000 a guide;
    # each guide holds 500 already: (2,000 − 500) ÷ 12 = 125 a month.
    stores = [{"store": "A", "revenue_target": 3_000_000, "guides": 4, "current_friends": 2000}]
    row = derive_guide_kpis(worked(private_share=0.2, stores=stores)).iloc[0]
    assert row["friends_per_guide"] == pytest.approx(2000)
    assert row["current_per_guide"] == pytest.approx(500)
    assert row["monthly_adds_per_guide"] == pytest.approx(125)


def _simulate(adds, start, churn, months):
    friends = start
    for _ in range(months):
        friends = friends * (1 - churn) + adds
    return friends


def test_monthly_adds_with_churn_reach_the_target_month_by_month():
    adds = monthly_adds(10_000, 2_000, 0.03, 12)
    assert _simulate(adds, 2_000, 0.03, 12) == pytest.approx(10_000)
    assert _simulate(adds * 0.99, 2_000, 0.03, 12) < 10_000


def test_no_adds_when_current_friends_suffice():
    assert monthly_adds(1_000, 5_000, 0.02, 12) == 0
    assert monthly_adds(1_000, 1_000, 0.0, 12) == 0


def test_summary_over_stores():
    stores = [
        {"store": "A", "revenue_target": 3_000_000, "guides": 4},
        {"store": "B", "revenue_target": 1_500_000, "guides": 2},
        {"store": "C", "revenue_target": 600_000, "guides": 2},
    ]
    table = derive_guide_kpis(worked(stores=stores))
    summary = summarise_guides(table)
    # adds per guide: A 833.3, B 833.3, C (600,000/100/3/0.25/2)/12 = 333.3
    assert summary["stores"] == 3 and summary["guides"] == 8
    assert summary["median_adds"] == pytest.approx(10_000 / 12)
    assert summary["min_adds"] == pytest.approx(4_000 / 12)
    assert summary["friends"] == pytest.approx(40_000 + 20_000 + 8_000)


def test_store_names_must_be_unique():
    stores = [{"store": "A", "revenue_target": 1, "guides": 1}] * 2
    with pytest.raises(ValueError, match="unique"):
        worked(stores=stores)
