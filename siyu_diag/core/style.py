"""House style of every chart: bundled CJK font, palettes and figure helpers.

The style is applied with :func:`house_style`, a context manager around
:func:`matplotlib.rc_context`, so nothing leaks into the global ``rcParams``; :func:`chart_axes`
applies it around a chart and gives it its own figure when the caller passed no Axes. Figures are
built with :class:`matplotlib.figure.Figure` directly (never ``pyplot``), so nothing is registered
in pyplot's global figure list either. The only global change is that :func:`register_font` adds
the bundled font file to matplotlib's font manager, once. The drawing helpers the chapters' charts
share (titles, tick formats, heatmaps, stacked bars) are in :mod:`siyu_diag.core.charts`.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from cycler import cycler
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_hex
from matplotlib.figure import Figure

from . import assets
from .palette import LEVEL_COLORS, NEUTRAL_COLOR

#: Family used for glyphs the bundled subset does not cover.
FALLBACK_FAMILY = "DejaVu Sans"

#: Sequential 0–100 colour map running through the level colours.
SCORE_CMAP = LinearSegmentedColormap.from_list(
    "siyu_score", [LEVEL_COLORS[level] for level in range(1, 6)]
)

_DPI = 150

#: Width of a chart that fills an A4 text column, in inches.
COLUMN_WIDTH_IN = 7.0

#: The report languages a chart can be labelled in.
LANGS = ("zh", "en")


def diverging_palette(n: int) -> list[str]:
    """Return ``n`` colours from "disagree" (red) to "agree" (blue).

    Parameters
    ----------
    n
        Number of answer categories, at least 2. For an odd ``n`` the middle colour is
        :data:`NEUTRAL_COLOR`.

    Returns
    -------
    list of str
        Hex colours in scale order.
    """
    if n < 2:
        raise ValueError(f"`n` must be at least 2, but {n!r} was passed.")
    colors = [to_hex(c) for c in sns.color_palette("RdBu", n)]
    if n % 2:
        colors[n // 2] = NEUTRAL_COLOR
    return colors


def category_colors(n: int) -> list[str]:
    """Return ``n`` distinct colours of the house palette (seaborn "muted"), one per category.

    Examples
    --------
    >>> len(category_colors(3)), category_colors(0)
    (3, [])
    """
    return sns.color_palette("muted", max(n, 1)).as_hex()[: max(n, 0)]


def register_font() -> str:
    """Add the bundled CJK font to matplotlib's font manager and return its family name.

    Calling it again does nothing more: the file is added to the font manager once.

    Returns
    -------
    str
        The family name to use in ``font.family``: ``"Siyu Sans SC"``, the bundled subset of
        Noto Sans CJK SC.

    Raises
    ------
    FileNotFoundError
        If the bundled font file is missing from the installation.
    """
    path = str(assets.font_path())
    manager = font_manager.fontManager
    if not any(entry.fname == path for entry in manager.ttflist):
        manager.addfont(_checked(path))
    return _family(path)


def _checked(path: str) -> str:
    if not Path(path).is_file():
        raise FileNotFoundError(
            f"The bundled chart font is missing: expected {Path(path).name} in the package data "
            "folder 'data/fonts'. Reinstall siyu-diag or rebuild it with "
            "data/fonts/subset_font.py."
        )
    return path


@cache
def _family(path: str) -> str:
    return font_manager.FontProperties(fname=path).get_name()


def _rc(family: str) -> dict[str, Any]:
    rc: dict[str, Any] = dict(sns.axes_style("whitegrid"))
    rc.update(
        {
            "font.family": [family, FALLBACK_FAMILY],
            "font.sans-serif": [family, FALLBACK_FAMILY],
            "axes.unicode_minus": False,
            "axes.prop_cycle": cycler(color=sns.color_palette("muted").as_hex()),
            "axes.titlesize": 11,
            "axes.titleweight": "regular",
            "axes.titlepad": 8,
            "axes.labelsize": 9,
            "axes.edgecolor": "#B0B0B0",
            "grid.color": "#E4E4E4",
            "grid.linewidth": 0.6,
            "font.size": 9,
            "xtick.labelsize": 8,
            "ytick.labelsize": 8,
            "legend.fontsize": 8,
            "legend.title_fontsize": 8,
            "legend.frameon": False,
            "figure.dpi": 100,
            "figure.facecolor": "white",
            "savefig.dpi": _DPI,
            "savefig.facecolor": "white",
            # the whole figure: its constrained layout already fits every label inside, and a
            # "tight" box would lay the figure out a second time (a fifth of the render time)
            "savefig.bbox": "standard",
        }
    )
    return rc


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house chart style inside a ``with`` block.

    White grid, muted palette, the bundled CJK font (with DejaVu Sans as fallback), an ASCII
    hyphen as minus sign and font sizes for A4 reports. ``rcParams`` are restored on exit.

    Yields
    ------
    None

    Examples
    --------
    >>> with house_style():
    ...     fig, ax = new_figure(6, 3)
    """
    family = register_font()
    with mpl.rc_context(_rc(family)):
        yield


