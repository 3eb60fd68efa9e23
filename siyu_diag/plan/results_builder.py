"""Build the planning chapter's :class:`~.results.PlanResults` and write it as JSON.

:func:`build_plan_results` collects an opened chapter's figures into the schema of
:mod:`~.results` (NaN and infinite values become ``null``); :func:`save_plan_results` writes them
to a JSON file (the notebook's ``results_path`` in a report run).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.atomic import write_json_atomic
from ..core.fragments import label
from . import drivers as drv
from .capabilities import assumption_capabilities
from .chapter import PlanChapter
from .reality import MULTIPLE
from .results import (
    RESULTS_VERSION,
    AtHistoryResult,
    CampaignResultModel,
    CapabilityResult,
    ClosingResult,
    DriverResult,
    GapResult,
    KeyResultResult,
    MonteCarloResult,
    MonthResult,
    PlanResults,
    RealityResult,
    ScenarioResult,
    SuggestionResult,
    TornadoResult,
    TreeNode,
    YearResult,
)


def _f(value: Any) -> float | None:
    """JSON-safe float: NaN and inf → None."""
    if value is None:
        return None
    v = float(value)
    return None if math.isnan(v) or math.isinf(v) else v


def _s(value: Any) -> str | None:
    """A text or None (pandas reads a missing text as NaN)."""
    return None if value is None or pd.isna(value) else str(value)


def _i(value: Any) -> int | None:
    v = _f(value)
    return None if v is None else int(v)


def _dependencies(chapter: PlanChapter, driver: str) -> dict[str, Any]:
    """A driver's capabilities (id, score, level) and the rule ids of the findings in its way."""
    if chapter.links is None:
        return {"capabilities": [], "blocking_findings": []}
    caps, findings = assumption_capabilities(chapter.links, driver, chapter.diagnosis, "en")
    return {
        "capabilities": [
            CapabilityResult(id=c["id"], score=c["score"], level=c["level"]) for c in caps
        ],
        "blocking_findings": [f["rule"] for f in findings],
    }


