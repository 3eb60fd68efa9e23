"""Render the planning chapter as HTML fragments (section id ``plan``).

Structure, then render: this module arranges the computed figures (localised names, rows for
tables, data for charts) and hands them to the templates in ``templates/fragments/plan/``, which
place values and do no arithmetic. Each ``render_plan_*`` returns a
:class:`~siyu_diag.core.fragments.Fragment`. When the client has no plan, the first fragment says
the chapter was skipped and why, and the others are empty.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.fmt import fmt_money, fmt_signed
from ..core.fragments import Fragment, label, render_fragment
from ..core.style import fig_to_data_uri
from . import charts
from . import drivers as drv
from .chapter import PlanChapter
from .inputs import PlanInputs
from .tree import NEW, RETURNING

#: Months of the monthly table in the report (the workbook has them all).
TABLE_MONTHS = 12
#: Most drivers shown in a tornado.
TORNADO_LIMIT = 12

_STEP_FORMAT = {
    "user_months": "int",
    "new_users": "int",
    "gmv": "money",
    "gmv_returning": "money",
    "gmv_new": "money",
}


def signed_pct(share: float) -> str:
    """A signed share as a percentage with one decimal: ``0.452 → +45.2%``."""
    return f"{fmt_signed(share * 100)}%"


def _change(share: float | None) -> str:
    return "—" if share is None or pd.isna(share) else signed_pct(share)


def _t(ch: PlanChapter, key: str, **values: Any) -> str:
    return label(key, ch.lang, **values)


def driver_label(inputs: PlanInputs, name: str, lang: str) -> str:
    """A driver's display name: ``客单价``, ``抖音 · 月流量``, ``社群运营 · 人数``."""
    kind, entity = drv.split_name(name)
    text = label(f"plan_drv_{kind}", lang)
    if entity is None:
        return text
    owners = {c.id: c.name for c in inputs.channels} | {
        f"role:{r.id}": r.name for r in inputs.roles
    }
    owner = owners.get(f"role:{entity}" if kind in drv.ROLE_DRIVERS else entity, entity)
    return f"{owner} · {text}"


def _source(inputs: PlanInputs, source: str, lang: str) -> str:
    return label(
        f"plan_src_{source}",
        lang,
        file=inputs.file,
        channels=inputs.channels_file or "",
        scenario=inputs.scenario or "",
    )


def _skipped(ch: PlanChapter, first: bool) -> Fragment:
    if not first:
        return Fragment(html="")
    return render_fragment(
        "plan/skipped.html.j2",
        ch.lang,
        toc=[{"id": "plan", "title": _t(ch, "plan_chapter"), "level": 1}],
        reason=ch.reason,
    )


def _render(
    ch: PlanChapter,
    template: str,
    toc: list[dict[str, Any]],
    *,
    placement: str = "body",
    **context: Any,
) -> Fragment:
    return render_fragment(f"plan/{template}", ch.lang, toc, placement=placement, **context)


def _sub(ch: PlanChapter, ident: str, key: str) -> list[dict[str, Any]]:
    return [{"id": f"plan-{ident}", "title": _t(ch, key), "level": 2}]


