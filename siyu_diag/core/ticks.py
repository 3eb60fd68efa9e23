"""Tick formats and units of chart axes: thousands separators, percentages and money.

Money stays in CNY in the data; a money axis is labelled in 万元 in Chinese and in CNY thousand
(or million) in English, and its ticks are the amounts divided accordingly. Formatters are
:class:`matplotlib.ticker.FuncFormatter` objects, set per axis: nothing global changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter


def number_formatter(digits: int = 0, *, scale: float = 1.0) -> FuncFormatter:
    """Tick labels with thousands separators, e.g. ``12,500``, of the values divided by ``scale``.

    Examples
    --------
    >>> number_formatter(1, scale=1e4)(125000, 0)
    '12.5'
    """
    return FuncFormatter(lambda v, _: f"{v / scale:,.{digits}f}")


def percent_formatter(digits: int = 0, *, absolute: bool = False) -> FuncFormatter:
    """Tick labels of shares 0–1 as percentages, e.g. ``0.25 → 25%``.

    Parameters
    ----------
    digits
        Decimals of the percentage.
    absolute
        Drop the sign (an axis that runs both ways from zero, e.g. diverging bars).

    Examples
    --------
    >>> percent_formatter(absolute=True)(-0.25, 0)
    '25%'
    """
    if absolute:
        return FuncFormatter(lambda v, _: f"{abs(v) * 100:.{digits}f}%")
    return FuncFormatter(lambda v, _: f"{v * 100:.{digits}f}%")


def finite_max(values: Any, default: float) -> float:
    """The largest finite value of ``values``, or ``default`` when there is none (no data).

    Examples
    --------
    >>> finite_max([0.1, float("nan")], 1.0), finite_max([float("nan")], 1.0)
    (0.1, 1.0)
    """
    finite = _finite(values)
    return float(finite.max()) if finite.size else default


def _finite(values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=float).ravel()
    return array[np.isfinite(array)]


def money_unit(
    values: np.ndarray | Sequence[float], lang: str, *, millions: bool = True
) -> tuple[float, str]:
    """The divisor and unit of a money axis: 万元 in Chinese; CNY k (or m) in English.

    Parameters
    ----------
    values
        The amounts on the axis (CNY).
    lang
        ``"zh"`` or ``"en"``.
    millions
        In English, use millions when the largest amount reaches a million.

    Examples
    --------
    >>> money_unit([2e6], "zh"), money_unit([2e6], "en"), money_unit([2e6], "en", millions=False)
    ((10000.0, '万元'), (1000000.0, 'CNY m'), (1000.0, 'CNY k'))
    """
    if lang == "zh":
        return 1e4, "万元"
    top = finite_max(np.abs(np.asarray(values, dtype=float)), 0.0)
    return (1e6, "CNY m") if millions and top >= 1e6 else (1e3, "CNY k")


def money_axis(
    ax: Axes, values: np.ndarray | Sequence[float], lang: str, what: str, *, axis: str = "y"
) -> None:
    """Label an axis of amounts in CNY in the unit of :func:`money_unit`, e.g. ``GMV（万元）``.

    Ticks get one decimal when the axis spans less than 20 units, none otherwise.

    Parameters
    ----------
    ax
        The chart's Axes.
    values
        The amounts drawn on the axis (CNY), which choose the unit and the decimals.
    lang
        ``"zh"`` or ``"en"``.
    what
        The axis title before the unit.
    axis
        ``"y"`` or ``"x"``.
    """
    scale, unit = money_unit(values, lang)
    label = f"{what}（{unit}）" if lang == "zh" else f"{what} ({unit})"
    finite = _finite(values)
    span = float(finite.max() - min(finite.min(), 0.0)) / scale if finite.size else 0.0
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(number_formatter(0 if span >= 20 else 1, scale=scale))
    (ax.set_ylabel if axis == "y" else ax.set_xlabel)(label)
