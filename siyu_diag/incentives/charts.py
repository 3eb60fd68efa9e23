"""Charts of the incentive chapter: weight mix heatmap, pay distribution, grades.

Same pattern as every chapter's charts: ``plot_x(data, *, ax=None, lang="zh", title=None, **kws)``
returns the Axes and draws inside :func:`~siyu_diag.core.style.chart_axes` (on ``ax``, or on a
figure of its own; never pyplot), with the helpers of :mod:`siyu_diag.core.charts`. Names in
``data`` are already localised by the caller; ``lang`` picks titles and axis labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from ..core.charts import (
    ChartText,
    category_axis,
    cell_labels,
    label_axes,
    legend_outside,
    plot_annotated_heatmap,
    plot_stacked_barh,
    swatches,
)
from ..core.palette import CURRENT_COLOR, grade_colors
from ..core.style import COLUMN_WIDTH_IN, chart_axes, check_chart_data
from ..core.ticks import number_formatter, percent_formatter

_TEXT = {
    "mix_title": {
        "zh": "各单元考核权重分布：周期与类别",
        "en": "Weight mix by unit: horizon and family",
    },
    "share": {"zh": "权重占比（%）", "en": "Share of weight (%)"},
    "unit": {"zh": "考核单元", "en": "Unit"},
    "category": {"zh": "周期 | 类别", "en": "Horizon | family"},
    "pay_title": {"zh": "每人浮动薪酬分布（上期）", "en": "Variable pay per person (last period)"},
    "pay_axis": {"zh": "浮动薪酬（元/人/期）", "en": "Variable pay (CNY per person per period)"},
    "grade_title": {"zh": "各单元考核等级分布", "en": "Grades by unit"},
    "grade_axis": {"zh": "人数占比（%）", "en": "Share of people (%)"},
    "grade": {"zh": "等级", "en": "Grade"},
}
_t = ChartText(_TEXT)


def plot_mix_heatmap(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    split: int | None = None,
    **kws,
) -> Axes:
    """Heatmap of weight shares per unit (rows) and category (columns), annotated in %.

    Parameters
    ----------
    data
        Index: unit names; columns: category names (e.g. the three horizons, then the three
        families); values: shares 0–1 (NaN left blank).
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``.
    title
        Chart title; a default when omitted, none when ``""``.
    split
        Draw a separating line after this many columns (between horizons and families).
    **kws
        Passed to :func:`seaborn.heatmap`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, [], lang)
    values = data.astype(float)
    annot = cell_labels(values, lambda v: f"{v * 100:.0f}%")
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.5 + 0.36 * len(values)) as ax:
        heat = {"cmap": "Blues", "linewidths": 1.2, "linecolor": "white",
                "annot_kws": {"fontsize": 8}, **kws}  # fmt: skip
        cbar = {"label": _t("share", lang), "format": percent_formatter()}
        plot_annotated_heatmap(values, labels=annot, ax=ax, missing=None, vmin=0, vmax=1,
                               cbar_kws=cbar, **heat)  # fmt: skip
        if split:
            ax.axvline(split, color="#333333", linewidth=1.6)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        label_axes(ax, title, _t("mix_title", lang), xlabel=_t("category", lang),
                   ylabel=_t("unit", lang), pad=12)  # fmt: skip
    return ax


def plot_payout_distribution(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None, **kws
) -> Axes:
    """Variable pay per person as points, one row per unit, with quartile band and median.

    Parameters
    ----------
    data
        Columns ``unit`` (display name) and ``variable`` (CNY per person per period); units are
        drawn in order of first appearance.
    ax, lang, title
        As for the other charts.
    **kws
        Passed to :func:`seaborn.stripplot`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["unit", "variable"], lang)
    order = list(pd.unique(data["unit"]))
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.4 + 0.45 * len(order)) as ax:
        strip = {"color": CURRENT_COLOR, "size": 3, "alpha": 0.6, "jitter": 0.18, **kws}
        sns.stripplot(data=data, x="variable", y="unit", order=order, ax=ax, **strip)
        for i, unit in enumerate(order):  # interquartile band and median of each unit
            values = data.loc[data["unit"] == unit, "variable"].to_numpy(float)
            q1, median, q3 = np.percentile(values, [25, 50, 75])
            ax.hlines(i, q1, q3, color="#9DB6D9", linewidth=9, alpha=0.55, zorder=0.8)
            ax.plot([median, median], [i - 0.3, i + 0.3], color="#16325C", linewidth=1.6)
        ax.xaxis.set_major_formatter(number_formatter())
        ax.set_xlim(left=0)
        ax.grid(axis="y", visible=False)
        label_axes(ax, title, _t("pay_title", lang), xlabel=_t("pay_axis", lang),
                   ylabel=_t("unit", lang))  # fmt: skip
    return ax


def plot_grade_distribution(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None, **kws
) -> Axes:
    """Stacked horizontal bars of the share of people per grade, one bar per unit.

    Parameters
    ----------
    data
        Index: unit names; columns: grades from the best to the worst; values: counts.
    ax, lang, title
        As for the other charts.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, [], lang)
    counts = data.astype(float)
    shares = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0)
    palette = grade_colors(shares.shape[1])
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.6 + 0.4 * len(shares)) as ax:
        bar = {"height": 0.62, "edgecolor": "white", "linewidth": 0.8, **kws}
        texts = cell_labels(counts, lambda n: f"{int(n)}")
        plot_stacked_barh(shares, colors=palette, texts=texts, label_from=0.07,
                          text_kws={"fontsize": 7.5}, ax=ax, **bar)  # fmt: skip
        category_axis(ax, shares.index, margin=0.5)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(percent_formatter())
        legend_outside(ax, handles=swatches(shares.columns, palette), title=_t("grade", lang))
        label_axes(ax, title, _t("grade_title", lang), xlabel=_t("grade_axis", lang),
                   ylabel=_t("unit", lang))  # fmt: skip
    return ax