def _ratio_or_none(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


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


def _waterfall(
    ch: PlanChapter, title_key: str, data: pd.DataFrame, target: float | None = None
) -> dict[str, Any]:
    """A waterfall drawn in HTML: totals from zero, signed steps from the running total.

    ``data`` as for :func:`siyu_diag.plan.charts.plot_waterfall` (``label``, ``value``,
    ``kind``); positions are percentages of one axis from the lowest to the highest point.
    """
    rows, running = [], 0.0
    for r in data.itertuples(index=False):
        start = 0.0 if r.kind == "total" else running
        end = r.value if r.kind == "total" else running + r.value
        color = charts.TOTAL_COLOR if r.kind == "total" else charts.step_color(r.value)
        rows.append({"label": r.label, "value": r.value, "total": r.kind == "total",
                     "start": start, "end": end, "color": color})  # fmt: skip
        running = end
    points = [0.0, *(x for r in rows for x in (r["start"], r["end"]))]
    if target is not None:
        points.append(target)
    lo, span = min(points), (max(points) - min(points)) or 1.0
    for r in rows:
        r["left"] = (min(r["start"], r["end"]) - lo) / span * 100
        r["width"] = abs(r["end"] - r["start"]) / span * 100
    return {
        "title": _t(ch, title_key),
        "rows": rows,
        "target": target,
        "target_at": None if target is None else (target - lo) / span * 100,
    }


def render_plan_tree(ch: PlanChapter) -> Fragment:
    """The year-1 driver tree and the waterfall from last year's GMV."""
    if not ch.available:
        return _skipped(ch, False)
    tree = ch.analysis.tree
    nodes = [
        {
            "node": r.node,
            "label": _t(ch, f"plan_node_{r.node}"),
            "depth": 0
            if r.parent is None or pd.isna(r.parent)
            else (1 if r.parent == "gmv" else 2),
            "fmt": _STEP_FORMAT.get(r.node) or drv.value_format(r.node),
            "plan": r.plan,
            "last_year": None if pd.isna(r.last_year) else r.last_year,
            "contribution": None if pd.isna(r.contribution) else r.contribution,
        }
        for r in tree.nodes.itertuples()
    ]
    steps = tree.bridge
    recon = float(steps.loc[steps["step"] == "reconciliation", "gmv"].iloc[0])
    shown = steps[(steps["step"] != "reconciliation") | (abs(recon) >= 0.5)]
    shown = shown[(shown["gmv"].abs() >= 0.5) | shown["step"].isin(["last_year", "plan"])]
    data = pd.DataFrame(
        {
            "label": [_t(ch, f"plan_step_{s}") for s in shown["step"]],
            "value": shown["gmv"].to_numpy(),
            "kind": ["total" if s in ("last_year", "plan") else "step" for s in shown["step"]],
        }
    )
    return _render(
        ch,
        "tree.html.j2",
        toc=_sub(ch, "tree", "plan_sec_tree"),
        nodes=nodes,
        steps=_waterfall(ch, "plan_fig_tree", data),
        reconciliation=recon,
        show_reconciliation=abs(recon) >= 0.5,
        factors_returning=[_t(ch, f"plan_node_{f}") for f in RETURNING],
        factors_new=[_t(ch, f"plan_node_{f}") for f in NEW],
        new_users_known=ch.inputs.last_year.new_users is not None,
    )


def _step_label(ch: PlanChapter, step: str) -> str:
    if step.startswith("channel:"):
        ident = step.split(":", 1)[1]
        name = {c.id: c.name for c in ch.inputs.channels}.get(ident, ident)
        return _t(ch, "plan_step_channel", name=name)
    return driver_label(ch.inputs, step, ch.lang)


def render_plan_gap(ch: PlanChapter) -> Fragment:
    """Top-down vs bottom-up: the gap, what alone closes it, the suggested combination."""
    if not ch.available:
        return _skipped(ch, False)
    gap, inputs, lang = ch.analysis.gap, ch.inputs, ch.lang
    toc = _sub(ch, "gap", "plan_sec_gap")
    if gap is None:
        return _render(ch, "gap.html.j2", toc, gap=None)
    closing = [
        {
            "label": driver_label(inputs, r.driver, lang),
            "fmt": drv.value_format(r.driver),
            "current": r.current,
            "value": None if pd.isna(r.closing_value) else r.closing_value,
            "change": None if pd.isna(r.change) else r.change,
            "change_text": _change(r.change),
            "low": r.low,
            "high": r.high,
            "stated": bool(r.stated_range),
            "status": r.status,
            "status_label": _t(ch, f"plan_status_{r.status}"),
        }
        for r in gap.closing.itertuples()
    ]
    order = {"feasible": 0, "beyond_range": 1, "impossible": 2}
    closing.sort(key=lambda r: (order[r["status"]], abs(r["change"] or 1e9)))
    suggestion = [
        {
            "label": driver_label(inputs, r.driver, lang),
            "fmt": drv.value_format(r.driver),
            "current": r.current,
            "suggested": r.suggested,
            "change_text": _change(r.change),
        }
        for r in gap.suggestion.itertuples()
    ]
    bridge = None
    if gap.gap > 0 and not gap.bridge.empty:
        data = pd.DataFrame(
            {
                "label": [_t(ch, "plan_bottom_up")]
                + [_step_label(ch, s) for s in gap.bridge["step"]]
                + [_t(ch, "plan_suggested")],
                "value": [gap.bottom_up_gmv, *gap.bridge["gmv"], gap.suggested_gmv],
                "kind": ["total"] + ["step"] * len(gap.bridge) + ["total"],
            }
        )
        bridge = _waterfall(ch, "plan_fig_bridge", data, target=gap.target_gmv)
    return _render(
        ch,
        "gap.html.j2",
        toc,
        gap=gap,
        closing=closing,
        suggestion=suggestion,
        bridge=bridge,
        n_feasible=sum(r["status"] == "feasible" for r in closing),
        spread=drv.DEFAULT_SPREAD,
        remaining=gap.target_gmv - gap.suggested_gmv,
        over=abs(gap.gap),
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


from .render_risk import render_plan_scenarios, render_plan_uncertainty  # noqa: E402

#: The chapter's fragments in report order.
SECTIONS = (
    render_plan_overview,
    render_plan_assumptions,
    render_plan_monthly,
    render_plan_tree,
    render_plan_gap,
    render_plan_scenarios,
    render_plan_uncertainty,
    render_plan_campaigns,
    render_plan_method,
)
