"""The chapter's computation in one pure call: scheme (+ actuals) in, every figure out.

:func:`analyse_incentives` takes validated inputs and returns a frozen
:class:`IncentiveAnalysis`; it reads no file and draws nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..core.rules import RuleSet
from .alignment import compute_checks, compute_mix, gmv_targets, shared_indicators, target_reach
from .facts import compute_facts, evaluate_incentive_rules
from .guides import derive_guide_kpis, summarise_guides
from .library import KpiLibrary
from .pay import compute_payouts, compute_unit_costs, cost_summary, summarise_units
from .recommend import Recommendation, recommend_scheme
from .scheme import Scheme
from .scoring import grade_employees, score_employees


@dataclass(frozen=True)
class IncentiveAnalysis:
    """Everything the incentive chapter computes.

    Attributes
    ----------
    scheme, library, stage
        The inputs.
    mix, checks
        Weight mix and alignment checks per unit (:mod:`.alignment`).
    shared
        Indicators shared across departments: ``{kpi: [unit ids]}``.
    gmv_by_dept
        Annual GMV each department's targets imply.
    scores, payouts, unit_pay, reach
        Indicator points, pay per person, pay per unit and target reach from last period's
        actuals; None without actuals.
    unit_costs
        Cost per unit and period if everyone lands on target.
    cost, cost_basis
        Cost summary (:func:`~.pay.cost_summary`) of the private-domain units (every unit but
        the stores units, which are paid on store revenue) from the actuals (``"actuals"``) or
        at target (``"target"``); its GMV shares are of the private-domain GMV.
    store_cost
        The same summary for the stores units (no GMV share), None without stores units.
    store_private_sales
        Per stores unit: private-domain sales of its people's friends in the period (CNY, from
        the actuals' ``private_sales`` column) and whether the unit is credited with them.
    gmv, gmv_source
        Annual GMV used for the cost share (CNY) and where it came from (``plan``, ``scheme``);
        None when unavailable.
    guides, guide_summary
        The shopping-guide derivation per store, and its totals (with the guides' actual median
        monthly adds last period when the actuals have them); None without assumptions.
    recommendation, rec_mix, rec_checks
        The proposed scheme with its own mix and checks.
    facts, findings
        ``incentives.*`` facts and the fired rules.
    """

    scheme: Scheme
    library: KpiLibrary
    stage: str
    mix: pd.DataFrame
    checks: pd.DataFrame
    shared: dict[str, list[str]]
    gmv_by_dept: pd.DataFrame
    unit_costs: pd.DataFrame
    cost: dict[str, float | None]
    cost_basis: str
    store_cost: dict[str, float | None] | None
    recommendation: Recommendation
    rec_mix: pd.DataFrame
    rec_checks: pd.DataFrame
    facts: dict[str, Any] = field(repr=False)
    findings: pd.DataFrame = field(repr=False)
    gmv: float | None = None
    gmv_source: str | None = None
    scores: pd.DataFrame | None = None
    payouts: pd.DataFrame | None = None
    unit_pay: pd.DataFrame | None = None
    reach: pd.DataFrame | None = None
    guides: pd.DataFrame | None = None
    guide_summary: dict[str, float] | None = None
    store_private_sales: pd.DataFrame | None = None


def _store_private_sales(scheme: Scheme, actuals: pd.DataFrame | None) -> pd.DataFrame | None:
    if actuals is None or "private_sales" not in actuals:
        return None
    rows = [
        {
            "unit": u.id,
            "private_sales": float(actuals.loc[actuals["unit"] == u.id, "private_sales"].sum()),
            "credited": u.double_credit is not None,
        }
        for u in scheme.units
        if u.department == "stores"
    ]
    return pd.DataFrame(rows, columns=["unit", "private_sales", "credited"]) if rows else None


def _actual_adds(scheme: Scheme, actuals: pd.DataFrame | None, needed: float) -> dict:
    """Median follower adds per guide per month last period, and its share of what is needed."""
    unit = scheme.shopping_guides.unit
    if actuals is None or unit is None or "follower_adds" not in actuals:
        return {"actual_median_adds": None, "actual_share": None}
    adds = actuals.loc[actuals["unit"] == unit, "follower_adds"].dropna()
    if adds.empty:
        return {"actual_median_adds": None, "actual_share": None}
    median = float(adds.median()) / scheme.months
    return {"actual_median_adds": median, "actual_share": median / needed if needed else None}


def analyse_incentives(
    scheme: Scheme,
    library: KpiLibrary,
    rules: RuleSet,
    *,
    stage: str,
    has_stores: bool = False,
    actuals: pd.DataFrame | None = None,
    plan_gmv: float | None = None,
) -> IncentiveAnalysis:
    """Score, pay, check and recommend.

    Parameters
    ----------
    scheme, library, rules
        The validated scheme, the KPI library and the incentive finding rules.
    stage
        The client's stage.
    has_stores
        Whether the client has stores (shopping guides in its profile); a stores unit in the
        scheme counts too.
    actuals
        Last period's actuals (:func:`~.actuals.load_actuals`), or None.
    plan_gmv
        Annual GMV of the plan (CNY) from the planning chapter; when None (or 0) the scheme's
        ``gmv`` is used, and without either the cost share is unavailable.

    Returns
    -------
    IncentiveAnalysis
    """
    mix = compute_mix(scheme, library, stage)
    checks = compute_checks(scheme, mix, stage)
    has_stores = bool(has_stores or (mix["department"] == "stores").any())
    if plan_gmv:
        gmv, source = float(plan_gmv), "plan"
    elif scheme.gmv:
        gmv, source = float(scheme.gmv), "scheme"
    else:
        gmv, source = None, None
    unit_costs = compute_unit_costs(scheme, library)
    scores = payouts = unit_pay = reach = None
    if actuals is not None and len(actuals):
        scores = score_employees(scheme, library, actuals)
        graded = grade_employees(scheme, actuals, scores)
        payouts = compute_payouts(scheme, scores, graded)
        unit_pay = summarise_units(scheme, payouts)
        reach = target_reach(scores)
    basis = "actuals" if unit_pay is not None else "target"
    costs = unit_pay if unit_pay is not None else unit_costs
    stores = costs["unit"].isin(mix.loc[mix["department"] == "stores", "unit"])
    cost = cost_summary(costs[~stores], scheme.months, gmv)
    store_cost = cost_summary(costs[stores], scheme.months, None) if stores.any() else None
    store_sales = _store_private_sales(scheme, actuals)
    guides = summary = None
    if scheme.shopping_guides is not None:
        guides = derive_guide_kpis(scheme.shopping_guides)
        summary = summarise_guides(guides)
        summary.update(_actual_adds(scheme, actuals, summary["median_adds"]))
    recommendation = recommend_scheme(
        scheme, library, stage=stage, guide_adds=summary["median_adds"] if summary else None
    )
    rec_mix = compute_mix(recommendation.scheme, library, stage)
    gmv_by_dept = gmv_targets(scheme, library)
    facts = compute_facts(
        scheme,
        library,
        stage=stage,
        has_stores=has_stores,
        mix=mix,
        checks=checks,
        reach=reach,
        gmv=(gmv, source) if gmv else None,
        gmv_by_dept=gmv_by_dept,
        variable_annual=cost["variable_annual"],
        employees=0 if payouts is None else len(payouts),
    )
    return IncentiveAnalysis(
        scheme=scheme,
        library=library,
        stage=stage,
        mix=mix,
        checks=checks,
        shared=shared_indicators(scheme),
        gmv_by_dept=gmv_by_dept,
        unit_costs=unit_costs,
        cost=cost,
        cost_basis=basis,
        store_cost=store_cost,
        store_private_sales=store_sales,
        recommendation=recommendation,
        rec_mix=rec_mix,
        rec_checks=compute_checks(recommendation.scheme, rec_mix, stage),
        facts=facts,
        findings=evaluate_incentive_rules(rules, facts),
        gmv=gmv,
        gmv_source=source,
        scores=scores,
        payouts=payouts,
        unit_pay=unit_pay,
        reach=reach,
        guides=guides,
        guide_summary=summary,
    )
