"""Every sentence of the chapter true of the client: buyers, churn, zero-value orders, LTV, drivers.

Small orders tables built by hand; each expected figure is worked out in the comments.

The orders of :func:`buyers_table` (2025, CNY):

====  =====================  ==================================================
cust  days                   what it exercises
====  =====================  ==================================================
A     01-05, 01-20, 02-10    new and returning in January: one buyer, not two
B     01-10, 03-05           lapses in February, back in March
C     02-01                  new in February, lapses in March
D     03-31                  new in March; the export covers March to its end
====  =====================  ==================================================
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest
from test_operations_chapter import OPERATIONS, sample_copy

from siyu_diag import operations as ops
from siyu_diag.operations.calibration import compute_calibration, offered_drivers
from siyu_diag.operations.chapter import OperationsChapter
from siyu_diag.operations.churn import compute_customer_churn
from siyu_diag.operations.compute import OperationsInputs, OperationsSettings, compute_operations
from siyu_diag.operations.customers import compute_monthly_gmv
from siyu_diag.operations.purchases import prepare_orders
from siyu_diag.operations.render_customers import _ltv_rows


def orders_table(rows) -> pd.DataFrame:
    """Validated-orders shape from ``(order_id, customer, time, amount)`` rows."""
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_time", "amount"])
    frame["order_time"] = pd.to_datetime(frame["order_time"])
    frame["amount"] = frame["amount"].astype(float)
    frame["touchpoint"] = "community"
    frame["refund_amount"] = 0.0
    frame.insert(0, "row", np.arange(2, len(frame) + 2))
    return frame


BUYERS = [
    ("A1", "A", "2025-01-05 10:00", 100),
    ("A2", "A", "2025-01-20 10:00", 50),
    ("A3", "A", "2025-02-10 10:00", 80),
    ("B1", "B", "2025-01-10 10:00", 60),
    ("B2", "B", "2025-03-05 10:00", 90),
    ("C1", "C", "2025-02-01 10:00", 40),
    ("D1", "D", "2025-03-31 10:00", 30),
]


def buyers_table(rows=BUYERS) -> pd.DataFrame:
    return orders_table(rows)


def friends_table() -> pd.DataFrame:
    days = pd.date_range("2025-01-01", "2025-03-31", freq="D")
    frame = pd.DataFrame({"date": days, "new_friends": 10, "deletions": 1})
    frame["current_friends"] = 1000 + 9 * np.arange(1, len(days) + 1)
    frame.insert(0, "row", np.arange(2, len(days) + 2))
    return frame


def chapter_of(inputs: OperationsInputs, lang: str = "zh", **settings) -> OperationsChapter:
    """A chapter around hand-made inputs (no client folder: what rendering needs only)."""
    values = OperationsSettings(**settings)
    computed = compute_operations(inputs, values)
    return OperationsChapter(None, lang, True, "", values, inputs, computed, {"inputs": []})


def html_text(chapter: OperationsChapter) -> str:
    html = "".join(render(chapter).html for render in ops.SECTIONS)
    return re.sub(r"<[^>]+>", " ", re.sub(r"data:image/[^\"]+", "", html))


# ------------------------------------------------------------------ monthly active customers


def test_buyers_of_a_month_are_distinct_customers():
    m = compute_monthly_gmv(prepare_orders(buyers_table())).set_index("month")
    jan, feb, mar = (m.loc[pd.Period(p, "M")] for p in ("2025-01", "2025-02", "2025-03"))
    # January: A (first day 01-05, back on 01-20) and B: two buyers, though new 2 + returning 1
    assert (jan["buyers"], jan["new_buyers"], jan["returning_buyers"]) == (2, 2, 1)
    assert (feb["buyers"], feb["new_buyers"], feb["returning_buyers"]) == (2, 1, 1)  # C; A
    assert (mar["buyers"], mar["new_buyers"], mar["returning_buyers"]) == (2, 1, 1)  # D; B


def test_buyers_are_shown_and_written_to_results():
    chapter = chapter_of(OperationsInputs(orders=buyers_table()), warmup_months=0)
    table = ops.render_operations_customers(chapter).html
    header = re.search(r"<thead>(.*?)</thead>", table).group(1)
    assert "购买客户" in header and "新客人数" in header
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", table).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', first_row)
    # GMV, new GMV, returning GMV, returning share, buyers 2, new 2, returning 1, orders 3, AOV
    assert cells[4:8] == ["2", "2", "1", "3"]
    assert "两者之和可能大于购买客户" in table
    results = ops.build_operations_results(chapter)
    assert [(g.month, g.active_customers, g.new_buyers, g.returning_buyers)
            for g in results.monthly_gmv] == [("2025-01", 2, 2, 1), ("2025-02", 2, 1, 1),
                                              ("2025-03", 2, 1, 1)]  # fmt: skip


# ------------------------------------------------------------------ churn from orders


def test_customer_churn_by_hand():
    churn = compute_customer_churn(prepare_orders(buyers_table())).set_index("month")
    # February: of January's buyers A, B only A is back: 1 of 2 lapse
    # March: of February's buyers A, C neither is back (B and D buy): 2 of 2 lapse
    assert np.isnan(churn.loc[pd.Period("2025-01", "M"), "churn"])  # nobody known before
    feb, mar = churn.loc[pd.Period("2025-02", "M")], churn.loc[pd.Period("2025-03", "M")]
    assert (feb["buyers_previous"], feb["retained"], feb["lapsed"]) == (2, 1, 1)
    assert feb["churn"] == pytest.approx(0.5)
    assert (mar["buyers_previous"], mar["lapsed"], mar["churn"]) == (2, 2, pytest.approx(1.0))
    assert churn["complete"].all()


def test_customer_churn_skips_an_incomplete_month_and_counts_an_empty_one():
    early = [r if r[0] != "D1" else ("D1", "D", "2025-03-10 10:00", 30) for r in BUYERS]
    churn = compute_customer_churn(prepare_orders(buyers_table(early)))
    # the export stops on 03-10: March's buyers are not all known, so it has no churn
    assert churn["complete"].tolist() == [True, True, False]
    assert np.isnan(churn["churn"].iloc[2]) and churn["churn"].iloc[1] == pytest.approx(0.5)
    gap = [r for r in BUYERS if not r[2].startswith("2025-02")]
    churn = compute_customer_churn(prepare_orders(buyers_table(gap))).set_index("month")
    # nobody buys in February: both January buyers lapse (100%); March has no buyers before it
    assert churn.loc[pd.Period("2025-02", "M"), "buyers"] == 0
    assert churn.loc[pd.Period("2025-02", "M"), "churn"] == pytest.approx(1.0)
    assert np.isnan(churn.loc[pd.Period("2025-03", "M"), "churn"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_friends_the_chapter_shows_customer_churn_and_says_so(lang):
    chapter = chapter_of(OperationsInputs(orders=buyers_table()), lang=lang, warmup_months=0)
    assert chapter.ops.churn_basis == "orders"
    text = html_text(chapter)
    if lang == "zh":
        assert "近月客户流失率" in text and "100.0%" in text  # March, the latest month
        assert "按订单：上月购买、本月未购买 ÷ 上月购买客户" in text
        assert "客户流失率（因未提供好友数据而显示）" in text  # the definition
        assert "本章显示的是按订单计算的客户流失率" in text  # where the friends section was
    else:
        assert "Latest monthly customer churn" in text
        assert "Customer churn (shown because there is no friends export)" in text
    table = ops.render_operations_customers(chapter).html
    header = re.search(r"<thead>(.*?)</thead>", table).group(1)
    assert ("客户流失率" if lang == "zh" else "Customer churn") in header
    assert "50.0%" in table  # February's customer churn in the monthly table
    results = ops.build_operations_results(chapter)
    assert results.churn_basis == "orders" and results.growth == []
    assert [(c.month, c.lapsed, c.churn) for c in results.customer_churn] == [
        ("2025-01", 0, None), ("2025-02", 1, 0.5), ("2025-03", 2, 1.0)
    ]  # fmt: skip
    # the customer churn measures buying, not friends: it is never the plan's monthly churn
    monthly_churn = chapter.ops.calibration.set_index("driver").loc["monthly_churn"]
    assert np.isnan(monthly_churn["value"]) and "operations.friends" in monthly_churn["basis_en"]


def test_with_friends_the_friend_churn_stays_and_is_named():
    chapter = chapter_of(OperationsInputs(friends=friends_table(), orders=buyers_table()))
    assert chapter.ops.churn_basis == "friends" and chapter.ops.customer_churn is None
    text = html_text(chapter)
    assert "好友流失（删除 ÷ 上月末好友）" in text and "本章显示的流失率即此好友流失率" in text
    assert "近月客户流失率" not in text and "因未提供好友数据而显示" not in text
    # March: 31 deletions ÷ 1,531 friends at the end of February
    assert "2025-03 · 好友流失" in text and f"{31 / 1531:.1%}" in text
    results = ops.build_operations_results(chapter)
    assert results.churn_basis == "friends" and results.customer_churn == []


# ------------------------------------------------------------------ zero-value orders

ZERO = [
    *BUYERS,
    ("Z1", "P", "2025-01-03 10:00", 0),  # row 9: P's first order is free ...
    ("P1", "P", "2025-03-04 10:00", 70),  # ... and P's first paid order comes in March
    ("Z2", "Q", "2025-02-02 10:00", 0),  # row 11: Q never pays
    ("Z3", "A", "2025-01-25 10:00", 0),  # row 12: after A's first purchase: moves nothing
]


def test_zero_value_orders_are_counted_with_their_effect():
    inputs = OperationsInputs(orders=orders_table(ZERO))
    chapter = chapter_of(inputs, warmup_months=2)  # January and February only recognise
    notes = chapter.ops.notes
    assert notes["kind"].tolist() == ["zero_value", "zero_value_only", "zero_value_cohort",
                                      "zero_value_calibration"]  # fmt: skip
    rows = notes.set_index("kind")
    assert rows.loc["zero_value", "value"] == 3 and rows.loc["zero_value", "rows"] == "9, 11, 12"
    assert rows.loc["zero_value_only", "value"] == 1  # Q
    assert rows.loc["zero_value_cohort", "value"] == 1  # P, counted in March, not January
    assert rows.loc["zero_value_cohort", "subject"] == "2025-03 (1)"
    # March's first-time buyers are D and P: P is one of the two behind first-order AOV
    assert rows.loc["zero_value_calibration", "value"] == 1
    assert rows.loc["zero_value_calibration", "subject"] == "2"
    text = ops.render_operations_overview(chapter).html
    assert (
        "订单：3 笔零元订单不算购买，不计入任何指标（第 9, 11, 12 行）。有 1 位客户只有零元订单，"
        "不计为客户。1 位客户的零元订单早于其首笔有效订单所在的月份" in text
    )  # one note, one sentence after the other
    assert "规划参数校准所用月份的 2 位首购客户中，有 1 位属于这种情况（见首单参数）。" in text
    # two first-time buyers in one month are too few to hand to the plan
    aov = chapter.ops.calibration.set_index("driver").loc["first_order_aov"]
    assert np.isnan(aov["value"]) and aov["estimate"] == pytest.approx((30 + 70) / 2)
    assert "first_order_aov" not in offered_drivers(chapter.ops.calibration)


def test_zero_value_orders_that_move_nobody_say_so():
    rows = [*BUYERS, ("Z3", "A", "2025-01-25 10:00", 0)]
    chapter = chapter_of(OperationsInputs(orders=orders_table(rows)), lang="en")
    assert chapter.ops.notes["kind"].tolist() == ["zero_value", "zero_value_none"]
    text = html.unescape(ops.render_operations_overview(chapter).html)
    assert (
        "Orders: 1 zero-value orders are not purchases and are left out of every metric "
        "(rows 9). They move no customer's first purchase month." in text
    )


def test_no_zero_value_orders_no_note():
    chapter = chapter_of(OperationsInputs(orders=buyers_table()))
    assert not (chapter.ops.notes["kind"].str.startswith("zero_value")).any()


# ------------------------------------------------------------------ LTV header = definition


def test_ltv_columns_sum_the_months_their_header_names():
    # one cohort of 2 customers with GMV 1, 2, ..., 12 in months 0..11
    ltv = pd.DataFrame({"cohort": [pd.Period("2025-01", "M")] * 12, "offset": range(12),
                        "size": 2, "ltv": np.cumsum(np.arange(1, 13)) / 2})  # fmt: skip
    months, rows = _ltv_rows(ltv)
    assert months == [1, 3, 6, 12]
    # "first 12 months" = months 0..11 = 78 / 2; "first 3 months" = months 0..2 = 6 / 2
    assert rows[0]["cells"] == [0.5, 3.0, 10.5, 39.0]
    chapter = chapter_of(OperationsInputs(orders=buyers_table()))
    text = ops.render_operations_customers(chapter).html + html_text(chapter)
    assert "前 1 个月 LTV" in text and "前 3 个月 LTV" in text
    assert "前 n 个月的历史 LTV = 同期群在第 0 至 n − 1 月" in text
    assert "“前 12 个月 LTV”为第 0 至 11 月之和" in text


# ------------------------------------------------------------------ drivers with too little


def many_customers(n: int = 40) -> pd.DataFrame:
    """``n`` customers, each buying on the 1st of January–April; one extra buyer on 04-30."""
    rows = [
        (f"O{c}-{m}", f"K{c}", f"2025-{m:02d}-01 10:00", 10 + c)
        for c in range(n)
        for m in range(1, 5)
    ]
    return orders_table([*rows, ("LAST", "L", "2025-04-30 10:00", 5)])


def test_a_driver_below_the_minimum_is_shown_not_offered():
    prepared = prepare_orders(many_customers())
    cal = compute_calibration(None, prepared, warmup_months=1).set_index("driver")
    # February–April: 40 returning customers each month, one order each
    aov = cal.loc["aov"]
    assert aov["value"] == pytest.approx(np.mean([10 + c for c in range(40)]))
    assert (aov["people"], aov["months"]) == (40, 3)
    assert (aov["low"], aov["high"]) == (pytest.approx(aov["value"]),) * 2  # same every month
    # first-time buyers after the warm-up: only L, in April: 1 customer, 1 month
    first = cal.loc["first_order_aov"]
    assert np.isnan(first["value"]) and first["estimate"] == pytest.approx(5)
    assert (first["people"], first["months"]) == (1, 1)
    assert "fewer than the 30 required" in first["basis_en"]
    assert "only 1 month with data, fewer than the 3 required" in first["basis_en"]
    assert "不提供给规划模型" in first["basis_zh"]
    offered = offered_drivers(cal.reset_index())
    assert set(offered) == {"aov", "repurchase_frequency"}
    # fewer months than required: the same customers over two months are not enough
    short = compute_calibration(None, prepared, warmup_months=2).set_index("driver")
    assert np.isnan(short.loc["aov", "value"]) and short.loc["aov", "months"] == 2
    assert "only 2 months with data" in short.loc["aov", "basis_en"]


def test_the_offered_range_is_the_spread_over_months():
    days = pd.date_range("2025-01-01", "2025-04-30", freq="D")
    friends = pd.DataFrame({"date": days, "new_friends": 0, "deletions": 0})
    friends.loc[friends["date"] == "2025-02-15", "deletions"] = 10  # 10 of 1,000: 1%
    friends.loc[friends["date"] == "2025-03-15", "deletions"] = 30  # 30 of 990: 3.03%
    friends.loc[friends["date"] == "2025-04-15", "deletions"] = 20  # 20 of 960: 2.08%
    friends["current_friends"] = 1000 - friends["deletions"].cumsum()
    friends.insert(0, "row", np.arange(2, len(days) + 2))
    cal = compute_operations(
        OperationsInputs(friends=friends, orders=many_customers()),
        OperationsSettings(warmup_months=1),
    ).calibration
    offer = offered_drivers(cal)["monthly_churn"]
    assert offer["value"] == pytest.approx(60 / (1000 + 990 + 960))
    assert offer["low"] == pytest.approx(10 / 1000) and offer["high"] == pytest.approx(30 / 990)


def test_the_plan_takes_the_history_range_not_an_assumed_one(tmp_path):
    from test_operations_chapter import OPERATIONS, sample_copy

    from siyu_diag.plan.calibration import apply_calibration
    from siyu_diag.plan.inputs import effective_range
    from siyu_diag.plan.planfile import load_plan_inputs

    folder = sample_copy(tmp_path, "xiangwei", OPERATIONS["xiangwei"])
    plan = folder / "plan.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines
            if not line.startswith(("  first_order_conversion: {", "  aov: 95"))]  # fmt: skip
    assert len(kept) == len(lines) - 2
    plan.write_text("".join(kept), encoding="utf-8")
    inputs = load_plan_inputs(folder, "plan.yaml")  # both now fall back to last year's figure
    assert {inputs.drivers[k].source for k in ("first_order_conversion", "aov")} == {"last_year"}
    offer = {"first_order_conversion": {"value": 0.03, "low": 0.01, "high": 0.05},
             "aov": 90.0, "monthly_churn": {"value": 0.5, "low": 0.4, "high": 0.6}}  # fmt: skip
    filled = apply_calibration(inputs, offer).drivers
    conv = filled["first_order_conversion"]
    assert (conv.value, conv.low, conv.high, conv.source) == (0.03, 0.01, 0.05, "calibrated")
    # the gap analysis uses the history's range, not ±10% of the value
    assert effective_range(apply_calibration(inputs, offer), "first_order_conversion") == (
        0.01, 0.05
    )  # fmt: skip
    assert (filled["aov"].value, filled["aov"].has_range) == (90.0, False)  # a number: no range
    assert filled["monthly_churn"].source == "plan"  # plan.yaml's own value wins
    # a range reaching past a share's limits is clipped
    wide = {"first_order_conversion": {"value": 0.9, "low": 0.5, "high": 1.4}}
    assert apply_calibration(inputs, wide).drivers["first_order_conversion"].high == 1.0


def test_the_sample_facts_carry_value_and_range(tmp_path):
    from test_operations_chapter import OPERATIONS, sample_copy

    from siyu_diag.core.chapters import Context
    from siyu_diag.core.client import load_client

    client = load_client(sample_copy(tmp_path, "qiming", OPERATIONS["qiming"]))
    fact = Context(client).fact("calibration")
    assert len(fact) == 6
    for offer in fact.values():
        assert offer["low"] <= offer["value"] <= offer["high"]


# ------------------------------------------------------------------ the calibration's words


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_calibration_says_what_the_plan_does_with_each_value(lang):
    chapter = chapter_of(OperationsInputs(orders=many_customers()), lang=lang, warmup_months=1)
    page = ops.render_operations_calibration(chapter).html
    assert "全部取自去年的真实数据" not in page
    cells = re.findall(r"<td class=\"keep\">([^<]*)</td>", page)
    status = dict(zip(chapter.ops.calibration["driver"], cells, strict=True))
    if lang == "zh":
        assert "plan.yaml 中写明的数值始终优先" in page
        assert status["aov"] == "已提供" and status["first_order_aov"] == "未提供：依据不足"
        assert status["monthly_churn"] == "未提供"
    else:
        assert "a value written in plan.yaml always wins" in page
        assert status["aov"] == "Offered"
        assert status["first_order_aov"] == "Not offered: too little data"
    # the value withheld is still shown, for reference
    assert ">5.00<" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sample_without_friends_shows_customer_churn_computed_independently(tmp_path, lang):
    files = {k: v for k, v in OPERATIONS["qingyang"].items() if k != "friends"}
    chapter = ops.open_operations(sample_copy(tmp_path, "qingyang", files), lang=lang)
    text = html_text(chapter)
    assert not re.search(r"\bnan\b|\bNone\b|\binf\b", text, re.IGNORECASE)
    churn = chapter.ops.customer_churn.set_index("month")["churn"]
    # by hand with pandas: the sets of buyers of consecutive months
    valid = chapter.ops.prepared[chapter.ops.prepared["valid"]]
    buyers = valid.groupby(valid["order_time"].dt.to_period("M"))["customer_id"].agg(set)
    assert chapter.ops.prepared["order_time"].max().day == 31  # March 2026 covered to its end
    assert np.isnan(churn.iloc[0]) and len(buyers) == len(churn) == 12
    for month in buyers.index[1:]:
        before = buyers[month - 1]
        expected = len(before - buyers[month]) / len(before)
        assert churn[month] == pytest.approx(expected), month
    results = ops.build_operations_results(chapter)
    assert results.churn_basis == "orders" and len(results.customer_churn) == len(buyers)
