"""The monthly projection: users by channel, GMV, costs, profit and the break-even month.

The model, month ``m = 1 … H`` (all rates monthly; see :mod:`siyu_diag.plan.drivers`):

- new users of channel *k*: ``new_k = traffic_k × touches_k × add_rate_k`` from the channel's
  start month on (people);
- lost users: ``lost(m) = total(m−1) × monthly_churn``; existing users:
  ``existing(m) = total(m−1) − lost(m)``; ``total(m) = existing(m) + Σ_k new_k(m)``, with
  ``total(0)`` = last year's users. Users are conserved: ``total(m) = total(m−1) − lost(m) +
  new(m)``. Users are expected values (fractions of a person are kept).
- GMV from returning users: ``existing × returning_conversion × aov × repurchase_frequency``;
  from new users: ``new × first_order_conversion × first_order_aov`` (new users buy as
  returning users from the month after they join, if they stay).
- costs: marketing (variable) ``Σ_k new_k × cost_per_user_k + monthly_spend_k``; organisation
  ``Σ_r headcount_r × monthly_cost_r`` (from the role's start month) ``+ (bonus_rate +
  commission_rate) × GMV``; fixed costs ``amount / months`` for ``months`` months from their
  start month.
- ``contribution = GMV × gross_margin − marketing``; ``profit = contribution − organisation −
  fixed``; cumulative profit; the break-even month is the first month whose cumulative profit is
  ≥ 0 (None when none is within the horizon).
- ``cost = marketing + organisation + fixed`` (cost of goods is inside the gross margin) and
  three ratios, never mixed: ``ROI = profit / cost``, ``ROAS = GMV / cost`` and the source's
  ``(cost + GMV) / cost`` (``source_ratio``).

Annual figures are sums over plan years (months 1–12, 13–24, 25–36). In the annual form of the
domain formula, *existing users* are user-months (the sum of each month's existing users, i.e.
12 × the average base), so that ``GMV = user-months × returning_conversion × aov ×
repurchase_frequency + new users × first_order_conversion × first_order_aov`` holds exactly.

The computation is vectorised with numpy over draws × months × channels; the single plan is one
draw. Only the month recursion of the user base is a loop (36 steps at most).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import drivers as drv
from .inputs import PlanInputs

#: Columns of :attr:`Projection.monthly` (money in CNY, users in people).
MONTHLY_COLUMNS = (
    "label",
    "new_users",
    "lost_users",
    "existing_users",
    "total_users",
    "gmv_new",
    "gmv_returning",
    "gmv",
    "gross_profit",
    "marketing_cost",
    "salaries",
    "bonus",
    "commission",
    "organisation_cost",
    "fixed_cost",
    "total_cost",
    "contribution",
    "profit",
    "cumulative_profit",
    "cac",
)

#: Columns of :attr:`Projection.annual`; ``user_months`` is the annual "existing users".
ANNUAL_COLUMNS = (
    "months",
    "new_users",
    "lost_users",
    "user_months",
    "end_users",
    "gmv_new",
    "gmv_returning",
    "gmv",
    "gross_profit",
    "marketing_cost",
    "organisation_cost",
    "fixed_cost",
    "total_cost",
    "contribution",
    "profit",
    "roi",
    "roas",
    "source_ratio",
    "cac",
)

#: Longest cohort payback looked for, months.
PAYBACK_LIMIT = 120


@dataclass(frozen=True)
class CompiledPlan:
    """A plan turned into arrays once, for fast repeated projection.

    Attributes
    ----------
    horizon
        Months projected.
    channels, roles
        Channel and role ids in array order.
    channel_active, role_active
        ``(months, channels)`` / ``(months, roles)``: 1 from the start month on, else 0.
    fixed
        ``(months,)`` amortised fixed cost per month, CNY.
    users0
        Users at the start (last year's users).
    base
        Every driver's value by name.
    """

    horizon: int
    channels: tuple[str, ...]
    roles: tuple[str, ...]
    channel_active: np.ndarray
    role_active: np.ndarray
    fixed: np.ndarray
    users0: float
    base: dict[str, float]


def compile_plan(inputs: PlanInputs) -> CompiledPlan:
    """Turn validated inputs into the arrays the projection runs on."""
    h = inputs.horizon_months
    months = np.arange(1, h + 1)
    ch_active = np.array(
        [[m >= c.start_month for c in inputs.channels] for m in months], dtype=float
    ).reshape(h, len(inputs.channels))
    role_active = np.array(
        [[m >= r.start_month for r in inputs.roles] for m in months], dtype=float
    ).reshape(h, len(inputs.roles))
    fixed = np.zeros(h)
    for f in inputs.fixed_costs:
        first = f.start_month - 1
        fixed[first : first + f.months] += f.amount / f.months
    return CompiledPlan(
        horizon=h,
        channels=tuple(c.id for c in inputs.channels),
        roles=tuple(r.id for r in inputs.roles),
        channel_active=ch_active,
        role_active=role_active,
        fixed=fixed,
        users0=float(inputs.last_year.users),
        base=inputs.values(),
    )


def _params(plan: CompiledPlan, draws: int, varied: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Driver arrays: globals ``(draws,)``, channel and role drivers ``(draws, n)``."""

    def one(name: str) -> np.ndarray:
        if name in varied:
            return np.asarray(varied[name], dtype=float).reshape(draws)
        return np.full(draws, plan.base[name])

    p = {name: one(name) for name in drv.GLOBAL_DRIVERS}
    for kind, ids in ((drv.CHANNEL_DRIVERS, plan.channels), (drv.ROLE_DRIVERS, plan.roles)):
        for k in kind:
            cols = [one(drv.driver_name(k, i)) for i in ids]
            p[k] = np.stack(cols, axis=1) if cols else np.zeros((draws, 0))
    return p


def simulate(
    plan: CompiledPlan,
    draws: int = 1,
    varied: dict[str, np.ndarray] | None = None,
    *,
    by_origin: bool = False,
) -> dict[str, np.ndarray]:
    """Run the monthly model for ``draws`` sets of driver values at once.

    Parameters
    ----------
    plan
        The compiled plan.
    draws
        Number of driver sets (1 for the plan itself).
    varied
        Arrays of shape ``(draws,)`` for the drivers that differ between draws; every other
        driver takes its plan value.
    by_origin
        Also track users by where they came from (last year's base and each channel).

    Returns
    -------
    dict of str to numpy.ndarray
        ``new`` and ``marketing`` ``(draws, months, channels)`` (None unless ``by_origin``);
        ``existing`` and ``total``
        ``(draws, months, origins)`` (origins: base then channels when ``by_origin``, else one
        column); the other monthly series ``(draws, months)``; ``break_even`` ``(draws,)``,
        the 1-based month or 0 when never.
    """
    p = _params(plan, draws, varied or {})
    h = plan.horizon
    rate = p["traffic"] * p["touches"] * p["add_rate"]  # (D, K) new users a month when active
    active = plan.channel_active  # (M, K)
    spend_rate = rate * p["cost_per_user"] + p["monthly_spend"]  # (D, K) marketing when active
    if by_origin:
        new = rate[:, None, :] * active[None, :, :]  # (D, M, K)
        marketing = new * p["cost_per_user"][:, None, :] + p["monthly_spend"][:, None, :] * active
        new_all = new.sum(axis=2)
        mkt = marketing.sum(axis=2)
        inflow = new
    else:  # totals only: (D, K) @ (K, M), no (D, M, K) arrays
        new = marketing = None
        new_all = rate @ active.T
        mkt = spend_rate @ active.T
        inflow = new_all[:, :, None]
    keep = 1.0 - p["monthly_churn"]
    origins = inflow.shape[2] + (1 if by_origin else 0)
    existing = np.empty((draws, h, origins))
    total = np.empty((draws, h, origins))
    prev = np.zeros((draws, origins))
    prev[:, 0] = plan.users0
    col = 1 if by_origin else 0
    for m in range(h):
        ex = prev * keep[:, None]
        existing[:, m] = ex
        prev = ex.copy()
        prev[:, col:] += inflow[:, m]
        total[:, m] = prev
    ex_all = existing.sum(axis=2)
    tot_all = total.sum(axis=2)
    prev_tot = np.concatenate([np.full((draws, 1), plan.users0), tot_all[:, :-1]], axis=1)
    gmv_ret = ex_all * (p["returning_conversion"] * p["aov"] * p["repurchase_frequency"])[:, None]
    gmv_new = new_all * (p["first_order_conversion"] * p["first_order_aov"])[:, None]
    gmv = gmv_ret + gmv_new
    salaries = ((p["headcount"] * p["monthly_cost"])[:, None, :] * plan.role_active).sum(axis=2)
    bonus = gmv * p["bonus_rate"][:, None]
    commission = gmv * p["commission_rate"][:, None]
    org = salaries + bonus + commission
    fixed = np.broadcast_to(plan.fixed, (draws, h))
    gross = gmv * p["gross_margin"][:, None]
    contribution = gross - mkt
    profit = contribution - org - fixed
    cumulative = np.cumsum(profit, axis=1)
    reached = cumulative >= 0
    break_even = np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, 0)
    return {
        "new": new,
        "marketing": marketing,
        "existing": existing,
        "total": total,
        "new_users": new_all,
        "lost_users": prev_tot - ex_all,
        "existing_users": ex_all,
        "total_users": tot_all,
        "gmv_new": gmv_new,
        "gmv_returning": gmv_ret,
        "gmv": gmv,
        "gross_profit": gross,
        "marketing_cost": mkt,
        "salaries": salaries,
        "bonus": bonus,
        "commission": commission,
        "organisation_cost": org,
        "fixed_cost": fixed,
        "total_cost": mkt + org + fixed,
        "contribution": contribution,
        "profit": profit,
        "cumulative_profit": cumulative,
        "break_even": break_even,
    }


