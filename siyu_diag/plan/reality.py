"""The plan against the client's own history: what it bets on and what each bet is worth.

**History.** A driver's history comes from the operating data when the calibration offers it
(its value over the calibration months and the range of its monthly values; see
:mod:`siyu_diag.operations.calibration`), else from ``last_year`` in plan.yaml (one value, no
range). Only the model's customer drivers have a history; a channel's add rate has none, and
the check says so rather than judge it.

**Verdict.** A plan value is *within* history between the lowest and the highest month;
*more cautious* when it is less favourable than the least favourable month; *beyond the best*
when it is more favourable than the best month; *beyond* :data:`MULTIPLE` × *history* when it is
at least that many times the historical value (for churn, lower is favourable: the history is
that many times the plan's).

**The plan at history.** The same model, channels as planned, with every driver that has a
history at its historical value.

**What each bet is worth.** For a driver beyond the best month, the year-1 GMV and profit *at
stake* are the plan's minus those of the plan with only that driver at history. The plan's GMV
over the plan at history is shared among the drivers that differ from their history by the
**Shapley value**: a driver's part is its marginal GMV averaged over every order in which the
drivers could move from history to plan. The parts add up to the difference exactly and do not
depend on an order chosen by us. At most :data:`HISTORY_DRIVERS` (six) drivers differ, so the
``2^6`` model runs go in one vectorised call.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd

from .inputs import PlanInputs
from .projection import CompiledPlan, compile_plan, simulate, year_sum

#: The drivers a client's history gives (the calibration's and ``last_year``'s).
HISTORY_DRIVERS = (
    "returning_conversion",
    "aov",
    "repurchase_frequency",
    "monthly_churn",
    "first_order_conversion",
    "first_order_aov",
)
#: Drivers for which a lower value is the favourable one.
LOWER_IS_BETTER = frozenset({"monthly_churn"})
#: A plan value at least this many times its history is *beyond a multiple of history*.
MULTIPLE = 2.0
#: Verdicts, from the most cautious to the boldest.
VERDICTS = ("more_cautious", "within", "beyond_best", "beyond_multiple")
#: Verdicts of a plan value more favourable than any month of its history.
BEYOND = frozenset({"beyond_best", "beyond_multiple"})

REALITY_COLUMNS = (
    "driver", "plan_value", "history_value", "history_low", "history_high", "history_source",
    "history_period", "verdict", "gmv_at_stake", "profit_at_stake", "gmv_share",
)  # fmt: skip


@dataclass(frozen=True)
class History:
    """A driver's historical value and the range of its months (both ends = value without one)."""

    value: float
    low: float
    high: float
    source: str  # "operations" or "last_year"
    period: str = ""  # the operating data's months, YYYY-MM/YYYY-MM


@dataclass(frozen=True)
class AtHistory:
    """Year-1 figures of the plan run with every driver that has a history at its history."""

    gmv: float
    profit: float
    break_even_month: int | None
    gap_to_target: float | None


@dataclass(frozen=True)
class RealityCheck:
    """The plan against history.

    Attributes
    ----------
    table
        One row per customer driver and per channel add rate (:data:`REALITY_COLUMNS`):
        ``verdict`` and ``history_source`` missing without a history, ``history_period`` the
        operating data's months (``YYYY-MM/YYYY-MM``, "" for last year); ``gmv_at_stake`` and
        ``profit_at_stake`` (CNY) only for a verdict in :data:`BEYOND`; ``gmv_share`` the
        driver's Shapley part of ``plan_gmv − at_history.gmv`` (CNY), NaN for a driver at its
        history.
    plan_gmv, plan_profit
        The plan's year-1 GMV and profit, CNY.
    at_history
        The plan at history.
    """

    table: pd.DataFrame
    plan_gmv: float
    plan_profit: float
    at_history: AtHistory

    @property
    def bets(self) -> pd.DataFrame:
        """The drivers beyond their best month, the most GMV at stake first."""
        beyond = self.table[self.table["verdict"].isin(BEYOND)]
        return beyond.sort_values("gmv_at_stake", ascending=False, kind="stable")


def driver_history(
    inputs: PlanInputs, calibration: Mapping[str, float | Mapping[str, float]]
) -> dict[str, History]:
    """Each customer driver's history: the operating data's when offered, else last year's."""
    out: dict[str, History] = {}
    for name in HISTORY_DRIVERS:
        given = calibration.get(name)
        if not isinstance(given, Mapping):
            given = {"value": given}
        value, low, high = (given.get(k) for k in ("value", "low", "high"))
        if _finite(value):
            value = float(value)
            if not (_finite(low) and _finite(high)):
                low = high = value
            period = str(given.get("period") or "")
            low, high = min(float(low), value), max(float(high), value)
            out[name] = History(value, low, high, "operations", period)
        elif _finite(getattr(inputs.last_year, name)):
            value = float(getattr(inputs.last_year, name))
            out[name] = History(value, value, value, "last_year")
    return out


