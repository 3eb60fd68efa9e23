"""Every metric against a hand calculation on small hand-made tables.

The orders table (2025, CNY):

====  ==========  =====================================  =====================================
cust  day         orders                                 what it exercises
====  ==========  =====================================  =====================================
A     01-05       100 + 50 (same day)                    same-day orders count once
A     02-10       80                                     first repurchase
A     03-15       120, member flag                       member beats "second repurchase"
B     01-20       60, refunded in full by a -60 row      a refunded order is no purchase
B     03-02       90                                     B is new in March
C     01-10       40; nothing in February; 03-20: 40     a customer who churns and returns
D     02-14       200 with a -50 partial refund row      net 150
E, F  02-14       200 each                               ties in RFM
G     03-05       30 + 30 (same day)                     not a repurchase
H     01-03, 02-03, 03-03: 10 each                       second repurchase
--    --          -30 refund of order X999 (not here)    left out of every metric
====  ==========  =====================================  =====================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siyu_diag.operations import columns as C
from siyu_diag.operations.calibration import compute_calibration
from siyu_diag.operations.compute import OperationsInputs, OperationsSettings, compute_operations
from siyu_diag.operations.customers import (
    compute_cohort_ltv,
    compute_cohort_retention,
    compute_customers,
    compute_monthly_gmv,
    score_rfm,
    score_values,
    summarise_customers,
    summarise_tiers,
)
from siyu_diag.operations.growth import (
    compute_channel_growth,
    compute_daily_growth,
    compute_monthly_growth,
)
from siyu_diag.operations.purchases import find_unmatched_refunds, prepare_orders
from siyu_diag.operations.sales import (
    compute_member_share,
    compute_new_by_source,
    compute_push_metrics,
    compute_touchpoint_sales,
)
from siyu_diag.operations.tracking import compute_tracking

ROWS = [
    # order_id, customer, time, amount, touchpoint, member, source
    ("A1", "A", "2025-01-05 10:00", 100, "community", False, "包裹卡"),
    ("A2", "A", "2025-01-05 18:00", 50, "mini_program", False, "包裹卡"),
    ("A3", "A", "2025-02-10 12:00", 80, "one_to_one", False, "包裹卡"),
    ("A4", "A", "2025-03-15 12:00", 120, "one_to_one", True, "包裹卡"),
    ("B1", "B", "2025-01-20 12:00", 60, "community", False, "抖音"),
    ("B1", "B", "2025-01-22 12:00", -60, "community", False, "抖音"),
    ("B2", "B", "2025-03-02 12:00", 90, "community", False, "视频号"),
    ("C1", "C", "2025-01-10 12:00", 40, "sms", False, "抖音"),
    ("C2", "C", "2025-03-20 12:00", 40, "sms", False, "抖音"),
    ("D1", "D", "2025-02-14 12:00", 200, "community", False, "包裹卡"),
    ("D1", "D", "2025-02-16 12:00", -50, "community", False, "包裹卡"),
    ("E1", "E", "2025-02-14 13:00", 200, "mini_program", False, "抖音"),
    ("F1", "F", "2025-02-14 14:00", 200, "mini_program", False, "视频号"),
    ("G1", "G", "2025-03-05 09:00", 30, "community", False, "包裹卡"),
    ("G2", "G", "2025-03-05 21:00", 30, "community", False, "包裹卡"),
    ("H1", "H", "2025-01-03 12:00", 10, "moments", False, "包裹卡"),
    ("H2", "H", "2025-02-03 12:00", 10, "moments", False, "包裹卡"),
    ("H3", "H", "2025-03-03 12:00", 10, "moments", False, "包裹卡"),
    ("X999", "Z", "2025-01-02 12:00", -30, "community", False, "包裹卡"),
]


def orders_table(rows=ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            "order_id",
            "customer_id",
            "order_time",
            "amount",
            "touchpoint",
            "is_member",
            "source_channel",
        ],  # fmt: skip
    )
    frame["order_time"] = pd.to_datetime(frame["order_time"])
    frame["amount"] = frame["amount"].astype(float)
    frame["refund_amount"] = 0.0
    frame.insert(0, "row", np.arange(2, len(frame) + 2))
    return frame


@pytest.fixture
def prepared():
    return prepare_orders(orders_table())


def test_refunds_are_netted_and_unmatched_refunds_left_out(prepared):
    net = prepared.set_index("order_id")["net"]
    assert net["B1"] == 0 and net["D1"] == 150
    assert not prepared.set_index("order_id").loc["B1", "valid"]
    assert "X999" not in set(prepared["order_id"])
    unmatched = find_unmatched_refunds(orders_table())
    assert unmatched["order_id"].tolist() == ["X999"]


def test_user_types_count_same_day_orders_once(prepared):
    types = prepared[prepared["valid"]].set_index("order_id")["user_type"].astype(str)
    assert types.to_dict() == {
        "A1": "new", "A2": "new", "A3": "first_repurchase", "A4": "member",
        "B2": "new", "C1": "new", "C2": "first_repurchase", "D1": "new", "E1": "new",
        "F1": "new", "G1": "new", "G2": "new", "H1": "new", "H2": "first_repurchase",
        "H3": "second_repurchase",
    }  # fmt: skip


def test_repurchase_rate_and_aov(prepared):
    summary = summarise_customers(prepared, compute_customers(prepared))
    # 8 customers with a valid order; A, C and H bought on two or more days (G twice on one day)
    assert summary["customers"] == 8 and summary["repeat_customers"] == 3
    assert summary["repurchase_rate"] == pytest.approx(3 / 8)
    assert summary["orders"] == 15 and summary["gmv"] == pytest.approx(1160)
    assert summary["aov"] == pytest.approx(1160 / 15)
    new_gmv = 100 + 50 + 90 + 40 + 150 + 200 + 200 + 30 + 30 + 10
    assert summary["aov_new"] == pytest.approx(new_gmv / 10)
    assert summary["aov_returning"] == pytest.approx((80 + 120 + 40 + 10 + 10) / 5)


def test_monthly_new_vs_returning_gmv(prepared):
    m = compute_monthly_gmv(prepared).set_index("month")
    assert [str(p) for p in m.index] == ["2025-01", "2025-02", "2025-03"]
    assert m["gmv"].tolist() == pytest.approx([200, 640, 320])
    assert m["gmv_new"].tolist() == pytest.approx([200, 550, 150])
    assert m["gmv_returning"].tolist() == pytest.approx([0, 90, 170])
    assert m["new_buyers"].tolist() == [3, 3, 2]
    assert m["returning_buyers"].tolist() == [0, 2, 3]


def test_cohort_retention_counts_a_returning_churner_again(prepared):
    r = compute_cohort_retention(prepared)
    wide = r.pivot(index="cohort", columns="offset", values="retention")
    jan, feb, mar = (pd.Period(m, "M") for m in ("2025-01", "2025-02", "2025-03"))
    assert wide.loc[jan].tolist() == pytest.approx([1, 2 / 3, 1])  # C skips Feb, returns in Mar
    assert wide.loc[feb, 0] == 1 and wide.loc[feb, 1] == 0
    assert wide.loc[mar, 0] == 1 and np.isnan(wide.loc[mar, 1])
    assert r.groupby("cohort")["size"].first().tolist() == [3, 3, 2]


def test_historical_ltv_by_cohort(prepared):
    ltv = compute_cohort_ltv(prepared).pivot(index="cohort", columns="offset", values="ltv")
    jan, feb, mar = (pd.Period(m, "M") for m in ("2025-01", "2025-02", "2025-03"))
    assert ltv.loc[jan].tolist() == pytest.approx([200 / 3, 290 / 3, 460 / 3])
    assert ltv.loc[feb, [0, 1]].tolist() == pytest.approx([550 / 3, 550 / 3])
    assert ltv.loc[mar, 0] == pytest.approx(75)


def test_rfm_scores_and_tiers_by_hand(prepared):
    rfm = score_rfm(compute_customers(prepared), as_of=pd.Timestamp("2025-03-20"),
                    silent_days=30).set_index("customer_id")  # fmt: skip
    assert rfm["recency_days"].to_dict() == {"A": 5, "B": 18, "C": 0, "D": 34, "E": 34, "F": 34,
                                             "G": 15, "H": 17}  # fmt: skip
    assert rfm["f"].to_dict() == {"A": 4, "B": 1, "C": 4, "D": 1, "E": 1, "F": 1, "G": 1, "H": 4}
    assert rfm["m"].to_dict() == {"A": 5, "B": 2, "C": 2, "D": 3, "E": 4, "F": 4, "G": 1, "H": 1}
    assert rfm["tier"].to_dict() == {
        "A": "vip", "B": "active", "C": "active", "D": "silent", "E": "silent", "F": "silent",
        "G": "active", "H": "active",
    }  # fmt: skip
    tiers = summarise_tiers(rfm.reset_index()).set_index("tier")
    assert tiers["customers"].tolist() == [1, 4, 3]
    assert tiers.loc["silent", "gmv"] == pytest.approx(550)
    assert tiers["gmv_share"].sum() == pytest.approx(1)


def test_scores_give_equal_values_equal_scores():
    values = pd.Series([1, 1, 1, 1, 1, 1, 1, 2, 3, 3])
    scores = score_values(values)
    assert scores.tolist() == [1] * 7 + [4, 5, 5]
    assert score_values(pd.Series([7.0] * 5)).tolist() == [1] * 5


def test_tiers_never_split_identical_customers():
    rng = np.random.default_rng(3)
    n = 400
    customers = pd.DataFrame(
        {
            "customer": np.arange(n),
            "customer_id": [f"c{i}" for i in range(n)],
            "last_day": pd.Timestamp("2025-06-30") - pd.to_timedelta(rng.integers(0, 4, n) * 30,
                                                                     unit="D"),
            "purchase_days": rng.integers(1, 3, n),
            "monetary": rng.choice([50.0, 100.0, 200.0], n),
        }
    )  # fmt: skip
    rfm = score_rfm(customers, as_of=pd.Timestamp("2025-06-30"), silent_days=45)
    per_profile = rfm.groupby(["recency_days", "frequency", "monetary"])["tier"].nunique()
    assert (per_profile == 1).all()
    vip = rfm[rfm["tier"] == "vip"]
    assert (vip["recency_days"] <= 45).all() and (vip["frequency"] == 2).all()


def test_touchpoint_by_user_type(prepared):
    tp = compute_touchpoint_sales(prepared).set_index(["touchpoint", "user_type"])
    assert tp.loc[("community", "new"), "gmv"] == pytest.approx(100 + 90 + 150 + 30 + 30)
    assert tp.loc[("community", "new"), "orders"] == 5
    assert tp.loc[("community", "new"), "buyers"] == 4
    assert tp.loc[("one_to_one", "member"), "gmv"] == pytest.approx(120)
    assert tp.loc[("moments", "second_repurchase"), "gmv"] == pytest.approx(10)
    assert tp["gmv"].sum() == pytest.approx(1160)
    assert tp["share"].sum() == pytest.approx(1)
    assert ("community", "first_repurchase") not in tp.index


def test_new_customers_by_source(prepared):
    src = compute_new_by_source(prepared).set_index("source_channel")
    # first purchase days: A, D, G, H via 包裹卡; C, E via 抖音; B (March) and F via 视频号
    assert src["new_customers"].to_dict() == {"包裹卡": 4, "抖音": 2, "视频号": 2}
    assert src.loc["包裹卡", "gmv"] == pytest.approx(150 + 150 + 60 + 10)
    assert src.loc["包裹卡", "aov"] == pytest.approx(370 / 6)


def test_member_share(prepared):
    assert compute_member_share(prepared) == pytest.approx(120 / 1160)
    assert np.isnan(compute_member_share(prepared.drop(columns="is_member")))


def test_push_metrics_with_revenue_from_orders(prepared):
    pushes = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-02-01", "2025-02-20", "2025-03-01"]),
            "touchpoint": ["mini_program", "mini_program", "sms"],
            "messages": [1000, 3000, 500],
            "cost": [10.0, 30.0, 25.0],
            "deletions": [2, 6, 5],
        }
    )
    by_month = compute_push_metrics(pushes, prepared, by=("month",)).set_index("month")
    feb, mar = by_month.loc[pd.Period("2025-02", "M")], by_month.loc[pd.Period("2025-03", "M")]
    assert feb["revenue"] == pytest.approx(400)  # E1 + F1 at the mini-program in February
    assert feb["revenue_per_mille"] == pytest.approx(400 / 4000 * 1000)
    assert feb["cost_per_mille"] == pytest.approx(10)
    assert feb["loss_rate"] == pytest.approx(8 / 4000)
    assert feb["roas"] == pytest.approx(10)
    assert mar["revenue"] == pytest.approx(40)  # C2 by SMS in March
    by_tp = compute_push_metrics(pushes.assign(revenue=[1.0, 2.0, 3.0]), by=("touchpoint",))
    assert by_tp.set_index("touchpoint").loc["mini_program", "revenue"] == 3.0


def friends_table(**extra) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02"]),
            "new_friends": [10, 5, 0, 4],
            "deletions": [0, 2, 3, 1],
            **extra,
        }
    )
    frame.insert(0, "row", np.arange(2, 6))
    return frame


def test_growth_derived_from_flows():
    daily = compute_daily_growth(friends_table())
    assert daily["cumulative_friends"].tolist() == [10, 15, 15, 19]
    assert daily["current_friends"].tolist() == [10, 13, 10, 13]
    assert daily["retention"].tolist() == pytest.approx([1, 13 / 15, 10 / 15, 13 / 19])
    monthly = compute_monthly_growth(daily, threshold=0.05).set_index("month")
    jan, feb = monthly.iloc[0], monthly.iloc[1]
    assert jan["opening"] == 0 and np.isnan(jan["churn"]) and jan["closing"] == 13
    assert feb["opening"] == 13 and feb["churn"] == pytest.approx(4 / 13)
    assert feb["existing"] == 9 and bool(feb["above_threshold"]) and not bool(feb["complete"])


def test_growth_with_exported_current_only():
    daily = compute_daily_growth(friends_table(current_friends=[100, 103, 100, 103]))
    assert daily["cumulative_friends"].tolist() == [100, 105, 105, 109]
    monthly = compute_monthly_growth(daily)
    assert monthly["opening"].tolist() == [90, 103]
    assert monthly["churn"].tolist() == pytest.approx([2 / 90, 4 / 103])


def test_exported_totals_carry_over_days_without_a_row():
    frame = pd.DataFrame(
        {
            "row": [2, 3, 4, 5],
            "date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02", "2025-01-03"]),
            "channel": ["a", "b", "a", "b"],
            "new_friends": [1, 2, 3, 4],
            "deletions": [0, 0, 0, 0],
            "cumulative_friends": [10, 20, 13, 24],
            "current_friends": [5, 8, 8, 12],
        }
    )
    daily = compute_daily_growth(frame)
    assert daily["cumulative_friends"].tolist() == [30, 33, 37]  # b keeps 20 on Jan 2
    assert daily["current_friends"].tolist() == [13, 16, 20]  # a keeps 8 on Jan 3
    assert daily["basis"].iloc[0] == "cumulative: exported; current: exported"


def test_threshold_is_strictly_above():
    daily = pd.DataFrame(
        {
            "date": pd.date_range("2025-01-31", periods=3, freq="D"),
            "new_friends": [0, 0, 0],
            "deletions": [0, 5, 0],
            "cumulative_friends": [100.0, 100.0, 100.0],
            "current_friends": [100.0, 95.0, 95.0],
            "retention": [1.0, 0.95, 0.95],
        }
    )
    monthly = compute_monthly_growth(daily, threshold=0.05)
    assert monthly["churn"].iloc[1] == pytest.approx(0.05)
    assert not monthly["above_threshold"].iloc[1]
    assert compute_monthly_growth(daily, threshold=0.049)["above_threshold"].iloc[1]


def test_channel_growth():
    frame = friends_table().assign(channel=["a", "a", "b", "b"])
    ch = compute_channel_growth(frame).set_index("channel")
    assert ch.loc["a"].to_dict() == pytest.approx(
        {"new_friends": 15, "deletions": 2, "net": 13, "kept": 13 / 15, "share": 15 / 19}
    )
    assert compute_channel_growth(frame, by="staff").empty


def kpi(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["metric", "month", "actual", "target", "unit",
                                        "direction"])  # fmt: skip
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    return frame


def test_tracking_on_the_worked_figures_of_the_source():
    t = compute_tracking(
        kpi(
            [
                ("包裹卡加粉率", "2026-02", 0.0752, 0.1478, "%", "higher"),
                ("包裹卡加粉率", "2026-03", 0.0973, 0.1478, "%", "higher"),
                ("新客首单客单价", "2026-03", 24.71, 30.00, "元", "higher"),
                ("推送量", "2026-02", 891_429, 1_000_000, "", "higher"),
                ("推送量", "2026-03", 2_321_593, 2_000_000, "", "higher"),
                ("月流失率", "2026-03", 0.0257, 0.05, "%", "lower"),
            ]
        )
    ).set_index(["metric", "month"])
    card = t.loc[("包裹卡加粉率", pd.Period("2026-03", "M"))]
    assert round(card["completion"], 3) == 0.658
    assert card["last_month"] == 0.0752
    assert round(card["mom_change"], 3) == 0.294
    assert card["light"] == "red"
    aov = t.loc[("新客首单客单价", pd.Period("2026-03", "M"))]
    assert round(aov["completion"], 3) == 0.824 and aov["light"] == "amber"
    assert np.isnan(aov["last_month"]) and np.isnan(aov["mom_change"])
    pushes = t.loc[("推送量", pd.Period("2026-03", "M"))]
    assert pushes["mom_change"] == pytest.approx(2_321_593 / 891_429 - 1)
    assert pushes["light"] == "green"
    churn = t.loc[("月流失率", pd.Period("2026-03", "M"))]
    assert churn["completion"] == pytest.approx(0.05 / 0.0257) and churn["light"] == "green"
    assert t.loc[("包裹卡加粉率", pd.Period("2026-02", "M")), "light"] == "red"


def test_tracking_edge_cases():
    t = compute_tracking(
        kpi(
            [
                ("A", "2026-01", 5, 0, "", "higher"),
                ("B", "2026-01", 0, 0.05, "%", "lower"),
                ("C", "2026-01", 0.8, 1.0, "", "higher"),
            ]
        ),
        amber_from=0.8,
    ).set_index("metric")
    assert t.loc["A", "light"] == "none" and np.isnan(t.loc["A", "completion"])
    assert t.loc["B", "light"] == "green"
    assert t.loc["C", "light"] == "amber"


CALIBRATION_ROWS = [*ROWS, ("I1", "I", "2025-03-31 12:00", 25, "community", False, "抖音")]


def calibration_friends() -> pd.DataFrame:
    days = pd.date_range("2025-01-01", "2025-03-31", freq="D")
    frame = pd.DataFrame({"date": days, "new_friends": 10, "deletions": 1})
    frame["current_friends"] = 1000 + 9 * np.arange(1, len(days) + 1)
    frame.insert(0, "row", np.arange(2, len(days) + 2))
    return frame


def test_calibration_by_hand_and_round_trip():
    prepared = prepare_orders(orders_table(CALIBRATION_ROWS))
    monthly = compute_monthly_growth(compute_daily_growth(calibration_friends()))
    cal = compute_calibration(
        monthly, prepared, warmup_months=1, min_people=1, min_months=1
    ).set_index("driver")
    assert list(cal.index) == list(C.DRIVERS)
    # February and March: existing = opening - deletions; new = adds
    existing = [1279 - 28, 1531 - 31]
    new_users = [280, 310]
    expected = {
        "returning_conversion": (2 + 3) / sum(existing),  # A, H in Feb; A, C, H in Mar
        "aov": (90 + 170) / 5,
        "repurchase_frequency": 5 / 5,
        "monthly_churn": (28 + 31) / (1279 + 1531),
        "first_order_conversion": (3 + 3) / sum(new_users),  # D, E, F; B, G, I
        "first_order_aov": (550 + 175) / 6,
    }
    assert cal["value"].to_dict() == pytest.approx(expected)
    assert cal.loc["returning_conversion", "n"] == sum(existing)
    assert cal.loc["first_order_aov", "n"] == 6
    assert set(cal["period"]) == {"2025-02/2025-03"}
    assert "2025-02" in cal.loc["aov", "basis_zh"] and "returning GMV" in cal.loc["aov", "basis_en"]
    # round trip: the planning formula with these drivers gives back the months' GMV
    v = cal["value"]
    planned = sum(
        e * v["returning_conversion"] * v["aov"] * v["repurchase_frequency"]
        + n * v["first_order_conversion"] * v["first_order_aov"]
        for e, n in zip(existing, new_users, strict=True)
    )
    frame = prepared[prepared["valid"]]
    actual = frame.loc[frame["order_time"] >= "2025-02-01", "net"].sum()
    assert planned == pytest.approx(actual) == pytest.approx(640 + 345)


def test_calibration_without_friends_or_orders_says_why():
    prepared = prepare_orders(orders_table(CALIBRATION_ROWS))
    cal = compute_calibration(
        None, prepared, warmup_months=1, min_people=1, min_months=1
    ).set_index("driver")
    assert np.isnan(cal.loc["returning_conversion", "value"])
    assert "operations.friends" in cal.loc["monthly_churn", "basis_en"]
    assert cal.loc["aov", "value"] == pytest.approx(52)
    monthly = compute_monthly_growth(compute_daily_growth(calibration_friends()))
    only_friends = compute_calibration(monthly, None, min_people=1).set_index("driver")
    assert only_friends.loc["monthly_churn", "value"] == pytest.approx(
        (31 + 28 + 31) / (1000 + 1279 + 1531)
    )
    assert np.isnan(only_friends.loc["aov", "value"]) and only_friends.loc["aov", "n"] == 0


def test_an_export_that_stops_early_leaves_its_last_month_out():
    prepared = prepare_orders(orders_table())  # the last order is on 2025-03-20
    monthly = compute_monthly_growth(compute_daily_growth(calibration_friends()))
    cal = compute_calibration(monthly, prepared, warmup_months=1)
    assert set(cal["period"]) == {"2025-02/2025-02"}


def test_compute_operations_does_not_mutate_its_inputs():
    inputs = OperationsInputs(
        friends=calibration_friends(),
        orders=orders_table(CALIBRATION_ROWS),
        pushes=pd.DataFrame(
            {
                "row": [2],
                "date": pd.to_datetime(["2025-02-01"]),
                "touchpoint": ["community"],
                "messages": [100],
            }  # fmt: skip
        ),
        kpi_tracking=kpi([("A", "2025-03", 1.0, 2.0, "", "higher")]),
    )
    before = {k: getattr(inputs, k).copy(deep=True) for k in ("friends", "orders", "pushes",
                                                               "kpi_tracking")}  # fmt: skip
    ops = compute_operations(inputs, OperationsSettings(warmup_months=1))
    for key, frame in before.items():
        pd.testing.assert_frame_equal(getattr(inputs, key), frame)
    assert ops.summary["orders"] == 16
    assert len(ops.calibration) == 6
    assert ops.notes["kind"].tolist() == ["unmatched_refund"]
