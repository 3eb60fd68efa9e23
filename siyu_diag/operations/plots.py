"""Charts of the operating-data chapter: friend growth, churn, touchpoints, cohorts, tiers, GMV.

Every function follows the house pattern ``plot_x(data, *, ax=None, lang="zh", title=None,
**kws) -> Axes``: it draws inside :func:`siyu_diag.core.style.chart_axes` (on ``ax``, or on a new
figure of its own) and never touches pyplot; the drawing helpers are those of
:mod:`siyu_diag.core.charts`. Display names in ``data`` are already localised by the caller;
``lang`` picks the axis titles and units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..core.charts import (
    NOTE_COLOR,
    ChartText,
    category_axis,
    cell_labels,
    label_axes,
    plot_annotated_heatmap,
    plot_stacked_barh,
    reference_line,
)
from ..core.palette import (
    ABOVE_COLOR,
    COMPANION_COLOR,
    CURRENT_COLOR,
    MISSING_COLOR,
    SHARE_STOPS,
    TARGET_COLOR,
    WITHIN_COLOR,
)
from ..core.style import COLUMN_WIDTH_IN, category_colors, chart_axes, check_chart_data
from ..core.ticks import finite_max, money_unit, number_formatter, percent_formatter

_TEXT = {
    "friends": {"zh": "好友数（人）", "en": "Friends"},
    "retention": {"zh": "留存率（%）", "en": "Retention (%)"},
    "current": {"zh": "当前好友", "en": "Current friends"},
    "cumulative": {"zh": "累计好友", "en": "Cumulative friends"},
    "date": {"zh": "日期", "en": "Date"},
    "month": {"zh": "月份", "en": "Month"},
    "churn": {"zh": "月流失率（%）", "en": "Monthly churn (%)"},
    "threshold": {"zh": "阈值 {v}", "en": "Threshold {v}"},
    "above": {"zh": "超过阈值", "en": "Above threshold"},
    "within": {"zh": "阈值以内", "en": "Within threshold"},
    "gmv": {"zh": "GMV（万元）", "en": "GMV (CNY thousand)"},
    "touchpoint": {"zh": "触点", "en": "Touchpoint"},
    "user_type": {"zh": "用户类型", "en": "User type"},
    "cohort": {"zh": "首购月份（同期群）", "en": "First-purchase month (cohort)"},
    "offset": {"zh": "首购后第几个月", "en": "Months after the first purchase"},
    "retained": {"zh": "当月复购客户占比（%）", "en": "Share of the cohort buying (%)"},
    "share": {"zh": "占比（%）", "en": "Share (%)"},
    "tier": {"zh": "客户分层", "en": "Customer tier"},
    "customers_share": {"zh": "客户数占比", "en": "Share of customers"},
    "gmv_share": {"zh": "GMV 占比", "en": "Share of GMV"},
    "new": {"zh": "新客 GMV", "en": "New customers' GMV"},
    "returning": {"zh": "老客 GMV", "en": "Returning customers' GMV"},
    "growth_title": {"zh": "好友增长与留存率", "en": "Friend growth and retention"},
    "churn_title": {"zh": "月流失率与阈值", "en": "Monthly churn against the threshold"},
    "tp_title": {"zh": "各触点 GMV：按用户类型", "en": "GMV by touchpoint and user type"},
    "cohort_title": {"zh": "同期群复购留存", "en": "Cohort retention"},
    "tier_title": {"zh": "客户分层：人数与 GMV", "en": "Customer tiers: size and GMV"},
    "gmv_title": {"zh": "每月新老客 GMV", "en": "Monthly GMV: new and returning customers"},
}
_t = ChartText(_TEXT)
_RETENTION_CMAP = LinearSegmentedColormap.from_list("siyu_retention", list(SHARE_STOPS))


def _gmv_scale(lang: str) -> float:
    """GMV axes are in 万元 (Chinese) or CNY thousand (English), whatever the amounts."""
    return money_unit((), lang, millions=False)[0]


def _count(v: float, _=None) -> str:
    return f"{v / 1e4:.0f}万" if abs(v) >= 1e5 else f"{v:,.0f}"


def plot_friends_growth(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None,
    **kws,
) -> Axes:  # fmt: skip
    """Current and cumulative friends per day (left axis) and retention (right axis).

    Parameters
    ----------
    data
        Columns ``date``, ``current_friends``, ``cumulative_friends`` and ``retention`` (0–1).
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``.
    title
        Chart title; a default when omitted, none when ``""``.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the current-friends line.

    Returns
    -------
    Axes
        The left axes; the retention axes is ``ax.right_ax``.
    """
    check_chart_data(data, ["date", "current_friends", "cumulative_friends", "retention"], lang)
    with chart_axes(ax, COLUMN_WIDTH_IN, 3.4) as ax:
        dates = pd.to_datetime(data["date"])
        ax.plot(dates, data["current_friends"], color=CURRENT_COLOR, linewidth=1.8,
                label=_t("current", lang), **kws)  # fmt: skip
        ax.plot(dates, data["cumulative_friends"], color=COMPANION_COLOR, linewidth=1.2,
                linestyle="--", label=_t("cumulative", lang))  # fmt: skip
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(FuncFormatter(_count) if lang == "zh" else number_formatter())
        right = ax.twinx()
        right.plot(dates, data["retention"], color=TARGET_COLOR, linewidth=1.4,
                   label=_t("retention", lang))  # fmt: skip
        right.set_ylim(0, 1.05)
        right.yaxis.set_major_formatter(percent_formatter())
        right.grid(False)
        right.set_ylabel(_t("retention", lang))
        ax.xaxis.set_major_locator(AutoDateLocator(maxticks=8))
        ax.xaxis.set_major_formatter(DateFormatter("%Y-%m"))
        handles = [*ax.get_legend_handles_labels()[0], *right.get_legend_handles_labels()[0]]
        ax.legend(handles=handles, loc="lower right")
        label_axes(ax, title, _t("growth_title", lang), xlabel=_t("date", lang),
                   ylabel=_t("friends", lang))  # fmt: skip
        ax.right_ax = right
    return ax


def plot_monthly_churn(
    data: pd.DataFrame,
    *,
    threshold: float = 0.05,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    **kws,
) -> Axes:
    """Monthly churn as bars, red above the threshold, with the threshold as a dashed line.

    Parameters
    ----------
    data
        Columns ``month`` (label) and ``churn`` (0–1; NaN months are left empty).
    threshold
        The churn threshold (0–1).
    ax, lang, title, **kws
        As in every chart; ``kws`` go to :meth:`~matplotlib.axes.Axes.bar`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["month", "churn"], lang)
    churn = data["churn"].to_numpy(float)
    colors = [ABOVE_COLOR if v > threshold else WITHIN_COLOR for v in np.nan_to_num(churn)]
    x = np.arange(len(data))
    with chart_axes(ax, COLUMN_WIDTH_IN, 3.0) as ax:
        ax.bar(x, np.nan_to_num(churn), color=colors, width=0.7, **kws)
        note = _t("threshold", lang, v=f"{threshold * 100:.1f}%")
        note_kws = {"fontsize": 8, "color": NOTE_COLOR}
        line = {"color": NOTE_COLOR, "linestyle": "--", "linewidth": 1.1}
        reference_line(ax, threshold, axis="y", note=note, note_kws=note_kws, **line)
        ax.set_ylim(0, max(finite_max(churn, 0.0), threshold) * 1.25)
        category_axis(ax, data["month"], axis="x", rotation=45, ha="right")
        ax.yaxis.set_major_formatter(percent_formatter(1))
        legend = [
            Line2D([], [], color=ABOVE_COLOR, linewidth=6, label=_t("above", lang)),
            Line2D([], [], color=WITHIN_COLOR, linewidth=6, label=_t("within", lang)),
        ]
        ax.legend(handles=legend, loc="upper left")
        label_axes(ax, title, _t("churn_title", lang), xlabel=_t("month", lang),
                   ylabel=_t("churn", lang))  # fmt: skip
    return ax


