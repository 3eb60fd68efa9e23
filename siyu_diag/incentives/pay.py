"""Pay: what each person earns for the scored period, what the scheme costs, and its GMV share.

Per person and period (CNY):

- base = ``base_monthly`` × months of the period;
- bonus = ``bonus_target`` × the grade's multiplier (0 when a veto was breached);
- annual share = ``annual_share`` × months ÷ 12 × the multiplier (accrued per period; 0 when
  vetoed);
- commission = tiers applied to the actual of the commission basis (including what double
  crediting adds; 0 when a veto with ``forfeit: all`` was breached);
- awards = one-off awards won: each award goes to the ``winners`` best scores of its unit among
  people not vetoed (ties broken by employee id);
- variable = bonus + annual share + commission + awards; total = base + variable.

Annual cost = period cost × 12 ÷ months (the scored period is taken as typical of the year).
Incentive cost share of GMV = annual variable pay ÷ annual private-domain GMV.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .library import KpiLibrary
from .scheme import Scheme
from .scoring import commission_amount

PAY_PARTS: tuple[str, ...] = ("base", "bonus", "annual_share", "commission", "awards")

#: Columns of :func:`compute_unit_costs` and :func:`summarise_units`.
UNIT_COST_COLUMNS = ("unit", "headcount", *PAY_PARTS, "variable", "total")


def _award_winners(scheme: Scheme, graded: pd.DataFrame) -> dict[str, float]:
    won: dict[str, float] = {}
    for award in scheme.awards:
        pool = graded[(graded["unit"] == award.unit) & ~graded["vetoed"]]
        ranked = pool.sort_values(["score", "employee"], ascending=[False, True], kind="stable")
        for employee in ranked["employee"].head(award.winners):
            won[employee] = won.get(employee, 0.0) + award.amount
    return won


def compute_payouts(scheme: Scheme, scores: pd.DataFrame, graded: pd.DataFrame) -> pd.DataFrame:
    """Pay per person for the scored period.

    Parameters
    ----------
    scheme
        The validated scheme.
    scores
        From :func:`~.scoring.score_employees` (for the commission basis actuals).
    graded
        From :func:`~.scoring.grade_employees`.

    Returns
    -------
    pandas.DataFrame
        ``graded`` plus the CNY columns of :data:`PAY_PARTS`, ``variable`` and ``total``.
    """
    units = scheme.unit_index
    months = scheme.months
    won = _award_winners(scheme, graded)
    basis = scores.set_index(["employee", "kpi"])["actual"]
    out = graded.copy()
    parts: dict[str, list[float]] = {p: [] for p in PAY_PARTS}
    for person in graded.itertuples(index=False):
        unit = units[person.unit]
        pay = unit.pay
        parts["base"].append(pay.base_monthly * months)
        parts["bonus"].append(pay.bonus_target * person.multiplier)
        parts["annual_share"].append(pay.annual_share * months / 12 * person.multiplier)
        commission = 0.0
        if unit.commission is not None and person.forfeit != "all":
            amount = basis.get((person.employee, unit.commission.basis), np.nan)
            commission = 0.0 if pd.isna(amount) else commission_amount(unit.commission, amount)
        parts["commission"].append(commission)
        parts["awards"].append(won.get(person.employee, 0.0))
    for part, values in parts.items():
        out[part] = np.array(values, dtype=float)
    out["variable"] = out[["bonus", "annual_share", "commission", "awards"]].sum(axis=1)
    out["total"] = out["base"] + out["variable"]
    return out


def summarise_units(scheme: Scheme, payouts: pd.DataFrame) -> pd.DataFrame:
    """Pay per unit: people scored and the sum of each pay part (CNY per period).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`UNIT_COST_COLUMNS` plus ``mean_score``, in scheme order; ``headcount`` is
        the number of people scored.
    """
    rows = []
    for unit in scheme.units:
        mine = payouts[payouts["unit"] == unit.id]
        row: dict[str, Any] = {"unit": unit.id, "headcount": len(mine)}
        for part in (*PAY_PARTS, "variable", "total"):
            row[part] = float(mine[part].sum())
        row["mean_score"] = float(mine["score"].mean()) if len(mine) else np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=[*UNIT_COST_COLUMNS, "mean_score"])


def compute_unit_costs(scheme: Scheme, library: KpiLibrary) -> pd.DataFrame:
    """Cost per unit and period if everyone lands exactly on target (grade multiplier 1.0).

    Commission at target is the commission on the basis indicator's target when the unit is
    scored on that indicator (per person; a per-unit target is split evenly); otherwise 0.
    Awards are counted in full.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`UNIT_COST_COLUMNS` (CNY per period; ``headcount`` from the scheme).
    """
    months = scheme.months
    awards: dict[str, float] = {}
    for award in scheme.awards:
        awards[award.unit] = awards.get(award.unit, 0.0) + award.amount * award.winners
    rows = []
    for unit in scheme.units:
        n = unit.headcount
        commission = 0.0
        if unit.commission is not None:
            target = next((i for i in unit.weighted if i.kpi == unit.commission.basis), None)
            if target is not None:
                per_person = target.target / (n if target.target_per == "unit" else 1)
                commission = commission_amount(unit.commission, per_person) * n
        row = {
            "unit": unit.id,
            "headcount": n,
            "base": unit.pay.base_monthly * months * n,
            "bonus": unit.pay.bonus_target * n,
            "annual_share": unit.pay.annual_share * months / 12 * n,
            "commission": commission,
            "awards": awards.get(unit.id, 0.0),
        }
        row["variable"] = row["bonus"] + row["annual_share"] + row["commission"] + row["awards"]
        row["total"] = row["base"] + row["variable"]
        rows.append(row)
    return pd.DataFrame(rows, columns=list(UNIT_COST_COLUMNS))


def cost_summary(
    unit_costs: pd.DataFrame, months: int, gmv: float | None
) -> dict[str, float | None]:
    """Period and annual cost and their share of annual GMV.

    Parameters
    ----------
    unit_costs
        Per unit (from :func:`summarise_units` or :func:`compute_unit_costs`).
    months
        Months in the period.
    gmv
        Annual private-domain GMV (CNY), or None when unknown.

    Returns
    -------
    dict
        ``variable_period``, ``total_period``, ``variable_annual``, ``total_annual`` (CNY) and
        ``variable_share_gmv``, ``total_share_gmv`` (0–1, None without GMV).
    """
    variable = float(unit_costs["variable"].sum())
    total = float(unit_costs["total"].sum())
    factor = 12 / months
    out: dict[str, float | None] = {
        "variable_period": variable,
        "total_period": total,
        "variable_annual": variable * factor,
        "total_annual": total * factor,
        "variable_share_gmv": None,
        "total_share_gmv": None,
    }
    if gmv:
        out["variable_share_gmv"] = variable * factor / gmv
        out["total_share_gmv"] = total * factor / gmv
    return out
