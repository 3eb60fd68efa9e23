"""Alignment facts and flags: each fires on a scheme crafted to show it, none on a balanced one."""

import copy

import pandas as pd
import pytest

from siyu_diag.core import assets
from siyu_diag.core.rules import FINDING_COLUMNS, load_rules
from siyu_diag.incentives.analysis import analyse_incentives
from siyu_diag.incentives.library import load_kpi_library
from siyu_diag.incentives.validation import parse_scheme

LIB = load_kpi_library()
RULES = load_rules(assets.data_path("rules", "incentives-v1.yaml"))
VETO = {"kpi": "complaint_rate", "rule": {"type": "veto", "limit": 0.01}}

BALANCED = {
    "period": "quarter",
    "gmv": 4_000_000,
    "units": [
        {
            "id": "growth", "department": "marketing", "headcount": 2,
            "pay": {"base_monthly": 9000, "bonus_target": 5000, "annual_share": 4000},
            "indicators": [
                {"kpi": "valid_new_users", "weight": 30, "target": 5000},
                {"kpi": "activation_rate_7d", "weight": 20, "target": 0.4},
                {"kpi": "repurchase_rate_90d", "weight": 30, "target": 0.3},
                {"kpi": "new_user_90d_value", "weight": 20, "target": 150},
            ],
        },
        {
            "id": "ops", "department": "operations", "headcount": 4,
            "pay": {"base_monthly": 8000, "bonus_target": 5000, "annual_share": 3000},
            "indicators": [
                {"kpi": "repurchase_rate_90d", "weight": 30, "target": 0.3},
                {"kpi": "first_order_conversion", "weight": 30, "target": 0.1},
                {"kpi": "group_retention_7d", "weight": 20, "target": 0.7},
                {"kpi": "response_48h", "weight": 20, "target": 0.95},
                VETO,
            ],
        },
        {
            "id": "sales", "department": "sales", "headcount": 3,
            "pay": {"base_monthly": 7000, "bonus_target": 6000, "annual_share": 3000},
            "indicators": [
                {"kpi": "gmv", "weight": 40, "target": 200000},
                {"kpi": "repurchase_rate_90d", "weight": 30, "target": 0.3},
                {"kpi": "conversion_rate", "weight": 30, "target": 0.15},
                VETO,
            ],
        },
    ],
}  # fmt: skip


def analyse(raw, stage="conversion", actuals=None, has_stores=False):
    scheme = parse_scheme(raw, label="incentives.yaml", library=LIB)
    return analyse_incentives(
        scheme, LIB, RULES, stage=stage, actuals=actuals, has_stores=has_stores
    )


def fired(raw, **kws):
    return set(analyse(raw, **kws).findings["rule"])


def unit(raw, uid):
    return next(u for u in raw["units"] if u["id"] == uid)


@pytest.fixture
def raw():
    return copy.deepcopy(BALANCED)


def test_balanced_scheme_raises_no_flag(raw):
    a = analyse(raw)
    assert set(a.findings["rule"]) == {"INC-STRENGTH-BALANCED"}
    assert not a.checks.drop(columns="unit").fillna(False).astype(bool).any().any()
    assert list(a.findings.columns) == list(FINDING_COLUMNS)
    assert set(a.findings["dimension"]) == {"incentives"}


def test_facts_are_named_and_computed(raw):
    f = analyse(raw).facts
    # marketing: short = valid_new_users 30 + activation 20 = 50 of 100
    assert f["incentives.dept.marketing.short_share"] == pytest.approx(0.5)
    assert f["incentives.dept.marketing.short_pct"] == pytest.approx(50.0)
    # sales: retention = repurchase 30 of 100
    assert f["incentives.dept.sales.retention_share"] == pytest.approx(0.3)
    assert f["incentives.shared_indicators"] == 1
    assert f["incentives.shared_indicator_list"] == "90天复购率"
    assert f["incentives.weights_ok.growth"] is True
    assert f["incentives.weights_sum.ops"] == 100
    # GMV targets: 200,000 × 3 people × 4 quarters = 2.4m of 4m
    assert f["incentives.gmv_target_vs_plan"] == pytest.approx(0.6)
    assert f["incentives.veto_units"] == 2


def test_weights_not_100(raw):
    unit(raw, "growth")["indicators"][0]["weight"] = 20
    a = analyse(raw)
    assert "INC-WEIGHTS-NOT-100" in set(a.findings["rule"])
    assert a.facts["incentives.weights_ok.growth"] is False
    assert a.facts["incentives.weights_sum.growth"] == 90
    assert a.facts["incentives.weights_bad_list"] == "growth 90%"


def test_paid_only_on_short_term_volume(raw):
    growth = unit(raw, "growth")
    growth["indicators"] = [{"kpi": "follower_adds", "weight": 100, "target": 9000}]
    growth["pay"]["annual_share"] = 0
    assert "INC-SHORT-VOLUME-ONLY" in fired(raw)
    growth["pay"]["annual_share"] = 5000  # an annual share is a long-term element
    assert "INC-SHORT-VOLUME-ONLY" not in fired(raw)


def test_no_shared_indicator(raw):
    unit(raw, "growth")["indicators"][2]["kpi"] = "roas"
    unit(raw, "ops")["indicators"][0]["kpi"] = "monthly_repurchase"
    a = analyse(raw)
    assert "INC-NO-SHARED-INDICATOR" in set(a.findings["rule"])
    assert a.facts["incentives.shared_indicators"] == 0


