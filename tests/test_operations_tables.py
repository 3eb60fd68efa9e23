"""Loading the operating-data exports: headers in Chinese and English, formats, clear errors."""

from __future__ import annotations

import csv
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from siyu_diag.errors import InputError
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
