"""Loading the operating-data exports: headers in Chinese and English, formats, clear errors."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from siyu_diag.core.errors import InputError
from siyu_diag.operations.parsing import ROW_LIMIT
from siyu_diag.operations.tables import load_table


def write(path, header, rows, encoding="utf-8"):
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(list(header))
        for row in rows:
            wb.active.append(list(row))
        wb.save(path)
        return path
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def problems(exc: InputError) -> list:
    return exc.problems


ZH_ORDERS = ["订单号", "客户ID", "下单时间", "实付金额(元)", "触点", "是否会员", "来源渠道"]
EN_ORDERS = ["order_id", "customer_id", "order_time", "amount", "touchpoint", "is_member",
             "source_channel"]  # fmt: skip
ORDER_ROWS = [
    ["A1", "C1", "2025/3/1 12:05", "￥1,234.50", "社群", "是", "包裹卡"],
    ["A2", "C2", "2025年3月2日", "88", "1V1", "否", "抖音"],
    ["A3", "C1", "2025-03-03T09:00:00", "12.5", "朋友圈", "", ""],
]


@pytest.mark.parametrize(
    ("header", "name", "encoding"),
    [
        (ZH_ORDERS, "orders.csv", "gbk"),
        (ZH_ORDERS, "orders.csv", "utf-8-sig"),
        (EN_ORDERS, "orders.csv", "utf-8"),
        (ZH_ORDERS, "orders.xlsx", None),
    ],
)
def test_orders_in_chinese_or_english_csv_or_xlsx_read_the_same(tmp_path, header, name, encoding):
    path = write(tmp_path / name, header, ORDER_ROWS, encoding or "utf-8")
    table = load_table(path, "orders", label=name).table
    assert table["order_id"].tolist() == ["A1", "A2", "A3"]
    assert table["amount"].tolist() == [1234.5, 88.0, 12.5]
    assert table["touchpoint"].tolist() == ["community", "one_to_one", "moments"]
    assert table["is_member"].tolist() == [True, False, False]
    assert table["source_channel"].tolist() == ["包裹卡", "抖音", "unknown"]
    assert table["order_time"].tolist() == [
        pd.Timestamp("2025-03-01 12:05"),
        pd.Timestamp("2025-03-02"),
        pd.Timestamp("2025-03-03 09:00"),
    ]
    assert table["row"].tolist() == [2, 3, 4]


def test_blank_rows_are_skipped_but_rows_keep_their_spreadsheet_numbers(tmp_path):
    rows = [ORDER_ROWS[0], [""] * 7, ORDER_ROWS[1]]
    table = load_table(write(tmp_path / "o.csv", ZH_ORDERS, rows), "orders", label="o.csv").table
    assert table["row"].tolist() == [2, 4]


def test_unparseable_date_names_file_row_column_and_fix(tmp_path):
    rows = [ORDER_ROWS[0], ["A2", "C2", "2025-13-45", "88", "社群", "否", ""]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", ZH_ORDERS, rows), "orders", label="ops/o.csv")
    (p,) = problems(info.value)
    assert (p.file, p.row, p.column) == ("ops/o.csv", 3, "下单时间")
    assert "'2025-13-45' is not a date" in p.message
    assert "YYYY-MM-DD" in p.hint


def test_negative_friends_name_file_row_column_and_fix(tmp_path):
    header = ["日期", "渠道", "新增好友数", "删除好友数"]
    rows = [["2025-03-01", "门店", "10", "1"], ["2025-03-02", "门店", "-4", "2"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "f.csv", header, rows), "friends", label="ops/friends.csv")
    (p,) = problems(info.value)
    assert (p.file, p.row, p.column) == ("ops/friends.csv", 3, "新增好友数")
    assert "-4 is negative" in p.message
    assert "0 or more" in p.hint


def test_duplicated_order_ids_name_both_rows(tmp_path):
    rows = [ORDER_ROWS[0], ORDER_ROWS[1], ["A1", "C9", "2025-03-05", "10", "社群", "否", ""]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", ZH_ORDERS, rows), "orders", label="o.csv")
    (p,) = problems(info.value)
    assert (p.file, p.row, p.column) == ("o.csv", 4, "订单号")
    assert "'A1' was already used in row 2" in p.message
    assert "negative amount" in p.hint


def test_a_refund_row_may_repeat_the_order_id(tmp_path):
    rows = [ORDER_ROWS[0], ["A1", "C1", "2025-03-04", "-100", "社群", "是", ""]]
    table = load_table(write(tmp_path / "o.csv", ZH_ORDERS, rows), "orders", label="o.csv").table
    assert table["amount"].tolist() == [1234.5, -100.0]


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    rows = [
        ["A1", "", "2025-03-01", "abc", "社群", "也许", ""],
        ["A2", "C2", "", "10", "社群", "否", ""],
    ]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", ZH_ORDERS, rows), "orders", label="o.csv")
    found = {(p.row, p.column) for p in problems(info.value)}
    assert found == {(2, "客户ID"), (2, "实付金额(元)"), (2, "是否会员"), (3, "下单时间")}
    assert all(p.file == "o.csv" and p.hint for p in problems(info.value))
    member = next(p for p in problems(info.value) if p.column == "是否会员")
    assert "'也许' is not a member flag" in member.message


def test_missing_required_column_names_the_header_to_add(tmp_path):
    header = ["订单号", "客户ID", "下单时间", "金额"]  # no touchpoint column
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", header, [["A", "C", "2025-03-01", "1"]]), "orders",
                   label="o.csv")  # fmt: skip
    (p,) = problems(info.value)
    assert p.row == 1 and p.file == "o.csv"
    assert "no column for 'touchpoint'" in p.message and "触点" in p.message
    assert "触点" in p.hint


def test_two_columns_meaning_the_same_are_an_error(tmp_path):
    header = ["日期", "date", "新增好友数", "删除好友数"]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "f.csv", header, [["2025-03-01", "2025-03-01", "1", "0"]]),
                   "friends", label="f.csv")  # fmt: skip
    (p,) = problems(info.value)
    assert p.row == 1 and p.column == "date" and "both mean 'date'" in p.message


def test_duplicate_friend_days_are_an_error(tmp_path):
    header = ["日期", "渠道", "新增好友数", "删除好友数"]
    rows = [["2025-03-01", "门店", "1", "0"], ["2025-03-01", "门店", "2", "0"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "f.csv", header, rows), "friends", label="f.csv")
    (p,) = problems(info.value)
    assert p.row == 3 and "repeats" in p.message and "row 2" in p.message
    assert "add the two rows up" in p.hint


def test_many_bad_rows_are_listed_up_to_the_limit_then_summarised(tmp_path):
    header = ["日期", "新增好友数", "删除好友数"]
    rows = [[f"bad{i}", "1", "0"] for i in range(ROW_LIMIT + 5)]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "f.csv", header, rows), "friends", label="f.csv")
    found = problems(info.value)
    assert len(found) == ROW_LIMIT + 1
    assert "5 more rows have the same problem" in found[-1].message
    assert found[-1].column == "日期"


def test_unknown_status_lists_the_accepted_words(tmp_path):
    header = ["订单号", "客户ID", "下单时间", "实付金额", "触点", "订单状态"]
    rows = [["A", "C", "2025-03-01", "10", "社群", "飞走了"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", header, rows), "orders", label="o.csv")
    (p,) = problems(info.value)
    assert p.row == 2 and p.column == "订单状态"
    assert "已支付" in p.message and "已退款" in p.message


def test_status_refunds_and_cancellations(tmp_path):
    header = ["订单号", "客户ID", "下单时间", "实付金额", "触点", "订单状态", "退款金额"]
    rows = [
        ["A", "C", "2025-03-01", "100", "社群", "已完成", ""],
        ["B", "C", "2025-03-02", "100", "社群", "已退款", ""],
        ["D", "C", "2025-03-03", "100", "社群", "部分退款", "30"],
        ["E", "C", "2025-03-04", "100", "社群", "已取消", ""],
    ]
    validated = load_table(write(tmp_path / "o.csv", header, rows), "orders", label="o.csv")
    table = validated.table
    assert table["order_id"].tolist() == ["A", "B", "D"]
    assert table["refund_amount"].tolist() == [0.0, 100.0, 30.0]
    (note,) = [n for n in validated.notes if n["kind"] == "cancelled"]
    assert note["rows"] == "5" and note["value"] == 1


def test_partial_refund_without_amount_is_an_error(tmp_path):
    header = ["订单号", "客户ID", "下单时间", "实付金额", "触点", "订单状态"]
    rows = [["D", "C", "2025-03-03", "100", "社群", "部分退款"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", header, rows), "orders", label="o.csv")
    (p,) = problems(info.value)
    assert p.row == 2 and p.column == "订单状态" and "退款金额" in p.hint


def test_kpi_percentages_and_units(tmp_path):
    header = ["指标", "月份", "实际值", "目标值", "单位", "方向"]
    rows = [
        ["包裹卡加粉率", "2026-03", "9.73%", "14.78%", "", ""],
        ["留存率", "2026年3月", "31.3", "35", "%", ""],
        ["客单价", "202603", "24.71", "30.00", "元", ""],
        ["月流失率", "2026/03", "2.57%", "5%", "", "越低越好"],
    ]
    table = load_table(write(tmp_path / "k.csv", header, rows), "kpi_tracking",
                       label="k.csv").table  # fmt: skip
    assert np.allclose(table["actual"], [0.0973, 0.313, 24.71, 0.0257])
    assert np.allclose(table["target"], [0.1478, 0.35, 30.0, 0.05])
    assert table["unit"].tolist() == ["%", "%", "元", "%"]
    assert table["direction"].tolist() == ["higher", "higher", "higher", "lower"]
    assert [str(m) for m in table["month"]] == ["2026-03"] * 4


def test_kpi_duplicate_metric_month_is_an_error(tmp_path):
    header = ["metric", "month", "actual", "target"]
    rows = [["GMV", "2026-03", "1", "2"], ["GMV", "2026-03", "1", "2"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "k.csv", header, rows), "kpi_tracking", label="k.csv")
    (p,) = problems(info.value)
    assert p.row == 3 and "row 2" in p.message and p.hint


def test_push_log_counts_and_money(tmp_path):
    header = ["日期", "推送触点", "推送量", "推送成本", "推送后删除"]
    rows = [["2026-03-01", "短信召回", "1,000", "¥45.00", "3"], ["2026-03-02", "社群", "x", "0",
                                                                  "-1"]]  # fmt: skip
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "p.csv", header, rows), "pushes", label="p.csv")
    found = {(p.row, p.column) for p in problems(info.value)}
    assert found == {(3, "推送量"), (3, "推送后删除")}
    table = load_table(write(tmp_path / "p2.csv", header, rows[:1]), "pushes",
                       label="p2.csv").table  # fmt: skip
    assert table.loc[0, "messages"] == 1000 and table.loc[0, "cost"] == 45.0
    assert table.loc[0, "touchpoint"] == "sms"


# --------------------------------------------------------------------------- refunds and sales

REFUND_HEADER = ["订单号", "客户ID", "下单时间", "实付金额", "触点", "订单状态", "退款金额"]


def test_refunds_adding_up_to_more_than_the_sale_are_an_error(tmp_path):
    rows = [
        ["A", "C1", "2025-03-01", "100", "社群", "", ""],  # row 2: sale of 100 ...
        ["A", "C1", "2025-03-05", "-60", "社群", "", ""],  # row 3
        ["A", "C1", "2025-03-06", "-50", "社群", "", ""],  # row 4: ... refunded 110
        ["B", "C2", "2025-03-01", "100", "社群", "已退款", ""],  # row 5: refunded in full ...
        ["B", "C2", "2025-03-02", "-100", "社群", "", ""],  # row 6: ... and again: 200
        ["D", "C3", "2025-03-01", "100", "社群", "部分退款", "30"],  # row 7: 30 + 70.01
        ["D", "C3", "2025-03-02", "-70.01", "社群", "", ""],  # row 8: within the 0.01 tolerance
        ["E", "C3", "2025-03-01", "50", "社群", "部分退款", "20"],  # row 9: 20 + 30.02 = 50.02
        ["E", "C3", "2025-03-02", "-30.02", "社群", "", ""],  # row 10
    ]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", REFUND_HEADER, rows), "orders", label="ops/o.csv")
    found = {(p.row, p.column): p for p in problems(info.value)}
    assert set(found) == {(2, "实付金额"), (5, "实付金额"), (9, "实付金额")}
    assert found[(2, "实付金额")].message == (
        "the refunds of order 'A' add up to 110.00 CNY (refund rows 3, 4: 110.00), more than "
        "the 100.00 CNY it paid."
    )
    assert "(status '已退款': 100.00; refund row 6: 100.00)" in found[(5, "实付金额")].message
    assert "add up to 200.00 CNY" in found[(5, "实付金额")].message
    assert "(退款金额 in this row: 20.00; refund row 10: 30.02)" in found[(9, "实付金额")].message
    assert "more than the 50.00 CNY it paid" in found[(9, "实付金额")].message
    assert all(p.file == "ops/o.csv" and "kept once" in p.hint for p in found.values())


def test_refunds_within_the_rounding_tolerance_load(tmp_path):
    rows = [
        ["D", "C3", "2025-03-01", "100", "社群", "部分退款", "30"],
        ["D", "C3", "2025-03-02", "-70.01", "社群", "", ""],  # 100.01 in all: rounding
        ["F", "C4", "2025-03-03", "10", "社群", "", ""],
    ]
    table = load_table(write(tmp_path / "o.csv", REFUND_HEADER, rows), "orders",
                       label="o.csv").table  # fmt: skip
    assert table["order_id"].tolist() == ["D", "D", "F"]


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (
            [
                ["A", "C", "2025-03-01", "100", "社群", "已退款", ""],
                ["B", "C", "2025-03-02", "100", "社群", "已取消", ""],
                ["D", "C", "2025-03-03", "0", "社群", "", ""],
                ["E", "C", "2025-03-04", "80", "社群", "", ""],
                ["E", "C", "2025-03-05", "-80", "社群", "", ""],
            ],
            "none of its 5 rows is one",
        ),
        ([], "it has no rows below the header"),
    ],
)
def test_an_orders_file_without_a_completed_sale_is_an_error(tmp_path, rows, said):
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", REFUND_HEADER, rows), "orders", label="o.csv")
    (p,) = problems(info.value)
    assert (p.file, p.row, p.column) == ("o.csv", None, "实付金额")
    assert p.message.startswith(f"holds no completed sale: {said}")
    assert p.message.endswith("every metric of the chapter would be 0.")
    assert "operations.orders" in p.hint


# --------------------------------------------------------------------------- the assessment date

AS_OF = dt.date(2026, 3, 20)


def test_orders_after_the_assessment_date_are_an_error(tmp_path):
    rows = [
        ["A1", "C1", "2026-03-20 23:59", "10", "社群", "否", ""],  # row 2: on the day: fine
        ["A2", "C1", "2026-03-21", "10", "社群", "否", ""],  # row 3: the day after
        ["A3", "C2", "2099-03-01 10:00", "10", "社群", "否", ""],  # row 4
    ]
    path = write(tmp_path / "o.csv", ZH_ORDERS, rows)
    assert len(load_table(path, "orders", label="o.csv").table) == 3  # no date: no check
    with pytest.raises(InputError) as info:
        load_table(path, "orders", label="o.csv", as_of=AS_OF)  # not the cached result
    first, second = problems(info.value)
    assert (first.file, first.row, first.column) == ("o.csv", 3, "下单时间")
    assert first.message == (
        "'2026-03-21' is after the assessment date 2026-03-20; expected the time of the order "
        "on or before it."
    )
    assert "client.yaml" in first.hint
    assert (second.row, second.column) == (4, "下单时间") and "'2099-03-01 10:00'" in second.message


def test_many_future_rows_are_listed_up_to_the_limit(tmp_path):
    rows = [[f"F{i}", "C1", "2099-03-01", "10", "社群", "否", ""] for i in range(100)]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "o.csv", ZH_ORDERS, rows), "orders", label="o.csv",
                   as_of=AS_OF)  # fmt: skip
    found = problems(info.value)
    assert [p.row for p in found[:ROW_LIMIT]] == list(range(2, 2 + ROW_LIMIT))
    assert found[ROW_LIMIT].message == "90 more rows have the same problem (rows 12–101)."
    assert len(found) == ROW_LIMIT + 1


def test_friends_pushes_and_kpis_after_the_assessment_date_are_errors(tmp_path):
    friends = write(tmp_path / "f.csv", ["日期", "新增好友数", "删除好友数"],
                    [["2026-03-20", "1", "0"], ["2026-03-21", "1", "0"]])  # fmt: skip
    pushes = write(tmp_path / "p.csv", ["日期", "推送触点", "推送量"],
                   [["2026-04-01", "社群", "10"], ["2026-03-01", "社群", "10"]])  # fmt: skip
    kpis = write(
        tmp_path / "k.csv",
        ["指标", "月份", "实际值", "目标值"],
        [
            ["GMV", "2026-03", "1", "2"],  # the assessment's month: fine
            ["GMV", "2026-04", "1", "2"],  # row 3: the month after
            ["UV", "2026-03-31", "1", "2"],
        ],
    )  # a day of March stands for March: fine
    expected = {
        "friends": (friends, 3, "日期", "'2026-03-21'", "the day the counts are for"),
        "pushes": (pushes, 2, "日期", "'2026-04-01'", "the day of the push"),
        "kpi_tracking": (kpis, 3, "月份", "'2026-04'", "a month such as 2026-03"),
    }
    for key, (path, row, column, cell, what) in expected.items():
        with pytest.raises(InputError) as info:
            load_table(path, key, label=path.name, as_of=AS_OF)
        (p,) = problems(info.value)
        assert (p.file, p.row, p.column) == (path.name, row, column)
        assert p.message == (f"{cell} is after the assessment date 2026-03-20; expected {what} "
                             "on or before it.")  # fmt: skip


# ------------------------------------------------------------- headers the reader makes up


def test_a_repeated_header_names_both_columns(tmp_path):
    header = ["日期", "日期", "新增好友数", "删除好友数", "备注", "备注"]
    rows = [["2025-03-01", "2025-03-02", "1", "0", "a", "b"]]
    with pytest.raises(InputError) as info:
        load_table(write(tmp_path / "f.csv", header, rows), "friends", label="f.csv")
    (p,) = problems(info.value)  # the repeated 备注 is ignored: it names no column
    assert (p.file, p.row, p.column) == ("f.csv", 1, "日期")
    assert p.message == "the header '日期' appears more than once (columns A and B)."
    assert "日期.1" not in str(info.value)


def test_columns_without_a_header_are_named_by_their_letter(tmp_path):
    path = tmp_path / "f.csv"
    # a trailing comma on every line adds an empty column E: nothing to say about it
    path.write_text("日期,新增好友数,删除好友数,,\n2025-03-01,1,0,x,\n", encoding="utf-8")
    notes = load_table(path, "friends", label="f.csv").notes
    assert [(n["kind"], n["subject"]) for n in notes] == [("ignored_column", "D")]


def test_rows_more_than_ten_years_before_the_assessment_date_are_errors(tmp_path):
    # 2026-03-20 minus 10 years is 2016-03-20: that day is within, the day before is not
    friends = write(tmp_path / "f.csv", ["日期", "新增好友数", "删除好友数"],
                    [["2016-03-20", "1", "0"], ["2016-03-19", "1", "0"],
                     ["0001-01-01", "1", "0"]])  # fmt: skip
    with pytest.raises(InputError) as info:
        load_table(friends, "friends", label="f.csv", as_of=AS_OF)
    found = {(p.row, p.column): p for p in problems(info.value)}
    assert set(found) == {(3, "日期"), (4, "日期")}
    assert found[(4, "日期")].message == (
        "'0001-01-01' is more than 10 years before the assessment date 2026-03-20; expected the "
        "day the counts are for within the 10 years before it."
    )
    assert "correct the year" in found[(4, "日期")].hint
    # a month counts when one of its days is within: March 2016 is, February 2016 is not
    kpis = write(tmp_path / "k.csv", ["指标", "月份", "实际值", "目标值"],
                 [["GMV", "2016-03", "1", "2"], ["GMV", "2016-02", "1", "2"]])  # fmt: skip
    with pytest.raises(InputError) as info:
        load_table(kpis, "kpi_tracking", label="k.csv", as_of=AS_OF)
    (p,) = problems(info.value)
    assert (p.row, p.column) == (3, "月份") and p.message.startswith("'2016-02' is more than 10")
