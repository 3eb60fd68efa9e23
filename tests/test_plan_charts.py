"""Planning charts: bar geometry, labels and titles (never pixels)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from siyu_diag.plan import charts


def test_waterfall_bars_run_from_the_running_total():
    data = pd.DataFrame(
        {
            "label": ["去年", "用户", "客单价", "今年"],
            "value": [100.0, 30.0, -10.0, 120.0],
            "kind": ["total", "step", "step", "total"],
        }
    )
    ax = charts.plot_waterfall(data, target=130.0, title="桥")
    bars = ax.patches
    assert [b.get_x() for b in bars] == [0.0, 100.0, 130.0, 0.0]
    assert [b.get_width() for b in bars] == [100.0, 30.0, -10.0, 120.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["去年", "用户", "客单价", "今年"]
    assert ax.get_title() == "桥" and ax.get_xlabel() == "GMV（万元）"
    assert ax.get_lines()[0].get_xdata()[0] == 130.0  # the target line


def test_waterfall_rejects_unknown_kinds():
    data = pd.DataFrame({"label": ["a"], "value": [1.0], "kind": ["bar"]})
    with pytest.raises(ValueError, match="'total' or 'step'"):
        charts.plot_waterfall(data)


def test_tornado_bars_start_at_the_base():
    data = pd.DataFrame(
        {"label": ["客单价", "流失率"], "at_low": [80.0, 110.0], "at_high": [130.0, 95.0]}
    )
    ax = charts.plot_tornado(data, base=100.0, lang="en", measure="GMV")
    lows, highs = ax.patches[:2], ax.patches[2:]
    assert [b.get_x() for b in ax.patches] == [100.0] * 4
    assert [b.get_width() for b in lows] == [-20.0, 10.0]
    assert [b.get_width() for b in highs] == [30.0, -5.0]
    assert ax.get_xlabel() == "GMV (CNY k)"
    assert ax.get_title() == "Sensitivity (tornado)"


def test_users_stack_and_money_lines():
    users = pd.DataFrame({"存量": [90.0, 81.0], "抖音": [10.0, 19.0]}, index=[1, 2])
    ax = charts.plot_users_by_origin(users)
    assert ax.get_ylabel() == "用户数（人）" and ax.get_xlabel() == "计划月份"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["抖音", "存量"]
    money = pd.DataFrame(
        {"gmv": [5e5, 6e5], "total_cost": [4e5, 4e5], "cumulative_profit": [-1e4, 2e4]},
        index=[1, 2],
    )
    ax = charts.plot_gmv_cost(money, break_even=2)
    assert ax.get_ylabel() == "金额（万元）"
    assert [t.get_text() for t in ax.texts] == ["盈亏平衡：第 2 月"]
    ax = charts.plot_gmv_cost(money, break_even=None, lang="en")
    assert ax.texts[0].get_text() == "No break-even within the plan"


def test_histogram_marks_percentiles_and_target():
    values = pd.Series(np.linspace(1e6, 2e6, 1000))
    ax = charts.plot_mc_histogram(values, target=1.8e6, percentiles=(1.1e6, 1.5e6, 1.9e6))
    assert sum(p.get_height() for p in ax.patches) == 1000
    assert [t.get_text().strip() for t in ax.texts] == ["P10", "P50", "P90"]
    assert ax.get_lines()[-1].get_xdata()[0] == 1.8e6
    with pytest.raises(ValueError, match="lang"):
        charts.plot_mc_histogram(values, lang="fr")


def test_money_unit():
    assert charts.money_unit([1, 2], "zh") == (1e4, "万元")
    assert charts.money_unit([2e6], "en") == (1e6, "CNY m")
    assert charts.money_unit([2e5], "en") == (1e3, "CNY k")
