"""Uncertainty: three-point scenarios, a tornado and a seeded Monte Carlo.

All three use the drivers with a *stated* range (``{low, likely, high}`` in plan.yaml or a
channel table); a driver without one is held at its value.

- **Scenarios.** *Base* is every driver at its likely value. *Pessimistic* puts every ranged
  driver at the end of its range that gives the lower year-1 profit, *optimistic* at the end
  that gives the higher one (each end judged with the other drivers at their likely values).
- **Tornado.** Each ranged driver alone at its low and at its high end; year-1 GMV and profit;
  drivers ordered by the swing ``|high − low|`` of the measure shown.
- **Monte Carlo.** Each ranged driver is drawn from a Beta-PERT distribution on its range
  (``α = 1 + 4 (likely − low) / (high − low)``, ``β = 1 + 4 (high − likely) / (high − low)``;
  the mode is the likely value), independently of the others (an assumption: in reality some
  drivers move together), with a seeded :class:`numpy.random.Generator` (PCG64). All draws are
  projected at once (arrays draws × months). Reported: P10 / P50 / P90 of year-1 GMV, year-1
  profit and the break-even month, the share of draws that break even within the horizon, and
  the probability that year-1 GMV reaches the top-down target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .inputs import PlanInputs
from .projection import CompiledPlan, compile_plan, simulate, year_sum

#: Columns of the tornado table.
TORNADO_COLUMNS = (
    "driver",
    "low",
    "likely",
    "high",
    "gmv_low",
    "gmv_high",
    "profit_low",
    "profit_high",
    "gmv_swing",
    "profit_swing",
)

#: Columns of the scenario table (money in CNY; break-even month or NaN).
SCENARIO_COLUMNS = (
    "scenario",
    "gmv",
    "profit",
    "cumulative_profit",
    "roi",
    "break_even_month",
)

SCENARIOS = ("pessimistic", "base", "optimistic")


def ranged_drivers(inputs: PlanInputs) -> list[str]:
    """Drivers with a stated range of some width, in the plan's order."""
    return [n for n, d in inputs.drivers.items() if d.has_range]


def _run(plan: CompiledPlan, varied: dict[str, np.ndarray], draws: int) -> dict[str, np.ndarray]:
    r = simulate(plan, draws, varied)
    cost = year_sum(r["total_cost"])
    profit = year_sum(r["profit"])
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(cost > 0, profit / np.where(cost > 0, cost, 1.0), np.nan)
    return {
        "gmv": year_sum(r["gmv"]),
        "profit": profit,
        "roi": roi,
        "cumulative_profit": r["cumulative_profit"][:, -1],
        "break_even": r["break_even"],
    }


def tornado(inputs: PlanInputs, plan: CompiledPlan | None = None) -> pd.DataFrame:
    """Year-1 GMV and profit with each ranged driver alone at its low and high end.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TORNADO_COLUMNS` (money in CNY), ordered by profit swing, largest first.
    """
    plan = plan or compile_plan(inputs)
    names = ranged_drivers(inputs)
    if not names:
        return pd.DataFrame(columns=list(TORNADO_COLUMNS))
    # one batch: draw 2i is driver i at its low end, draw 2i+1 at its high end
    n = len(names)
    varied = {}
    for i, name in enumerate(names):
        d = inputs.drivers[name]
        column = np.full(2 * n, float(d.value))
        column[2 * i], column[2 * i + 1] = d.low, d.high
        varied[name] = column
    out = _run(plan, varied, 2 * n)
    frame = pd.DataFrame(
        {
            "driver": names,
            "low": [inputs.drivers[x].low for x in names],
            "likely": [inputs.drivers[x].value for x in names],
            "high": [inputs.drivers[x].high for x in names],
            "gmv_low": out["gmv"][0::2],
            "gmv_high": out["gmv"][1::2],
            "profit_low": out["profit"][0::2],
            "profit_high": out["profit"][1::2],
        }
    )
    frame["gmv_swing"] = (frame["gmv_high"] - frame["gmv_low"]).abs()
    frame["profit_swing"] = (frame["profit_high"] - frame["profit_low"]).abs()
    frame = frame.sort_values(["profit_swing", "driver"], ascending=[False, True])
    return frame.reset_index(drop=True)[list(TORNADO_COLUMNS)]


