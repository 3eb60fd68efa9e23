"""Scoring rules, grades, commission and pay, against hand calculations."""

import copy
import math

import pandas as pd
import pytest

from siyu_diag.core import assets
from siyu_diag.core.rules import load_rules
from siyu_diag.incentives.analysis import analyse_incentives
from siyu_diag.incentives.library import load_kpi_library
from siyu_diag.incentives.pay import compute_payouts, cost_summary, summarise_units
from siyu_diag.incentives.scheme import (
    DEFAULT_GRADES,
    Commission,
    LinearRule,
    Step,
    StepRule,
    ThresholdRule,
    VetoRule,
)
from siyu_diag.incentives.scoring import (
    achievement,
    breaches,
    commission_amount,
    grade_employees,
    grade_of,
    score_employees,
    score_rule,
)
from siyu_diag.incentives.validation import parse_scheme

LIB = load_kpi_library()
RULES = load_rules(assets.data_path("rules", "incentives-v1.yaml"))


# ----------------------------------------------------------------------------- single rules


def test_linear_rule_scales_to_the_cap():
    rule = LinearRule(cap=1.2)
    assert score_rule(rule, achievement(90, 100, "higher")) == pytest.approx(90)
    assert score_rule(rule, achievement(130, 100, "higher")) == pytest.approx(120)
    assert score_rule(rule, achievement(120, 100, "higher")) == pytest.approx(120)
    assert score_rule(rule, achievement(-5, 100, "higher")) == 0


def test_linear_rule_floor_gives_nothing_below_it():
    rule = LinearRule(cap=1.0, floor=0.5)
    assert score_rule(rule, 0.49) == 0
    assert score_rule(rule, 0.5) == pytest.approx(50)


def test_lower_is_better_inverts_achievement():
    # acquisition cost 8 CNY against a 10 CNY target: 10 / 8 = 125% → capped at 120 points
    assert achievement(8, 10, "lower") == pytest.approx(1.25)
    assert score_rule(LinearRule(cap=1.2), achievement(8, 10, "lower")) == pytest.approx(120)
    assert score_rule(LinearRule(cap=1.2), achievement(12.5, 10, "lower")) == pytest.approx(80)
    assert math.isinf(achievement(0, 10, "lower"))
    assert score_rule(LinearRule(cap=1.5), achievement(0, 10, "lower")) == pytest.approx(150)


def test_threshold_rule_is_all_or_nothing_at_the_mark():
    rule = ThresholdRule(type="threshold")
    assert score_rule(rule, achievement(99.99, 100, "higher")) == 0
    assert score_rule(rule, achievement(100, 100, "higher")) == 100
    assert score_rule(ThresholdRule(type="threshold", at=0.9), 0.9) == 100


def test_step_rule_pays_the_highest_step_reached():
    rule = StepRule(
        type="step",
        steps=(Step(at=0.8, score=60), Step(at=1.0, score=100), Step(at=1.2, score=120)),
    )
    assert score_rule(rule, 0.79) == 0
    assert score_rule(rule, 0.8) == 60
    assert score_rule(rule, 0.99) == 60
    assert score_rule(rule, 1.0) == 100
    assert score_rule(rule, 1.5) == 120
    # 0.28 / 0.35 is 0.7999999999999999 in floating point: exactly on the step, it counts
    assert score_rule(rule, achievement(0.28, 0.35, "higher")) == 60


def test_steps_must_increase():
    with pytest.raises(ValueError, match="strictly increasing"):
        StepRule(type="step", steps=(Step(at=1.0, score=100), Step(at=0.8, score=60)))


def test_veto_limits_by_direction():
    complaints = VetoRule(type="veto", limit=0.01)
    assert not breaches(complaints, 0.01, "lower")
    assert breaches(complaints, 0.0101, "lower")
    satisfaction = VetoRule(type="veto", limit=4.0)
    assert not breaches(satisfaction, 4.0, "higher")
    assert breaches(satisfaction, 3.99, "higher")


@pytest.mark.parametrize(
    ("score", "grade"),
    [(150, "S"), (110, "S"), (109.999, "A"), (100, "A"), (85, "B"), (84.99, "C"), (70, "C"),
     (69.9, "D"), (0, "D"), (-3, "D")],
)  # fmt: skip
def test_grade_boundaries_include_the_lower_bound(score, grade):
    assert grade_of(score, DEFAULT_GRADES).grade == grade


def test_commission_marginal_whole_and_per_unit():
    tiers = [{"from": 0, "rate": 0.01}, {"from": 100000, "rate": 0.015}]
    marginal = Commission(basis="gmv", tiers=tiers)
    whole = Commission(basis="gmv", method="whole", tiers=tiers)
    # 100,000 × 1% + 50,000 × 1.5% = 1,000 + 750
    assert commission_amount(marginal, 150000) == pytest.approx(1750)
    assert commission_amount(whole, 150000) == pytest.approx(150000 * 0.015)
    assert commission_amount(whole, 99999) == pytest.approx(999.99)
    assert commission_amount(marginal, -10) == 0
    per_unit = Commission(
        basis="valid_new_users", tiers=[{"from": 0, "per_unit": 5}, {"from": 100, "per_unit": 8}]
    )
    assert commission_amount(per_unit, 120) == pytest.approx(100 * 5 + 20 * 8)


