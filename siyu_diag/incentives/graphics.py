"""The incentive chapter's figures drawn in HTML: weight mix, check marks, grade bars, pay dots.

Each function turns a table the caller has already localised (unit names, column labels) into the
plain data a template of ``templates/fragments/incentives/`` draws: cells with their colours,
segments and dots with their positions in percent. Nothing here knows the chapter object;
:mod:`~.render` passes the pieces in.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..core.bars import stacked
from ..core.fragments import heat_table, label
from ..core.palette import SHARE_STOPS, grade_colors, heat_cell, heat_scale, ramp_color
from .alignment import CHECKS


def check_cells(checks: pd.DataFrame, names: dict[str, str]) -> list[dict[str, Any]]:
    """Per unit (``names``: id → display name), one mark per alignment check.

    A mark is ``"bad"`` where the check found a problem, ``"ok"`` where it did not and ``"na"``
    where it does not apply (None or NaN), in the order of :data:`~.alignment.CHECKS`.
    """
    rows = []
    for rec in checks.to_dict("records"):
        cells = []
        for c in CHECKS:
            v = rec[c]
            cells.append("na" if v is None or (isinstance(v, float) and np.isnan(v)) else
                         ("bad" if v else "ok"))  # fmt: skip
        rows.append({"unit": names[rec["unit"]], "cells": cells})
    return rows


def mix_table(mix: pd.DataFrame, lang: str) -> dict[str, Any]:
    """The weight mix as a heat table: units down; three horizons, then three families across."""
    rows = [
        {
            "name": unit,
            "cells": [
                None if v != v else heat_cell(f"{v * 100:.0f}%", ramp_color(v, SHARE_STOPS))
                for v in values
            ],
        }
        for unit, values in zip(mix.index, mix.to_numpy(float), strict=True)
    ]
    scale = heat_scale(SHARE_STOPS, "0%", "100%")
    corner = label("incentives_mix_columns", lang)
    return heat_table(list(mix.columns), rows, scale, split=3, corner=corner)


def grade_rows(counts: pd.DataFrame) -> list[dict[str, Any]]:
    """Per unit, a 100% bar of its people by grade (best first), each segment with its count."""
    colors = grade_colors(counts.shape[1])
    return [
        {"unit": unit, "segments": stacked(row.to_numpy(float), colors, row.sum())}
        for unit, row in counts.iterrows()
    ]


#: Vertical places of the dots in a unit's track (% of its height), taken in turn along the
#: unit's people from the lowest pay up, so people with (nearly) the same pay sit apart.
DOT_TOPS = (50.0, 30.0, 70.0, 40.0, 60.0)


def nice_ticks(top: float) -> list[float]:
    """Round ticks from 0 to at least ``top``: steps of 1, 2, 2.5 or 5 × 10^k, 4–6 ticks.

    The step is the smallest one that reaches ``top`` in at most five steps (so at least three);
    a ``top`` that is not positive counts as 1.

    Examples
    --------
    >>> nice_ticks(3400)
    [0.0, 1000.0, 2000.0, 3000.0, 4000.0]
    >>> nice_ticks(51000)
    [0.0, 20000.0, 40000.0, 60000.0]
    """
    top = float(top) if math.isfinite(top) and top > 0 else 1.0
    power = 10.0 ** math.floor(math.log10(top / 5))
    step = min(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= top / 5 * (1 - 1e-9))
    n = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(n + 1)]


def tick_label(value: float) -> str:
    """``12,000``; decimals only when the tick has them (``2.5``, ``0.2``)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.10g}"


def pay_dots(pay: pd.DataFrame) -> dict[str, Any]:
    """Variable pay per person drawn in HTML: one track per unit, a dot per person.

    Parameters
    ----------
    pay
        Columns ``unit`` (display name) and ``variable`` (CNY per person per period); units come
        in order of first appearance, missing pay is left out.

    Returns
    -------
    dict
        ``rows``: per unit ``{"unit", "dots": [{"left", "top"}], "band": {"left", "width"},
        "median"}``; ``ticks``: ``[{"left", "label"}]``; ``axis_max``. Every position is in
        percent of the track: ``left`` = value / ``axis_max`` × 100, the band runs from the
        first to the third quartile (:func:`numpy.percentile`), ``top`` is the dot's place
        across the track (:data:`DOT_TOPS`).
    """
    pay = pay.dropna(subset=["variable"])
    ticks = nice_ticks(pay["variable"].max() if len(pay) else 0.0)
    axis_max = ticks[-1]

    def at(value: float) -> float:
        return min(max(float(value) / axis_max * 100, 0.0), 100.0)

    rows = []
    for unit in pd.unique(pay["unit"]):
        values = np.sort(pay.loc[pay["unit"] == unit, "variable"].to_numpy(float), kind="stable")
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        dots = [{"left": at(v), "top": DOT_TOPS[i % len(DOT_TOPS)]} for i, v in enumerate(values)]
        rows.append(
            {"unit": unit, "dots": dots, "band": {"left": at(q1), "width": at(q3) - at(q1)},
             "median": at(median)}
        )  # fmt: skip
    return {
        "rows": rows,
        "ticks": [{"left": t / axis_max * 100, "label": tick_label(t)} for t in ticks],
        "axis_max": axis_max,
    }
