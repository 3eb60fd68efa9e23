"""The plan's headline for the report's executive summary: the target gap and what closes it."""

from __future__ import annotations

from typing import Any

from ..core.fmt import fmt_change, fmt_int, fmt_money, fmt_pct
from ..core.fragments import Fragment, label, render_fragment
from .chapter import PlanChapter
from .drivers import value_format
from .render_common import driver_label
from .render_reality import at_history_text, bet_lines


def plan_summary(chapter: PlanChapter) -> dict[str, Any]:
    """The plan's headline for the executive summary: the target gap and what closes it.

    Returns
    -------
    dict
        ``available`` (bool); when available: ``gmv_y1``, ``profit_y1`` (CNY),
        ``break_even_month`` (int or None), ``target_gmv``, ``gap`` (CNY, None without a
        target), ``gap_share`` (of the target), ``reaches_target`` (the suggestion does),
        ``closers`` (up to three single drivers that alone close the gap within their room:
        ``label``, ``fmt``, ``current``, ``value``, ``change`` and ``move``, the text
        ``current → value`` of :func:`~siyu_diag.core.fmt.fmt_change`), ``suggestion``
        (``label``, ``fmt``, ``current``, ``suggested`` and ``move`` of the combined move, largest
        relative change first), ``prob_target``
        (Monte Carlo share of draws reaching the target), ``text`` (one sentence in the
        chapter's language), ``bets`` (one line per assumption better than its best history,
        the most year-1 GMV resting on it first) and ``at_history`` (the plan at history in one
        sentence; "" without any history).
    """
    if not chapter.available:
        return {"available": False, "reason": chapter.reason}
    a, inputs, lang = chapter.analysis, chapter.inputs, chapter.lang
    y1 = a.projection.year(1)
    out: dict[str, Any] = {
        "available": True,
        "gmv_y1": float(y1["gmv"]),
        "profit_y1": float(y1["profit"]),
        "break_even_month": a.projection.break_even_month,
        "target_gmv": None,
        "gap": None,
        "gap_share": None,
        "reaches_target": None,
        "closers": [],
        "suggestion": [],
        "prob_target": a.monte_carlo.prob_target,
        "bets": bet_lines(chapter),
        "at_history": at_history_text(chapter) if a.reality.table["verdict"].notna().any() else "",
    }
    gap = a.gap
    if gap is None:
        out["text"] = label("plan_summary_no_target", lang, gmv=fmt_money(y1["gmv"], lang))
        return out
    feasible = gap.closing[gap.closing["status"] == "feasible"].copy()
    feasible = feasible.reindex(feasible["change"].abs().sort_values().index).head(3)
    moves = gap.suggestion.reindex(
        gap.suggestion["change"].abs().sort_values(ascending=False).index
    )
    out |= {
        "target_gmv": gap.target_gmv,
        "gap": gap.gap,
        "gap_share": gap.gap_share,
        "reaches_target": gap.reaches_target,
        "closers": [
            {
                "label": driver_label(inputs, r.driver, lang),
                "fmt": value_format(r.driver),
                "current": r.current,
                "value": r.closing_value,
                "change": r.change,
                "move": fmt_change(r.current, r.closing_value, value_format(r.driver), lang),
            }
            for r in feasible.itertuples()
        ],
        "suggestion": [
            {
                "label": driver_label(inputs, r.driver, lang),
                "fmt": value_format(r.driver),
                "current": r.current,
                "suggested": r.suggested,
                "move": fmt_change(r.current, r.suggested, value_format(r.driver), lang),
            }
            for r in moves.itertuples()
        ],
    }
    if gap.gap <= 0:
        key = "plan_summary_met"
    elif gap.reaches_target:
        key = "plan_summary_gap"
    else:
        key = "plan_summary_gap_unreachable"
    out["text"] = label(
        key,
        lang,
        target=fmt_money(gap.target_gmv, lang),
        plan=fmt_money(gap.bottom_up_gmv, lang),
        gap=fmt_money(abs(gap.gap), lang),
        share=fmt_pct(abs(gap.gap_share)),
        n=fmt_int(len(gap.suggestion)),
        fraction=fmt_pct(gap.fraction),
    )
    return out


def render_plan_summary(chapter: PlanChapter) -> Fragment:
    """The plan's part of the executive summary (placed after the diagnosis summary)."""
    summary = plan_summary(chapter)
    if not summary["available"]:
        return Fragment(html="", placement="summary")
    return render_fragment("plan/summary.html.j2", chapter.lang, placement="summary", s=summary)