def verdict(name: str, plan: float, history: History) -> str:
    """How the plan's value of ``name`` stands against its history (one of :data:`VERDICTS`)."""
    if history.low <= plan <= history.high:
        return "within"
    lower_better = name in LOWER_IS_BETTER
    if (plan > history.high) != lower_better:  # more favourable than the best month
        favourable, base = (history.value, plan) if lower_better else (plan, history.value)
        beyond = base > 0 and favourable >= MULTIPLE * base or base == 0 < favourable
        return "beyond_multiple" if beyond else "beyond_best"
    return "more_cautious"


def check_reality(
    inputs: PlanInputs,
    calibration: Mapping[str, float | Mapping[str, float]],
    plan: CompiledPlan | None = None,
) -> RealityCheck:
    """The plan's drivers against the client's history, the plan at history and each bet's worth.

    Parameters
    ----------
    inputs
        The plan as used, every driver set.
    calibration
        The operating data's drivers (the fact ``calibration``; ``{}`` without operating data).
    plan
        ``compile_plan(inputs)`` when already at hand.
    """
    plan = plan or compile_plan(inputs)
    history = driver_history(inputs, calibration)
    values = inputs.values()
    moved = [n for n, h in history.items() if not math.isclose(values[n], h.value, rel_tol=1e-12)]
    # every coalition of the moved drivers at plan values (1) or at history (0): row 0 is all at
    # history, the last row the plan itself
    n = len(moved)  # nothing moved: one empty coalition, the plan itself
    coalitions = np.array(list(product((False, True), repeat=n)), dtype=bool).reshape(2**n, n)
    varied = {
        n: np.where(coalitions[:, i], values[n], history[n].value) for i, n in enumerate(moved)
    }
    runs = simulate(plan, len(coalitions), varied)
    gmv, profit = year_sum(runs["gmv"]), year_sum(runs["profit"])
    index = {tuple(bool(x) for x in c): k for k, c in enumerate(coalitions)}
    everything = tuple([True] * len(moved))

    def without(i: int) -> int:  # the plan with only driver i at history
        return index[everything[:i] + (False,) + everything[i + 1 :]]

    shares = _shapley(index, gmv, len(moved))
    rows = []
    for name in HISTORY_DRIVERS:
        if name not in history:
            rows.append({"driver": name, "plan_value": values[name], "verdict": None})
            continue
        h = history[name]
        v = verdict(name, values[name], h)
        i = moved.index(name) if name in moved else None
        at_stake = v in BEYOND and i is not None
        rows.append(
            {
                "driver": name,
                "plan_value": values[name],
                "history_value": h.value,
                "history_low": h.low,
                "history_high": h.high,
                "history_source": h.source,
                "history_period": h.period,
                "verdict": v,
                "gmv_at_stake": gmv[-1] - gmv[without(i)] if at_stake else math.nan,
                "profit_at_stake": profit[-1] - profit[without(i)] if at_stake else math.nan,
                "gmv_share": shares[i] if i is not None else math.nan,
            }
        )
    for channel in inputs.channels:
        name = f"add_rate.{channel.id}"
        rows.append({"driver": name, "plan_value": values[name], "verdict": None})
    table = pd.DataFrame(rows, columns=list(REALITY_COLUMNS))
    target = inputs.target.amount(inputs.last_year.gmv) if inputs.target is not None else None
    be = int(runs["break_even"][0])
    return RealityCheck(
        table=table,
        plan_gmv=float(gmv[-1]),
        plan_profit=float(profit[-1]),
        at_history=AtHistory(
            gmv=float(gmv[0]),
            profit=float(profit[0]),
            break_even_month=be or None,
            gap_to_target=None if target is None else target - float(gmv[0]),
        ),
    )


def _shapley(index: dict[tuple[bool, ...], int], value: np.ndarray, n: int) -> np.ndarray:
    """Each of ``n`` players' Shapley value; ``value[index[c]]`` is coalition ``c``'s worth."""
    out = np.zeros(n)
    for c, k in index.items():
        size = sum(c)
        for i in range(n):
            if c[i]:
                continue
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            joined = c[:i] + (True,) + c[i + 1 :]
            out[i] += weight * (value[index[joined]] - value[k])
    return out


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
