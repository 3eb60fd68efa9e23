"""Render the incentive chapter as HTML fragments (structure here, layout in the templates).

Each ``render_incentives_*`` takes the :class:`~.chapter.IncentivesChapter` and returns a
:class:`~siyu_diag.core.fragments.Fragment` from ``templates/fragments/incentives/``; the figures
drawn in HTML (heat table, check marks, grade bars, pay dots) come from :mod:`~.graphics`. When the
chapter is not available the overview says it was skipped and why (with the chapter heading, so the
contents still list it) and the other fragments are empty.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core import vocab
from ..core.fmt import fmt_change
from ..core.fragments import Fragment, label, render_fragment
from ..core.palette import CURRENT_COLOR, grade_colors
from ..core.rules import PHASES
from .alignment import CHECKS
from .chapter import IncentivesChapter
from .graphics import check_cells, grade_rows, mix_table, pay_dots
from .library import FAMILIES, HORIZONS
from .pay import PAY_PARTS
from .scheme import Scheme
from .wording import commission_text, rule_text, value_text

CHAPTER_ID = "incentives"


def _t(ch: IncentivesChapter, key: str, **values: Any) -> str:
    return label(key, ch.lang, **values)


def _toc(ch: IncentivesChapter, sid: str, key: str, level: int = 2) -> dict[str, Any]:
    return {"id": sid, "title": _t(ch, key), "level": level}


def _empty() -> Fragment:
    return Fragment(html="")


def _dept(d: str, lang: str) -> str:
    return vocab.departments().name(d, lang)


def _units(ch: IncentivesChapter, scheme: Scheme | None = None) -> dict[str, str]:
    return {u.id: u.label for u in (scheme or ch.scheme).units}


def _kpi_name(ch: IncentivesChapter, kpi: str) -> str:
    return ch.library.index[kpi].name.get(ch.lang)


def _finding_rows(ch: IncentivesChapter) -> list[dict[str, Any]]:
    lang = ch.lang
    dim = label("incentives_dimension", lang)
    return [
        {
            "rule": f.rule,
            "dimension": dim,
            "severity": f.severity,
            "severity_label": label(f"severity_{f.severity}", lang),
            "phase": f.phase,
            "phase_label": label(f"phase_{f.phase}", lang),
            "title": getattr(f, f"title_{lang}"),
            "evidence": getattr(f, f"evidence_{lang}"),
            "recommendation": getattr(f, f"recommendation_{lang}"),
        }
        for f in ch.analysis.findings.itertuples()
    ]


def render_incentives_overview(ch: IncentivesChapter) -> Fragment:
    """Chapter opening: key figures, the scheme's units and pay, the grade bands."""
    toc = [_toc(ch, CHAPTER_ID, "incentives_chapter", 1)]
    if not ch.available:
        return render_fragment("incentives/skipped.html.j2", ch.lang, toc, reason=ch.reason)
    a, lang = ch.analysis, ch.lang
    checks = a.checks.set_index("unit")
    units = []
    for u in ch.scheme.units:
        dc = checks.at[u.id, "no_double_credit"]
        units.append(
            {
                "name": u.label,
                "department": _dept(u.department, lang),
                "level": label(f"incentives_level_{u.level}", lang),
                "headcount": u.headcount,
                "base": u.pay.base_monthly,
                "bonus": u.pay.bonus_target,
                "annual": u.pay.annual_share,
                "commission": commission_text(u, ch.library, lang),
                "double_credit": None if dc is None else not dc,
                "weights": float(a.mix.set_index("unit").at[u.id, "weight_sum"]),
                "weights_ok": not checks.at[u.id, "weights_off"],
            }
        )
    severities = a.findings["severity"].value_counts()
    toc.append(_toc(ch, "incentives-scheme", "incentives_sec_scheme"))
    return render_fragment(
        "incentives/overview.html.j2",
        lang,
        toc,
        name=ch.scheme.name,
        period=label(f"incentives_period_{ch.scheme.period}", lang),
        n_units=len(units),
        people=sum(u.headcount for u in ch.scheme.units),
        scored=None if a.payouts is None else len(a.payouts),
        cost=a.cost,
        cost_basis=a.cost_basis,
        gmv=a.gmv,
        gmv_source=a.gmv_source,
        n_findings=len(a.findings),
        n_high=int(severities.get("high", 0)),
        units=units,
        grades=[g.model_dump() for g in ch.scheme.grades],
        stage=label(f"incentives_stage_{a.stage}", lang),
    )


def _mix_frame(ch: IncentivesChapter, mix: pd.DataFrame, scheme: Scheme) -> pd.DataFrame:
    names = _units(ch, scheme)
    cols = {h: label(f"incentives_h_{h}", ch.lang) for h in HORIZONS}
    cols.update({f: label(f"incentives_family_{f}", ch.lang) for f in FAMILIES})
    data = mix.set_index("unit")[list(cols)].rename(columns=cols)
    data.index = [names[u] for u in data.index]
    return data