def plot_touchpoint_bars(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None,
    **kws,
) -> Axes:  # fmt: skip
    """Horizontal bars of GMV per touchpoint, stacked by user type.

    Parameters
    ----------
    data
        Index: touchpoints (display names, drawn top to bottom); columns: user types (display
        names, stacked left to right); values: GMV in CNY.
    ax, lang, title, **kws
        As in every chart; ``kws`` go to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, [], lang)
    values = data.fillna(0).to_numpy(float) / _gmv_scale(lang)
    colors = category_colors(values.shape[1])
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.4 + 0.42 * len(data)) as ax:
        bar = {"height": 0.65, "edgecolor": "white", "linewidth": 0.6, **kws}
        plot_stacked_barh(values, colors=colors, labels=list(data.columns), ax=ax, **bar)
        category_axis(ax, data.index, margin=0.5)
        ax.set_xlabel(_t("gmv", lang))
        # a short horizontal label above the category names reads better than a rotated one
        ax.set_ylabel(_t("touchpoint", lang), rotation=0, ha="right", va="bottom")
        ax.yaxis.set_label_coords(0.0, 1.01)
        ax.legend(title=_t("user_type", lang), loc="lower right")
        label_axes(ax, title, _t("tp_title", lang))
    return ax


def plot_cohort_heatmap(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None,
    **kws,
) -> Axes:  # fmt: skip
    """Cohort retention heatmap: one row per first-purchase month, one column per month after.

    Parameters
    ----------
    data
        Index: cohort labels (e.g. ``2025-03``); columns: month offsets 0, 1, …; values: shares
        0–1 (NaN where the month lies after the export, shown blank).
    ax, lang, title, **kws
        As in every chart; ``kws`` go to :func:`seaborn.heatmap`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, [], lang)
    values = data.astype(float)
    annot = cell_labels(values, lambda v: f"{v * 100:.0f}")
    body = values.iloc[:, 1:] if values.shape[1] > 1 else values
    vmax = finite_max(body, 1.0)
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.6 + 0.3 * len(values)) as ax:
        heat = {"cmap": _RETENTION_CMAP, "linewidths": 1.0, "linecolor": "white",
                "annot_kws": {"fontsize": 7}, "vmin": 0, "vmax": max(vmax, 0.05),
                "cbar_kws": {"label": _t("retained", lang), "ticks": MaxNLocator(5),
                             "format": percent_formatter()},
                **kws}  # fmt: skip
        plot_annotated_heatmap(values, labels=annot, ax=ax, missing=MISSING_COLOR,
                               upright_columns=False, **heat)  # fmt: skip
        label_axes(ax, title, _t("cohort_title", lang), xlabel=_t("offset", lang),
                   ylabel=_t("cohort", lang))  # fmt: skip
    return ax


