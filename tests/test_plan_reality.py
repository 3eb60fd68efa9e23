"""The plan against the client's history: verdicts, the plan at history and what each bet is
worth, against hand calculations on a steady-state plan."""

from __future__ import annotations

import copy
import math

import pytest

from siyu_diag.plan.chapter import analyse_plan
from siyu_diag.plan.inputs import with_drivers
from siyu_diag.plan.planfile import build_inputs
from siyu_diag.plan.planschema import PlanFile
from siyu_diag.plan.projection import project_plan
from siyu_diag.plan.reality import History, check_reality, verdict

# Steady state: 1000 users, 10% churn, 100 new a month, so every month has 900 existing users
# (10,800 user-months a year) and 100 new users (1,200 a year) whatever the customer drivers.
# Year-1 GMV = 10,800 × returning conversion × AOV × 1.0 + 1,200 × 0.5 × 50.
STEADY = {
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
        "returning_conversion": 0.2,
        "aov": 120,
        "first_order_conversion": 0.5,
        "first_order_aov": 50,
        "gross_margin": 0.5,
    },
    "channels": {"a": {"traffic": 1000, "touches": 2, "add_rate": 0.05, "cost_per_user": 10}},
    "organisation": {"bonus_rate": 0.01, "roles": {"ops": {"headcount": 1, "monthly_cost": 3000}}},
    "target": {"growth": 1.0},
}


def inputs_from(raw):
    return build_inputs(PlanFile.model_validate(copy.deepcopy(raw)), "plan.yaml")


def gmv(rc: float, aov: float) -> float:
    return 10800 * rc * aov * 1.0 + 1200 * 0.5 * 50


@pytest.fixture
def reality():
    return check_reality(inputs_from(STEADY), {})


def test_history_from_last_year_and_verdicts(reality):
    t = reality.table.set_index("driver")
    assert t.loc["returning_conversion", "history_value"] == 0.1
    assert t.loc["returning_conversion", "history_source"] == "last_year"
    assert t.loc["returning_conversion", "verdict"] == "beyond_multiple"  # 0.2 = 2 × 0.1
    assert t.loc["aov", "verdict"] == "beyond_best"  # 120 > 100, less than twice
    assert t.loc["monthly_churn", "verdict"] == "within"
    assert t.loc["repurchase_frequency", "verdict"] == "within"


def test_a_driver_without_history_shows_none_and_takes_no_verdict(reality):
    t = reality.table.set_index("driver")
    for name in ("first_order_conversion", "first_order_aov", "add_rate.a"):
        assert name in t.index
        assert t.loc[name, "verdict"] is None or math.isnan(t.loc[name, "verdict"])
        assert math.isnan(t.loc[name, "gmv_at_stake"]) and math.isnan(t.loc[name, "gmv_share"])


def test_the_plan_at_history_by_hand(reality):
    assert reality.plan_gmv == pytest.approx(gmv(0.2, 120))  # 289,200
    h = reality.at_history
    assert h.gmv == pytest.approx(gmv(0.1, 100))  # 138,000
    # profit = GMV × (margin − bonus) − acquisition (100 × 10 a month) − salaries (3,000 a month)
    assert h.profit == pytest.approx(138000 * 0.49 - 12 * 1000 - 12 * 3000)
    assert h.break_even_month == 1  # 11,500 × 0.49 − 1,000 − 3,000 > 0 from the first month
    assert h.gap_to_target == pytest.approx(200000 - 138000)  # target: last year × 2


def test_what_each_bet_is_worth_by_hand(reality):
    t = reality.table.set_index("driver")
    plan = gmv(0.2, 120)
    # at stake: the plan minus the plan with only that driver at history
    assert t.loc["returning_conversion", "gmv_at_stake"] == pytest.approx(plan - gmv(0.1, 120))
    assert t.loc["aov", "gmv_at_stake"] == pytest.approx(plan - gmv(0.2, 100))  # 43,200
    # costs do not move with these drivers: profit at stake = GMV at stake × (0.5 − 0.01)
    assert t.loc["aov", "profit_at_stake"] == pytest.approx(43200 * 0.49)
    # two players: Shapley = the mean of the two orders' marginal contributions
    rc_share = ((gmv(0.2, 100) - gmv(0.1, 100)) + (plan - gmv(0.1, 120))) / 2  # 118,800
    aov_share = ((gmv(0.1, 120) - gmv(0.1, 100)) + (plan - gmv(0.2, 100))) / 2  # 32,400
    assert t.loc["returning_conversion", "gmv_share"] == pytest.approx(rc_share)
    assert t.loc["aov", "gmv_share"] == pytest.approx(aov_share)
    assert math.isnan(t.loc["monthly_churn", "gmv_at_stake"])  # within history: no bet
    # the bets, the most GMV at stake first
    assert reality.bets["driver"].tolist() == ["returning_conversion", "aov"]