def render_incentives_alignment(ch: IncentivesChapter) -> Fragment:
    """Weight mix per unit, the alignment checks, shared indicators, targets vs plan, findings."""
    if not ch.available:
        return _empty()
    a, lang = ch.analysis, ch.lang
    names = _units(ch)
    measures = [
        {
            "unit": names[m.unit],
            "volume": m.volume,
            "quality": m.quality,
            "retention": m.retention,
            "sales_link": m.sales_link,
            "stage_fit": m.stage_fit,
        }
        for m in a.mix.itertuples(index=False)
    ]
    shared = [
        {"kpi": _kpi_name(ch, k), "units": " / ".join(names[u] for u in units)}
        for k, units in a.shared.items()
    ]
    gmv_rows = [
        {
            "department": _dept(r.department, lang),
            "units": r.units,
            "annual": r.annual_gmv,
            "ratio": r.annual_gmv / a.gmv if a.gmv else None,
        }
        for r in a.gmv_by_dept.itertuples(index=False)
    ]
    return render_fragment(
        "incentives/alignment.html.j2",
        lang,
        [_toc(ch, "incentives-alignment", "incentives_sec_alignment")],
        mix=mix_table(_mix_frame(ch, a.mix, ch.scheme), lang),
        measures=measures,
        checks=check_cells(a.checks, _units(ch)),
        check_keys=list(CHECKS),
        shared=shared,
        gmv_rows=gmv_rows,
        gmv=a.gmv,
        findings=_finding_rows(ch),
        phases=list(PHASES),
    )


def render_incentives_payouts(ch: IncentivesChapter) -> Fragment:
    """Last period's scores, grades and pay (or the cost at target), and the cost share of GMV."""
    if not ch.available:
        return _empty()
    a, lang = ch.analysis, ch.lang
    names = _units(ch)
    context: dict[str, Any] = {
        "cost": a.cost,
        "store_cost": a.store_cost,
        "gmv": a.gmv,
        "gmv_source": a.gmv_source,
        "basis": a.cost_basis,
        "period": label(f"incentives_period_{ch.scheme.period}", lang),
        "months": ch.scheme.months,
        "grades": [g.model_dump() for g in ch.scheme.grades],
        "store_units": [names[u] for u in a.mix.loc[a.mix["department"] == "stores", "unit"]],
        "uncredited": None,
        "pay_dots": None,
        "dot_color": CURRENT_COLOR,
        "grades_by_unit": [],
        "reach": [],
    }
    if a.store_private_sales is not None:
        open_ = a.store_private_sales[~a.store_private_sales["credited"]]
        if open_["private_sales"].sum() > 0:
            context["uncredited"] = float(open_["private_sales"].sum())
    if a.payouts is None:
        rows = a.unit_costs
    else:
        rows = a.unit_pay
        p = a.payouts
        pay = pd.DataFrame({"unit": p["unit"].map(names), "variable": p["variable"]})
        context["pay_dots"] = pay_dots(pay)
        order = [g.grade for g in ch.scheme.grades]
        counts = pd.crosstab(p["unit"].map(names), p["grade"]).reindex(columns=order, fill_value=0)
        counts = counts.reindex([names[u] for u in p["unit"].unique()])
        context["grades_by_unit"] = grade_rows(counts)
        context["grade_legend"] = [
            {"label": g, "color": c} for g, c in zip(order, grade_colors(len(order)), strict=True)
        ]
        context["vetoed"] = int(p["vetoed"].sum())
        context["reach"] = [
            {
                "unit": names[r.unit],
                "kpi": _kpi_name(ch, r.kpi),
                "n": r.n,
                "reached": r.reached,
                "median": r.median,
                "out": bool(r.out_of_reach),
            }
            for r in a.reach.itertuples(index=False)
        ]
    table = []
    for r in rows.to_dict("records"):
        item = {"unit": names[r["unit"]], "n": r["headcount"], **{k: r[k] for k in PAY_PARTS}}
        item.update(variable=r["variable"], total=r["total"], score=r.get("mean_score"))
        table.append(item)
    totals = {k: float(rows[k].sum()) for k in (*PAY_PARTS, "variable", "total")}
    totals["n"] = int(rows["headcount"].sum())
    return render_fragment(
        "incentives/payouts.html.j2",
        lang,
        [_toc(ch, "incentives-payouts", "incentives_sec_payouts")],
        rows=table,
        totals=totals,
        **context,
    )


