"""Alignment diagnostics: why departments pull in different directions, in numbers.

Per unit, the weights of its indicators (vetoes carry none) are split by horizon (short /
medium / long), by family (user asset / business / process) and by what the indicators measure
(the library's tags: volume, quality, retention, conversion, GMV). Shares are of the unit's own
weight total, so they add up to 1 even when the weights do not add up to 100.

The checks (each True means a problem):

- ``weights_off``: weights do not add up to 100 (±0.5);
- ``short_volume_only``: ≥ 80% of the weight on short-term indicators, ≥ 60% on volume
  indicators and no annual share — the unit is paid on this period's volume;
- ``no_quality`` (marketing): volume is measured but < 5% of the weight is on quality;
- ``no_retention_link`` (sales): < 5% of the weight on retention or repurchase;
- ``no_sales_link`` (operations, after launch): < 5% on conversion or GMV;
- ``no_long_term``: no long-horizon indicator and no annual share;
- ``no_veto`` (customer-facing departments): no customer-health veto;
- ``no_double_credit`` (stores): the unit gets no credit for its customers' online orders;
- ``no_shared``: none of the unit's indicators is shared with another department.

Checks that do not apply to a unit's department are None.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .library import FAMILIES, HORIZONS, KpiLibrary
from .scheme import Scheme

WEIGHT_TOLERANCE = 0.5  # percent points
SHORT_ONLY = 0.8
VOLUME_ONLY = 0.6
ABSENT = 0.05  # a share below this counts as "none"
#: Reached by fewer than this share of people, with the median achievement below
#: :data:`REACH_MEDIAN`, a target counts as out of reach.
REACH_SHARE = 0.2
REACH_MEDIAN = 0.7

MEASURES: tuple[str, ...] = ("volume", "quality", "retention", "conversion", "gmv", "sales_link")
#: Departments that deal with customers and should carry a customer-health veto.
VETO_DEPARTMENTS = frozenset({"sales", "stores", "operations", "service"})
CHECKS: tuple[str, ...] = (
    "weights_off",
    "short_volume_only",
    "no_quality",
    "no_retention_link",
    "no_sales_link",
    "no_long_term",
    "no_veto",
    "no_double_credit",
    "no_shared",
)
#: Which department a department-specific check applies to.
CHECK_DEPARTMENT = {
    "no_quality": "marketing",
    "no_retention_link": "sales",
    "no_sales_link": "operations",
    "no_double_credit": "stores",
}


def has_measure(kpi, measure: str) -> bool:
    """Whether ``kpi`` measures ``measure`` (a tag, or ``sales_link``: conversion or GMV)."""
    if measure == "sales_link":
        return kpi.has("conversion") or kpi.has("gmv")
    return kpi.has(measure)


def compute_mix(scheme: Scheme, library: KpiLibrary, stage: str) -> pd.DataFrame:
    """The weight mix of every unit.

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``unit``, ``name``, ``department``, ``level``, ``headcount``,
        ``n_indicators``, ``weight_sum`` (percent points), shares 0–1 by horizon
        (:data:`~.library.HORIZONS`), family (:data:`~.library.FAMILIES`) and measure
        (:data:`MEASURES`), ``stage_fit`` (share on indicators suited to ``stage``),
        ``has_veto``, ``annual_share`` (CNY per person per year), ``double_credit``.
    """
    rows = []
    for unit in scheme.units:
        weighted = [(library.index[i.kpi], float(i.weight)) for i in unit.weighted]
        total = sum(w for _, w in weighted)

        def share(pred, weighted=weighted, total=total) -> float:
            return sum(w for k, w in weighted if pred(k)) / total if total > 0 else np.nan

        row = {
            "unit": unit.id,
            "name": unit.label,
            "department": unit.department,
            "level": unit.level,
            "headcount": unit.headcount,
            "n_indicators": len(unit.indicators),
            "weight_sum": total,
        }
        row.update({h: share(lambda k, h=h: k.horizon == h) for h in HORIZONS})
        row.update({f: share(lambda k, f=f: k.family == f) for f in FAMILIES})
        row.update({m: share(lambda k, m=m: has_measure(k, m)) for m in MEASURES})
        row["stage_fit"] = share(lambda k: stage in k.stages)
        row["has_veto"] = bool(unit.vetoes)
        row["annual_share"] = unit.pay.annual_share
        row["double_credit"] = unit.double_credit is not None
        rows.append(row)
    return pd.DataFrame(rows)


def shared_indicators(scheme: Scheme) -> dict[str, list[str]]:
    """Indicators weighted in units of at least two departments: ``{kpi: [unit ids]}``."""
    by_kpi: dict[str, list[tuple[str, str]]] = {}
    for unit in scheme.units:
        for ind in unit.weighted:
            if ind.weight:
                by_kpi.setdefault(ind.kpi, []).append((unit.id, unit.department))
    return {
        k: [u for u, _ in units] for k, units in by_kpi.items() if len({d for _, d in units}) >= 2
    }


def compute_checks(scheme: Scheme, mix: pd.DataFrame, stage: str) -> pd.DataFrame:
    """The alignment checks per unit (True = problem, None = does not apply); see module doc.

    ``no_sales_link`` does not apply at launch (GMV is too early then), and ``no_veto`` applies
    only to customer-facing departments (:data:`VETO_DEPARTMENTS`).
    """
    shared = {u for units in shared_indicators(scheme).values() for u in units}
    rows = []
    for m in mix.itertuples(index=False):
        long_term = (m.long or 0) > 0 or m.annual_share > 0
        row = {
            "unit": m.unit,
            "weights_off": abs(m.weight_sum - 100) > WEIGHT_TOLERANCE,
            "short_volume_only": bool(
                m.short >= SHORT_ONLY and m.volume >= VOLUME_ONLY and m.annual_share == 0
            ),
            "no_quality": bool(m.volume > 0 and m.quality < ABSENT),
            "no_retention_link": bool(m.retention < ABSENT),
            "no_sales_link": bool(m.sales_link < ABSENT),
            "no_long_term": not long_term,
            "no_veto": not m.has_veto,
            "no_double_credit": not m.double_credit,
            "no_shared": m.unit not in shared,
        }
        for check, dept in CHECK_DEPARTMENT.items():
            if m.department != dept:
                row[check] = None
        if stage == "launch":
            row["no_sales_link"] = None
        if m.department not in VETO_DEPARTMENTS:
            row["no_veto"] = None
        rows.append(row)
    return pd.DataFrame(rows, columns=["unit", *CHECKS])


def target_reach(scores: pd.DataFrame) -> pd.DataFrame:
    """How many reached each weighted target last period.

    Returns
    -------
    pandas.DataFrame
        Per ``unit`` and ``kpi``: ``n`` people, ``reached`` (share with achievement ≥ 1),
        ``median`` achievement and ``out_of_reach`` (reached < :data:`REACH_SHARE` and
        median < :data:`REACH_MEDIAN`).
    """
    weighted = scores[scores["rule"] != "veto"]
    if weighted.empty:
        return pd.DataFrame(columns=["unit", "kpi", "n", "reached", "median", "out_of_reach"])
    ach = weighted["achievement"].astype(float)
    out = (
        weighted.assign(hit=(ach >= 1 - 1e-9).astype(float), ach=ach)
        .groupby(["unit", "kpi"], sort=False)
        .agg(n=("employee", "size"), reached=("hit", "mean"), median=("ach", "median"))
        .reset_index()
    )
    out["out_of_reach"] = (out["reached"] < REACH_SHARE) & (out["median"] < REACH_MEDIAN)
    return out


def gmv_targets(scheme: Scheme, library: KpiLibrary) -> pd.DataFrame:
    """Annual GMV each department's targets imply.

    A GMV-type indicator's target (per person × headcount, or per unit) is annualised with
    12 ÷ months unless the indicator is annual. Within a department, front-line and management
    units are added up separately and the larger total counts (a manager's target covers the
    team's). Departments are not added together: with double crediting two departments may be
    credited with the same money, so each department is compared with the plan on its own.

    Returns
    -------
    pandas.DataFrame
        ``department``, ``units`` (labels of the units counted, joined), ``annual_gmv`` (CNY per
        year), one row per department with GMV targets.
    """
    totals: dict[tuple[str, str], float] = {}
    labels: dict[tuple[str, str], list[str]] = {}
    for unit in scheme.units:
        key = (unit.department, unit.level)
        for ind in unit.weighted:
            kpi = library.index[ind.kpi]
            if not kpi.has("gmv") or ind.target is None:
                continue
            amount = ind.target * (unit.headcount if ind.target_per == "person" else 1)
            amount *= 1 if kpi.annual else 12 / scheme.months
            totals[key] = totals.get(key, 0.0) + amount
            labels.setdefault(key, [])
            if unit.label not in labels[key]:
                labels[key].append(unit.label)
    rows = {}
    for (dept, level), value in totals.items():
        if dept not in rows or value > rows[dept]["annual_gmv"]:
            rows[dept] = {
                "department": dept,
                "units": " / ".join(labels[(dept, level)]),
                "annual_gmv": value,
            }
    return pd.DataFrame(list(rows.values()), columns=["department", "units", "annual_gmv"])