def test_commission_tiers_must_start_at_zero_and_be_of_one_kind():
    with pytest.raises(ValueError, match="start 'from' 0"):
        Commission(basis="gmv", tiers=[{"from": 10, "rate": 0.01}])
    with pytest.raises(ValueError, match="not both kinds"):
        Commission(basis="gmv", tiers=[{"from": 0, "rate": 0.01}, {"from": 5, "per_unit": 2}])


# ----------------------------------------------------------------------------- a small scheme

RAW = {
    "name": "test",
    "period": "quarter",
    "gmv": 4000000,
    "units": [
        {
            "id": "sales",
            "department": "sales",
            "headcount": 2,
            "pay": {"base_monthly": 6000, "bonus_target": 3000, "annual_share": 12000},
            "indicators": [
                {"kpi": "gmv", "weight": 60, "target": 200000},
                {"kpi": "repurchase_rate_90d", "weight": 40, "target": 0.3,
                 "rule": {"type": "threshold"}},
                {"kpi": "complaint_rate", "rule": {"type": "veto", "limit": 0.01}},
            ],
            "commission": {"basis": "gmv", "tiers": [{"from": 0, "rate": 0.01},
                                                     {"from": 200000, "rate": 0.02}]},
        },
        {
            "id": "guide",
            "name": "导购",
            "department": "门店",
            "headcount": 1,
            "pay": {"base_monthly": 4000, "bonus_target": 1000},
            "indicators": [{"kpi": "store_sales", "weight": 100, "target": 100000}],
            "commission": {"basis": "store_sales", "tiers": [{"from": 0, "rate": 0.01}]},
            "double_credit": {"source": "private_sales", "into": "store_sales", "share": 0.5},
        },
    ],
    "awards": [{"unit": "sales", "name": "best", "amount": 500}],
}  # fmt: skip

ACTUALS = pd.DataFrame(
    [
        # S1: gmv 240,000 → 120% → linear capped at 120 → 72 pts; repurchase 0.31 → 100 × 40%
        {"employee": "S1", "unit": "sales", "store": "", "row": 2, "gmv": 240000.0,
         "repurchase_rate_90d": 0.31, "complaint_rate": 0.0, "store_sales": None,
         "private_sales": None},
        # S2: gmv 170,000 → 85% → 51 pts; repurchase 0.25 → 0; complaints 2% → veto
        {"employee": "S2", "unit": "sales", "store": "", "row": 3, "gmv": 170000.0,
         "repurchase_rate_90d": 0.25, "complaint_rate": 0.02, "store_sales": None,
         "private_sales": None},
        # G1: store sales 80,000 + 0.5 × 30,000 private = 95,000 → 95 pts
        {"employee": "G1", "unit": "guide", "store": "A", "row": 4, "gmv": None,
         "repurchase_rate_90d": None, "complaint_rate": None, "store_sales": 80000.0,
         "private_sales": 30000.0},
    ]
)  # fmt: skip


@pytest.fixture
def scheme():
    return parse_scheme(copy.deepcopy(RAW), label="incentives.yaml", library=LIB)


def test_department_label_is_mapped_to_its_id(scheme):
    assert scheme.unit_index["guide"].department == "stores"


def test_scores_grades_and_veto(scheme):
    scores = score_employees(scheme, LIB, ACTUALS)
    graded = grade_employees(scheme, ACTUALS, scores).set_index("employee")
    assert graded.at["S1", "score"] == pytest.approx(0.6 * 120 + 0.4 * 100)  # 112 → S
    assert graded.at["S1", "grade"] == "S"
    assert graded.at["S2", "score"] == pytest.approx(0.6 * 85)  # 51, but vetoed
    assert bool(graded.at["S2", "vetoed"]) and graded.at["S2", "grade"] == "D"
    assert graded.at["S2", "multiplier"] == 0
    assert graded.at["G1", "score"] == pytest.approx(95)  # B
    assert graded.at["G1", "grade"] == "B"
    credited = scores.set_index(["employee", "kpi"]).at[("G1", "store_sales"), "credited"]
    assert credited == pytest.approx(15000)


