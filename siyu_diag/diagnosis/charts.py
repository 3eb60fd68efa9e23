"""Report charts: radar, heatmap, sub-dimension bars, answer distributions and level strip.

Every function follows one pattern: ``plot_x(data, *, ax=None, lang="zh", title=None, **kws)``
returns the Axes it drew on. Without ``ax`` it creates its own figure with
:func:`siyu_diag.core.style.new_figure` (never ``pyplot``); all drawing happens inside
:func:`siyu_diag.core.style.house_style`, so global matplotlib settings are untouched. Display names
in ``data`` are already localised by the caller; ``lang`` only picks the axis titles and units.
Render a result with ``fig_to_data_uri(ax.figure)``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import ScaledTranslation

from ..core.fmt import fmt_score
from ..core.palette import CURRENT_COLOR, LEVEL_COLORS, MISSING_COLOR, TARGET_COLOR, text_color
from ..core.style import SCORE_CMAP, check_chart_data, diverging_palette, house_style, new_figure

_LANGS = ("zh", "en")
_WIDTH_IN = 7.0  # a full A4 text column
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
_WRAP = {"zh": 22, "en": 40}  # characters per line of item labels
_SHORT = {"zh": 8, "en": 14}  # characters per line of dimension names on a radar or heatmap
_CENTER = dict(ha="center", va="center")
_SMALL = dict(va="center", fontsize=7.5, color="#333333")
_CLEAR = dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none")  # hide lines behind
_CURRENT_LINE = dict(color=CURRENT_COLOR, marker="o", markersize=4, linewidth=1.7, zorder=3)
_TARGET_LINE = dict(color=TARGET_COLOR, linestyle="--", linewidth=1.7, zorder=3)
_ANNOT = dict(fontsize=8, color="#222222")
_HEAT = dict(cmap=SCORE_CMAP, linewidths=1.5, linecolor="white", annot_kws=_ANNOT)
_BAND = dict(height=0.8, edgecolor="white", linewidth=1.5)
_BELOW = dict(loc="upper center", bbox_to_anchor=(0.5, 0.0), handlelength=1.2, columnspacing=1.2)
_CLOSING = "，。、；：！？）》」』】”’%,.;:!?)"


def _t(key: str, lang: str) -> str:
    return _TEXT[key][lang]


def _wrap(text: str, width: int) -> str:
    """Wrap ``text`` to ``width`` characters, never starting a line with closing punctuation."""
    lines = textwrap.wrap(str(text), width=width, break_on_hyphens=False) or [""]
    for i in range(1, len(lines)):
        while lines[i] and lines[i][0] in _CLOSING:
            lines[i - 1] += lines[i][0]
            lines[i] = lines[i][1:]
    return "\n".join(line for line in lines if line)


def _finish(ax: Axes, lang: str, key: str, title: str | None, x: str = "", y: str = "") -> None:
    """Set the default (``key``) or given title and the axis titles (keys of ``_TEXT``)."""
    ax.set_title(_t(key, lang) if title is None else title)
    if x:
        ax.set_xlabel(_t(x, lang))
    if y:
        ax.set_ylabel(_t(y, lang))


def _end_label(
    ax: Axes, x: float, y: float, text: str, room: float, pad: float, color: str
) -> None:
    """Write ``text`` right of ``x``, or left of it in ``color`` if less than ``room`` is left."""
    if x > 100 - room:
        ax.text(x - pad, y, text, **{**_SMALL, "ha": "right", "color": color})
    else:
        ax.text(x + pad, y, text, ha="left", bbox=_CLEAR, **_SMALL)


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
    with house_style():
        if ax is None:
            _, ax = new_figure(6.0, 5.4, polar=True)
        ax.set_theta_offset(np.pi / 2)  # first dimension at the top, then clockwise
        ax.set_theta_direction(-1)
        fill_kws = {"color": CURRENT_COLOR, "alpha": 0.22, "linewidth": 0, "zorder": 2, **kws}
        ax.fill(closed, np.append(current, current[:1]), **fill_kws)
        ax.plot(closed, np.append(current, current[:1]), label=_t("current", lang), **_CURRENT_LINE)
        ax.plot(closed, np.append(target, target[:1]), label=_t("target", lang), **_TARGET_LINE)
        ax.set_xticks(theta, labels=[_wrap(d, _SHORT[lang]) for d in data["dimension"]])
        ax.tick_params(axis="x", pad=8, labelsize=9)
        ax.set_ylim(0, 100)
        ax.set_yticks([20, 40, 60, 80, 100])
        ax.tick_params(axis="y", labelsize=7, labelcolor="#777777")
        ax.set_rlabel_position(180 / max(len(data), 1))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.02))
        _finish(ax, lang, "radar_title", title, x="score")
        ax.xaxis.labelpad = 10
        ax.set_title(ax.get_title(), pad=22)
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
    columns = [_wrap(c, _SHORT[lang]) for c in values.columns]
    frame = pd.DataFrame(values.to_numpy(), index=rows, columns=columns)
    annot = np.array([[fmt_score(v) for v in row] for row in values.to_numpy()], dtype=object)
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 1.6 + 0.42 * len(rows))
        ax.set_facecolor(MISSING_COLOR)
        cbar = {"label": _t("score", lang), "ticks": [0, 20, 40, 60, 80, 100]}
        heat_kws = {**_HEAT, "cbar_kws": cbar, **kws}
        sns.heatmap(frame, ax=ax, vmin=0, vmax=100, annot=annot, fmt="", **heat_kws)
        ax.grid(False)
        ax.tick_params(axis="both", length=0)
        ax.tick_params(axis="x", rotation=0)
        ax.tick_params(axis="y", rotation=0)
        _finish(ax, lang, "heatmap_title", title, x="dimension", y="group")
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
    palette = dict(
        zip(dimensions, sns.color_palette("muted", len(dimensions)).as_hex(), strict=True)
    )
    group = data["dimension"].map({d: i for i, d in enumerate(dimensions)}).to_numpy()
    y = np.arange(len(data)) + 0.5 * group  # a half-bar gap between dimensions
    scores = data["score"].to_numpy(float)
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 1.5 + 0.27 * (len(data) + 0.5 * len(dimensions)))
        for t in thresholds:
            ax.axvline(t, color="#9A9A9A", linewidth=0.8, linestyle=":", zorder=0.5)
        bar_kws = {"height": 0.72, **kws}
        ax.barh(y, scores, color=[palette[d] for d in data["dimension"]], **bar_kws)
        for yi, score, dim in zip(y, scores, data["dimension"], strict=True):
            _end_label(ax, score, yi, fmt_score(score), 8, 1, text_color(palette[dim]))
        ax.set_yticks(y, labels=[str(s) for s in data["subdimension"]])
        ax.set_ylim(y.max() + 0.7, y.min() - 0.7)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_locator(FixedLocator([0, 20, 40, 60, 80, 100]))
        ax.grid(axis="y", visible=False)
        handles = [Patch(color=palette[d], label=str(d)) for d in dimensions]
        legend = {"title": _t("dimension", lang), "loc": "upper left", "bbox_to_anchor": (1.01, 1)}
        ax.legend(handles=handles, **legend)
        _finish(ax, lang, "bars_title", title, x="score", y="subdimension")
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
    labels = [_wrap(item, _WRAP[lang]) for item in data.index]
    lines = sum(label.count("\n") + 1 for label in labels)
    colors = diverging_palette(k)
    y = np.arange(len(data))
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 1.8 + 0.2 * lines + 0.18 * len(data))
        bar_kws = {"height": 0.64, "edgecolor": "white", "linewidth": 0.6, **kws}
        for j, category in enumerate(data.columns):
            ax.barh(
                y, shares[:, j], left=starts[:, j], color=colors[j], label=str(category), **bar_kws
            )
            text = {**_CENTER, "fontsize": 6.5, "color": text_color(colors[j])}
            for yi, share, start in zip(y, shares[:, j], starts[:, j], strict=True):
                if share >= 0.1:
                    ax.text(start + share / 2, yi, f"{share:.0%}", **text)
        ax.axvline(0, color="#555555", linewidth=0.9, zorder=0.8)
        ax.set_xlim(-1, 1)
        ax.xaxis.set_major_locator(FixedLocator(np.linspace(-1, 1, 9)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{abs(x):.0%}"))
        ax.set_yticks(y, labels=labels, multialignment="left")
        ax.set_ylim(len(data) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ncol = k if k <= 7 else -(-k // 2)  # one row, or two rows read left to right
        order = [i for c in range(ncol) for i in range(c, k, ncol)]  # a legend fills by column
        handles, texts = ax.get_legend_handles_labels()
        below = ax.transAxes + ScaledTranslation(0, -0.45, ax.figure.dpi_scale_trans)
        handles, texts = [handles[i] for i in order], [texts[i] for i in order]
        ax.legend(handles, texts, bbox_transform=below, ncol=ncol, **_BELOW)
        _finish(ax, lang, "items_title", title, x="share", y="item")
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
    point_levels = bands["level"].to_numpy()[np.searchsorted(edges, scores, side="right")]
    y = np.arange(len(data)) + 1.0
    with house_style():
        if ax is None:
            _, ax = new_figure(_WIDTH_IN, 1.5 + 0.28 * (len(data) + 1))
        for lv in bands.itertuples(index=False):
            color = LEVEL_COLORS[int(lv.level)]
            ax.barh(0, lv.upper - lv.lower, left=lv.lower, color=color, **_BAND)
            name, mid = f"L{int(lv.level)} {lv.name}", (lv.lower + lv.upper) / 2
            ax.text(mid, 0, name, fontsize=8.5, color=text_color(color), **_CENTER)
        for edge in edges:
            ax.axvline(edge, color="#BBBBBB", linewidth=0.7, linestyle=":", zorder=0.5)
        ax.hlines(y, 0, scores, color="#CCCCCC", linewidth=1.0, zorder=1)
        marker_kws = {"s": 46, "edgecolor": "#333333", "linewidth": 0.8, "zorder": 3, **kws}
        ax.scatter(scores, y, c=[LEVEL_COLORS[int(v)] for v in point_levels], **marker_kws)
        for yi, score in zip(y, scores, strict=True):
            _end_label(ax, score, yi, fmt_score(score), 7, 2.2, "#333333")
        ax.set_yticks(y, labels=[str(label) for label in data["label"]])
        ax.set_ylim(len(data) + 0.7, -0.5)
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_locator(FixedLocator(sorted({*bands["lower"], *bands["upper"]})))
        ax.tick_params(axis="y", length=0)
        ax.grid(False)
        ax.spines[["left", "right", "top"]].set_visible(False)
        _finish(ax, lang, "levels_title", title, x="score")
    return ax