def scenario_values(inputs: PlanInputs, table: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Driver values of the pessimistic and optimistic scenarios, from a :func:`tornado` table."""
    pess, opt = {}, {}
    for r in table.itertuples():
        worse_low = r.profit_low <= r.profit_high
        pess[r.driver] = float(r.low if worse_low else r.high)
        opt[r.driver] = float(r.high if worse_low else r.low)
    return {"pessimistic": pess, "base": {}, "optimistic": opt}


def project_scenarios(
    inputs: PlanInputs, table: pd.DataFrame | None = None, plan: CompiledPlan | None = None
) -> pd.DataFrame:
    """Year-1 figures of the pessimistic, base and optimistic scenarios.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SCENARIO_COLUMNS`, rows in the order of :data:`SCENARIOS`;
        ``cumulative_profit`` is over the whole horizon.
    """
    plan = plan or compile_plan(inputs)
    table = tornado(inputs, plan) if table is None else table
    values = scenario_values(inputs, table)
    names = sorted({k for v in values.values() for k in v})
    varied = {
        n: np.array([values[s].get(n, inputs.value(n)) for s in SCENARIOS], dtype=float)
        for n in names
    }
    out = _run(plan, varied, len(SCENARIOS))
    return pd.DataFrame(
        {
            "scenario": list(SCENARIOS),
            "gmv": out["gmv"],
            "profit": out["profit"],
            "cumulative_profit": out["cumulative_profit"],
            "roi": out["roi"],
            "break_even_month": np.where(out["break_even"] > 0, out["break_even"], np.nan),
        }
    )[list(SCENARIO_COLUMNS)]


def pert(rng: np.random.Generator, low: float, likely: float, high: float, size: int) -> np.ndarray:
    """Draw ``size`` values from a Beta-PERT distribution (λ = 4) on ``[low, high]``."""
    if high <= low:
        return np.full(size, float(likely))
    alpha = 1 + 4 * (likely - low) / (high - low)
    beta = 1 + 4 * (high - likely) / (high - low)
    return low + (high - low) * rng.beta(alpha, beta, size)


@dataclass(frozen=True)
class MonteCarlo:
    """A Monte Carlo run.

    Attributes
    ----------
    draws, seed
        Number of draws and the generator's seed.
    drivers
        The drivers that were varied.
    gmv, profit
        Year-1 GMV and profit of every draw, CNY, shape ``(draws,)``.
    break_even
        Break-even month of every draw (1-based), 0 when not within the horizon.
    target_gmv
        The top-down target (CNY), or None.
    """

    draws: int
    seed: int
    drivers: tuple[str, ...]
    gmv: np.ndarray
    profit: np.ndarray
    break_even: np.ndarray
    horizon: int
    target_gmv: float | None

    def percentiles(self, values: np.ndarray) -> tuple[float, float, float]:
        """P10, P50 and P90 of ``values``."""
        p = np.percentile(values, [10, 50, 90])
        return float(p[0]), float(p[1]), float(p[2])

    def break_even_percentiles(self) -> tuple[int | None, int | None, int | None]:
        """P10, P50, P90 of the break-even month; None where it lies beyond the horizon."""
        months = np.where(self.break_even > 0, self.break_even, np.inf)
        p = np.percentile(months, [10, 50, 90], method="inverted_cdf")
        return tuple(int(v) if np.isfinite(v) else None for v in p)  # type: ignore[return-value]

    @property
    def prob_break_even(self) -> float:
        """Share of draws that break even within the horizon."""
        return float(np.mean(self.break_even > 0))

    @property
    def prob_target(self) -> float | None:
        """Share of draws whose year-1 GMV reaches the target (None without a target)."""
        if self.target_gmv is None:
            return None
        return float(np.mean(self.gmv >= self.target_gmv))


def monte_carlo(
    inputs: PlanInputs,
    *,
    draws: int | None = None,
    seed: int | None = None,
    plan: CompiledPlan | None = None,
) -> MonteCarlo:
    """Draw the ranged drivers and project every draw at once.

    Parameters
    ----------
    inputs
        The plan.
    draws, seed
        Override plan.yaml's ``monte_carlo`` settings.
    plan
        ``compile_plan(inputs)`` when already at hand.

    Returns
    -------
    MonteCarlo
        The same seed and draws always give the same numbers.
    """
    plan = plan or compile_plan(inputs)
    draws = int(draws or inputs.monte_carlo.draws)
    seed = int(inputs.monte_carlo.seed if seed is None else seed)
    rng = np.random.default_rng(seed)
    names = ranged_drivers(inputs)
    varied = {}
    for name in names:  # one stream, drivers in plan order: reproducible
        d = inputs.drivers[name]
        varied[name] = pert(rng, float(d.low), float(d.value), float(d.high), draws)
    out = _run(plan, varied, draws)
    target = inputs.target.amount(inputs.last_year.gmv) if inputs.target else None
    return MonteCarlo(
        draws=draws,
        seed=seed,
        drivers=tuple(names),
        gmv=out["gmv"],
        profit=out["profit"],
        break_even=out["break_even"],
        horizon=plan.horizon,
        target_gmv=target,
    )