def year_sum(series: np.ndarray, year: int = 1) -> np.ndarray:
    """Sum of a ``(draws, months)`` series over plan year ``year`` (1-based)."""
    return series[:, 12 * (year - 1) : 12 * year].sum(axis=1)


@dataclass(frozen=True)
class Projection:
    """The projected plan.

    Attributes
    ----------
    monthly
        One row per month (index 1 … H), columns :data:`MONTHLY_COLUMNS`; users in people,
        money in CNY, ``cac`` = marketing cost / new users (CNY per new user).
    new_users
        New users per month (rows) and channel (columns: channel ids).
    marketing
        Marketing cost per month and channel, CNY.
    users_by_origin
        Users at the end of each month by origin: ``base`` (last year's users) and each channel.
    annual
        One row per plan year (index 1, 2, 3), columns :data:`ANNUAL_COLUMNS`.
    break_even_month
        First month whose cumulative profit is ≥ 0, or None.
    payback_months
        Months until a year-1 new user's expected gross profit (after bonus and commission)
        repays the year-1 acquisition cost per new user; None if not within
        :data:`PAYBACK_LIMIT` months or no user is acquired.
    """

    monthly: pd.DataFrame
    new_users: pd.DataFrame
    marketing: pd.DataFrame
    users_by_origin: pd.DataFrame
    annual: pd.DataFrame
    break_even_month: int | None
    payback_months: int | None

    def year(self, year: int = 1) -> pd.Series:
        """The annual figures of plan year ``year``."""
        return self.annual.loc[year]


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _annual(series: dict[str, np.ndarray], horizon: int) -> pd.DataFrame:
    """Sums over plan years of one draw's monthly series (numpy: runs on every slider move)."""
    starts = np.arange(0, horizon, 12)
    out = {
        c: np.add.reduceat(series[c], starts)
        for c in ANNUAL_COLUMNS
        if c in series and c not in ("months", "cac", "end_users", "user_months")
    }
    out["months"] = np.diff(np.append(starts, horizon))
    out["user_months"] = np.add.reduceat(series["existing_users"], starts)
    ends = np.minimum(starts + 12, horizon) - 1
    out["end_users"] = series["total_users"][ends]
    cost = out["total_cost"]
    out["roi"] = _ratio(out["profit"], cost)
    out["roas"] = _ratio(out["gmv"], cost)
    out["source_ratio"] = _ratio(cost + out["gmv"], cost)
    out["cac"] = _ratio(out["marketing_cost"], out["new_users"])
    index = pd.RangeIndex(1, len(starts) + 1, name="year")
    return pd.DataFrame({c: out[c] for c in ANNUAL_COLUMNS}, index=index)


