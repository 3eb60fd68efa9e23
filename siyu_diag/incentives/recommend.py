"""A proposed scheme per unit for the client's stage, built from the KPI library.

For each unit of the client's scheme (same departments, levels, headcounts and commission):

1. **shared indicator** — every unit gets the stage's cross-department indicator
   (:data:`SHARED_KPI`) at :data:`SHARED_WEIGHT`%, so that all departments pull one way; the
   shopping guides' unit also gets follower adds at :data:`GUIDE_WEIGHT`% with the target from
   the top-down derivation;
2. **cross-link** — a department-specific minimum (:data:`LINKS`): sales ≥ 30% on retention,
   operations ≥ 20% on sales conversion (quality at launch, when GMV is too early), marketing
   ≥ 25% on traffic quality, stores ≥ 20% on quality;
3. **horizon mix** — the rest of the weight follows the stage's short / medium / long split
   (:data:`STAGE_MIX`; management moves 10 points from short to long), filled with the unit's
   current indicators first, then the library's, in library order, among those suited to the
   department and the stage (a horizon without a candidate passes its weight on: long → medium
   → short); a horizon keeps all of the unit's current indicators that fit (up to three), no
   indicator gets less than 10% and a process indicator at most 10% (the rest goes to the
   largest other indicator of the mix);
4. weights are rounded to multiples of 5 (largest remainder) so they add up to 100;
5. **veto** — sales, stores, operations and service get a valid-complaint veto;
6. **double crediting** for stores units; **pay**: the bonus at target is set so that it is
   :data:`VARIABLE_SHARE` of cash pay per period for the stage, and an annual share of
   :data:`ANNUAL_SHARE` × annual base pay.

Rules: process indicators score by threshold (the target reached or not); at launch everything
else is linear to a 120% cap (one easy target, small rewards); later, volume and GMV indicators
score by steps (80% → 60 points, 100% → 100, 120% → 120) and quality indicators linearly.
Targets are kept where the unit already had the indicator; a guide unit's follower-adds target
comes from the top-down derivation (median adds per guide × months); others are left for HR to
set from the last 3–6 months of actuals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .alignment import VETO_DEPARTMENTS, has_measure
from .library import HORIZONS, Kpi, KpiLibrary
from .scheme import (
    DoubleCredit,
    Indicator,
    LinearRule,
    Pay,
    Scheme,
    SchemeUnit,
    Step,
    StepRule,
    ThresholdRule,
    VetoRule,
)

STAGE_MIX: dict[str, dict[str, int]] = {
    "launch": {"short": 55, "medium": 45, "long": 0},
    "conversion": {"short": 40, "medium": 50, "long": 10},
    "mature": {"short": 25, "medium": 40, "long": 35},
}
MANAGEMENT_SHIFT = 10
SHARED_KPI = {
    "launch": "friend_retention",
    "conversion": "repurchase_rate_90d",
    "mature": "ltv_growth",
}
SHARED_WEIGHT = 15
#: (department, stage or "*") → (measure, minimum weight in percent points)
LINKS: dict[tuple[str, str], tuple[str, int]] = {
    ("sales", "*"): ("retention", 30),
    ("operations", "launch"): ("quality", 20),
    ("operations", "*"): ("sales_link", 20),
    ("marketing", "*"): ("quality", 25),
    ("stores", "*"): ("quality", 20),
}
VETO_KPI = "complaint_rate"
VETO_LIMIT = 0.01
GUIDE_KPI, GUIDE_WEIGHT = "follower_adds", 20
MIN_WEIGHT = 10
PROCESS_CAP = 10  # a process indicator of the mix gets at most this weight
#: Bonus at target as a share of cash pay per period.
VARIABLE_SHARE = {"launch": 0.15, "conversion": 0.25, "mature": 0.30}
#: Annual share as a share of annual base pay, by level.
ANNUAL_SHARE = {
    "launch": {"frontline": 0.02, "management": 0.05},
    "conversion": {"frontline": 0.03, "management": 0.08},
    "mature": {"frontline": 0.05, "management": 0.15},
}
_CARRY = ("long", "medium", "short")


@dataclass(frozen=True)
class Recommendation:
    """A proposed scheme and why each part of it is there.

    Attributes
    ----------
    scheme
        The proposed scheme (targets may be None: to be set by HR).
    indicators
        One row per unit and indicator: ``unit``, ``kpi``, ``why`` (``shared``, ``link``,
        ``mix``, ``veto``), ``kept`` (the unit already had it), ``target_source`` (``current``,
        ``guides``, ``to_set``).
    reasons
        Per unit id, the reasoning as ``{"key": label key, "values": {...}}`` items.
    """

    scheme: Scheme
    indicators: pd.DataFrame
    reasons: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _link(department: str, stage: str) -> tuple[str, int] | None:
    return LINKS.get((department, stage)) or LINKS.get((department, "*"))


def _candidates(unit: SchemeUnit, library: KpiLibrary, stage: str) -> list[Kpi]:
    current = [i.kpi for i in unit.weighted]
    fits = [
        k
        for k in library.kpis
        if unit.department in k.roles and stage in k.stages and k.id != VETO_KPI
    ]
    return sorted(fits, key=lambda k: (k.id not in current, library.kpis.index(k)))


def _round5(weights: list[float]) -> list[int]:
    """Multiples of 5 adding up to 100 (largest remainder)."""
    units = [w / 5 for w in weights]
    floors = [math.floor(u) for u in units]
    short = 20 - sum(floors)
    order = sorted(range(len(units)), key=lambda i: (-(units[i] - floors[i]), i))
    for i in order[: max(short, 0)]:
        floors[i] += 1
    return [5 * f for f in floors]


def _rule(kpi: Kpi, stage: str):
    if kpi.family == "process":
        return ThresholdRule(type="threshold", at=1.0)
    if stage != "launch" and (kpi.has("volume") or kpi.has("gmv")):
        steps = (Step(at=0.8, score=60), Step(at=1.0, score=100), Step(at=1.2, score=120))
        return StepRule(type="step", steps=steps)
    return LinearRule(cap=1.2)


def _weights(
    unit: SchemeUnit, library: KpiLibrary, stage: str, guide: bool
) -> list[tuple[str, float, str]]:
    chosen: list[tuple[str, float, str]] = [(SHARED_KPI[stage], SHARED_WEIGHT, "shared")]
    cands = _candidates(unit, library, stage)
    current = {i.kpi for i in unit.weighted}
    taken = {SHARED_KPI[stage]}
    if guide and GUIDE_KPI not in taken:
        chosen.append((GUIDE_KPI, GUIDE_WEIGHT, "guides"))
        taken.add(GUIDE_KPI)
    link = _link(unit.department, stage)
    if link:
        measure, need = link
        have = sum(w for k, w, _ in chosen if has_measure(library.index[k], measure))
        pick = next((k for k in cands if has_measure(k, measure) and k.id not in taken), None)
        if have < need and pick is not None:
            chosen.append((pick.id, max(10, 5 * math.ceil((need - have) / 5)), "link"))
            taken.add(pick.id)
    mix = dict(STAGE_MIX[stage])
    if unit.level == "management":
        mix["short"] -= MANAGEMENT_SHIFT
        mix["long"] += MANAGEMENT_SHIFT
    used = {h: sum(w for k, w, _ in chosen if library.index[k].horizon == h) for h in HORIZONS}
    budget = {h: max(0.0, mix[h] - used[h]) for h in HORIZONS}
    remaining = 100 - sum(w for _, w, _ in chosen)
    total = sum(budget.values())
    budget = (
        {h: b * remaining / total for h, b in budget.items()} if total else {"short": remaining}
    )
    carry = 0.0
    for h in _CARRY:
        b = budget.get(h, 0.0) + carry
        pool = [k for k in cands if k.horizon == h and k.id not in taken]
        if b < 5 or not pool:
            carry = b
            continue
        kept = sum(1 for k in pool if k.id in current)
        n = max(1 if b <= 25 else 2 if b <= 60 else 3, min(kept, 3))
        n = max(1, min(n, len(pool), int(b // 10)))
        carry = 0.0
        for k in pool[:n]:
            weight = min(b / n, PROCESS_CAP) if k.family == "process" else b / n
            carry += b / n - weight
            chosen.append((k.id, weight, "mix"))
            taken.add(k.id)
    if carry:
        mixed = [i for i, (k, _, why) in enumerate(chosen) if why == "mix"]
        best = [i for i in mixed if library.index[chosen[i][0]].family != "process"] or [0]
        i = max(best, key=lambda j: chosen[j][1])
        chosen[i] = (chosen[i][0], chosen[i][1] + carry, chosen[i][2])
    rounded = _round5([w for _, w, _ in chosen])
    out = [[k, float(r), why] for (k, _, why), r in zip(chosen, rounded, strict=True) if r > 0]
    while True:  # no indicator of the mix below 10%: fold it into the largest one
        small = [item for item in out if item[2] == "mix" and item[1] < MIN_WEIGHT]
        if not small or len(out) == 1:
            break
        out.remove(small[0])
        max(out, key=lambda item: (item[2] == "mix", item[1]))[1] += small[0][1]
    return [(k, w, why) for k, w, why in out]


def recommend_scheme(
    scheme: Scheme,
    library: KpiLibrary,
    *,
    stage: str,
    guide_adds: float | None = None,
) -> Recommendation:
    """Propose a scheme for ``stage`` (see the module docstring).

    Parameters
    ----------
    scheme
        The client's current scheme (units, headcounts, pay and commission are kept).
    library
        The KPI library the indicators come from.
    stage
        ``launch``, ``conversion`` or ``mature``.
    guide_adds
        Median monthly adds per guide from the top-down derivation, if any.

    Returns
    -------
    Recommendation
    """
    units, rows, reasons = [], [], {}
    guide_unit = scheme.shopping_guides.unit if scheme.shopping_guides else None
    for unit in scheme.units:
        current = {i.kpi: i for i in unit.indicators}
        indicators = []
        for kpi_id, weight, why in _weights(unit, library, stage, unit.id == guide_unit):
            kpi = library.index[kpi_id]
            target, source = None, "to_set"
            if kpi_id in current and current[kpi_id].target:
                target, source = current[kpi_id].target, "current"
            elif kpi_id == GUIDE_KPI and unit.id == guide_unit and guide_adds:
                target, source = round(guide_adds * scheme.months), "guides"
            indicators.append(
                Indicator(kpi=kpi_id, weight=weight, target=target, rule=_rule(kpi, stage))
            )
            rows.append(
                {
                    "unit": unit.id,
                    "kpi": kpi_id,
                    "why": why,
                    "kept": kpi_id in current,
                    "target_source": source,
                }
            )
        if unit.department in VETO_DEPARTMENTS:
            old = current.get(VETO_KPI)
            rule = (
                old.rule
                if old is not None and old.is_veto
                else VetoRule(type="veto", limit=VETO_LIMIT)
            )
            indicators.append(Indicator(kpi=VETO_KPI, rule=rule))
            rows.append(
                {
                    "unit": unit.id,
                    "kpi": VETO_KPI,
                    "why": "veto",
                    "kept": VETO_KPI in current,
                    "target_source": "current" if old is not None else "to_set",
                }
            )
        base_period = unit.pay.base_monthly * scheme.months
        share = VARIABLE_SHARE[stage]
        pay = Pay(
            base_monthly=unit.pay.base_monthly,
            bonus_target=round(base_period * share / (1 - share), -1),
            annual_share=round(unit.pay.base_monthly * 12 * ANNUAL_SHARE[stage][unit.level], -1),
        )
        double = unit.double_credit
        if unit.department == "stores" and double is None:
            double = DoubleCredit()
        units.append(
            unit.model_copy(
                update={"indicators": tuple(indicators), "pay": pay, "double_credit": double}
            )
        )
        reasons[unit.id] = _reasons(
            unit, stage, pay, scheme.months, double is not None, unit.id == guide_unit
        )
    proposed = scheme.model_copy(update={"units": tuple(units)})
    return Recommendation(scheme=proposed, indicators=pd.DataFrame(rows), reasons=reasons)


def _reasons(
    unit: SchemeUnit, stage: str, pay: Pay, months: int, double: bool, guide: bool
) -> list[dict[str, Any]]:
    mix = dict(STAGE_MIX[stage])
    if unit.level == "management":
        mix["short"] -= MANAGEMENT_SHIFT
        mix["long"] += MANAGEMENT_SHIFT
    out: list[dict[str, Any]] = [
        {"key": f"incentives_why_stage_{stage}", "values": mix},
        {"key": "incentives_why_shared", "values": {"weight": SHARED_WEIGHT}},
    ]
    link = _link(unit.department, stage)
    if link:
        measure, need = link
        out.append(
            {"key": f"incentives_why_link_{unit.department}_{measure}", "values": {"weight": need}}
        )
    if unit.department in VETO_DEPARTMENTS:
        out.append({"key": "incentives_why_veto", "values": {}})
    if unit.department == "stores" and double:
        out.append({"key": "incentives_why_double_credit", "values": {}})
    if guide:
        out.append({"key": "incentives_why_guides", "values": {"weight": GUIDE_WEIGHT}})
    out.append(
        {
            "key": "incentives_why_pay",
            "values": {
                "share": round(VARIABLE_SHARE[stage] * 100),
                "annual": round(ANNUAL_SHARE[stage][unit.level] * 100),
                "months": months,
            },
        }
    )
    return out
