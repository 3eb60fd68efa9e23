"""Drawing helpers shared by every chapter's charts: titles, legends, heatmaps, bars, notes.

The chapters' chart modules follow one pattern, ``plot_x(data, *, ax=None, lang="zh", title=None,
**kws) -> Axes``: they draw inside :func:`siyu_diag.core.style.chart_axes` (the house style, and a
figure of their own when no ``ax`` is passed) and never touch pyplot. This module holds what they
would otherwise each write again: a module's bilingual strings (:class:`ChartText`), the default
title and axis titles (:func:`label_axes`), wrapped labels, legends and their colour swatches,
annotated heatmaps and stacked bars, category axes, reference lines and value labels at the end
of a bar; tick formats and units are in :mod:`siyu_diag.core.ticks`. Nothing here knows any
chapter's domain: names and units come from the caller.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.legend import Legend
from matplotlib.patches import Patch

from .palette import MISSING_COLOR, text_color
from .style import COLUMN_WIDTH_IN, chart_axes

#: Colour of small annotations: value labels, notes at reference lines.
NOTE_COLOR = "#333333"
_NOTE = {"va": "center", "fontsize": 7.5, "color": NOTE_COLOR}
_CLEAR = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}  # hide lines
_CLOSING = "，。、；：！？）》」』】”’%,.;:!?)"  # never at the start of a line


class ChartText:
    """A chart module's bilingual strings, looked up as ``text(key, lang, **values)``.

    Parameters
    ----------
    table
        Key → ``{"zh": ..., "en": ...}``; a string may hold ``str.format`` fields.

    Examples
    --------
    >>> text = ChartText({"month": {"zh": "第 {m} 月", "en": "Month {m}"}})
    >>> text("month", "en", m=3)
    'Month 3'
    """

    def __init__(self, table: Mapping[str, Mapping[str, str]]) -> None:
        self.table = table

    def __call__(self, key: str, lang: str, **values: object) -> str:
        """The string ``key`` in ``lang``, with ``values`` filled in."""
        text = self.table[key][lang]
        return text.format(**values) if values else text


def wrap_label(text: object, width: int) -> str:
    r"""Wrap ``text`` to ``width`` characters, never starting a line with closing punctuation.

    Examples
    --------
    >>> wrap_label("目标清晰，分工明确", 4)  # the comma stays with the line it ends
    '目标清晰，\n分工明\n确'
    """
    lines = textwrap.wrap(str(text), width=width, break_on_hyphens=False) or [""]
    for i in range(1, len(lines)):
        while lines[i] and lines[i][0] in _CLOSING:
            lines[i - 1] += lines[i][0]
            lines[i] = lines[i][1:]
    return "\n".join(line for line in lines if line)


def label_axes(
    ax: Axes,
    title: str | None,
    default: str,
    *,
    xlabel: str | None = None,
    ylabel: str | None = None,
    **title_kws: Any,
) -> None:
    """Title a chart and name its axes.

    Parameters
    ----------
    ax
        The chart's Axes.
    title
        The caller's title: ``default`` when None, no title when ``""``.
    default
        The chart's own title.
    xlabel, ylabel
        Axis titles; left as they are when omitted.
    **title_kws
        Passed to :meth:`~matplotlib.axes.Axes.set_title` (e.g. ``pad``).
    """
    ax.set_title(default if title is None else title, **title_kws)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)


def legend_outside(ax: Axes, *args: Any, **kws: Any) -> Legend:
    """A legend right of the Axes, aligned with its top; ``args`` and ``kws`` go to ``legend``."""
    return ax.legend(*args, **{"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), **kws})


def swatches(labels: Iterable[object], colors: Iterable[str]) -> list[Patch]:
    """Legend handles: one colour patch per label."""
    return [Patch(color=c, label=str(k)) for k, c in zip(labels, colors, strict=True)]


def cell_labels(data: Any, fmt: Callable[[float], str], *, blank: str = "") -> np.ndarray:
    """The annotation of each cell of a table of numbers: ``fmt(value)``, ``blank`` when missing.

    Examples
    --------
    >>> cell_labels([[0.25, float("nan")]], lambda v: f"{v:.0%}").tolist()
    [['25%', '']]
    """
    values = np.asarray(data, dtype=float)
    return np.array(
        [[blank if np.isnan(v) else fmt(v) for v in row] for row in values], dtype=object
    )


def plot_annotated_heatmap(
    data: pd.DataFrame,
    *,
    labels: np.ndarray,
    ax: Axes | None = None,
    missing: str | None = MISSING_COLOR,
    upright_columns: bool = True,
    **kws: Any,
) -> Axes:
    """A heatmap with a text in each cell, no tick marks and upright row names.

    Parameters
    ----------
    data
        Rows × columns of values; the index and columns name the rows and columns.
    labels
        The text of each cell, shaped like ``data`` (e.g. from :func:`cell_labels`).
    ax
        Axes to draw on; a new figure is created when omitted.
    missing
        Background of missing (NaN) cells, with the grid turned off; None keeps the Axes' own.
    upright_columns
        Keep the column names horizontal (otherwise seaborn turns them when they overlap).
    **kws
        Passed to :func:`seaborn.heatmap` (``cmap``, ``vmin``, ``cbar_kws``…).

    Returns
    -------
    Axes
    """
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.6 + 0.4 * len(data)) as ax:
        if missing is not None:
            ax.set_facecolor(missing)
        sns.heatmap(data, ax=ax, annot=labels, fmt="", **kws)
        if missing is not None:
            ax.grid(False)
        ax.tick_params(axis="both", length=0)
        if upright_columns:
            ax.tick_params(axis="x", rotation=0)
        ax.tick_params(axis="y", rotation=0)
    return ax


def plot_stacked_barh(
    data: Any,
    *,
    colors: Sequence[str],
    y: np.ndarray | None = None,
    lefts: np.ndarray | None = None,
    labels: Sequence[object] | None = None,
    texts: np.ndarray | None = None,
    label_from: float = 0.0,
    text_kws: Mapping[str, Any] | None = None,
    ax: Axes | None = None,
    **kws: Any,
) -> Axes:
    """Horizontal stacked bars: one bar per row of ``data``, one segment per column.

    Parameters
    ----------
    data
        Bars × segments: the width of each segment.
    colors
        One colour per segment column.
    y
        Where each bar is drawn (0, 1, … by default).
    lefts
        Where each segment starts, shaped like ``data``; by default each segment starts where
        the one before it ends, the first at 0.
    labels
        Legend text of each segment column; none when omitted.
    texts
        Text written in the middle of each segment, shaped like ``data``, in a colour that reads
        on the segment's (e.g. from :func:`cell_labels`); none when omitted.
    label_from
        Segments narrower than this are drawn without their text.
    text_kws
        Passed to :meth:`~matplotlib.axes.Axes.text` for the segments' texts (e.g. ``fontsize``).
    ax
        Axes to draw on; a new figure is created when omitted.
    **kws
        Passed to :meth:`~matplotlib.axes.Axes.barh` (e.g. ``height``, ``edgecolor``).

    Returns
    -------
    Axes
    """
    widths = np.asarray(data, dtype=float)
    rows, columns = widths.shape
    y = np.arange(rows) if y is None else y
    with chart_axes(ax, COLUMN_WIDTH_IN, 1.4 + 0.4 * rows) as ax:
        running = np.zeros(rows)
        for j in range(columns):
            left = running if lefts is None else lefts[:, j]
            legend = {} if labels is None else {"label": str(labels[j])}
            ax.barh(y, widths[:, j], left=left, color=colors[j], **legend, **kws)
            if texts is not None:
                ink = {"ha": "center", "va": "center", "color": text_color(colors[j])}
                ink.update(text_kws or {})
                for yi, w, x0, s in zip(y, widths[:, j], left, texts[:, j], strict=True):
                    if w >= label_from:
                        ax.text(x0 + w / 2, yi, s, **ink)
            running = running + widths[:, j]
    return ax


def category_axis(
    ax: Axes,
    labels: Iterable[object],
    *,
    axis: str = "y",
    positions: Sequence[float] | np.ndarray | None = None,
    margin: float | None = None,
    **tick_kws: Any,
) -> None:
    """Name the categories of a bar chart, with no grid lines across the bars.

    Parameters
    ----------
    ax
        The chart's Axes.
    labels
        One name per category.
    axis
        ``"y"`` for horizontal bars (listed from the top), ``"x"`` for vertical ones.
    positions
        Where the categories are drawn (0, 1, … by default).
    margin
        Set the axis limits this far beyond the first and last position; left to matplotlib
        when omitted.
    **tick_kws
        Passed to ``set_yticks`` / ``set_xticks`` (e.g. ``rotation``).
    """
    names = [str(s) for s in labels]
    pos = np.arange(len(names)) if positions is None else np.asarray(positions)
    first, last = (pos.min(), pos.max()) if len(pos) else (0.0, -1.0)
    if axis == "y":
        ax.set_yticks(pos, labels=names, **tick_kws)
        if margin is not None:
            ax.set_ylim(last + margin, first - margin)
    else:
        ax.set_xticks(pos, labels=names, **tick_kws)
        if margin is not None:
            ax.set_xlim(first - margin, last + margin)
    ax.grid(axis=axis, visible=False)


def reference_line(
    ax: Axes,
    value: float,
    *,
    axis: str = "x",
    note: str | None = None,
    note_kws: Mapping[str, Any] | None = None,
    **line_kws: Any,
) -> None:
    """A line across the chart at ``value``, with an optional note naming it.

    Parameters
    ----------
    ax
        The chart's Axes.
    value
        Where the line is, in data coordinates.
    axis
        ``"x"``: a vertical line, its note above the Axes; ``"y"``: a horizontal line, its note
        right of the Axes.
    note
        Text of the note; none when omitted.
    note_kws
        Passed to :meth:`~matplotlib.axes.Axes.text` for the note (e.g. ``fontsize``).
    **line_kws
        Passed to ``axvline`` / ``axhline`` (e.g. ``color``, ``linestyle``, ``label``).
    """
    if axis == "x":
        ax.axvline(value, **line_kws)
        where, place = (value, 1.0, ax.get_xaxis_transform()), {"ha": "center", "va": "bottom"}
    else:
        ax.axhline(value, **line_kws)
        where, place = (1.01, value, ax.get_yaxis_transform()), {"ha": "left", "va": "center"}
    if note is not None:
        x, y, transform = where
        ax.text(x, y, note, transform=transform, **{**place, **(note_kws or {})})


def end_label(
    ax: Axes,
    x: float,
    y: float,
    text: str,
    *,
    pad: float,
    limit: float | None = None,
    room: float = 0.0,
    inside_color: str = NOTE_COLOR,
    clear: bool = False,
) -> None:
    """Write a bar's value just beyond its end, or just inside it when the axis ends first.

    Parameters
    ----------
    ax
        The chart's Axes.
    x, y
        The end of the bar, in data coordinates.
    text
        The value as text.
    pad
        Distance between the bar's end and the text, in data units.
    limit, room
        When ``x`` lies within ``room`` of ``limit`` (the end of the axis), the text goes inside
        the bar, right-aligned, in ``inside_color`` (one that reads on the bar).
    inside_color
        Colour of a text inside the bar.
    clear
        Put a text beyond the bar on a white box that hides lines behind it.
    """
    if limit is not None and x > limit - room:
        ax.text(x - pad, y, text, **{**_NOTE, "ha": "right", "color": inside_color})
    else:
        ax.text(x + pad, y, text, ha="left", **({"bbox": _CLEAR} if clear else {}), **_NOTE)
