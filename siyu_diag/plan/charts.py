"""Charts of the planning chapter: users, GMV and cost, waterfalls, tornado, Monte Carlo.

Same pattern as every chapter's charts: ``plot_x(data, *, ax=None, lang="zh", title=None, **kws)``
returns the Axes; all drawing happens inside :func:`siyu_diag.core.style.chart_axes`, on ``ax`` or
on a stand-alone figure (never ``pyplot``), with the helpers of :mod:`siyu_diag.core.charts`.
Display names in ``data`` are already localised; ``lang`` picks axis titles and units. Money stays
in CNY in the data; money axes are labelled in 万元 (Chinese) or CNY thousand/million (English),
by :func:`siyu_diag.core.ticks.money_axis`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from ..core.charts import (
    ChartText,
    category_axis,
    end_label,
    label_axes,
    legend_outside,
    reference_line,
)
from ..core.palette import CURRENT_COLOR, TARGET_COLOR
from ..core.style import (
    COLUMN_WIDTH_IN,
    category_colors,
    chart_axes,
    check_chart_data,
    check_lang,
)
from ..core.ticks import money_axis, money_unit, number_formatter

_UP = "#3A8F5C"
_DOWN = "#C8501E"
#: Colour of a waterfall's totals (its steps are green up, orange down: :func:`step_color`).
TOTAL_COLOR = CURRENT_COLOR


def step_color(value: float) -> str:
    """The colour of a waterfall step: green when it adds, orange when it takes away."""
    return _UP if value >= 0 else _DOWN


_TEXT: dict[str, dict[str, str]] = {
    "month": {"zh": "计划月份", "en": "Plan month"},
    "users": {"zh": "用户数（人）", "en": "Users (people)"},
    "users_title": {"zh": "各渠道累计用户（月末）", "en": "Users by channel of origin (month end)"},
    "gmv": {"zh": "GMV", "en": "GMV"},
    "amount": {"zh": "金额", "en": "Amount"},
    "cost": {"zh": "运营成本", "en": "Operating cost"},
    "cumulative": {"zh": "累计利润", "en": "Cumulative profit"},
    "break_even": {"zh": "盈亏平衡：第 {m} 月", "en": "Break-even: month {m}"},
    "no_break_even": {"zh": "计划期内未达盈亏平衡", "en": "No break-even within the plan"},
    "money_title": {
        "zh": "月度 GMV、成本与累计利润",
        "en": "Monthly GMV, cost and cumulative profit",
    },
    "waterfall_title": {"zh": "GMV 构成", "en": "GMV build-up"},
    "tornado_title": {"zh": "敏感性（龙卷风图）", "en": "Sensitivity (tornado)"},
    "hist_title": {"zh": "蒙特卡洛模拟分布", "en": "Monte Carlo distribution"},
    "draws": {"zh": "模拟次数", "en": "Draws"},
    "low_end": {"zh": "取区间低值", "en": "Driver at low end"},
    "high_end": {"zh": "取区间高值", "en": "Driver at high end"},
    "base": {"zh": "基准", "en": "Base"},
    "target": {"zh": "目标", "en": "Target"},
    "increase": {"zh": "增加", "en": "Increase"},
    "decrease": {"zh": "减少", "en": "Decrease"},
    "total": {"zh": "合计", "en": "Total"},
    "driver": {"zh": "驱动因素", "en": "Driver"},
    "step": {"zh": "构成项", "en": "Component"},
}
_t = ChartText(_TEXT)


def _month_axis(ax: Axes, months: np.ndarray, lang: str) -> None:
    ax.set_xlim(months.min() - 0.5, months.max() + 0.5)
    step = 3 if len(months) > 12 else 1
    ax.set_xticks([m for m in months if (m - 1) % step == 0 or m == months.max()])
    ax.set_xlabel(_t("month", lang))


def plot_users_by_origin(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None, **kws
) -> Axes:
    """Stacked areas of users at each month's end, by where they came from.

    Parameters
    ----------
    data
        Index: plan months (1 … H); columns: origins (display names: last year's base, then
        each channel); values: users (people).
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``.
    title
        Chart title; a default when omitted, none when ``""``.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.stackplot`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, [], lang)
    months = np.asarray(data.index, dtype=float)
    colors = ["#B8C4D6", *category_colors(len(data.columns) - 1)]
    with chart_axes(ax, COLUMN_WIDTH_IN, 3.6) as ax:
        ax.stackplot(
            months,
            data.to_numpy(float).T,
            labels=[str(c) for c in data.columns],
            colors=colors[: len(data.columns)],
            linewidth=0.4,
            edgecolor="white",
            **kws,
        )
        _month_axis(ax, months.astype(int), lang)
        ax.set_ylim(0, None)
        ax.yaxis.set_major_formatter(number_formatter())
        handles, labels = ax.get_legend_handles_labels()
        legend_outside(ax, handles[::-1], labels[::-1])
        label_axes(ax, title, _t("users_title", lang), ylabel=_t("users", lang))
    return ax


def plot_gmv_cost(
    data: pd.DataFrame,
    *,
    break_even: int | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    **kws,
) -> Axes:
    """Monthly GMV and operating cost lines, cumulative profit, and the break-even marker.

    Parameters
    ----------
    data
        Index: plan months; columns ``gmv``, ``total_cost`` and ``cumulative_profit`` (CNY).
    break_even
        The break-even month (a marker and a label), or None (a note that there is none).
    ax, lang, title
        As the other charts.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the GMV line.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["gmv", "total_cost", "cumulative_profit"], lang)
    months = np.asarray(data.index, dtype=int)
    with chart_axes(ax, COLUMN_WIDTH_IN, 3.6) as ax:
        ax.plot(
            months, data["gmv"], color=CURRENT_COLOR, linewidth=1.8, label=_t("gmv", lang), **kws
        )
        ax.plot(
            months, data["total_cost"], color=TARGET_COLOR, linewidth=1.6, label=_t("cost", lang)
        )
        ax.plot(
            months,
            data["cumulative_profit"],
            color=_UP,
            linewidth=1.4,
            linestyle="--",
            label=_t("cumulative", lang),
        )
        ax.axhline(0, color="#777777", linewidth=0.8, zorder=0.8)
        if break_even is not None:
            y = float(data.loc[break_even, "cumulative_profit"])
            ax.axvline(break_even, color="#555555", linewidth=0.9, linestyle=":")
            ax.scatter([break_even], [y], s=40, color=_UP, edgecolor="#333333", zorder=4)
            ax.annotate(
                _t("break_even", lang, m=break_even),
                (break_even, y),
                xytext=(8, 10),
                textcoords="offset points",
                fontsize=8,
                color="#222222",
            )
        else:
            ax.text(
                0.01,
                0.97,
                _t("no_break_even", lang),
                transform=ax.transAxes,
                va="top",
                fontsize=8,
                color=_DOWN,
            )
        _month_axis(ax, months, lang)
        values = data[["gmv", "total_cost", "cumulative_profit"]].to_numpy(float).ravel()
        money_axis(ax, values, lang, _t("amount", lang))
        legend_outside(ax)
        label_axes(ax, title, _t("money_title", lang))
    return ax


def plot_waterfall(
    data: pd.DataFrame,
    *,
    target: float | None = None,
    target_label: str | None = None,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    **kws,
) -> Axes:
    """A horizontal waterfall: a starting total, signed steps, and an end total.

    Parameters
    ----------
    data
        Columns ``label`` (display name), ``value`` (CNY) and ``kind`` (``total`` for a bar
        from zero, ``step`` for a change from the running total), top to bottom.
    target
        Draw a dashed line at this amount (e.g. the top-down target).
    target_label
        Its legend text (default: "Target").
    ax, lang, title
        As the other charts.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["label", "value", "kind"], lang)
    bad = sorted(set(data["kind"]) - {"total", "step"})
    if bad:
        raise ValueError(f"`data['kind']` must be 'total' or 'step', but {bad} was passed.")
    values = data["value"].to_numpy(float)
    lefts, widths, colors = [], [], []
    running = 0.0
    for v, kind in zip(values, data["kind"], strict=True):
        if kind == "total":
            lefts.append(0.0)
            widths.append(v)
            colors.append(TOTAL_COLOR)
            running = v
        else:
            lefts.append(running)
            widths.append(v)
            colors.append(step_color(v))
            running += v
    y = np.arange(len(data))
    scale, unit = money_unit(np.abs(values), lang)
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.4 + 0.36 * len(data)) as ax:
        bar_kws = {"height": 0.62, **kws}
        ax.barh(y, widths, left=lefts, color=colors, **bar_kws)
        ends = np.array(lefts) + np.array(widths)
        span = max(float(np.max(np.maximum(lefts, ends))), 1.0)
        for yi, left, width, kind in zip(y, lefts, widths, data["kind"], strict=True):
            text = f"{width / scale:,.1f}" if kind == "total" else f"{width / scale:+,.1f}"
            end_label(ax, max(left, left + width), yi, text, pad=span * 0.01)
        if target is not None:
            label = target_label or _t("target", lang)
            ax.axvline(target, color=TARGET_COLOR, linestyle="--", linewidth=1.3, label=label)
            legend_outside(ax)
        category_axis(ax, data["label"], margin=0.6)
        ax.set_xlim(min(0.0, float(np.min(np.minimum(lefts, ends)))) * 1.05, span * 1.12)
        money_axis(ax, values, lang, "GMV", axis="x")
        label_axes(ax, title, _t("waterfall_title", lang), ylabel=_t("step", lang))
    return ax


def plot_tornado(
    data: pd.DataFrame,
    *,
    base: float,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    measure: str = "GMV",
    **kws,
) -> Axes:
    """A tornado: for each driver, the measure with the driver at its low and its high end.

    Parameters
    ----------
    data
        Columns ``label`` (driver display name, with its range), ``at_low`` and ``at_high``
        (the measure, CNY), in the order to draw them from the top (largest swing first).
    base
        The measure with every driver at its likely value (the axis of the tornado).
    measure
        The measure's name for the axis title (e.g. "年度 GMV").
    ax, lang, title
        As the other charts.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["label", "at_low", "at_high"], lang)
    y = np.arange(len(data))
    low = data["at_low"].to_numpy(float) - base
    high = data["at_high"].to_numpy(float) - base
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.5 + 0.34 * max(len(data), 1)) as ax:
        bar_kws = {"height": 0.6, **kws}
        ax.barh(y, low, left=base, color="#E39A6B", label=_t("low_end", lang), **bar_kws)
        ax.barh(y, high, left=base, color="#6FA8DC", label=_t("high_end", lang), **bar_kws)
        ax.axvline(base, color="#333333", linewidth=1.0)
        category_axis(ax, data["label"], margin=0.5)
        values = np.concatenate([data["at_low"], data["at_high"], [base]]).astype(float)
        money_axis(ax, values, lang, measure, axis="x")
        legend_outside(ax)
        label_axes(ax, title, _t("tornado_title", lang), ylabel=_t("driver", lang))
    return ax


def plot_mc_histogram(
    data: pd.Series,
    *,
    target: float | None = None,
    percentiles: Sequence[float] = (),
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    measure: str = "GMV",
    **kws,
) -> Axes:
    """Histogram of Monte Carlo outcomes with P10/P50/P90 and the target line.

    Parameters
    ----------
    data
        One value per draw (CNY).
    target
        The top-down target, drawn as a dashed line.
    percentiles
        P10, P50 and P90 (CNY), drawn as dotted lines.
    measure
        The measure's name for the axis title.
    ax, lang, title
        As the other charts.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.hist`.

    Returns
    -------
    Axes
    """
    check_lang(lang)
    values = np.asarray(data, dtype=float)
    with chart_axes(ax, COLUMN_WIDTH_IN, 3.2) as ax:
        hist_kws = {"bins": 50, "color": "#9DB4D3", "edgecolor": "white", "linewidth": 0.4, **kws}
        ax.hist(values, **hist_kws)
        for name, p in zip(("P10", "P50", "P90"), percentiles, strict=False):
            line = {"color": "#333333", "linestyle": ":", "linewidth": 1.0}
            reference_line(ax, p, note=f" {name}", note_kws={"fontsize": 7.5}, **line)
        if target is not None:
            ax.axvline(
                target, color=TARGET_COLOR, linestyle="--", linewidth=1.6, label=_t("target", lang)
            )
            ax.legend(loc="upper right")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        money_axis(ax, np.append(values, target or 0.0), lang, measure, axis="x")
        label_axes(ax, title, _t("hist_title", lang), ylabel=_t("draws", lang), pad=14)
    return ax
