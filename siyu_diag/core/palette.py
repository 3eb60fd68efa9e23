"""The house colours, and colours for HTML drawn without matplotlib (heat tables, bars).

Plain constants and arithmetic, no plotting library: the batch's portfolio page uses them in a
process that never imports matplotlib. :mod:`siyu_diag.core.style` builds the chart palettes on
them.
"""

from __future__ import annotations

from collections.abc import Sequence

#: One colour per maturity level 1..5, red → amber → yellow → light green → green. Built on the
#: Okabe–Ito colours (vermillion, orange, yellow, bluish green), which stay distinct under the
#: common colour-vision deficiencies; lightness also changes from level to level.
LEVEL_COLORS: dict[int, str] = {
    1: "#D55E00",
    2: "#E69F00",
    3: "#F0E442",
    4: "#A6D96A",
    5: "#009E73",
}

#: Colour of the client's current state (e.g. the filled radar polygon).
CURRENT_COLOR = "#2F6DB5"

#: A lighter companion of :data:`CURRENT_COLOR` (e.g. new customers' GMV beside returning
#: customers', the share of customers beside the share of GMV).
COMPANION_COLOR = "#8FA9CC"

#: A value beyond its threshold (e.g. a month whose churn is above it), and one within it.
ABOVE_COLOR = "#D55E00"
WITHIN_COLOR = "#7FA7D9"

#: Colour of the target state (e.g. the dashed radar line).
TARGET_COLOR = "#C8501E"

#: Colour of neutral answers and of missing cells.
NEUTRAL_COLOR = "#C9C9C9"

#: Colour of a hidden or missing heatmap cell.
MISSING_COLOR = "#EEEEEE"


#: Light to dark blue: shares (e.g. retained customers, weight shares) in heat tables and charts.
SHARE_STOPS = ("#F4F7FB", "#2F6DB5")

#: The level colours, evenly spaced: the 0–100 score scale.
SCORE_STOPS = tuple(LEVEL_COLORS[level] for level in sorted(LEVEL_COLORS))


def grade_colors(n: int) -> list[str]:
    """``n`` colours for grades from the best (the top level's green) to the worst (red)."""
    steps = [round(5 - 4 * i / (n - 1)) if n > 1 else 5 for i in range(n)]
    return [LEVEL_COLORS[level] for level in steps]


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def ramp_color(fraction: float, stops: Sequence[str]) -> str:
    """The colour at ``fraction`` (0–1, clipped) of a scale through evenly spaced ``stops``.

    Colours are mixed linearly in RGB, as matplotlib's ``LinearSegmentedColormap.from_list``
    and CSS gradients do.

    Examples
    --------
    >>> ramp_color(0.5, ["#000000", "#FFFFFF"])
    '#808080'
    """
    points = [_rgb(c) for c in stops]
    position = min(max(float(fraction), 0.0), 1.0) * (len(points) - 1)
    i = min(int(position), len(points) - 2)
    frac = position - i
    mixed = [a + (b - a) * frac for a, b in zip(points[i], points[i + 1], strict=True)]
    return "#" + "".join(f"{round(c * 255):02x}" for c in mixed)


def score_color(score: float) -> str:
    """The colour of a 0–100 score: the level colours evenly spaced from 0 to 100.

    The same scale as the charts' ``SCORE_CMAP``; scores outside 0–100 take the end colours.

    Examples
    --------
    >>> score_color(0), score_color(100)
    ('#d55e00', '#009e73')
    >>> score_color(12.5)  # halfway between the level 1 and level 2 colours
    '#de7e00'
    """
    return ramp_color(float(score) / 100, SCORE_STOPS)


def text_color(background: str) -> str:
    """Dark or white text, whichever reads better on ``background`` (a hex colour)."""
    r, g, b = _rgb(background)
    return "#222222" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def heat_cell(text: str, background: str) -> dict[str, str]:
    """A heat-table cell: its text, background colour and the text colour that reads on it."""
    return {"text": text, "color": background, "ink": text_color(background)}


def score_cell(score: float | None) -> dict[str, str] | None:
    """A heat-table cell for a 0–100 score (one decimal); None when the score is missing."""
    if score is None or score != score:  # None or NaN
        return None
    return heat_cell(f"{float(score):.1f}", score_color(score))


def heat_scale(stops: Sequence[str], low: str, high: str) -> dict[str, str]:
    """The legend under a heat table: a CSS gradient through ``stops`` between two labels."""
    return {"ramp": ", ".join(stops), "low": low, "high": high}