def render_incentives_guides(ch: IncentivesChapter) -> Fragment:
    """The top-down shopping-guide KPI: steps with formulas and assumptions, the store table."""
    if not ch.available:
        return _empty()
    a = ch.analysis
    guides = ch.scheme.shopping_guides
    if guides is None:
        if not a.facts.get("incentives.has_stores"):
            return _empty()
        return render_fragment(
            "incentives/guides.html.j2",
            ch.lang,
            [_toc(ch, "incentives-guides", "incentives_sec_guides")],
            missing=True,
        )
    stores = a.guides.sort_values("monthly_adds_per_guide", ascending=False, kind="stable")
    most = stores["monthly_adds_per_guide"].max()
    # each store's adds also drawn as a bar inside its cell, as a share of the largest
    bars = stores["monthly_adds_per_guide"] / most * 100 if most > 0 else 0.0
    return render_fragment(
        "incentives/guides.html.j2",
        ch.lang,
        [_toc(ch, "incentives-guides", "incentives_sec_guides")],
        missing=False,
        g=guides.model_dump(),
        stores=stores.assign(bar=bars).to_dict("records"),
        summary=a.guide_summary,
    )


def render_incentives_recommendation(ch: IncentivesChapter) -> Fragment:
    """The proposed scheme per unit, with the reasoning and the checks before and after."""
    if not ch.available:
        return _empty()
    a, lang = ch.analysis, ch.lang
    rec = a.recommendation
    why = rec.indicators.set_index(["unit", "kpi"])
    current = ch.scheme.unit_index
    units = []
    for u in rec.scheme.units:
        rows = []
        for ind in u.indicators:
            kpi = ch.library.index[ind.kpi]
            meta = why.loc[(u.id, ind.kpi)]
            rows.append(
                {
                    "kpi": kpi.name.get(lang),
                    "horizon": label(f"incentives_h_{kpi.horizon}", lang),
                    "family": label(f"incentives_family_{kpi.family}", lang),
                    "weight": ind.weight,
                    "veto": ind.is_veto,
                    "target": None
                    if ind.target is None
                    else value_text(ind.target, kpi.unit, lang),
                    "target_source": meta["target_source"],
                    "rule": rule_text(ind, kpi, lang),
                    "why": label(f"incentives_why_tag_{meta['why']}", lang),
                    "kept": bool(meta["kept"]),
                }
            )
        old = current[u.id].pay
        units.append(
            {
                "id": u.id,
                "name": u.label,
                "department": _dept(u.department, lang),
                "level": label(f"incentives_level_{u.level}", lang),
                "rows": rows,
                "reasons": [label(r["key"], lang, **r["values"]) for r in rec.reasons[u.id]],
                "pay": {
                    "bonus": fmt_change(old.bonus_target, u.pay.bonus_target, "money", lang),
                    "annual": fmt_change(old.annual_share, u.pay.annual_share, "money", lang),
                },
            }
        )
    before = a.checks[list(CHECKS)].apply(lambda c: int((c == True).sum()))  # noqa: E712
    after = a.rec_checks[list(CHECKS)].apply(lambda c: int((c == True).sum()))  # noqa: E712
    summary = [
        {"check": c, "before": int(before[c]), "after": int(after[c])}
        for c in CHECKS
        if before[c] or after[c]
    ]
    return render_fragment(
        "incentives/recommendation.html.j2",
        lang,
        [_toc(ch, "incentives-recommendation", "incentives_sec_recommendation")],
        stage=label(f"incentives_stage_{a.stage}", lang),
        units=units,
        summary=summary,
        period=label(f"incentives_period_{ch.scheme.period}", lang),
    )


def render_incentives_glossary(ch: IncentivesChapter) -> Fragment:
    """The definitions of every indicator used (current and proposed) and the method."""
    if not ch.available:
        return _empty()
    lang = ch.lang
    used = {i.kpi for u in ch.scheme.units for i in u.indicators}
    used |= {i.kpi for u in ch.analysis.recommendation.scheme.units for i in u.indicators}
    rows = [
        {
            "name": k.name.get(lang),
            "definition": k.definition.get(lang),
            "formula": k.formula.get(lang),
            "unit": label(f"incentives_unit_{k.unit}", lang),
            "family": label(f"incentives_family_{k.family}", lang),
            "horizon": label(f"incentives_horizon_{k.horizon}", lang),
            "better": label(f"incentives_better_{k.better}", lang),
        }
        for k in ch.library.kpis
        if k.id in used
    ]
    return render_fragment(
        "incentives/glossary.html.j2",
        lang,
        [_toc(ch, "incentives-glossary", "incentives_sec_glossary")],
        rows=rows,
        library=ch.library.label,
        prov=ch.provenance,
    )


#: The chapter's fragments in report order.
SECTIONS = (
    render_incentives_overview,
    render_incentives_alignment,
    render_incentives_payouts,
    render_incentives_guides,
    render_incentives_recommendation,
    render_incentives_glossary,
)
