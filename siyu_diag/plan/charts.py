"""Charts of the planning chapter: users, GMV and cost, waterfalls, tornado, Monte Carlo.

Same pattern as :mod:`siyu_diag.diagnosis.charts`: ``plot_x(data, *, ax=None, lang="zh", title=None,
**kws)`` returns the Axes; without ``ax`` a stand-alone figure is created with
:func:`siyu_diag.core.style.new_figure` (never ``pyplot``), and all drawing happens inside
:func:`siyu_diag.core.style.house_style`. Display names in ``data`` are already localised; ``lang``
picks axis titles and units. Money stays in CNY in the data; money axes are labelled in 万元
(Chinese) or CNY thousand/million (English).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..core.palette import CURRENT_COLOR, TARGET_COLOR
from ..core.style import check_chart_data, house_style, new_figure

_LANGS = ("zh", "en")
_WIDTH_IN = 7.0
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


def _t(key: str, lang: str, **values: object) -> str:
    text = _TEXT[key][lang]
    return text.format(**values) if values else text


def money_unit(values: np.ndarray | Sequence[float], lang: str) -> tuple[float, str]:
    """The divisor and unit label of a money axis: 万元 in Chinese; CNY k or m in English."""
    if lang == "zh":
        return 1e4, "万元"
    top = float(np.nanmax(np.abs(np.asarray(values, dtype=float)))) if len(values) else 0.0
    return (1e6, "CNY m") if top >= 1e6 else (1e3, "CNY k")


def _money_axis(ax: Axes, axis: str, values, lang: str, what: str) -> None:
    scale, unit = money_unit(values, lang)
    label = f"{what}（{unit}）" if lang == "zh" else f"{what} ({unit})"
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    span = float(finite.max() - min(finite.min(), 0.0)) / scale if finite.size else 0.0
    digits = 0 if span >= 20 else 1
    fmt = FuncFormatter(lambda v, _: f"{v / scale:,.{digits}f}")
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(fmt)
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(label)


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
    colors = ["#B8C4D6", *sns.color_palette("muted", max(len(data.columns) - 1, 1)).as_hex()]
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 3.6)
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
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_ylabel(_t("users", lang))
        handles, labels = ax.get_legend_handles_labels()
        ax.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title(_t("users_title", lang) if title is None else title)
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
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 3.6)
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
        _money_axis(ax, "y", values, lang, _t("amount", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title(_t("money_title", lang) if title is None else title)
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
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 1.4 + 0.36 * len(data))
        bar_kws = {"height": 0.62, **kws}
        ax.barh(y, widths, left=lefts, color=colors, **bar_kws)
        ends = np.array(lefts) + np.array(widths)
        span = max(float(np.max(np.maximum(lefts, ends))), 1.0)
        for yi, left, width, kind in zip(y, lefts, widths, data["kind"], strict=True):
            text = f"{width / scale:,.1f}" if kind == "total" else f"{width / scale:+,.1f}"
            edge = max(left, left + width)
            ax.text(edge + span * 0.01, yi, text, va="center", fontsize=7.5, color="#333333")
        if target is not None:
            ax.axvline(
                target,
                color=TARGET_COLOR,
                linestyle="--",
                linewidth=1.3,
                label=target_label or _t("target", lang),
            )
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_yticks(y, labels=[str(s) for s in data["label"]])
        ax.set_ylim(len(data) - 0.4, -0.6)
        ax.set_xlim(min(0.0, float(np.min(np.minimum(lefts, ends)))) * 1.05, span * 1.12)
        ax.grid(axis="y", visible=False)
        _money_axis(ax, "x", values, lang, "GMV")
        ax.set_ylabel(_t("step", lang))
        ax.set_title(_t("waterfall_title", lang) if title is None else title)
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
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 1.5 + 0.34 * max(len(data), 1))
        bar_kws = {"height": 0.6, **kws}
        ax.barh(y, low, left=base, color="#E39A6B", label=_t("low_end", lang), **bar_kws)
        ax.barh(y, high, left=base, color="#6FA8DC", label=_t("high_end", lang), **bar_kws)
        ax.axvline(base, color="#333333", linewidth=1.0)
        ax.set_yticks(y, labels=[str(s) for s in data["label"]])
        ax.set_ylim(len(data) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        values = np.concatenate([data["at_low"], data["at_high"], [base]]).astype(float)
        _money_axis(ax, "x", values, lang, measure)
        ax.set_ylabel(_t("driver", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.set_title(_t("tornado_title", lang) if title is None else title)
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
    if lang not in _LANGS:
        raise ValueError(
            f"The value for `lang` must be one of {list(_LANGS)}, but {lang!r} was passed."
        )
    values = np.asarray(data, dtype=float)
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 3.2)
        hist_kws = {"bins": 50, "color": "#9DB4D3", "edgecolor": "white", "linewidth": 0.4, **kws}
        ax.hist(values, **hist_kws)
        for name, p in zip(("P10", "P50", "P90"), percentiles, strict=False):
            ax.axvline(p, color="#333333", linestyle=":", linewidth=1.0)
            ax.text(
                p,
                1.0,
                f" {name}",
                transform=ax.get_xaxis_transform(),
                fontsize=7.5,
                va="bottom",
                ha="center",
            )
        if target is not None:
            ax.axvline(
                target, color=TARGET_COLOR, linestyle="--", linewidth=1.6, label=_t("target", lang)
            )
            ax.legend(loc="upper right")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(_t("draws", lang))
        _money_axis(ax, "x", np.append(values, target or 0.0), lang, measure)
        ax.set_title(_t("hist_title", lang) if title is None else title, pad=14)
    return ax
