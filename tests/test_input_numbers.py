"""Every number of every table must be finite and at most one trillion in absolute value.

``inf``, ``-Infinity``, ``1e308`` and ``1e400`` are export errors: each bad cell is one problem
naming the file, the spreadsheet row (header = row 1), the column and the cell as written.
"""

from __future__ import annotations

import copy

import pytest
from test_incentives_inputs import LIB, RAW
from test_operations_tables import write

from siyu_diag.core.errors import InputError
from siyu_diag.incentives.actuals import load_actuals
from siyu_diag.incentives.validation import parse_scheme
from siyu_diag.operations.tables import load_table

EXPECTED = "expected a finite number of at most 1,000,000,000,000 in absolute value"

pytestmark = pytest.mark.filterwarnings("error")  # no overflow warning on the way


def located(exc: InputError) -> dict[tuple[int | None, str | None], str]:
    """``{(row, column): message}`` of every problem; each must name the file."""
    assert all(p.file and p.hint for p in exc.problems), [str(p) for p in exc.problems]
    return {(p.row, p.column): p.message for p in exc.problems}


def test_order_amounts_must_be_finite_and_at_most_a_trillion(tmp_path):
    header = ["order_id", "customer_id", "order_time", "amount", "touchpoint"]
    rows = [
        ["A1", "C1", "2025-03-01", "100", "社群"],  # row 2: fine
        ["A2", "C1", "2025-03-02", "inf", "社群"],  # row 3
        ["A3", "C2", "2025-03-03", "-Infinity", "社群"],  # row 4
        ["A4", "C2", "2025-03-04", "1e308", "社群"],  # row 5
        ["A5", "C3", "2025-03-05", "1000000000001", "社群"],  # row 6: one more than allowed
        ["A6", "C3", "2025-03-06", "1000000000000", "社群"],  # row 7: exactly the bound, fine
        ["A7", "C3", "2025-03-07", "NaN", "社群"],  # row 8: a placeholder for "empty"
    ]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", header, rows), "orders", label="ops/orders.csv")
    found = located(info.value)
    assert set(found) == {(3, "amount"), (4, "amount"), (5, "amount"), (6, "amount"),
                          (8, "amount")}  # fmt: skip
    assert found[(3, "amount")] == f"'inf' is not a usable number; {EXPECTED}."
    assert found[(4, "amount")].startswith("'-Infinity' is not a usable number")
    assert found[(5, "amount")].startswith("'1e308' ")
    assert found[(6, "amount")].startswith("'1000000000001' ")
    assert (
        found[(8, "amount")] == "is blank; expected the amount paid in CNY ('NaN' counts as blank)."
    )
    assert {p.file for p in info.value.problems} == {"ops/orders.csv"}
    bad = next(p for p in info.value.problems if p.row == 3)
    assert "inf, Infinity, NaN" in bad.hint


def test_a_bad_refund_amount_is_one_problem(tmp_path):
    header = ["订单号", "客户ID", "下单时间", "实付金额", "触点", "订单状态", "退款金额"]
    rows = [["A", "C", "2025-03-01", "100", "社群", "部分退款", "inf"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", header, rows), "orders", label="o.csv")
    # only the cell: not also "partially refunded but no refund amount is given"
    assert located(info.value) == {(2, "退款金额"): f"'inf' is not a usable number; {EXPECTED}."}


def test_friend_counts_must_be_finite(tmp_path):
    header = ["日期", "新增好友数", "删除好友数", "累计好友数"]
    rows = [
        ["2025-03-01", "10", "1", "10"],
        ["2025-03-02", "inf", "1e308", "10"],  # row 3: two bad cells
        ["2025-03-03", "1", "0", "2e12"],  # row 4
    ]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "f.csv", header, rows), "friends", label="f.csv")
    found = located(info.value)
    assert set(found) == {(3, "新增好友数"), (3, "删除好友数"), (4, "累计好友数")}
    assert found[(4, "累计好友数")] == f"'2e12' is not a usable number; {EXPECTED}."


def test_push_figures_must_be_finite(tmp_path):
    header = ["日期", "推送触点", "推送量", "推送成本", "成交金额"]
    rows = [
        ["2026-03-01", "社群", "1,000", "Infinity", "10"],  # row 2: the cost
        ["2026-03-02", "社群", "1e13", "5", "-inf"],  # row 3: volume and revenue
    ]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "p.csv", header, rows), "pushes", label="p.csv")
    found = located(info.value)
    assert set(found) == {(2, "推送成本"), (3, "推送量"), (3, "成交金额")}
    assert found[(2, "推送成本")].startswith("'Infinity' is not a usable number")
    assert found[(3, "成交金额")].startswith("'-inf' ")  # a usable number would be "negative"


def test_kpi_values_must_be_finite_as_written(tmp_path):
    header = ["指标", "月份", "实际值", "目标值"]
    rows = [["GMV", "2026-01", "inf%", "100"], ["GMV", "2026-02", "100", "1e400"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "k.csv", header, rows), "kpi_tracking", label="k.csv")
    found = located(info.value)
    assert found == {
        (2, "实际值"): f"'inf%' is not a usable number; {EXPECTED}.",
        (3, "目标值"): f"'1e400' is not a usable number; {EXPECTED}.",
    }


def test_incentive_actuals_must_be_finite(tmp_path):
    scheme = parse_scheme(copy.deepcopy(RAW), label="incentives.yaml", library=LIB)
    path = tmp_path / "actuals.csv"
    path.write_text(
        "employee,unit,follower_adds,activation_rate_7d,gmv\n"
        "A1,growth,1e13,0.4,\n"  # row 2: more than a trillion adds
        "S1,sales,,,1e400\n",  # row 3: overflows to infinity
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        load_actuals(path, label="actuals.csv", scheme=scheme, library=LIB)
    found = located(info.value)
    assert found == {
        (2, "follower_adds"): f"'1e13' is not a usable number; {EXPECTED}.",
        (3, "gmv"): f"'1e400' is not a usable number; {EXPECTED}.",
    }
