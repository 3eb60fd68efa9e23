"""Render the planning chapter as HTML fragments (section id ``plan``), in report order.

Structure, then render: the render modules arrange the computed figures (localised names, rows
for tables, data for charts) and hand them to the templates in ``templates/fragments/plan/``,
which place values and do no arithmetic. Each ``render_plan_*`` returns a
:class:`~siyu_diag.core.fragments.Fragment`. When the client has no plan, the first fragment says
the chapter was skipped and why, and the others are empty.

This module holds the overview, the assumptions, the monthly plan, the campaigns and the method,
and :data:`SECTIONS`, every fragment in report order. The driver tree and the gap are in
:mod:`~.render_bridge`, the scenarios and uncertainty in :mod:`~.render_risk`; the helpers they
share in :mod:`~.render_common`.
"""

from __future__ import annotations

from typing import Any

from ..core.fmt import fmt_money
from ..core.fragments import Fragment, label
from ..core.style import fig_to_data_uri
from . import charts
from . import drivers as drv
from .chapter import PlanChapter
from .inputs import PlanInputs
from .render_bridge import render_plan_gap, render_plan_tree
from .render_common import (
    _change,
    _ratio_or_none,
    _render,
    _skipped,
    _sub,
    _t,
    driver_label,
    signed_pct,
)
from .render_reality import render_plan_reality
from .render_risk import render_plan_scenarios, render_plan_uncertainty

#: Months of the monthly table in the report (the workbook has them all).
TABLE_MONTHS = 12


def _source(inputs: PlanInputs, source: str, lang: str) -> str:
    return label(
        f"plan_src_{source}",
        lang,
        file=inputs.file,
        channels=inputs.channels_file or "",
        scenario=inputs.scenario or "",
    )


def render_plan_overview(ch: PlanChapter) -> Fragment:
    """The chapter's opening: the year-1 KPIs, the annual summary and the scenario in use."""
    if not ch.available:
        return _skipped(ch, True)
    a, inputs, lang = ch.analysis, ch.inputs, ch.lang
    y1 = a.projection.year(1)
    ly_gmv = inputs.last_year.gmv
    annual = [
        {
            "year": int(year),
            "months": int(r.months),
            "gmv": r.gmv,
            "profit": r.profit,
            "cost": r.total_cost,
            "roi": _ratio_or_none(r.roi),
            "roas": _ratio_or_none(r.roas),
            "source_ratio": _ratio_or_none(r.source_ratio),
            "new_users": r.new_users,
            "end_users": r.end_users,
        }
        for year, r in a.projection.annual.iterrows()
    ]
    gap = a.gap
    be = a.projection.break_even_month
    lead = _t(
        ch,
        "plan_lead",
        gmv=fmt_money(y1["gmv"], lang),
        growth=signed_pct(y1["gmv"] / ly_gmv - 1) if ly_gmv else "—",
        profit=fmt_money(y1["profit"], lang),
        break_even=_t(ch, "plan_be_month", m=be) if be else _t(ch, "plan_be_never"),
    )
    if gap is not None:
        key = "plan_lead_gap" if gap.gap > 0 else "plan_lead_no_gap"
        lead += _t(
            ch, key, target=fmt_money(gap.target_gmv, lang), gap=fmt_money(abs(gap.gap), lang)
        )
    return _render(
        ch,
        "overview.html.j2",
        toc=[{"id": "plan", "title": _t(ch, "plan_chapter"), "level": 1}]
        + _sub(ch, "summary", "plan_sec_summary"),
        lead=lead,
        y1=y1,
        last_year_gmv=ly_gmv,
        growth=signed_pct(y1["gmv"] / ly_gmv - 1) if ly_gmv else "",
        roi=_ratio_or_none(y1["roi"]),
        roas=_ratio_or_none(y1["roas"]),
        source_ratio=_ratio_or_none(y1["source_ratio"]),
        cac=_ratio_or_none(y1["cac"]),
        break_even=be,
        payback=a.projection.payback_months,
        horizon=inputs.horizon_months,
        gap=gap,
        annual=annual,
        scenario=inputs.scenario,
        scenario_description=inputs.scenario_description,
    )


def _assumption_rows(inputs: PlanInputs, lang: str) -> list[dict[str, Any]]:
    rows = []
    for name, d in inputs.drivers.items():
        kind, _ = drv.split_name(name)
        rows.append(
            {
                "name": name,
                "label": driver_label(inputs, name, lang),
                "value": d.value,
                "low": d.low if d.has_range else None,
                "high": d.high if d.has_range else None,
                "fmt": drv.value_format(name),
                "unit": label(f"plan_unit_{kind}", lang),
                "source": _source(inputs, d.source, lang),
            }
        )
    return rows


