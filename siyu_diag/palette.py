"""The house colours, and colours for HTML drawn without matplotlib (heat tables, bars).

Plain constants and arithmetic, no plotting library: the batch's portfolio page uses them in a
process that never imports matplotlib. :mod:`siyu_diag.style` builds the chart palettes on them.
"""

from __future__ import annotations

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

#: Colour of the target state (e.g. the dashed radar line).
TARGET_COLOR = "#C8501E"

#: Colour of neutral answers and of missing cells.
NEUTRAL_COLOR = "#C9C9C9"

#: Colour of a hidden or missing heatmap cell.
MISSING_COLOR = "#EEEEEE"


#: The score scale as a CSS gradient's colour stops (0 on the left, 100 on the right).
SCORE_RAMP = ", ".join(LEVEL_COLORS[level] for level in sorted(LEVEL_COLORS))


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def score_color(score: float) -> str:
    """The colour of a 0–100 score on the scale running through :data:`LEVEL_COLORS`.

    The same scale as the charts' ``SCORE_CMAP``: the five level colours evenly spaced from 0 to
    100, mixed linearly in between; scores outside 0–100 take the end colours.

    Examples
    --------
    >>> score_color(0), score_color(100)
    ('#d55e00', '#009e73')
    >>> score_color(12.5)  # halfway between the level 1 and level 2 colours
    '#de7e00'
    """
    stops = [_rgb(LEVEL_COLORS[level]) for level in sorted(LEVEL_COLORS)]
    position = min(max(float(score), 0.0), 100.0) / 100 * (len(stops) - 1)
    i = min(int(position), len(stops) - 2)
    frac = position - i
    mixed = [a + (b - a) * frac for a, b in zip(stops[i], stops[i + 1], strict=True)]
    return "#" + "".join(f"{round(c * 255):02x}" for c in mixed)


def text_color(background: str) -> str:
    """Dark or white text, whichever reads better on ``background`` (a hex colour)."""
    r, g, b = _rgb(background)
    return "#222222" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def heat_cell(score: float | None) -> dict[str, object] | None:
    """A heat-table cell: the score with its background and text colours; None when missing."""
    if score is None or score != score:  # None or NaN
        return None
    background = score_color(score)
    return {"score": float(score), "color": background, "ink": text_color(background)}