def test_pay_per_person_and_totals_by_hand(scheme):
    scores = score_employees(scheme, LIB, ACTUALS)
    pay = compute_payouts(scheme, scores, grade_employees(scheme, ACTUALS, scores))
    pay = pay.set_index("employee")
    months = 3
    expected = {
        # base, bonus, annual share accrual, commission, award
        "S1": (6000 * months, 3000 * 1.5, 12000 * months / 12 * 1.5,
               200000 * 0.01 + 40000 * 0.02, 500),
        "S2": (6000 * months, 0, 0, 170000 * 0.01, 0),  # veto voids bonus, keeps commission
        "G1": (4000 * months, 1000 * 1.0, 0, 95000 * 0.01, 0),
    }  # fmt: skip
    for emp, (base, bonus, share, commission, award) in expected.items():
        assert pay.at[emp, "base"] == pytest.approx(base)
        assert pay.at[emp, "bonus"] == pytest.approx(bonus)
        assert pay.at[emp, "annual_share"] == pytest.approx(share)
        assert pay.at[emp, "commission"] == pytest.approx(commission)
        assert pay.at[emp, "awards"] == pytest.approx(award)
        assert pay.at[emp, "total"] == pytest.approx(base + bonus + share + commission + award)
    units = summarise_units(scheme, pay.reset_index()).set_index("unit")
    by_hand = sum(sum(v) for k, v in expected.items() if k.startswith("S"))
    assert units.at["sales", "total"] == pytest.approx(by_hand)
    assert units.loc[:, "total"].sum() == pytest.approx(sum(sum(v) for v in expected.values()))


def test_forfeit_all_voids_commission_too(scheme):
    raw = copy.deepcopy(RAW)
    raw["units"][0]["indicators"][2]["rule"]["forfeit"] = "all"
    scheme = parse_scheme(raw, label="x.yaml", library=LIB)
    scores = score_employees(scheme, LIB, ACTUALS)
    pay = compute_payouts(scheme, scores, grade_employees(scheme, ACTUALS, scores))
    assert pay.set_index("employee").at["S2", "commission"] == 0


def test_award_ties_go_to_the_lower_employee_id():
    raw = copy.deepcopy(RAW)
    raw["units"][0]["indicators"] = raw["units"][0]["indicators"][:1]
    raw["units"][0]["indicators"][0]["weight"] = 100
    scheme = parse_scheme(raw, label="x.yaml", library=LIB)
    actuals = ACTUALS.copy()
    actuals.loc[actuals["employee"] == "S2", "gmv"] = 240000.0
    actuals = actuals.iloc[[1, 0, 2]]  # S2 first in the file
    scores = score_employees(scheme, LIB, actuals)
    pay = compute_payouts(scheme, scores, grade_employees(scheme, actuals, scores))
    assert pay.set_index("employee")["awards"].to_dict() == {"S2": 0, "S1": 500, "G1": 0}


def test_unit_targets_use_the_unit_total_or_mean():
    raw = copy.deepcopy(RAW)
    raw["units"][0]["indicators"] = [
        {"kpi": "gmv", "weight": 50, "target": 400000, "target_per": "unit"},
        {"kpi": "repurchase_rate_90d", "weight": 50, "target": 0.28, "target_per": "unit"},
    ]
    scheme = parse_scheme(raw, label="x.yaml", library=LIB)
    scores = score_employees(scheme, LIB, ACTUALS).set_index(["employee", "kpi"])
    # GMV: (240,000 + 170,000) / 400,000 = 102.5%; repurchase mean 0.28 / 0.28 = 100%
    for emp in ("S1", "S2"):
        assert scores.at[(emp, "gmv"), "achievement"] == pytest.approx(410000 / 400000)
        assert scores.at[(emp, "repurchase_rate_90d"), "achievement"] == pytest.approx(1.0)


def test_cost_summary_annualises_and_divides_by_gmv():
    costs = pd.DataFrame({"variable": [3000.0, 1000.0], "total": [10000.0, 5000.0]})
    out = cost_summary(costs, 3, 160000)
    assert out["variable_annual"] == pytest.approx(16000)
    assert out["total_annual"] == pytest.approx(60000)
    assert out["variable_share_gmv"] == pytest.approx(0.1)
    assert cost_summary(costs, 3, None)["variable_share_gmv"] is None


def test_analysis_does_not_mutate_its_inputs(scheme):
    actuals = ACTUALS.copy(deep=True)
    before = actuals.copy(deep=True)
    dump = scheme.model_dump()
    analyse_incentives(scheme, LIB, RULES, stage="conversion", actuals=actuals)
    pd.testing.assert_frame_equal(actuals, before)
    assert scheme.model_dump() == dump


def test_cost_share_uses_plan_gmv_then_scheme_gmv(scheme):
    rules = RULES
    a = analyse_incentives(scheme, LIB, rules, stage="conversion", actuals=ACTUALS)
    assert a.gmv_source == "scheme" and a.gmv == 4000000
    # private-domain units only: the guide (stores) is reported apart
    sales = a.payouts[a.payouts["unit"] == "sales"]["variable"].sum()
    assert a.cost["variable_share_gmv"] == pytest.approx(sales * 4 / 4000000)
    b = analyse_incentives(scheme, LIB, rules, stage="conversion", actuals=ACTUALS, plan_gmv=8e6)
    assert b.gmv_source == "plan"
    assert b.cost["variable_share_gmv"] == pytest.approx(sales * 4 / 8e6)
    no_gmv = scheme.model_copy(update={"gmv": None})
    c = analyse_incentives(no_gmv, LIB, rules, stage="conversion", actuals=ACTUALS)
    assert c.gmv is None and c.cost["variable_share_gmv"] is None
    assert "incentives.cost_share_gmv" not in c.facts
