"""Render the planning chapter's risk sections: the scenarios, the tornado and the Monte Carlo.

Same conventions as :mod:`~.render`; helpers from :mod:`~.render_common`.
"""

from __future__ import annotations

import pandas as pd

from ..core.fragments import Fragment
from ..core.style import fig_to_data_uri
from . import charts
from . import drivers as drv
from .chapter import PlanChapter
from .render_common import _ratio_or_none, _render, _skipped, _sub, _t, driver_label

#: Most drivers shown in a tornado.
TORNADO_LIMIT = 12


def render_plan_scenarios(ch: PlanChapter) -> Fragment:
    """Pessimistic, base and optimistic scenarios, and the saved scenario in use."""
    if not ch.available:
        return _skipped(ch, False)
    inputs, lang = ch.inputs, ch.lang
    rows = [
        {
            "name": _t(ch, f"plan_scn_{r.scenario}"),
            "gmv": r.gmv,
            "profit": r.profit,
            "cumulative": r.cumulative_profit,
            "roi": _ratio_or_none(r.roi),
            "break_even": None if pd.isna(r.break_even_month) else int(r.break_even_month),
        }
        for r in ch.analysis.scenarios.itertuples()
    ]
    overrides = [
        {
            "label": driver_label(inputs, name, lang),
            "fmt": drv.value_format(name),
            "value": d.value,
        }
        for name, d in inputs.drivers.items()
        if d.source == "scenario"
    ]
    return _render(
        ch,
        "scenarios.html.j2",
        toc=_sub(ch, "scenarios", "plan_sec_scenarios"),
        rows=rows,
        ranged=len(ch.analysis.tornado),
        scenario=inputs.scenario,
        description=inputs.scenario_description,
        overrides=overrides,
    )


def _tornado(ch: PlanChapter, measure: str) -> dict:
    """A tornado drawn in HTML: per driver, the measure at its low and high end around the base.

    Positions are percentages of one axis shared by every row, from the smallest to the largest
    outcome (the base included).
    """
    table = ch.analysis.tornado.sort_values(f"{measure}_swing", ascending=False)
    table = table.head(TORNADO_LIMIT)
    base = float(ch.analysis.projection.year(1)[measure])
    low, high = table[f"{measure}_low"].to_numpy(float), table[f"{measure}_high"].to_numpy(float)
    lo = min(base, low.min(), high.min())
    span = max(base, low.max(), high.max()) - lo or 1.0

    def bar(value: float) -> dict[str, float]:
        start, end = sorted((base, value))
        return {"left": (start - lo) / span * 100, "width": (end - start) / span * 100}

    rows = [
        {
            "label": driver_label(ch.inputs, driver, ch.lang),
            "low": a,
            "high": b,
            "low_bar": bar(a),
            "high_bar": bar(b),
        }
        for driver, a, b in zip(table["driver"], low, high, strict=True)
    ]
    return {"rows": rows, "base": base, "base_at": (base - lo) / span * 100, "measure": measure}


def render_plan_uncertainty(ch: PlanChapter) -> Fragment:
    """The tornado of the ranged drivers and the Monte Carlo percentiles and histogram."""
    if not ch.available:
        return _skipped(ch, False)
    a, lang = ch.analysis, ch.lang
    mc = a.monte_carlo
    has_ranges = not a.tornado.empty
    charts_ = {}
    tornados, rows = [], []
    if has_ranges:
        tornados = [_tornado(ch, m) for m in ("gmv", "profit")]
        gmv_p = mc.percentiles(mc.gmv)
        hist = charts.plot_mc_histogram(
            pd.Series(mc.gmv),
            target=mc.target_gmv,
            percentiles=gmv_p,
            lang=lang,
            measure=_t(ch, "plan_measure_gmv"),
            title=_t(ch, "plan_fig_mc"),
        )
        charts_["hist"] = fig_to_data_uri(hist.figure)
        rows = [
            {"name": _t(ch, "plan_measure_gmv"), "fmt": "money", "p": gmv_p},
            {"name": _t(ch, "plan_measure_profit"), "fmt": "money", "p": mc.percentiles(mc.profit)},
            {"name": _t(ch, "plan_break_even"), "fmt": "month", "p": mc.break_even_percentiles()},
        ]
    ranges = [
        {
            "label": driver_label(ch.inputs, r.driver, lang),
            "fmt": drv.value_format(r.driver),
            "low": r.low,
            "likely": r.likely,
            "high": r.high,
            "gmv_swing": r.gmv_swing,
            "profit_swing": r.profit_swing,
        }
        for r in a.tornado.itertuples()
    ]
    return _render(
        ch,
        "uncertainty.html.j2",
        toc=_sub(ch, "uncertainty", "plan_sec_uncertainty"),
        has_ranges=has_ranges,
        charts=charts_,
        tornados=tornados,
        rows=rows,
        ranges=ranges,
        mc=mc,
        prob_target=mc.prob_target,
        prob_break_even=mc.prob_break_even,
        limit=TORNADO_LIMIT,
    )
