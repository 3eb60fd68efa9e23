"""Tornado, three-point scenarios and the seeded Monte Carlo."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from siyu_diag.plan.planfile import build_inputs
from siyu_diag.plan.planschema import PlanFile
from siyu_diag.plan.projection import project_plan
from siyu_diag.plan.uncertainty import monte_carlo, pert, project_scenarios, tornado

RAW = {
    "horizon_months": 24,
    "last_year": {
        "users": 10000,
        "gmv": 1e6,
        "returning_conversion": 0.1,
        "aov": 100,
        "repurchase_frequency": 1.0,
        "monthly_churn": 0.05,
    },
    "drivers": {"first_order_conversion": 0.3, "first_order_aov": 50, "gross_margin": 0.5},
    "channels": {"a": {"traffic": 10000, "add_rate": 0.05, "cost_per_user": 5}},
    "organisation": {"roles": {"ops": {"headcount": 3, "monthly_cost": 10000}}},
    "target": {"growth": 0.3},
    "monte_carlo": {"draws": 4000, "seed": 7},
}


def inputs_from(raw):
    return build_inputs(PlanFile.model_validate(copy.deepcopy(raw)), "plan.yaml")


def test_tornado_ordering_known_case():
    raw = copy.deepcopy(RAW)
    # AOV ±50% moves all returning GMV; first-order AOV ±10% moves a small part
    raw["drivers"]["aov"] = {"low": 50, "likely": 100, "high": 150}
    raw["drivers"]["first_order_aov"] = {"low": 45, "likely": 50, "high": 55}
    raw["drivers"]["gross_margin"] = {"low": 0.45, "likely": 0.5, "high": 0.55}
    inputs = inputs_from(raw)
    table = tornado(inputs)
    assert list(table.sort_values("gmv_swing", ascending=False)["driver"]) == [
        "aov",
        "first_order_aov",
        "gross_margin",
    ]
    row = table.set_index("driver").loc["aov"]
    y1 = project_plan(inputs).year(1)
    # GMV is linear in AOV: the swing is user-months × conversion × frequency × (150 − 50)
    assert row["gmv_swing"] == pytest.approx(y1["user_months"] * 0.1 * 1.0 * 100)
    assert row["gmv_low"] < y1["gmv"] < row["gmv_high"]
    # gross margin moves profit but not GMV
    gm = table.set_index("driver").loc["gross_margin"]
    assert gm["gmv_swing"] == 0 and gm["profit_swing"] == pytest.approx(0.1 * y1["gmv"])


def test_tornado_empty_without_ranges():
    assert tornado(inputs_from(RAW)).empty


def test_scenarios_bracket_the_base():
    raw = copy.deepcopy(RAW)
    raw["drivers"]["monthly_churn"] = {"low": 0.03, "likely": 0.05, "high": 0.08}
    raw["drivers"]["aov"] = {"low": 90, "likely": 100, "high": 105}
    inputs = inputs_from(raw)
    s = project_scenarios(inputs).set_index("scenario")
    base = project_plan(inputs).year(1)
    assert s.loc["base", "profit"] == pytest.approx(base["profit"])
    assert s.loc["pessimistic", "profit"] < s.loc["base", "profit"] < s.loc["optimistic", "profit"]
    # the pessimistic case takes the high churn and the low AOV, together
    pess = inputs.model_copy(
        update={
            "drivers": inputs.drivers
            | {
                "monthly_churn": inputs.drivers["monthly_churn"].model_copy(update={"value": 0.08}),
                "aov": inputs.drivers["aov"].model_copy(update={"value": 90.0}),
            }
        }
    )
    assert s.loc["pessimistic", "gmv"] == pytest.approx(project_plan(pess).year(1)["gmv"])


def test_pert_moments():
    rng = np.random.default_rng(1)
    x = pert(rng, 2.0, 3.0, 10.0, 200_000)
    assert x.min() >= 2 and x.max() <= 10
    assert x.mean() == pytest.approx((2 + 4 * 3 + 10) / 6, rel=5e-3)  # PERT mean
    assert np.all(pert(rng, 5, 5, 5, 3) == 5)


def test_monte_carlo_reproducible_and_centred():
    raw = copy.deepcopy(RAW)
    raw["drivers"]["returning_conversion"] = {"low": 0.08, "likely": 0.1, "high": 0.12}
    raw["drivers"]["first_order_aov"] = {"low": 40, "likely": 50, "high": 60}
    inputs = inputs_from(raw)
    a = monte_carlo(inputs)
    b = monte_carlo(inputs)
    np.testing.assert_array_equal(a.gmv, b.gmv)
    np.testing.assert_array_equal(a.break_even, b.break_even)
    c = monte_carlo(inputs, seed=8)
    assert not np.array_equal(a.gmv, c.gmv)
    assert a.draws == 4000 and a.drivers == ("returning_conversion", "first_order_aov")
    base = project_plan(inputs).year(1)["gmv"]
    p10, p50, p90 = a.percentiles(a.gmv)
    assert p50 == pytest.approx(base, rel=0.01)  # symmetric ranges: median near the base case
    assert p10 < p50 < p90
    assert a.prob_target == pytest.approx(np.mean(a.gmv >= inputs.target.amount(1e6)))


def test_monte_carlo_draws_match_one_at_a_time_projection():
    raw = copy.deepcopy(RAW)
    raw["drivers"]["aov"] = {"low": 80, "likely": 100, "high": 130}
    raw["monte_carlo"] = {"draws": 100, "seed": 3}
    inputs = inputs_from(raw)
    mc = monte_carlo(inputs)
    rng = np.random.default_rng(3)
    draws = pert(rng, 80, 100, 130, 100)
    for i in (0, 17, 99):
        one = inputs.model_copy(
            update={
                "drivers": inputs.drivers
                | {"aov": inputs.drivers["aov"].model_copy(update={"value": float(draws[i])})}
            }
        )
        p = project_plan(one)
        assert mc.gmv[i] == pytest.approx(p.year(1)["gmv"], rel=1e-12)
        assert mc.break_even[i] == (p.break_even_month or 0)


def test_break_even_percentiles_beyond_horizon_are_none():
    raw = copy.deepcopy(RAW)
    raw["organisation"]["roles"]["ops"]["monthly_cost"] = {"low": 1e5, "likely": 1e6, "high": 2e6}
    mc = monte_carlo(inputs_from(raw))
    assert mc.break_even_percentiles()[2] is None
    assert 0 <= mc.prob_break_even < 1
