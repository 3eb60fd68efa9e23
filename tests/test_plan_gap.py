"""The gap between the top-down target and the bottom-up plan, and the campaign calculator."""

from __future__ import annotations

import copy

import pytest

from siyu_diag.plan import compute_campaign, okr_breakdown
from siyu_diag.plan.gap import analyse_gap
from siyu_diag.plan.inputs import with_drivers
from siyu_diag.plan.planfile import build_inputs
from siyu_diag.plan.planschema import PlanFile
from siyu_diag.plan.projection import project_plan

# Steady state: 900 existing users a month, 100 new (see test_plan_projection); year-1 GMV
# = 10800 × 0.1 × 100 + 1200 × 0.5 × 50 = 108,000 + 30,000 = 138,000.
RAW = {
    "horizon_months": 12,
    "last_year": {
        "users": 1000,
        "gmv": 100000,
        "returning_conversion": 0.1,
        "aov": 100,
        "repurchase_frequency": 1.0,
        "monthly_churn": 0.1,
    },
    "drivers": {
        "returning_conversion": {"low": 0.09, "likely": 0.1, "high": 0.12},
        "first_order_conversion": 0.5,
        "first_order_aov": 50,
        "gross_margin": 0.5,
    },
    "channels": {"a": {"traffic": 1000, "touches": 2, "add_rate": 0.05, "cost_per_user": 10}},
    "target": {"gmv": 150000},
}


def inputs_from(raw):
    return build_inputs(PlanFile.model_validate(copy.deepcopy(raw)), "plan.yaml")


def gmv(inputs, **values):
    return project_plan(with_drivers(inputs, values)).year(1)["gmv"]


def test_gap_and_single_driver_closing_values_by_hand():
    inputs = inputs_from(RAW)
    g = analyse_gap(inputs)
    assert g.bottom_up_gmv == pytest.approx(138000)
    assert g.gap == pytest.approx(12000)
    rows = g.closing.set_index("driver")
    # returning GMV must grow from 108,000 to 120,000: conversion × 120/108
    assert rows.loc["returning_conversion", "closing_value"] == pytest.approx(0.1 * 120 / 108)
    assert rows.loc["returning_conversion", "status"] == "feasible"  # within 0.09–0.12
    # new-user GMV must grow from 30,000 to 42,000: first-order AOV 50 → 70 (+40%, beyond ±10%)
    assert rows.loc["first_order_aov", "closing_value"] == pytest.approx(70)
    assert rows.loc["first_order_aov", "status"] == "beyond_range"
    # first-order conversion 0.5 → 0.7 is a possible rate but beyond its room
    assert rows.loc["first_order_conversion", "closing_value"] == pytest.approx(0.7)
    # cost drivers do not appear
    assert "gross_margin" not in rows.index and "cost_per_user.a" not in rows.index


def test_closing_values_reach_the_target_when_projected():
    inputs = inputs_from(RAW)
    g = analyse_gap(inputs)
    for r in g.closing.itertuples():
        if r.status != "impossible":
            assert gmv(inputs, **{r.driver: r.closing_value}) == pytest.approx(150000, rel=1e-9)


def test_impossible_closing_value():
    raw = copy.deepcopy(RAW)
    raw["target"] = {"gmv": 400000}
    g = analyse_gap(inputs_from(raw))
    rows = g.closing.set_index("driver")
    # new-user GMV would need 30,000 → 292,000: a first-order conversion of 0.5 × 292/30 > 1
    assert rows.loc["first_order_conversion", "closing_value"] == pytest.approx(0.5 * 292 / 30)
    assert rows.loc["first_order_conversion", "status"] == "impossible"
    # returning conversion 0.1 × 370/108 is possible but far beyond its range
    assert rows.loc["returning_conversion", "status"] == "beyond_range"
    # churn cannot go below 0
    assert rows.loc["monthly_churn", "status"] == "impossible"


def test_churn_closing_value_by_root_finding():
    inputs = inputs_from(RAW)
    g = analyse_gap(inputs)
    value = g.closing.set_index("driver").loc["monthly_churn", "closing_value"]
    assert 0 < value < 0.1
    assert gmv(inputs, monthly_churn=value) == pytest.approx(150000, rel=1e-9)


def test_suggestion_reaches_the_target():
    inputs = inputs_from(RAW)
    g = analyse_gap(inputs)
    assert g.reaches_target and 0 < g.fraction < 1
    values = dict(zip(g.suggestion["driver"], g.suggestion["suggested"], strict=True))
    assert gmv(inputs, **values) == pytest.approx(150000, rel=1e-9)
    # every driver moved the same share of its room toward its favourable end
    rc = g.suggestion.set_index("driver").loc["returning_conversion"]
    assert rc["suggested"] == pytest.approx(0.1 + g.fraction * (0.12 - 0.1))
    churn = g.suggestion.set_index("driver").loc["monthly_churn"]
    assert churn["suggested"] == pytest.approx(0.1 - g.fraction * 0.1 * 0.1)
    # the bridge steps add up to the suggestion's GMV
    assert g.bottom_up_gmv + g.bridge["gmv"].sum() == pytest.approx(g.suggested_gmv, rel=1e-12)


def test_unreachable_target_puts_every_driver_at_its_end():
    raw = copy.deepcopy(RAW)
    raw["target"] = {"growth": 10.0}
    g = analyse_gap(inputs_from(raw))
    assert not g.reaches_target and g.fraction == 1.0
    assert g.suggested_gmv < g.target_gmv


def test_no_gap_and_no_target():
    raw = copy.deepcopy(RAW)
    raw["target"] = {"gmv": 100000}
    g = analyse_gap(inputs_from(raw))
    assert g.gap < 0 and g.closing.empty and g.reaches_target
    del raw["target"]
    assert analyse_gap(inputs_from(raw)) is None


def test_campaign_by_hand():
    r = compute_campaign(40000, 0.025, 150, 30000, 20000)
    assert r.gmv == pytest.approx(150000)  # 40,000 × 2.5% × 150
    assert r.profit == pytest.approx(100000)
    assert r.roi == pytest.approx(2.0)
    assert r.roas == pytest.approx(3.0)
    assert r.source_ratio == pytest.approx(4.0)  # (50,000 + 150,000) / 50,000
    with pytest.raises(ValueError, match="conversion"):
        compute_campaign(1, 1.5, 1, 0, 0)
    assert compute_campaign(10, 0.1, 10, 0, 0).roi is None


def test_okr_breaks_the_july_target_into_key_results():
    # The source's example: a July revenue target of 200,000 CNY for a new tutoring product.
    okr = okr_breakdown(
        200000,
        traffic=40000,
        conversion=0.025,
        aov=150,
        marketing_cost=30000,
        organisation_cost=20000,
    )
    kr = {k.metric: k for k in okr.key_results}
    assert kr["traffic"].target * kr["conversion"].target * kr["aov"].target == pytest.approx(
        200000
    )
    step = (200000 / 150000) ** (1 / 3)  # equal split in log space
    assert kr["traffic"].change == pytest.approx(step - 1)
    assert kr["aov"].target == pytest.approx(150 * step)
    assert kr["roi"].target == pytest.approx((200000 - 50000) / 50000)
    capped = okr_breakdown(1e6, traffic=100, conversion=0.9, aov=10)
    kr = {k.metric: k for k in capped.key_results}
    assert kr["conversion"].target == 1.0
    assert kr["traffic"].target * kr["aov"].target == pytest.approx(1e6)