def payback_months(inputs: PlanInputs, cac: float) -> int | None:
    """Months until a new user's expected gross profit repays ``cac`` (cohort payback).

    A new user's month-1 value is ``first_order_conversion × first_order_aov``; in month
    ``k ≥ 2`` it is ``(1 − churn)^(k−1) × returning_conversion × aov × repurchase_frequency``.
    Both are multiplied by ``gross_margin − bonus_rate − commission_rate``.
    """
    if not np.isfinite(cac):
        return None
    v = inputs.values()
    margin = v["gross_margin"] - v["bonus_rate"] - v["commission_rate"]
    k = np.arange(1, PAYBACK_LIMIT + 1)
    per_month = np.where(
        k == 1,
        v["first_order_conversion"] * v["first_order_aov"],
        (1 - v["monthly_churn"]) ** (k - 1)
        * v["returning_conversion"]
        * v["aov"]
        * v["repurchase_frequency"],
    )
    cumulative = np.cumsum(per_month * margin)
    hit = np.nonzero(cumulative >= cac)[0]
    return int(hit[0] + 1) if hit.size else None


def project_plan(inputs: PlanInputs, plan: CompiledPlan | None = None) -> Projection:
    """Project the plan month by month.

    Parameters
    ----------
    inputs
        The validated plan with every driver set (see
        :func:`~siyu_diag.plan.inputs.require_complete`).
    plan
        ``compile_plan(inputs)`` when already at hand.

    Returns
    -------
    Projection
    """
    plan = plan or compile_plan(inputs)
    r = simulate(plan, 1, by_origin=True)
    index = pd.RangeIndex(1, plan.horizon + 1, name="month")
    series = {c: r[c][0] for c in MONTHLY_COLUMNS if c in r}
    series["cac"] = _ratio(series["marketing_cost"], series["new_users"])
    monthly = pd.DataFrame(
        {"label": inputs.month_labels(), **{c: series[c] for c in MONTHLY_COLUMNS[1:]}},
        index=index,
    )
    channels = list(plan.channels)
    annual = _annual(series, plan.horizon)
    be = int(r["break_even"][0])
    cac = float(annual["cac"].iloc[0])
    return Projection(
        monthly=monthly,
        new_users=pd.DataFrame(r["new"][0], index=index, columns=channels),
        marketing=pd.DataFrame(r["marketing"][0], index=index, columns=channels),
        users_by_origin=pd.DataFrame(r["total"][0], index=index, columns=["base", *channels]),
        annual=annual,
        break_even_month=be or None,
        payback_months=payback_months(inputs, cac),
    )