def plot_tier_sizes(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None,
    **kws,
) -> Axes:  # fmt: skip
    """Share of customers and share of GMV per tier, side by side.

    Parameters
    ----------
    data
        Columns ``tier`` (display name), ``share`` and ``gmv_share`` (0–1), one row per tier.
    ax, lang, title, **kws
        As in every chart; ``kws`` go to :meth:`~matplotlib.axes.Axes.bar`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["tier", "share", "gmv_share"], lang)
    x = np.arange(len(data))
    width = 0.38
    with chart_axes(ax, 5.2, 3.0) as ax:
        for offset, column, color, key in (
            (-width / 2, "share", COMPANION_COLOR, "customers_share"),
            (width / 2, "gmv_share", CURRENT_COLOR, "gmv_share"),
        ):
            values = data[column].fillna(0).to_numpy(float)
            bars = ax.bar(x + offset, values, width, color=color, label=_t(key, lang), **kws)
            for bar, v in zip(bars, values, strict=True):
                ax.text(bar.get_x() + bar.get_width() / 2, v + 0.01, f"{v * 100:.0f}%",
                        ha="center", va="bottom", fontsize=7.5)  # fmt: skip
        category_axis(ax, data["tier"], axis="x")
        ax.set_ylim(0, min(1.0, max(data[["share", "gmv_share"]].max().max(), 0.1) * 1.2 + 0.05))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        ax.yaxis.set_major_formatter(percent_formatter())
        ax.legend(loc="upper right")
        label_axes(ax, title, _t("tier_title", lang), xlabel=_t("tier", lang),
                   ylabel=_t("share", lang))  # fmt: skip
    return ax


def plot_monthly_gmv(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None,
    **kws,
) -> Axes:  # fmt: skip
    """Stacked monthly bars of new and returning customers' GMV.

    Parameters
    ----------
    data
        Columns ``month`` (label), ``gmv_new`` and ``gmv_returning`` (CNY).
    ax, lang, title, **kws
        As in every chart; ``kws`` go to :meth:`~matplotlib.axes.Axes.bar`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["month", "gmv_new", "gmv_returning"], lang)
    scale = _gmv_scale(lang)
    new = data["gmv_new"].to_numpy(float) / scale
    ret = data["gmv_returning"].to_numpy(float) / scale
    x = np.arange(len(data))
    with chart_axes(ax, COLUMN_WIDTH_IN, 3.0) as ax:
        ax.bar(x, new, 0.7, color=COMPANION_COLOR, label=_t("new", lang), **kws)
        ax.bar(x, ret, 0.7, bottom=new, color=CURRENT_COLOR, label=_t("returning", lang), **kws)
        category_axis(ax, data["month"], axis="x", rotation=45, ha="right")
        ax.legend(loc="upper left")
        label_axes(ax, title, _t("gmv_title", lang), xlabel=_t("month", lang),
                   ylabel=_t("gmv", lang))  # fmt: skip
    return ax