def build_plan_results(chapter: PlanChapter) -> PlanResults:
    """Collect the chapter's figures into a :class:`PlanResults`."""
    if not chapter.available:
        return PlanResults(results_version=RESULTS_VERSION, available=False, reason=chapter.reason)
    inputs, a = chapter.inputs, chapter.analysis
    p = a.projection
    drivers = [
        DriverResult(
            name=n,
            value=_f(d.value),
            low=_f(d.low) if d.has_range else None,
            high=_f(d.high) if d.has_range else None,
            unit=label(f"plan_unit_{drv.split_name(n)[0]}", "en"),
            source=d.source,
        )
        for n, d in inputs.drivers.items()
    ]
    monthly = [
        MonthResult(
            month=int(m),
            label=r["label"],
            new_users=r["new_users"],
            lost_users=r["lost_users"],
            existing_users=r["existing_users"],
            total_users=r["total_users"],
            new_users_by_channel={k: float(v) for k, v in p.new_users.loc[m].items()},
            gmv_new_cny=r["gmv_new"],
            gmv_returning_cny=r["gmv_returning"],
            gmv_cny=r["gmv"],
            marketing_cost_cny=r["marketing_cost"],
            organisation_cost_cny=r["organisation_cost"],
            fixed_cost_cny=r["fixed_cost"],
            total_cost_cny=r["total_cost"],
            contribution_cny=r["contribution"],
            profit_cny=r["profit"],
            cumulative_profit_cny=r["cumulative_profit"],
            cac_cny=_f(r["cac"]),
        )
        for m, r in p.monthly.iterrows()
    ]
    annual = [
        YearResult(
            year=int(y),
            months=int(r["months"]),
            new_users=r["new_users"],
            user_months=r["user_months"],
            end_users=r["end_users"],
            gmv_cny=r["gmv"],
            gmv_new_cny=r["gmv_new"],
            gmv_returning_cny=r["gmv_returning"],
            total_cost_cny=r["total_cost"],
            profit_cny=r["profit"],
            roi=_f(r["roi"]),
            roas=_f(r["roas"]),
            source_ratio=_f(r["source_ratio"]),
            cac_cny=_f(r["cac"]),
        )
        for y, r in p.annual.iterrows()
    ]
    tree = [
        TreeNode(
            node=r.node,
            parent=r.parent if isinstance(r.parent, str) else None,
            plan=r.plan,
            last_year=_f(r.last_year),
            contribution_cny=_f(r.contribution),
        )
        for r in a.tree.nodes.itertuples()
    ]
    gap = None
    if a.gap is not None:
        g = a.gap
        gap = GapResult(
            basis=g.basis,
            growth=_f(g.growth),
            target_gmv_cny=g.target_gmv,
            bottom_up_gmv_cny=g.bottom_up_gmv,
            gap_cny=g.gap,
            gap_share=_f(g.gap_share),
            closing=[
                ClosingResult(
                    driver=r.driver,
                    current=r.current,
                    closing_value=_f(r.closing_value),
                    change=_f(r.change),
                    low=r.low,
                    high=r.high,
                    status=r.status,
                )
                for r in g.closing.itertuples()
            ],
            suggestion=[
                SuggestionResult(driver=r.driver, current=r.current, suggested=r.suggested)
                for r in g.suggestion.itertuples()
            ],
            suggestion_fraction=g.fraction,
            suggested_gmv_cny=g.suggested_gmv,
            reaches_target=g.reaches_target,
        )
    mc = a.monte_carlo
    gp, pp, bp = mc.percentiles(mc.gmv), mc.percentiles(mc.profit), mc.break_even_percentiles()
    return PlanResults(
        results_version=RESULTS_VERSION,
        available=True,
        provenance=chapter.provenance,
        scenario=inputs.scenario,
        horizon_months=inputs.horizon_months,
        start_month=inputs.start_month,
        drivers=drivers,
        monthly=monthly,
        annual=annual,
        break_even_month=p.break_even_month,
        payback_months=p.payback_months,
        driver_tree=tree,
        gap=gap,
        scenarios=[
            ScenarioResult(
                scenario=r.scenario,
                gmv_cny=r.gmv,
                profit_cny=r.profit,
                roi=_f(r.roi),
                cumulative_profit_cny=r.cumulative_profit,
                break_even_month=_i(r.break_even_month),
            )
            for r in a.scenarios.itertuples()
        ],
        tornado=[
            TornadoResult(
                driver=r.driver,
                low=r.low,
                likely=r.likely,
                high=r.high,
                gmv_low_cny=r.gmv_low,
                gmv_high_cny=r.gmv_high,
                profit_low_cny=r.profit_low,
                profit_high_cny=r.profit_high,
            )
            for r in a.tornado.itertuples()
        ],
        monte_carlo=MonteCarloResult(
            draws=mc.draws,
            seed=mc.seed,
            distribution="beta-pert(lambda=4)",
            drivers=list(mc.drivers),
            gmv_p10_cny=gp[0],
            gmv_p50_cny=gp[1],
            gmv_p90_cny=gp[2],
            profit_p10_cny=pp[0],
            profit_p50_cny=pp[1],
            profit_p90_cny=pp[2],
            break_even_p10=bp[0],
            break_even_p50=bp[1],
            break_even_p90=bp[2],
            prob_break_even=mc.prob_break_even,
            prob_target=mc.prob_target,
        ),
        campaigns=[
            CampaignResultModel(
                id=c.campaign.id,
                name=c.campaign.name,
                month=c.campaign.month,
                gmv_cny=c.result.gmv,
                cost_cny=c.result.cost,
                profit_cny=c.result.profit,
                roi=c.result.roi,
                roas=c.result.roas,
                source_ratio=c.result.source_ratio,
                target_gmv_cny=c.campaign.target_gmv,
                key_results=[
                    KeyResultResult(metric=k.metric, baseline=_f(k.baseline), target=k.target)
                    for k in (c.okr.key_results if c.okr else ())
                ],
            )
            for c in a.campaigns
        ],
        reality_check=[
            RealityResult(
                driver=r.driver,
                plan_value=r.plan_value,
                history_value=_f(r.history_value),
                history_low=_f(r.history_low),
                history_high=_f(r.history_high),
                history_source=_s(r.history_source),
                verdict=_s(r.verdict),
                gmv_at_stake_cny=_f(r.gmv_at_stake),
                profit_at_stake_cny=_f(r.profit_at_stake),
                gmv_share_cny=_f(r.gmv_share),
                **_dependencies(chapter, r.driver),
            )
            for r in a.reality.table.itertuples()
        ],
        at_history=AtHistoryResult(
            multiple=MULTIPLE,
            year1_gmv_cny=a.reality.at_history.gmv,
            year1_profit_cny=a.reality.at_history.profit,
            break_even_month=a.reality.at_history.break_even_month,
            gap_to_target_cny=_f(a.reality.at_history.gap_to_target),
        ),
    )


def save_plan_results(chapter: PlanChapter, path: str | Path) -> Path | None:
    """Write the chapter's figures as JSON to ``path``; does nothing when ``path`` is empty."""
    if not path:
        return None
    return write_json_atomic(build_plan_results(chapter).model_dump(mode="json"), path)
