"""Charts of the operating-data chapter: bar heights, labels, titles and colours, never pixels."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from siyu_diag.operations import plots


def test_friends_growth_lines_and_axes():
    data = pd.DataFrame(
        {
            "date": pd.date_range("2025-03-01", periods=4),
            "current_friends": [10, 13, 10, 13],
            "cumulative_friends": [10, 15, 15, 19],
            "retention": [1, 13 / 15, 10 / 15, 13 / 19],
        }
    )
    ax = plots.plot_friends_growth(data, lang="zh")
    current, cumulative = ax.get_lines()
    assert list(current.get_ydata()) == [10, 13, 10, 13]
    assert list(cumulative.get_ydata()) == [10, 15, 15, 19]
    (retention,) = ax.right_ax.get_lines()
    assert list(retention.get_ydata()) == pytest.approx(data["retention"].tolist())
    assert ax.get_title() == "好友增长与留存率"
    assert ax.get_ylabel() == "好友数（人）" and ax.right_ax.get_ylabel() == "留存率（%）"
    assert ax.get_xlabel() == "日期"


def test_monthly_churn_bars_colour_the_months_above_the_threshold():
    data = pd.DataFrame({"month": ["2025-03", "2025-04", "2025-05"], "churn": [np.nan, 0.06, 0.04]})
    ax = plots.plot_monthly_churn(data, threshold=0.05, lang="en")
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([0, 0.06, 0.04])
    colors = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert colors[1] != colors[2]
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [0.05, 0.05]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-03", "2025-04", "2025-05"]
    assert ax.get_ylabel() == "Monthly churn (%)"
    assert any("Threshold 5.0%" in t.get_text() for t in ax.texts)


def test_touchpoint_bars_stack_by_user_type_in_ten_thousands():
    data = pd.DataFrame({"新客": [20000.0, 5000.0], "首次复购": [10000.0, np.nan]},
                        index=["社群", "小程序"])  # fmt: skip
    ax = plots.plot_touchpoint_bars(data, lang="zh")
    widths = [p.get_width() for p in ax.patches]
    lefts = [p.get_x() for p in ax.patches]
    assert widths == pytest.approx([2.0, 0.5, 1.0, 0.0])
    assert lefts == pytest.approx([0, 0, 2.0, 0.5])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["社群", "小程序"]
    assert ax.get_xlabel() == "GMV（万元）"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["新客", "首次复购"]


def test_cohort_heatmap_annotates_percentages_and_leaves_future_months_blank():
    data = pd.DataFrame([[1.0, 0.2], [1.0, np.nan]], index=["2025-01", "2025-02"], columns=[0, 1])
    ax = plots.plot_cohort_heatmap(data, lang="en")
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["100", "20", "100"]  # the NaN cell gets no annotation
    assert ax.get_xlabel() == "Months after the first purchase"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2025-01", "2025-02"]


def test_tier_sizes_pair_customer_and_gmv_shares():
    data = pd.DataFrame({"tier": ["VIP", "活跃", "沉默"], "share": [0.1, 0.3, 0.6],
                         "gmv_share": [0.4, 0.3, 0.3]})  # fmt: skip
    ax = plots.plot_tier_sizes(data, lang="zh")
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx([0.1, 0.3, 0.6, 0.4, 0.3, 0.3])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["VIP", "活跃", "沉默"]
    assert ax.get_title() == "客户分层：人数与 GMV"


def test_monthly_gmv_stacks_returning_on_new():
    data = pd.DataFrame({"month": ["2025-01", "2025-02"], "gmv_new": [10000, 20000],
                         "gmv_returning": [5000, 0]})  # fmt: skip
    ax = plots.plot_monthly_gmv(data, lang="zh")
    assert [p.get_height() for p in ax.patches] == pytest.approx([1, 2, 0.5, 0])
    assert [p.get_y() for p in ax.patches] == pytest.approx([0, 0, 1, 2])


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="`lang` must be one of"):
        plots.plot_tier_sizes(pd.DataFrame({"tier": [], "share": [], "gmv_share": []}), lang="fr")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['churn'\]"):
        plots.plot_monthly_churn(pd.DataFrame({"month": []}))


def test_charts_leave_global_matplotlib_state_alone():
    before = dict(mpl.rcParams)
    plots.plot_monthly_gmv(pd.DataFrame({"month": ["a"], "gmv_new": [1], "gmv_returning": [1]}))
    assert dict(mpl.rcParams) == before
