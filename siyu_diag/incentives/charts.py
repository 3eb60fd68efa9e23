"""Charts of the incentive chapter: weight mix heatmap, pay distribution, grades.

Same pattern as :mod:`siyu_diag.diagnosis.charts`: ``plot_x(data, *, ax=None, lang="zh", title=None,
**kws)`` returns the Axes, draws inside :func:`~siyu_diag.core.style.house_style` on a figure from
:func:`~siyu_diag.core.style.new_figure` (never pyplot). Names in ``data`` are already localised by
the caller; ``lang`` picks titles and axis labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, PercentFormatter

from ..core.palette import CURRENT_COLOR, grade_colors, text_color
from ..core.style import check_chart_data, house_style, new_figure

_LANGS = ("zh", "en")
_WIDTH = 7.0
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


def _t(key: str, lang: str) -> str:
    return _TEXT[key][lang]


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
    annot = np.array(
        [["" if np.isnan(v) else f"{v * 100:.0f}%" for v in row] for row in values.to_numpy()],
        dtype=object,
    )
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH, 1.5 + 0.36 * len(values))
        heat = {"cmap": "Blues", "linewidths": 1.2, "linecolor": "white",
                "annot_kws": {"fontsize": 8}, **kws}  # fmt: skip
        cbar = {"label": _t("share", lang), "format": PercentFormatter(1.0, decimals=0)}
        sns.heatmap(values, ax=ax, vmin=0, vmax=1, annot=annot, fmt="", cbar_kws=cbar, **heat)
        if split:
            ax.axvline(split, color="#333333", linewidth=1.6)
        ax.tick_params(axis="both", length=0)
        ax.tick_params(axis="x", rotation=0)
        ax.tick_params(axis="y", rotation=0)
        ax.xaxis.tick_top()
        ax.xaxis.set_label_position("top")
        ax.set_xlabel(_t("category", lang))
        ax.set_ylabel(_t("unit", lang))
        ax.set_title(_t("mix_title", lang) if title is None else title, pad=12)
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
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH, 1.4 + 0.45 * len(order))
        strip = {"color": CURRENT_COLOR, "size": 3, "alpha": 0.6, "jitter": 0.18, **kws}
        sns.stripplot(data=data, x="variable", y="unit", order=order, ax=ax, **strip)
        for i, unit in enumerate(order):  # interquartile band and median of each unit
            values = data.loc[data["unit"] == unit, "variable"].to_numpy(float)
            q1, median, q3 = np.percentile(values, [25, 50, 75])
            ax.hlines(i, q1, q3, color="#9DB6D9", linewidth=9, alpha=0.55, zorder=0.8)
            ax.plot([median, median], [i - 0.3, i + 0.3], color="#16325C", linewidth=1.6)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}"))
        ax.set_xlim(left=0)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(_t("pay_axis", lang))
        ax.set_ylabel(_t("unit", lang))
        ax.set_title(_t("pay_title", lang) if title is None else title)
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
    k = shares.shape[1]
    palette = grade_colors(k)
    y = np.arange(len(shares))
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH, 1.6 + 0.4 * len(shares))
        left = np.zeros(len(shares))
        bar = {"height": 0.62, "edgecolor": "white", "linewidth": 0.8, **kws}
        for j, grade in enumerate(shares.columns):
            width = shares[grade].to_numpy()
            ax.barh(y, width, left=left, color=palette[j], **bar)
            for yi, w, x0, n in zip(y, width, left, counts[grade].to_numpy(), strict=True):
                if w >= 0.07:
                    ax.text(x0 + w / 2, yi, f"{int(n)}", ha="center", va="center", fontsize=7.5,
                            color=text_color(palette[j]))  # fmt: skip
            left += width
        ax.set_yticks(y, labels=[str(u) for u in shares.index])
        ax.set_ylim(len(shares) - 0.5, -0.5)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.grid(axis="y", visible=False)
        handles = [Patch(color=palette[j], label=str(g)) for j, g in enumerate(shares.columns)]
        ax.legend(handles=handles, title=_t("grade", lang), loc="upper left",
                  bbox_to_anchor=(1.01, 1))  # fmt: skip
        ax.set_xlabel(_t("grade_axis", lang))
        ax.set_ylabel(_t("unit", lang))
        ax.set_title(_t("grade_title", lang) if title is None else title)
    return ax
