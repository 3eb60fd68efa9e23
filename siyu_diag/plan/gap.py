"""Top-down vs bottom-up: the year-1 GMV gap and what would close it.

- The *bottom-up* figure is the projection's year-1 GMV (months 1–12); the *top-down* target is
  last year's GMV × (1 + growth) or an amount (plan.yaml ``target``). ``gap = target −
  bottom-up`` (positive: the plan falls short).
- For each driver that changes GMV, the value that alone closes the gap. Year-1 GMV is affine
  in every driver except the monthly churn, so the value is solved exactly from the slope
  between two projections; for the churn it is found with :func:`scipy.optimize.brentq` between
  0 and its current value. The value is *feasible* when it lies within the driver's stated range
  or, without one, within ±20 % of its current value (:data:`~.drivers.DEFAULT_SPREAD`), and
  *impossible* when it breaks the driver's limits (a rate above 1, a negative count) or no value
  closes the gap.
- The *suggested combination* moves every GMV driver the same fraction ``t`` of the way from
  its current value to the favourable end of that room (the range's high end, or the low end
  for churn), with ``t`` solved so that year-1 GMV meets the target exactly; when even ``t = 1``
  falls short, every driver is at its favourable end and the remaining gap is reported.
- The *bridge* splits the suggestion into steps: drivers are applied one after another (largest
  single effect first, grouped per channel) and each step's GMV change is recorded; the steps
  add up exactly to the suggested GMV minus the bottom-up GMV.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from . import drivers as drv
from .inputs import PlanInputs, effective_range
from .projection import CompiledPlan, compile_plan, simulate, year_sum

#: Columns of :attr:`GapAnalysis.closing`.
CLOSING_COLUMNS = (
    "driver",
    "current",
    "closing_value",
    "change",
    "low",
    "high",
    "stated_range",
    "status",
)


@dataclass(frozen=True)
class GapAnalysis:
    """The top-down target against the bottom-up plan, year 1.

    Attributes
    ----------
    target_gmv, bottom_up_gmv, gap
        CNY; ``gap = target_gmv − bottom_up_gmv``.
    basis, growth
        ``"growth"`` (last year's GMV × (1 + growth)) or ``"amount"``.
    closing
        One row per GMV driver, columns :data:`CLOSING_COLUMNS`: the value that alone closes
        the gap, its relative change, the room (``low``–``high``) and ``status`` ∈
        ``feasible``, ``beyond_range``, ``impossible``. Empty when there is no gap.
    suggestion
        Columns ``driver``, ``current``, ``suggested``, ``change``: the combined move.
    fraction
        The share ``t`` of each driver's room the suggestion uses (0–1).
    suggested_gmv
        Year-1 GMV with the suggestion, CNY.
    reaches_target
        Whether the suggestion meets the target.
    bridge
        Columns ``step`` (a driver, or ``channel:<id>`` for a channel's drivers) and ``gmv``
        (CNY added by that step).
    """

    target_gmv: float
    bottom_up_gmv: float
    gap: float
    basis: str
    growth: float | None
    closing: pd.DataFrame
    suggestion: pd.DataFrame
    fraction: float
    suggested_gmv: float
    reaches_target: bool
    bridge: pd.DataFrame

    @property
    def gap_share(self) -> float:
        """The gap as a share of the target."""
        return self.gap / self.target_gmv if self.target_gmv else float("nan")


class _GmvY1:
    """Year-1 GMV as a function of driver values, on one compiled plan."""

    def __init__(self, plan: CompiledPlan):
        self.plan = plan

    def __call__(self, values: dict[str, float]) -> float:
        varied = {k: np.array([v]) for k, v in values.items()}
        return float(year_sum(simulate(self.plan, 1, varied)["gmv"])[0])


def gmv_drivers(inputs: PlanInputs) -> list[str]:
    """The drivers that change GMV, in the plan's order."""
    return [name for name in inputs.drivers if drv.affects_gmv(name)]


def _status(name: str, value: float, low: float, high: float) -> str:
    if not np.isfinite(value) or not drv.bounds(name).contains(value):
        return "impossible"
    tol = 1e-9 * max(1.0, abs(value))
    return "feasible" if low - tol <= value <= high + tol else "beyond_range"


def _closing_value(gmv: _GmvY1, name: str, current: float, target: float, base: float) -> float:
    """The value of ``name`` alone at which year-1 GMV equals ``target`` (NaN if none)."""
    if drv.is_linear_in_gmv(name):
        step = abs(current) * 0.1 or 1.0
        slope = (gmv({name: current + step}) - base) / step
        if slope == 0:
            return float("nan")
        return current + (target - base) / slope
    # monthly churn: GMV falls as churn rises
    b = drv.bounds(name)
    lo, hi = b.low, min(b.high, 1.0)

    def f(x: float) -> float:
        return gmv({name: x}) - target

    f_lo, f_hi = f(lo), f(hi)
    if f_lo * f_hi > 0:
        return float("nan")
    return float(brentq(f, lo, hi, xtol=1e-12, rtol=1e-12))


def _favourable(inputs: PlanInputs, gmv: _GmvY1, name: str, base: float) -> float:
    """The end of the driver's room that raises GMV."""
    low, high = effective_range(inputs, name)
    current = inputs.value(name)
    if high > current:
        return high if gmv({name: high}) >= base else low
    return low if gmv({name: low}) >= base else high


def analyse_gap(inputs: PlanInputs, plan: CompiledPlan | None = None) -> GapAnalysis | None:
    """Compare the top-down target with the bottom-up plan and find what closes the gap.

    Parameters
    ----------
    inputs
        The plan, complete.
    plan
        ``compile_plan(inputs)`` when already at hand.

    Returns
    -------
    GapAnalysis or None
        None when plan.yaml sets no target.
    """
    if inputs.target is None:
        return None
    plan = plan or compile_plan(inputs)
    gmv = _GmvY1(plan)
    base = gmv({})
    target = inputs.target.amount(inputs.last_year.gmv)
    gap = target - base
    names = gmv_drivers(inputs)
    rows = []
    if gap > 0:
        for name in names:
            current = inputs.value(name)
            low, high = effective_range(inputs, name)
            value = _closing_value(gmv, name, current, target, base)
            rows.append(
                {
                    "driver": name,
                    "current": current,
                    "closing_value": value,
                    "change": value / current - 1 if current else float("nan"),
                    "low": low,
                    "high": high,
                    "stated_range": inputs.drivers[name].has_range,
                    "status": _status(name, value, low, high),
                }
            )
    closing = pd.DataFrame(rows, columns=list(CLOSING_COLUMNS))
    if gap <= 0:
        empty = pd.DataFrame(columns=["driver", "current", "suggested", "change"])
        return GapAnalysis(
            target_gmv=target,
            bottom_up_gmv=base,
            gap=gap,
            basis="amount" if inputs.target.gmv is not None else "growth",
            growth=inputs.target.growth,
            closing=closing,
            suggestion=empty,
            fraction=0.0,
            suggested_gmv=base,
            reaches_target=True,
            bridge=pd.DataFrame(columns=["step", "gmv"]),
        )
    current = {n: inputs.value(n) for n in names}
    favourable = {n: _favourable(inputs, gmv, n, base) for n in names}
    moving = [n for n in names if favourable[n] != current[n]]

    def at(t: float) -> dict[str, float]:
        return {n: current[n] + t * (favourable[n] - current[n]) for n in moving}

    top = gmv(at(1.0))
    if top >= target:
        t = float(brentq(lambda x: gmv(at(x)) - target, 0.0, 1.0, xtol=1e-14, rtol=1e-14))
    else:
        t = 1.0
    suggested = at(t)
    suggestion = pd.DataFrame(
        [
            {
                "driver": n,
                "current": current[n],
                "suggested": suggested[n],
                "change": suggested[n] / current[n] - 1 if current[n] else float("nan"),
            }
            for n in moving
        ],
        columns=["driver", "current", "suggested", "change"],
    )
    suggested_gmv = gmv(suggested)
    return GapAnalysis(
        target_gmv=target,
        bottom_up_gmv=base,
        gap=gap,
        basis="amount" if inputs.target.gmv is not None else "growth",
        growth=inputs.target.growth,
        closing=closing,
        suggestion=suggestion,
        fraction=t,
        suggested_gmv=suggested_gmv,
        reaches_target=bool(suggested_gmv >= target * (1 - 1e-9)),
        bridge=_bridge(gmv, suggested, base),
    )


def _step_of(name: str) -> str:
    kind, entity = drv.split_name(name)
    return f"channel:{entity}" if kind in drv.CHANNEL_DRIVERS else name


def _bridge(gmv: _GmvY1, suggested: dict[str, float], base: float) -> pd.DataFrame:
    """Sequential GMV steps from the plan to the suggestion, largest single step first."""
    steps: dict[str, dict[str, float]] = {}
    for name, value in suggested.items():
        steps.setdefault(_step_of(name), {})[name] = value
    alone = {s: gmv(v) - base for s, v in steps.items()}
    order = sorted(steps, key=lambda s: (-alone[s], s))
    applied: dict[str, float] = {}
    previous = base
    rows = []
    for s in order:
        applied.update(steps[s])
        now = gmv(applied)
        rows.append({"step": s, "gmv": now - previous})
        previous = now
    return pd.DataFrame(rows, columns=["step", "gmv"])