def render_plan_assumptions(ch: PlanChapter) -> Fragment:
    """Every driver with its value, range, unit and source; fixed costs; last year's figures."""
    if not ch.available:
        return _skipped(ch, False)
    inputs = ch.inputs
    fixed = [
        {
            "name": f.name,
            "amount": f.amount,
            "months": f.months,
            "start": f.start_month,
            "monthly": f.amount / f.months,
        }
        for f in inputs.fixed_costs
    ]
    starts = [
        {"name": c.name, "start": c.start_month} for c in inputs.channels if c.start_month > 1
    ] + [{"name": r.name, "start": r.start_month} for r in inputs.roles if r.start_month > 1]
    return _render(
        ch,
        "assumptions.html.j2",
        toc=_sub(ch, "assumptions", "plan_sec_assumptions"),
        rows=_assumption_rows(inputs, ch.lang),
        fixed=fixed,
        starts=starts,
        last_year=inputs.last_year,
        file=inputs.file,
    )


def _origin_names(ch: PlanChapter) -> dict[str, str]:
    return {"base": _t(ch, "plan_origin_base")} | {c.id: c.name for c in ch.inputs.channels}


def render_plan_monthly(ch: PlanChapter) -> Fragment:
    """Users by channel, GMV and cost lines with the break-even month, and the monthly table."""
    if not ch.available:
        return _skipped(ch, False)
    p, lang = ch.analysis.projection, ch.lang
    users = p.users_by_origin.rename(columns=_origin_names(ch))
    users_chart = charts.plot_users_by_origin(users, lang=lang, title=_t(ch, "plan_fig_users"))
    money_chart = charts.plot_gmv_cost(
        p.monthly, break_even=p.break_even_month, lang=lang, title=_t(ch, "plan_fig_money")
    )
    m = p.monthly.head(TABLE_MONTHS)
    y1 = p.year(1)
    rows = [
        {
            "label": r.label,
            "existing": r.existing_users,
            "cac": r.cac,
            "new": r.new_users,
            "lost": r.lost_users,
            "total": r.total_users,
            "gmv": r.gmv,
            "marketing": r.marketing_cost,
            "organisation": r.organisation_cost,
            "fixed": r.fixed_cost,
            "profit": r.profit,
            "cumulative": r.cumulative_profit,
            "break_even": int(month) == p.break_even_month,
        }
        for month, r in m.iterrows()
    ]
    total = {
        "existing": None,
        "cac": y1["cac"],
        "new": y1["new_users"],
        "lost": y1["lost_users"],
        "total": y1["end_users"],
        "gmv": y1["gmv"],
        "marketing": y1["marketing_cost"],
        "organisation": y1["organisation_cost"],
        "fixed": y1["fixed_cost"],
        "profit": y1["profit"],
        "cumulative": m["cumulative_profit"].iloc[-1],
    }
    return _render(
        ch,
        "monthly.html.j2",
        toc=_sub(ch, "monthly", "plan_sec_monthly"),
        users_chart=fig_to_data_uri(users_chart.figure),
        money_chart=fig_to_data_uri(money_chart.figure),
        rows=rows,
        total=total,
        months=len(p.monthly),
        shown=len(rows),
    )


def render_plan_campaigns(ch: PlanChapter) -> Fragment:
    """The campaign calculator for every campaign of plan.yaml, with its OKR."""
    if not ch.available:
        return _skipped(ch, False)
    lang = ch.lang
    campaigns = []
    for c in ch.analysis.campaigns:
        krs = []
        if c.okr is not None:
            for kr in c.okr.key_results:
                fmt = {"traffic": "int", "conversion": "pct", "aov": "price", "roi": "num"}[
                    kr.metric
                ]
                krs.append(
                    {
                        "label": _t(ch, f"plan_kr_{kr.metric}"),
                        "fmt": fmt,
                        "baseline": kr.baseline,
                        "target": kr.target,
                        "change_text": _change(kr.change),
                    }
                )
        campaigns.append(
            {
                "name": c.campaign.name,
                "month": c.campaign.month,
                "r": c.result,
                "okr": c.okr,
                "objective": _t(
                    ch,
                    "plan_okr_objective",
                    name=c.campaign.name,
                    target=fmt_money(c.okr.target_gmv, lang),
                )
                if c.okr
                else "",
                "krs": krs,
            }
        )
    return _render(
        ch,
        "campaigns.html.j2",
        toc=_sub(ch, "campaigns", "plan_sec_campaigns"),
        campaigns=campaigns,
    )


def render_plan_method(ch: PlanChapter) -> Fragment:
    """How the numbers are computed (placed in the report's appendix)."""
    if not ch.available:
        return _skipped(ch, False)
    return _render(
        ch,
        "method.html.j2",
        toc=_sub(ch, "method", "plan_sec_method"),
        placement="appendix",
        spread=drv.DEFAULT_SPREAD,
        mc=ch.analysis.monte_carlo,
        horizon=ch.inputs.horizon_months,
    )


#: The chapter's fragments in report order.
SECTIONS = (
    render_plan_overview,
    render_plan_assumptions,
    render_plan_monthly,
    render_plan_tree,
    render_plan_gap,
    render_plan_reality,
    render_plan_scenarios,
    render_plan_uncertainty,
    render_plan_campaigns,
    render_plan_method,
)