def new_figure(width_in: float, height_in: float, *, polar: bool = False) -> tuple[Figure, Axes]:
    """Create a stand-alone figure with one Axes, in the house style.

    The figure is a :class:`matplotlib.figure.Figure`, not a pyplot figure: it is not registered
    anywhere and is freed when no longer referenced.

    Parameters
    ----------
    width_in, height_in
        Figure size in inches.
    polar
        Create polar Axes (for radar charts).

    Returns
    -------
    tuple of Figure and Axes
    """
    with house_style():
        fig = Figure(figsize=(width_in, height_in), layout="constrained")
        ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax


@contextmanager
def chart_axes(
    ax: Axes | None, width_in: float, height_in: float, *, polar: bool = False
) -> Iterator[Axes]:
    """Draw a chart in the house style on ``ax``, or on a new figure when ``ax`` is None.

    Parameters
    ----------
    ax
        The caller's Axes, or None for a stand-alone figure from :func:`new_figure`.
    width_in, height_in
        Size of the new figure in inches (unused when ``ax`` is given).
    polar
        Create polar Axes (for radar charts).

    Yields
    ------
    Axes
        The Axes to draw on; the house style applies until the ``with`` block ends.

    Examples
    --------
    >>> with chart_axes(None, 6, 3) as ax:
    ...     _ = ax.plot([0, 1], [0, 1])
    """
    with house_style():
        if ax is None:
            _, ax = new_figure(width_in, height_in, polar=polar)
        yield ax


_MIME = {"png": "image/png", "svg": "image/svg+xml"}


def fig_to_bytes(fig: Figure, *, fmt: str = "png", dpi: float = _DPI) -> bytes:
    """Render ``fig`` in the house style to PNG or SVG bytes.

    Parameters
    ----------
    fig
        The figure to render.
    fmt
        ``"png"`` or ``"svg"``.
    dpi
        Resolution of a PNG (the report's 150 by default).

    Returns
    -------
    bytes
    """
    if fmt not in _MIME:
        raise ValueError(
            f"The value for `fmt` must be one of {list(_MIME)}, but {fmt!r} was passed."
        )
    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format=fmt, dpi=dpi)
    return buffer.getvalue()


def fig_to_data_uri(fig: Figure, *, fmt: str = "png") -> str:
    """Render ``fig`` to a base64 ``data:`` URI for embedding in HTML.

    Parameters
    ----------
    fig
        The figure to render.
    fmt
        ``"png"`` or ``"svg"``.

    Returns
    -------
    str
        E.g. ``"data:image/png;base64,iVBORw0..."``.
    """
    encoded = base64.b64encode(fig_to_bytes(fig, fmt=fmt)).decode("ascii")
    return f"data:{_MIME[fmt]};base64,{encoded}"


def check_lang(lang: str) -> None:
    """Raise ``ValueError`` naming the parameter when ``lang`` is not one of :data:`LANGS`."""
    if lang not in LANGS:
        raise ValueError(
            f"The value for `lang` must be one of {list(LANGS)}, but {lang!r} was passed."
        )


def check_chart_data(
    data: pd.DataFrame, columns: Sequence[str], lang: str, name: str = "data"
) -> None:
    """Raise ``ValueError`` naming the parameter when ``lang`` or ``data``'s columns are wrong."""
    check_lang(lang)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(
            f"`{name}` is missing column(s) {missing}; expected columns {list(columns)}, "
            f"found {list(data.columns)}."
        )