def test_marketing_volume_without_quality(raw):
    unit(raw, "growth")["indicators"] = [
        {"kpi": "follower_adds", "weight": 70, "target": 9000},
        {"kpi": "acquisition_cost", "weight": 30, "target": 12},
    ]
    a = analyse(raw)
    assert "INC-MARKETING-VOLUME-NO-QUALITY" in set(a.findings["rule"])
    assert a.facts["incentives.dept.marketing.volume_pct"] == 70.0


def test_sales_without_retention_link(raw):
    unit(raw, "sales")["indicators"][1] = {"kpi": "aov", "weight": 30, "target": 300}
    rules = fired(raw)
    assert "INC-SALES-NO-RETENTION" in rules
    assert "INC-SALES-RETENTION-WEAK" not in rules


def test_weak_retention_link_is_a_low_finding(raw):
    sales = unit(raw, "sales")
    sales["indicators"][0]["weight"] = 60
    sales["indicators"][1]["weight"] = 10
    sales["indicators"][2]["weight"] = 30
    assert {"INC-SALES-RETENTION-WEAK"} <= fired(raw)
    assert "INC-SALES-NO-RETENTION" not in fired(raw)


def test_operations_without_sales_link_only_after_launch(raw):
    unit(raw, "ops")["indicators"][1] = {"kpi": "interaction_rate", "weight": 30, "target": 0.2}
    assert "INC-OPS-NO-SALES-LINK" in fired(raw, stage="conversion")
    assert "INC-OPS-NO-SALES-LINK" not in fired(raw, stage="launch")


def test_stores_without_double_credit(raw):
    raw["units"].append(
        {"id": "guide", "department": "stores", "headcount": 10,
         "pay": {"base_monthly": 4000, "bonus_target": 800, "annual_share": 1000},
         "indicators": [{"kpi": "store_sales", "weight": 70, "target": 90000},
                        {"kpi": "repurchase_rate_90d", "weight": 30, "target": 0.3}, VETO]}
    )  # fmt: skip
    assert "INC-STORES-NO-DOUBLE-CREDIT" in fired(raw)
    unit(raw, "guide")["double_credit"] = {"source": "private_sales", "into": "store_sales"}
    assert "INC-STORES-NO-DOUBLE-CREDIT" not in fired(raw)


def test_stores_from_the_profile_without_a_stores_unit(raw):
    assert "INC-STORES-NO-DOUBLE-CREDIT" in fired(raw, has_stores=True)


def test_targets_above_the_plan(raw):
    unit(raw, "sales")["indicators"][0]["target"] = 400000  # 400k × 3 × 4 = 4.8m of 4m
    a = analyse(raw)
    assert "INC-TARGETS-ABOVE-PLAN" in set(a.findings["rule"])
    assert a.facts["incentives.gmv_target_vs_plan_pct"] == 120.0


def test_targets_out_of_reach_from_actuals(raw):
    rows = []
    for i, gmv in enumerate([90000, 100000, 230000]):  # 45%, 50%, 115%: 1 of 3 reached
        rows.append({"employee": f"S{i}", "unit": "sales", "store": "", "row": i + 2,
                     "gmv": float(gmv), "repurchase_rate_90d": 0.3, "conversion_rate": 0.15,
                     "complaint_rate": 0.0})  # fmt: skip
    actuals = pd.DataFrame(rows)
    # a third reached (≥ 20%): not out of reach
    assert "INC-TARGETS-OUT-OF-REACH" not in fired(raw, actuals=actuals)
    actuals.loc[2, "gmv"] = 120000.0  # now nobody reached it and the median is 50%
    a = analyse(raw, actuals=actuals)
    assert "INC-TARGETS-OUT-OF-REACH" in set(a.findings["rule"])
    assert a.facts["incentives.targets_out_of_reach_list"] == "sales·私域GMV"


def test_front_line_without_long_term_pay(raw):
    for u in raw["units"]:
        u["pay"]["annual_share"] = 0
    a = analyse(raw)
    assert "INC-FRONTLINE-NO-LONG-TERM" in set(a.findings["rule"])
    assert a.facts["incentives.frontline_long_term_share"] == 0


def test_no_veto_anywhere(raw):
    for u in raw["units"]:
        u["indicators"] = [i for i in u["indicators"] if "weight" in i]
    assert "INC-NO-VETO" in fired(raw)
    # the recommendation names stores only for a client that has them
    veto = analyse(raw).findings.set_index("rule").loc["INC-NO-VETO"]
    assert "门店" not in veto["recommendation_zh"] and "store" not in veto["recommendation_en"]
    veto = analyse(raw, has_stores=True).findings.set_index("rule").loc["INC-NO-VETO"]
    assert veto["recommendation_zh"].startswith("对销售、门店和社群运营")


def test_indicators_that_do_not_fit_the_stage(raw):
    # at launch only valid_new_users, activation, first-order conversion, group retention and
    # response_48h fit: growth 50%, ops 70%, sales 0% → mean 40%
    a = analyse(raw, stage="launch")
    assert a.facts["incentives.stage_fit_share"] == pytest.approx((0.5 + 0.7 + 0.0) / 3)
    assert "INC-STAGE-MISFIT" in set(a.findings["rule"])


def test_recommended_scheme_clears_every_check(raw):
    unit(raw, "growth")["indicators"] = [{"kpi": "follower_adds", "weight": 100, "target": 9000}]
    a = analyse(raw)
    assert a.checks.drop(columns="unit").fillna(False).astype(bool).any().any()
    assert not a.rec_checks.drop(columns="unit").fillna(False).astype(bool).any().any()
    for u in a.recommendation.scheme.units:
        assert sum(i.weight or 0 for i in u.indicators) == 100
        assert all((i.weight or 0) % 5 == 0 for i in u.indicators)
