"""Report charts: radar, heatmap, sub-dimension bars, answer distributions and level strip.

Every function follows one pattern: ``plot_x(data, *, ax=None, lang="zh", title=None, **kws)``
returns the Axes it drew on. All drawing happens inside :func:`siyu_diag.core.style.chart_axes`,
on ``ax`` or, without it, on a figure of its own (never ``pyplot``), so global matplotlib settings
are untouched; the drawing helpers are those of :mod:`siyu_diag.core.charts`. Display names in
``data`` are already localised by the caller; ``lang`` only picks the axis titles and units.
Render a result with ``fig_to_data_uri(ax.figure)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator
from matplotlib.transforms import ScaledTranslation

from ..core.charts import (
    ChartText,
    category_axis,
    cell_labels,
    end_label,
    label_axes,
    legend_outside,
    plot_annotated_heatmap,
    plot_stacked_barh,
    swatches,
    wrap_label,
)
from ..core.fmt import MISSING, fmt_score
from ..core.palette import CURRENT_COLOR, LEVEL_COLORS, TARGET_COLOR, text_color
from ..core.style import (
    COLUMN_WIDTH_IN,
    SCORE_CMAP,
    category_colors,
    chart_axes,
    check_chart_data,
    diverging_palette,
)
from ..core.ticks import percent_formatter
from .levels import band_label, score_levels

_TEXT: dict[str, dict[str, str]] = {
    "score": {"zh": "得分（0–100）", "en": "Score (0–100)"},
    "share": {"zh": "回答占比（%）", "en": "Share of answers (%)"},
    "current": {"zh": "现状", "en": "Current"},
    "target": {"zh": "目标", "en": "Target"},
    "dimension": {"zh": "维度", "en": "Dimension"},
    "subdimension": {"zh": "子维度", "en": "Sub-dimension"},
    "group": {"zh": "组别", "en": "Group"},
    "item": {"zh": "题目", "en": "Item"},
    "radar_title": {"zh": "各维度得分：现状与目标", "en": "Dimension scores: current and target"},
    "heatmap_title": {"zh": "各组别维度得分", "en": "Dimension scores by group"},
    "bars_title": {"zh": "子维度得分", "en": "Sub-dimension scores"},
    "items_title": {"zh": "题目回答分布", "en": "Distribution of answers by item"},
    "levels_title": {"zh": "成熟度等级定位", "en": "Position on the maturity levels"},
}
_t = ChartText(_TEXT)
_WRAP = {"zh": 22, "en": 40}  # characters per line of item labels
_SHORT = {"zh": 8, "en": 14}  # characters per line of dimension names on a radar or heatmap
_CENTER = dict(ha="center", va="center")
_CURRENT_LINE = dict(color=CURRENT_COLOR, marker="o", markersize=4, linewidth=1.7, zorder=3)
_TARGET_LINE = dict(color=TARGET_COLOR, linestyle="--", linewidth=1.7, zorder=3)
_ANNOT = dict(fontsize=8, color="#222222")
_HEAT = dict(cmap=SCORE_CMAP, linewidths=1.5, linecolor="white", annot_kws=_ANNOT)
_BAND = dict(height=0.8, edgecolor="white", linewidth=1.5)
_BELOW = dict(loc="upper center", bbox_to_anchor=(0.5, 0.0), handlelength=1.2, columnspacing=1.2)


def plot_radar(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None, **kws
) -> Axes:
    """Radar chart of current and target scores per dimension.

    Parameters
    ----------
    data
        Columns ``dimension`` (display name), ``current`` and ``target`` (0–100), one row per
        dimension in the order to draw them clockwise from the top.
    ax
        Polar Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``: language of the legend and titles.
    title
        Chart title; a default title when omitted, no title when ``""``.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.fill` for the current-state polygon.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["dimension", "current", "target"], lang)
    if ax is not None and ax.name != "polar":
        raise ValueError(
            "`ax` must be a polar Axes (e.g. from new_figure(..., polar=True)), "
            f"but a {ax.name!r} Axes was passed."
        )
    theta = np.linspace(0, 2 * np.pi, len(data), endpoint=False)
    closed = np.append(theta, theta[:1])
    current = data["current"].to_numpy(float)
    target = data["target"].to_numpy(float)
    with chart_axes(ax, 6.0, 5.4, polar=True) as ax:
        ax.set_theta_offset(np.pi / 2)  # first dimension at the top, then clockwise
        ax.set_theta_direction(-1)
        fill_kws = {"color": CURRENT_COLOR, "alpha": 0.22, "linewidth": 0, "zorder": 2, **kws}
        ax.fill(closed, np.append(current, current[:1]), **fill_kws)
        ax.plot(closed, np.append(current, current[:1]), label=_t("current", lang), **_CURRENT_LINE)
        ax.plot(closed, np.append(target, target[:1]), label=_t("target", lang), **_TARGET_LINE)
        ax.set_xticks(theta, labels=[wrap_label(d, _SHORT[lang]) for d in data["dimension"]])
        ax.tick_params(axis="x", pad=8, labelsize=9)
        ax.set_ylim(0, 100)
        ax.set_yticks([20, 40, 60, 80, 100])
        ax.tick_params(axis="y", labelsize=7, labelcolor="#777777")
        ax.set_rlabel_position(180 / max(len(data), 1))
        legend_outside(ax, bbox_to_anchor=(1.0, 1.02))
        label_axes(ax, title, _t("radar_title", lang), xlabel=_t("score", lang), pad=22)
        ax.xaxis.labelpad = 10
    return ax


def plot_heatmap(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    n: pd.Series | None = None,
    **kws,
) -> Axes:
    """Heatmap of dimension scores per group, annotated with one decimal.

    Parameters
    ----------
    data
        Index: group names (departments, role levels); columns: dimension names; values: scores
        0–100 on a fixed 0–100 colour scale. Missing cells (NaN) are left blank on light grey.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``: language of the titles.
    title
        Chart title; a default title when omitted, no title when ``""``.
    n
        Group sizes indexed like ``data``; each row label gets a suffix such as ``" (n=12)"``.
    **kws
        Passed to :func:`seaborn.heatmap`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, [], lang)
    values = data.astype(float)
    rows = [str(g) for g in values.index]
    if n is not None:
        sizes = n.reindex(values.index)
        rows = [r if pd.isna(s) else f"{r} (n={int(s)})" for r, s in zip(rows, sizes, strict=True)]
    columns = [wrap_label(c, _SHORT[lang]) for c in values.columns]
    frame = pd.DataFrame(values.to_numpy(), index=rows, columns=columns)
    annot = cell_labels(values, fmt_score, blank=MISSING)
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.6 + 0.42 * len(rows)) as ax:
        cbar = {"label": _t("score", lang), "ticks": [0, 20, 40, 60, 80, 100]}
        heat_kws = {**_HEAT, "cbar_kws": cbar, **kws}
        plot_annotated_heatmap(frame, labels=annot, ax=ax, vmin=0, vmax=100, **heat_kws)
        label_axes(ax, title, _t("heatmap_title", lang), xlabel=_t("dimension", lang),
                   ylabel=_t("group", lang))  # fmt: skip
    return ax


def plot_subdimension_bars(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    thresholds: Sequence[float] = (),
    **kws,
) -> Axes:
    """Horizontal bars of sub-dimension scores, grouped and coloured by dimension.

    Parameters
    ----------
    data
        Columns ``dimension``, ``subdimension`` (display names) and ``score`` (0–100), one row
        per sub-dimension; dimensions are drawn in order of first appearance.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``: language of the titles.
    title
        Chart title; a default title when omitted, no title when ``""``.
    thresholds
        Scores at which to draw faint vertical reference lines, e.g. ``[20, 40, 60, 80]``.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["dimension", "subdimension", "score"], lang)
    dimensions = list(pd.unique(data["dimension"]))
    palette = dict(zip(dimensions, category_colors(len(dimensions)), strict=True))
    group = data["dimension"].map({d: i for i, d in enumerate(dimensions)}).to_numpy()
    y = np.arange(len(data)) + 0.5 * group  # a half-bar gap between dimensions
    scores = data["score"].to_numpy(float)
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.5 + 0.27 * (len(data) + 0.5 * len(dimensions))) as ax:
        for t in thresholds:
            ax.axvline(t, color="#9A9A9A", linewidth=0.8, linestyle=":", zorder=0.5)
        bar_kws = {"height": 0.72, **kws}
        ax.barh(y, scores, color=[palette[d] for d in data["dimension"]], **bar_kws)
        for yi, score, dim in zip(y, scores, data["dimension"], strict=True):
            ink = text_color(palette[dim])
            end_label(ax, score, yi, fmt_score(score), pad=1, limit=100, room=8,
                      inside_color=ink, clear=True)  # fmt: skip
        category_axis(ax, data["subdimension"], positions=y, margin=0.7)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
        handles = swatches(palette, palette.values())
        legend_outside(ax, handles=handles, title=_t("dimension", lang))
        label_axes(ax, title, _t("bars_title", lang), xlabel=_t("score", lang),
                   ylabel=_t("subdimension", lang))  # fmt: skip
    return ax


def diverging_starts(shares: np.ndarray) -> np.ndarray:
    """Where each answer category's bar starts on a −1…1 axis centred on the neutral point.

    With an odd number of categories the middle one is split half left, half right of zero;
    with an even number the split lies between the two middle categories.

    Parameters
    ----------
    shares
        Items × categories in scale order (disagree → agree); each row sums to 1.

    Returns
    -------
    numpy.ndarray
        Same shape: the left end of each category's bar.

    Examples
    --------
    >>> diverging_starts(np.array([[0.2, 0.2, 0.6]])).round(2).tolist()
    [[-0.3, -0.1, 0.1]]
    """
    k = shares.shape[1]
    half = k // 2
    left = shares[:, :half].sum(axis=1) + (shares[:, half] / 2 if k % 2 else 0.0)
    return np.cumsum(shares, axis=1) - shares - left[:, None]


def plot_item_distribution(
    data: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None, **kws
) -> Axes:
    """Diverging stacked bars of the answer distribution of each item.

    Bars are centred on the neutral point: with an odd number of categories the middle one is
    split half left, half right of zero; with an even number the split lies between the two
    middle categories. The x axis shows shares as percentages on both sides of zero.

    Parameters
    ----------
    data
        Index: item labels; columns: answer categories in scale order (disagree → agree),
        2 to 11 of them; values: shares 0–1 that sum to 1 per row.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``: language of the titles and line length of wrapped item labels
        (22 characters in Chinese, 40 in English).
    title
        Chart title; a default title when omitted, no title when ``""``.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    Axes
    """
    check_chart_data(data, [], lang)
    k = data.shape[1]
    if not 2 <= k <= 11:
        raise ValueError(
            f"`data` must have between 2 and 11 answer-category columns, but {k} were passed."
        )
    shares = data.to_numpy(float)
    starts = diverging_starts(shares)
    labels = [wrap_label(item, _WRAP[lang]) for item in data.index]
    lines = sum(label.count("\n") + 1 for label in labels)
    colors = diverging_palette(k)
    percents = cell_labels(shares, lambda share: f"{share:.0%}")
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.8 + 0.2 * lines + 0.18 * len(data)) as ax:
        bar_kws = {"height": 0.64, "edgecolor": "white", "linewidth": 0.6, **kws}
        plot_stacked_barh(shares, colors=colors, lefts=starts, labels=list(data.columns),
                          texts=percents, label_from=0.1, text_kws={"fontsize": 6.5}, ax=ax,
                          **bar_kws)  # fmt: skip
        ax.axvline(0, color="#555555", linewidth=0.9, zorder=0.8)
        ax.set_xlim(-1, 1)
        ax.xaxis.set_major_locator(FixedLocator(np.linspace(-1, 1, 9)))
        ax.xaxis.set_major_formatter(percent_formatter(absolute=True))
        category_axis(ax, labels, margin=0.5, multialignment="left")
        ncol = k if k <= 7 else -(-k // 2)  # one row, or two rows read left to right
        order = [i for c in range(ncol) for i in range(c, k, ncol)]  # a legend fills by column
        handles, texts = ax.get_legend_handles_labels()
        below = ax.transAxes + ScaledTranslation(0, -0.45, ax.figure.dpi_scale_trans)
        handles, texts = [handles[i] for i in order], [texts[i] for i in order]
        ax.legend(handles, texts, bbox_transform=below, ncol=ncol, **_BELOW)
        label_axes(ax, title, _t("items_title", lang), xlabel=_t("share", lang),
                   ylabel=_t("item", lang))  # fmt: skip
    return ax


def plot_level_strip(
    data: pd.DataFrame,
    *,
    levels: pd.DataFrame,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
    **kws,
) -> Axes:
    """Strip of the five maturity-level bands with a marker for each score below it.

    The bands form a strip across the top of the chart; each point gets its own row underneath,
    labelled on the left, with a marker coloured by the level it falls in and its value.

    Parameters
    ----------
    data
        Columns ``label`` and ``score`` (0–100), e.g. the overall score and each dimension, in
        the order to list them from the top.
    levels
        Columns ``level`` (1–5), ``name`` (display name), ``lower`` and ``upper`` (score bounds).
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        ``"zh"`` or ``"en"``: language of the titles.
    title
        Chart title; a default title when omitted, no title when ``""``.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.scatter` for the markers.

    Returns
    -------
    Axes
    """
    check_chart_data(data, ["label", "score"], lang)
    check_chart_data(levels, ["level", "name", "lower", "upper"], lang, name="levels")
    bad = sorted(set(levels["level"]) - set(LEVEL_COLORS))
    if bad:
        raise ValueError(
            f"`levels['level']` must be in {list(LEVEL_COLORS)}, but {bad} was passed."
        )
    bands = levels.sort_values("level")
    scores = data["score"].to_numpy(float)
    edges = bands["upper"].to_numpy(float)[:-1]
    point_levels = score_levels(scores, bands)
    y = np.arange(len(data)) + 1.0
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.5 + 0.28 * (len(data) + 1)) as ax:
        for lv in bands.itertuples(index=False):
            color = LEVEL_COLORS[int(lv.level)]
            ax.barh(0, lv.upper - lv.lower, left=lv.lower, color=color, **_BAND)
            name, mid = band_label(lv.level, lv.name), (lv.lower + lv.upper) / 2
            ax.text(mid, 0, name, fontsize=8.5, color=text_color(color), **_CENTER)
        for edge in edges:
            ax.axvline(edge, color="#BBBBBB", linewidth=0.7, linestyle=":", zorder=0.5)
        ax.hlines(y, 0, scores, color="#CCCCCC", linewidth=1.0, zorder=1)
        marker_kws = {"s": 46, "edgecolor": "#333333", "linewidth": 0.8, "zorder": 3, **kws}
        ax.scatter(scores, y, c=[LEVEL_COLORS[int(v)] for v in point_levels], **marker_kws)
        for yi, score in zip(y, scores, strict=True):
            end_label(ax, score, yi, fmt_score(score), pad=2.2, limit=100, room=7, clear=True)
        ax.set_yticks(y, labels=[str(label) for label in data["label"]])
        ax.set_ylim(len(data) + 0.7, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_locator(FixedLocator(sorted({*bands["lower"], *bands["upper"]})))
        ax.tick_params(axis="y", length=0)
        ax.grid(False)
        ax.spines[["left", "right", "top"]].set_visible(False)
        label_axes(ax, title, _t("levels_title", lang), xlabel=_t("score", lang))
    return ax
