"""Stacked bars drawn in HTML: where each segment starts and how wide it is.

The templates place each segment with ``left`` and ``width`` in percent of the bar's track.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .palette import text_color


def stacked(
    values: Sequence[float], colors: Sequence[str], full: float, *, label_from: float = 0.07
) -> list[dict[str, Any]]:
    """The segments of one stacked bar, left to right; empty values are left out.

    Parameters
    ----------
    values
        The amounts, in stacking order.
    colors
        One colour per amount.
    full
        The amount that fills the whole track (the bar's own total for a 100% bar, the largest
        total for bars compared with each other).
    label_from
        Segments narrower than this share of the track are drawn without their number.

    Examples
    --------
    >>> [(s["left"], s["width"]) for s in stacked([1, 0, 3], ["#000000"] * 3, 8)]
    [(0.0, 12.5), (12.5, 37.5)]
    """
    segments, start = [], 0.0
    for value, color in zip(values, colors, strict=True):
        share = value / full if full else 0.0
        if share > 0:
            segments.append(
                {"left": start * 100, "width": share * 100, "value": value, "color": color,
                 "ink": text_color(color), "labelled": share >= label_from}
            )  # fmt: skip
        start += share
    return segments
