"""Score employees against their unit's indicators: achievement → points → total → grade.

Definitions (stated once, used everywhere):

- **achievement** = actual ÷ target for higher-is-better indicators and target ÷ actual for
  lower-is-better ones (an actual of 0 or less on a lower-is-better indicator counts as beating
  any target: achievement is infinite and the rule's cap applies);
- **points** of an indicator come from its rule (:class:`~.scheme.LinearRule`,
  :class:`~.scheme.ThresholdRule`, :class:`~.scheme.StepRule`); comparisons allow 1e-9 so that
  an actual exactly at a boundary counts as reaching it;
- **score** = Σ weight (percent points) × points ÷ 100, without rescaling: when the weights of a
  unit do not add up to 100 the score is what the sheet, filled in by hand, would give (and the
  alignment check flags the weights);
- **veto**: a breached veto indicator voids the period's bonus and annual-share accrual (and the
  commission when its rule says ``forfeit: all``); the person gets the lowest grade;
- **grade**: the first band, from the top, whose ``min`` the score reaches.

Indicators whose target is set per unit (``target_per: unit``) are scored on the unit's total
(the sum for counts and money, the mean for shares, scores and ratios), the same for everyone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .library import KpiLibrary
from .scheme import Commission, GradeBand, Rule, Scheme, SchemeUnit, VetoRule

EPS = 1e-9
#: Units whose unit-level figure is a sum (others are averaged).
SUMMED_UNITS = frozenset({"people", "count", "cny"})

#: Columns of :func:`score_employees`' indicator table.
SCORE_COLUMNS = (
    "employee",
    "unit",
    "kpi",
    "weight",
    "target",
    "actual",
    "credited",
    "achievement",
    "points",
    "contribution",
    "rule",
    "veto_breached",
)


def achievement(actual: float, target: float, better: str) -> float:
    """Actual ÷ target (``better="higher"``) or target ÷ actual (``"lower"``)."""
    if better == "lower":
        return math.inf if actual <= 0 else target / actual
    return actual / target


def score_rule(rule: Rule, ach: float) -> float:
    """Points (0–cap × 100) of an achievement under a weighted rule; NaN for a veto."""
    if rule.type == "linear":
        if ach < rule.floor - EPS:
            return 0.0
        return 100.0 * max(0.0, min(ach, rule.cap))
    if rule.type == "threshold":
        return 100.0 if ach >= rule.at - EPS else 0.0
    if rule.type == "step":
        points = 0.0
        for step in rule.steps:
            if ach >= step.at - EPS:
                points = step.score
        return points
    return math.nan


def breaches(rule: VetoRule, actual: float, better: str) -> bool:
    """Whether ``actual`` breaches a veto limit (above it when lower is better, else below)."""
    if better == "lower":
        return actual > rule.limit + EPS
    return actual < rule.limit - EPS


def grade_of(score: float, bands: Sequence[GradeBand]) -> GradeBand:
    """The band of ``score``: the highest ``min`` it reaches (lower bound included)."""
    ordered = sorted(bands, key=lambda b: -b.min)
    for band in ordered:
        if score >= band.min - EPS:
            return band
    return ordered[-1]


def commission_amount(commission: Commission, amount: float) -> float:
    """Commission (CNY) on ``amount`` by tiers.

    ``marginal``: each tier's rate applies to the part of the amount inside it (like income tax
    brackets). ``whole``: the rate of the highest tier reached applies to the whole amount.
    Tiers with ``per_unit`` pay that many CNY per unit of the amount instead of a rate.
    """
    amount = max(float(amount), 0.0)
    tiers = commission.tiers
    values = [t.rate if t.rate is not None else t.per_unit for t in tiers]
    if commission.method == "whole":
        reached = [v for t, v in zip(tiers, values, strict=True) if amount >= t.start - EPS]
        return amount * reached[-1]
    total = 0.0
    for i, (tier, value) in enumerate(zip(tiers, values, strict=True)):
        upper = tiers[i + 1].start if i + 1 < len(tiers) else math.inf
        total += max(0.0, min(amount, upper) - tier.start) * value
    return total


def _credited(unit: SchemeUnit, kpi: str, row: pd.Series) -> float:
    """What double crediting adds to ``kpi`` for this person (0 without it)."""
    dc = unit.double_credit
    if dc is None or dc.into != kpi:
        return 0.0
    source = row.get(dc.source, np.nan)
    return 0.0 if pd.isna(source) else dc.share * float(source)


def _unit_figure(members: pd.DataFrame, kpi: str, unit_of_kpi: str) -> float:
    values = members[kpi].astype(float)
    return float(values.sum() if unit_of_kpi in SUMMED_UNITS else values.mean())


def score_employees(scheme: Scheme, library: KpiLibrary, actuals: pd.DataFrame) -> pd.DataFrame:
    """Points per employee and indicator (one row each, vetoes included).

    Parameters
    ----------
    scheme, library
        The validated scheme and the library (for each indicator's direction and unit).
    actuals
        As returned by :func:`~.actuals.load_actuals`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SCORE_COLUMNS`. ``actual`` includes what double crediting adds
        (``credited``); ``contribution`` = weight × points ÷ 100; veto rows have NaN points and
        ``veto_breached`` set.
    """
    rows = []
    for unit in scheme.units:
        members = actuals[actuals["unit"] == unit.id]
        for ind in unit.indicators:
            kpi = library.index[ind.kpi]
            team = None
            if ind.target_per == "unit" and not ind.is_veto:
                team = _unit_figure(members, ind.kpi, kpi.unit) + sum(
                    _credited(unit, ind.kpi, r) for _, r in members.iterrows()
                )
            for _, person in members.iterrows():
                credited = _credited(unit, ind.kpi, person)
                actual = float(person[ind.kpi]) + credited
                row = {
                    "employee": person["employee"],
                    "unit": unit.id,
                    "kpi": ind.kpi,
                    "weight": 0.0 if ind.is_veto else float(ind.weight),
                    "target": ind.target,
                    "actual": actual,
                    "credited": credited,
                    "rule": ind.rule.type,
                }
                if ind.is_veto:
                    row.update(
                        achievement=np.nan,
                        points=np.nan,
                        contribution=0.0,
                        veto_breached=breaches(ind.rule, actual, kpi.better),
                    )
                else:
                    ach = achievement(actual if team is None else team, ind.target, kpi.better)
                    points = score_rule(ind.rule, ach)
                    row.update(
                        achievement=ach,
                        points=points,
                        contribution=float(ind.weight) * points / 100.0,
                        veto_breached=False,
                    )
                rows.append(row)
    return pd.DataFrame(rows, columns=list(SCORE_COLUMNS))


def grade_employees(scheme: Scheme, actuals: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Total score, veto and grade per employee.

    Returns
    -------
    pandas.DataFrame
        Columns ``employee``, ``unit``, ``store``, ``score`` (points), ``vetoed``, ``forfeit``
        (``"bonus"``, ``"all"`` or ``""``), ``grade``, ``multiplier`` (0 when vetoed).
    """
    totals = scores.groupby("employee", sort=False)["contribution"].sum()
    lowest = min(scheme.grades, key=lambda b: b.min)
    forfeits = {}
    for unit in scheme.units:
        for ind in unit.vetoes:
            forfeits[(unit.id, ind.kpi)] = ind.rule.forfeit
    breached = scores[scores["veto_breached"].astype(bool)].groupby("employee", sort=False)["kpi"]
    breached_kpis = {employee: list(kpis) for employee, kpis in breached}
    rows = []
    for _, person in actuals.iterrows():
        kinds = {forfeits[(person["unit"], k)] for k in breached_kpis.get(person["employee"], [])}
        forfeit = "all" if "all" in kinds else ("bonus" if kinds else "")
        score = float(totals.get(person["employee"], 0.0))
        band = lowest if forfeit else grade_of(score, scheme.grades)
        rows.append(
            {
                "employee": person["employee"],
                "unit": person["unit"],
                "store": person["store"],
                "score": score,
                "vetoed": bool(forfeit),
                "forfeit": forfeit,
                "grade": band.grade,
                "multiplier": 0.0 if forfeit else band.multiplier,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["employee", "unit", "store", "score", "vetoed", "forfeit", "grade", "multiplier"],
    )
