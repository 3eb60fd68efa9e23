"""The monthly projection against hand calculations and a plain per-month loop."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from siyu_diag.plan.planfile import build_inputs
from siyu_diag.plan.planschema import PlanFile
from siyu_diag.plan.projection import project_plan
from siyu_diag.plan.tree import build_tree

# A worked example small enough to compute by hand. Steady state: 1000 users × 0.9 kept + 100 new.
WORKED = {
    "horizon_months": 12,
    "last_year": {
        "users": 1000,
        "gmv": 100000,
        "returning_conversion": 0.1,
        "aov": 100,
        "repurchase_frequency": 1.0,
        "monthly_churn": 0.1,
    },
    "drivers": {"first_order_conversion": 0.5, "first_order_aov": 50, "gross_margin": 0.5},
    "channels": {
        "a": {
            "traffic": 1000,
            "touches": 2,
            "add_rate": 0.05,
            "cost_per_user": 10,
            "monthly_spend": 500,
        }
    },
    "organisation": {"bonus_rate": 0.01, "roles": {"ops": {"headcount": 1, "monthly_cost": 3000}}},
    "fixed_costs": {
        "licence": {"amount": 1200, "months": 12},
        "setup": {"amount": 600, "months": 2, "start_month": 2},
    },
}


def inputs_from(raw):
    return build_inputs(PlanFile.model_validate(copy.deepcopy(raw)), "plan.yaml")


def test_worked_example_month_one_by_hand():
    m = project_plan(inputs_from(WORKED)).monthly
    first = m.loc[1]
    assert first["lost_users"] == pytest.approx(100)  # 1000 × 0.1
    assert first["existing_users"] == pytest.approx(900)
    assert first["new_users"] == pytest.approx(100)  # 1000 × 2 × 0.05
    assert first["total_users"] == pytest.approx(1000)
    assert first["gmv_returning"] == pytest.approx(9000)  # 900 × 0.1 × 100 × 1
    assert first["gmv_new"] == pytest.approx(2500)  # 100 × 0.5 × 50
    assert first["marketing_cost"] == pytest.approx(1500)  # 100 × 10 + 500
    assert first["organisation_cost"] == pytest.approx(3115)  # 3000 + 0.01 × 11500
    assert first["fixed_cost"] == pytest.approx(100)  # 1200 / 12
    assert first["contribution"] == pytest.approx(4250)  # 11500 × 0.5 − 1500
    assert first["profit"] == pytest.approx(1035)  # 4250 − 3115 − 100
    # month 2 also carries the set-up cost: 600 / 2
    assert m.loc[2, "fixed_cost"] == pytest.approx(400)
    assert m.loc[3, "fixed_cost"] == pytest.approx(400)
    assert m.loc[4, "fixed_cost"] == pytest.approx(100)
    assert m.loc[2, "profit"] == pytest.approx(735)


def test_annual_figures_follow_the_domain_formula():
    p = project_plan(inputs_from(WORKED))
    y1 = p.year(1)
    assert y1["user_months"] == pytest.approx(12 * 900)
    assert y1["new_users"] == pytest.approx(1200)
    # existing (user-months) × conversion × AOV × frequency + new × first conversion × first AOV
    assert y1["gmv"] == pytest.approx(10800 * 0.1 * 100 * 1.0 + 1200 * 0.5 * 50)
    cost = 12 * 1500 + 12 * 3000 + 0.01 * 138000 + 1800
    profit = 138000 * 0.5 - 12 * 1500 - 12 * 3000 - 0.01 * 138000 - 1800
    assert y1["total_cost"] == pytest.approx(cost)
    assert y1["profit"] == pytest.approx(profit)
    assert y1["roi"] == pytest.approx(profit / cost)
    assert y1["roas"] == pytest.approx(138000 / cost)
    assert y1["source_ratio"] == pytest.approx((cost + 138000) / cost)


def _plain_loop(raw):
    """The same model written month by month in plain Python, independently of the package."""
    ly, d = raw["last_year"], raw["drivers"]
    total = ly["users"]
    rows = []
    for m in range(1, raw["horizon_months"] + 1):
        lost = total * d.get("monthly_churn", ly["monthly_churn"])
        existing = total - lost
        new = sum(
            c["traffic"] * c.get("touches", 1) * c["add_rate"]
            for c in raw["channels"].values()
            if m >= c.get("start_month", 1)
        )
        total = existing + new
        gmv = existing * ly["returning_conversion"] * ly["aov"] * ly["repurchase_frequency"]
        gmv += new * d["first_order_conversion"] * d["first_order_aov"]
        rows.append((lost, existing, new, total, gmv))
    return np.array(rows)


def test_users_conserved_and_equal_to_a_plain_loop():
    raw = copy.deepcopy(WORKED)
    raw["horizon_months"] = 30
    raw["drivers"]["monthly_churn"] = 0.037
    raw["channels"]["b"] = {"traffic": 5000, "touches": 1.3, "add_rate": 0.02, "start_month": 7}
    p = project_plan(inputs_from(raw))
    m = p.monthly
    previous = np.concatenate([[1000.0], m["total_users"].to_numpy()[:-1]])
    np.testing.assert_allclose(
        m["total_users"], previous - m["lost_users"] + m["new_users"], rtol=1e-12
    )
    np.testing.assert_allclose(m["existing_users"], previous - m["lost_users"], rtol=1e-12)
    expected = _plain_loop(raw)
    got = m[["lost_users", "existing_users", "new_users", "total_users", "gmv"]].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # the channel starting in month 7 brings nobody before it
    assert p.new_users.loc[6, "b"] == 0 and p.new_users.loc[7, "b"] == pytest.approx(130)
    # users by origin add up to the total
    np.testing.assert_allclose(p.users_by_origin.sum(axis=1), m["total_users"], rtol=1e-12)


def test_break_even_is_first_month_with_non_negative_cumulative_profit():
    raw = copy.deepcopy(WORKED)
    raw["fixed_costs"]["launch"] = {"amount": 5000, "months": 1}
    p = project_plan(inputs_from(raw))
    # by hand: −3965, +735, +735, +1035, +1035, +1035 → cumulative turns ≥ 0 in month 6
    np.testing.assert_allclose(
        p.monthly["profit"].head(6), [-3965, 735, 735, 1035, 1035, 1035], rtol=1e-12
    )
    assert p.break_even_month == 6
    cumulative = np.cumsum(p.monthly["profit"].to_numpy())
    assert p.break_even_month == int(np.argmax(cumulative >= 0)) + 1


def test_no_break_even_within_the_horizon_is_none():
    raw = copy.deepcopy(WORKED)
    raw["fixed_costs"]["huge"] = {"amount": 1e9, "months": 1}
    assert project_plan(inputs_from(raw)).break_even_month is None


def test_payback_by_hand():
    # CAC = 12 × 1500 / 1200 = 15; per-user margin 0.5 − 0.01 = 0.49
    # month 1: 0.5 × 50 × 0.49 = 12.25; month 2: + 0.9 × 0.1 × 100 × 0.49 = 16.66 ≥ 15
    p = project_plan(inputs_from(WORKED))
    assert p.year(1)["cac"] == pytest.approx(15)
    assert p.payback_months == 2


def test_annual_rows_per_plan_year():
    raw = copy.deepcopy(WORKED)
    raw["horizon_months"] = 30
    p = project_plan(inputs_from(raw))
    assert list(p.annual.index) == [1, 2, 3]
    assert list(p.annual["months"]) == [12, 12, 6]
    assert p.annual["gmv"].sum() == pytest.approx(p.monthly["gmv"].sum())


def test_driver_tree_bridge_adds_up_exactly():
    raw = copy.deepcopy(WORKED)
    raw["drivers"]["returning_conversion"] = 0.12
    raw["drivers"]["aov"] = 90
    inputs = inputs_from(raw)
    p = project_plan(inputs)
    tree = build_tree(inputs, p)
    steps = tree.bridge.set_index("step")["gmv"]
    assert steps["last_year"] == 100000
    middle = steps.drop(["last_year", "plan"]).sum()
    assert steps["last_year"] + middle == pytest.approx(steps["plan"], rel=1e-12)
    assert steps["plan"] == pytest.approx(p.year(1)["gmv"])
    # LMDI: within the returning branch, contributions share the log-change
    ret0 = 12 * 1000 * 0.1 * 100 * 1.0
    ret1 = p.year(1)["gmv_returning"]
    weight = (ret1 - ret0) / (np.log(ret1) - np.log(ret0))
    assert steps["aov"] == pytest.approx(weight * np.log(90 / 100))
    assert steps["returning_conversion"] == pytest.approx(weight * np.log(0.12 / 0.1))
    assert steps["repurchase_frequency"] == 0


def test_inputs_are_not_mutated():
    inputs = inputs_from(WORKED)
    before = inputs.model_dump()
    project_plan(inputs)
    from siyu_diag.plan.chapter import analyse_plan

    analyse_plan(inputs.model_copy(update={"target": None}), draws=200)
    assert inputs.model_dump() == before