def test_history_from_operating_data_uses_the_range_of_its_months():
    months = "2025-01/2025-12"
    calibration = {
        "returning_conversion": {"value": 0.1, "low": 0.05, "high": 0.15, "period": months},
        "monthly_churn": {"value": 0.12, "low": 0.08, "high": 0.2},
    }
    t = check_reality(inputs_from(STEADY), calibration).table.set_index("driver")
    assert t.loc["returning_conversion", "history_source"] == "operations"
    assert t.loc["returning_conversion", "history_period"] == "2025-01/2025-12"
    rc = t.loc["returning_conversion"]
    assert (rc["history_low"], rc["history_high"]) == (0.05, 0.15)
    assert t.loc["monthly_churn", "verdict"] == "within"  # 0.1 within 0.08–0.2
    assert t.loc["aov", "history_source"] == "last_year"  # not in the operating data
    for plan, expected in ((0.12, "within"), (0.04, "more_cautious"), (0.16, "beyond_best")):
        raw = copy.deepcopy(STEADY)
        raw["drivers"]["returning_conversion"] = plan
        t = check_reality(inputs_from(raw), calibration).table.set_index("driver")
        assert t.loc["returning_conversion", "verdict"] == expected, plan


def test_churn_is_favourable_when_lower():
    h = History(value=0.1, low=0.08, high=0.12, source="operations")
    assert verdict("monthly_churn", 0.13, h) == "more_cautious"
    assert verdict("monthly_churn", 0.06, h) == "beyond_best"  # 0.1 < 2 × 0.06
    assert verdict("monthly_churn", 0.05, h) == "beyond_multiple"  # 0.1 = 2 × 0.05
    assert verdict("aov", 0.0, History(0.0, 0.0, 0.0, "last_year")) == "within"
    assert verdict("aov", 1.0, History(0.0, 0.0, 0.0, "last_year")) == "beyond_multiple"


def test_the_parts_add_up_when_churn_moves_too():
    raw = copy.deepcopy(STEADY)
    raw["drivers"] |= {"monthly_churn": 0.05, "repurchase_frequency": 1.2}
    inputs = inputs_from(raw)
    r = check_reality(inputs, {})
    moved = r.table["gmv_share"].notna()
    assert moved.sum() == 4
    assert r.table["gmv_share"].sum() == pytest.approx(r.plan_gmv - r.at_history.gmv)
    # the plan at history, projected the ordinary way
    at_history = {"returning_conversion": 0.1, "aov": 100, "repurchase_frequency": 1.0,
                  "monthly_churn": 0.1}  # fmt: skip
    again = project_plan(with_drivers(inputs, at_history)).year(1)
    assert r.at_history.gmv == pytest.approx(again["gmv"])
    assert r.at_history.profit == pytest.approx(again["profit"])


def test_analyse_plan_checks_against_the_calibration_it_is_given():
    calibration = {"aov": {"value": 150.0, "low": 140.0, "high": 160.0}}
    a = analyse_plan(inputs_from(STEADY), draws=50, calibration=calibration)
    assert a.reality.table.set_index("driver").loc["aov", "verdict"] == "more_cautious"


def test_a_plan_at_its_history_bets_nothing():
    raw = copy.deepcopy(STEADY)
    raw["drivers"] |= {"returning_conversion": 0.1, "aov": 100}
    r = check_reality(inputs_from(raw), {})
    assert r.bets.empty and r.table["gmv_share"].isna().all()
    assert r.at_history.gmv == pytest.approx(r.plan_gmv) == pytest.approx(gmv(0.1, 100))
