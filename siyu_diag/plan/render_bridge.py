"""Render the planning chapter's two GMV bridges: the driver tree and the gap to the target.

Both end in a waterfall drawn in HTML (:func:`_waterfall`): the driver tree from last year's GMV
to the plan's year 1, the gap from the bottom-up plan to the top-down target. Same conventions
as :mod:`~.render`; helpers from :mod:`~.render_common`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.fmt import change_digits
from ..core.fragments import Fragment
from . import charts
from . import drivers as drv
from .chapter import PlanChapter
from .render_common import (
    _change,
    _render,
    _skipped,
    _sub,
    _t,
    driver_label,
)
from .tree import NEW, RETURNING

_STEP_FORMAT = {
    "user_months": "int",
    "new_users": "int",
    "gmv": "money",
    "gmv_returning": "money",
    "gmv_new": "money",
}


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
            # decimals added to the row so that the current and the needed value read apart
            "extra": change_digits(r.current, r.closing_value, drv.value_format(r.driver), lang),
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
            "extra": change_digits(r.current, r.suggested, drv.value_format(r.driver), lang),
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
