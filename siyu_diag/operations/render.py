"""Render the operating-data chapter as HTML fragments (structure here, layout in templates).

Each ``render_operations_*`` function arranges the computed tables (localised names, rows,
chart images) and hands them to a template in ``templates/fragments/operations/``. When the
client has no operating data, :func:`render_operations_overview` returns the chapter heading
with the reason and every other function returns an empty fragment.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns

from ..core.bars import stacked
from ..core.fragments import Fragment, label
from ..core.palette import ABOVE_COLOR, WITHIN_COLOR
from ..core.style import fig_to_data_uri
from . import columns as C
from . import plots
from .chapter import OperationsChapter
from .render_base import EMPTY, clean, latest_churn, name, records, render, sub
from .render_customers import render_operations_calibration, render_operations_customers
from .tracking import latest_tracking


def _tp(value: str, lang: str) -> str:
    return name("tp", value, lang)


def _period(series: pd.Series) -> str:
    if series.empty:
        return ""
    lo, hi = series.min(), series.max()
    return f"{lo:%Y-%m-%d} – {hi:%Y-%m-%d}"


def _coverage(ch: OperationsChapter) -> list[dict[str, Any]]:
    inputs = ch.inputs
    rows = []
    for key, date_col in (("friends", C.DATE), ("orders", C.ORDER_TIME), ("pushes", C.DATE),
                          ("kpi_tracking", C.MONTH)):  # fmt: skip
        table = getattr(inputs, key)
        if table is None:
            continue
        if key == "kpi_tracking":
            period = f"{table[C.MONTH].min()} – {table[C.MONTH].max()}" if len(table) else ""
        else:
            period = _period(table[date_col])
        rows.append(
            {
                "table": label(f"operations_table_{key}", ch.lang),
                "file": inputs.files.get(key, ""),
                "rows": len(table),
                "period": period,
            }
        )
    return rows


def _notes(ch: OperationsChapter) -> list[str]:
    out = []
    daily = ch.ops.daily
    if daily is not None and len(daily):
        basis = daily["basis"].iloc[0]
        derived = [k for k in ("cumulative", "current") if f"{k}: derived" in basis]
        if derived:
            what = "both" if len(derived) == 2 else derived[0]
            out.append(label("operations_note_derived", ch.lang,
                             what=label(f"operations_derived_{what}", ch.lang)))  # fmt: skip
    previous = ""
    for n in ch.ops.notes.itertuples():
        value = "" if pd.isna(n.value) else f"{int(n.value):,}"
        table = label(f"operations_table_{n.table}", ch.lang)
        text = label(f"operations_note_{n.kind}", ch.lang, table=table, subject=n.subject,
                     value=value, rows=n.rows)  # fmt: skip
        if out and previous and n.kind.startswith(previous + "_"):  # continues the note before
            out[-1] += text if ch.lang == "zh" else f" {text}"
            continue
        out.append(text)
        previous = n.kind
    return out


def render_operations_overview(ch: OperationsChapter) -> Fragment:
    """The chapter opening: headline figures, what data were supplied, data notes."""
    toc = [{"id": "operations", "title": label("operations_chapter", ch.lang), "level": 1}]
    if not ch.available:
        return render(ch, "skipped", toc, reason=ch.reason)
    ops = ch.ops
    daily_last = ops.daily.iloc[-1] if ops.daily is not None and len(ops.daily) else None
    return render(
        ch,
        "overview",
        toc,
        friends=None if daily_last is None else records(daily_last.to_frame().T)[0],
        churn=latest_churn(ch),
        threshold=ch.settings.churn_threshold,
        summary={k: clean(v) for k, v in ops.summary.items()},
        months=0 if ops.monthly_gmv is None else len(ops.monthly_gmv),
        member_share=clean(ops.member_share),
        coverage=_coverage(ch),
        notes=_notes(ch),
    )


def render_operations_growth(ch: OperationsChapter) -> Fragment:
    """Friend growth, retention and monthly churn against the threshold; adds by channel."""
    if not ch.available:
        return EMPTY
    ops, lang = ch.ops, ch.lang
    if ops.daily is None or ops.daily.empty:
        extra = label("operations_churn_from_orders", lang) if ops.churn_basis == "orders" else ""
        return render(ch, "missing", sub(ch, "growth"), key="growth", what="friends", extra=extra)
    monthly = ops.monthly.assign(month=ops.monthly["month"].astype(str))
    threshold = ch.settings.churn_threshold
    growth = plots.plot_friends_growth(ops.daily, lang=lang).figure
    bars, threshold_at = _churn_bars(monthly["churn"], threshold)
    breakdowns = []
    for key, frame in (("channel", ops.channels), ("staff", ops.staff)):
        if frame is not None and len(frame):
            breakdowns.append({"key": key, "rows": records(frame.rename(columns={key: "name"}))})
    return render(
        ch,
        "growth",
        sub(ch, "growth"),
        growth_chart=fig_to_data_uri(growth),
        months=[r | {"bar": b} for r, b in zip(records(monthly), bars, strict=True)],
        threshold=threshold,
        threshold_at=threshold_at,
        colors={"above": ABOVE_COLOR, "within": WITHIN_COLOR},
        breakdowns=breakdowns,
    )


def _churn_bars(churn: pd.Series, threshold: float) -> tuple[list[dict | None], float]:
    """Each month's churn as a bar, and where the threshold lies, in percent of the track.

    The track runs from 0 to 1.25 × the larger of the worst month and the threshold, so neither
    the longest bar nor the threshold line touches its end. A month without churn (the first,
    or one without friends) gets no bar.
    """
    worst = churn.max()
    top = max(0.0 if pd.isna(worst) else float(worst), threshold) * 1.25 or 1.0
    bars = [
        None
        if pd.isna(v)
        else {"width": v / top * 100, "color": ABOVE_COLOR if v > threshold else WITHIN_COLOR}
        for v in churn
    ]
    return bars, threshold / top * 100


def _touchpoint_table(ops, lang: str) -> tuple[list[str], list[dict[str, Any]], dict]:
    tp = ops.touchpoints
    types = [t for t in C.USER_TYPES if t in set(tp["user_type"])]
    gmv = tp.pivot_table(index="touchpoint", columns="user_type", values="gmv", aggfunc="sum",
                         sort=False).reindex(columns=types)  # fmt: skip
    totals = tp.groupby("touchpoint", sort=False).agg(orders=("orders", "sum"), gmv=("gmv", "sum"))
    totals["aov"] = totals["gmv"] / totals["orders"]
    total_gmv = totals["gmv"].sum()
    totals["share"] = totals["gmv"] / total_gmv if total_gmv else np.nan
    rows = [
        {"name": _tp(t, lang), "cells": [clean(gmv.loc[t, u]) for u in types],
         **{k: clean(v) for k, v in totals.loc[t].items()}}
        for t in gmv.index
    ]  # fmt: skip
    by_type = tp.groupby("user_type").agg(gmv=("gmv", "sum")).reindex(types)["gmv"]
    orders = totals["orders"].sum()
    total = {"cells": [clean(v) for v in by_type], "orders": int(orders), "gmv": total_gmv,
             "aov": total_gmv / orders if orders else None, "share": 1.0}  # fmt: skip
    return [name("ut", u, lang) for u in types], rows, total


def render_operations_sales(ch: OperationsChapter) -> Fragment:
    """GMV by touchpoint × user type, new customers by source, member share and pushes."""
    if not ch.available:
        return EMPTY
    ops, lang = ch.ops, ch.lang
    pushes = None
    if ops.pushes_by_month is not None:
        by_tp = ops.pushes_by_touchpoint.assign(
            touchpoint=[_tp(t, lang) for t in ops.pushes_by_touchpoint["touchpoint"]]
        )
        pushes = {
            "months": records(ops.pushes_by_month.assign(
                month=ops.pushes_by_month["month"].astype(str))),
            "touchpoints": records(by_tp),
            "from_orders": C.REVENUE not in ch.inputs.pushes,
            "has_cost": C.COST in ch.inputs.pushes,
            "has_deletions": C.DELETIONS in ch.inputs.pushes,
        }  # fmt: skip
    if ops.touchpoints is None or ops.touchpoints.empty:
        return render(ch, "sales", sub(ch, "sales"), orders=False, pushes=pushes)
    types, rows, total = _touchpoint_table(ops, lang)
    gmv = pd.DataFrame([r["cells"] for r in rows], columns=types).astype(float).fillna(0.0)
    colors = sns.color_palette("muted", len(types)).as_hex()
    largest = gmv.sum(axis=1).max()
    bars = [
        {"name": r["name"], "segments": stacked(v, colors, largest, label_from=1.0)}
        for r, v in zip(rows, gmv.to_numpy(), strict=True)
    ]
    sources = ops.new_by_source
    return render(
        ch,
        "sales",
        sub(ch, "sales"),
        orders=True,
        bars=bars,
        legend=[{"label": t, "color": c} for t, c in zip(types, colors, strict=True)],
        types=types,
        rows=rows,
        total=total,
        sources=records(sources) if sources is not None else [],
        member_share=clean(ops.member_share),
        pushes=pushes,
    )


def _kpi_kind(rows: pd.DataFrame) -> str:
    unit = str(rows[C.UNIT].iloc[0]) if len(rows) else ""
    if unit == "%":
        return "pct"
    if unit in ("元", "CNY", "¥", "￥", "RMB"):
        return "money"
    values = rows[[C.ACTUAL, C.TARGET]].to_numpy(float)
    finite = values[np.isfinite(values)]
    return "int" if finite.size and np.all(finite == np.round(finite)) else "num"


def render_operations_tracking(ch: OperationsChapter) -> Fragment:
    """The latest month of the KPI tracking table with completion, change and a light."""
    if not ch.available:
        return EMPTY
    tracking = ch.ops.tracking
    if tracking is None or tracking.empty:
        return render(ch, "missing", sub(ch, "tracking"), key="tracking", what="kpi")
    latest = latest_tracking(tracking)
    rows = []
    for r in latest.itertuples(index=False):
        history = tracking[tracking[C.METRIC] == r.metric]
        rows.append({
            "metric": r.metric, "kind": _kpi_kind(history), "unit": r.unit,
            "lower": r.direction == "lower", "actual": clean(r.actual),
            "target": clean(r.target), "completion": clean(r.completion),
            "last_month": clean(r.last_month), "light": r.light,
            "mom_pct": None if clean(r.mom_change) is None else r.mom_change * 100,
            "months": len(history),
            "met": int((history["light"] == "green").sum()),
        })  # fmt: skip
    counts = latest["light"].value_counts()
    return render(
        ch,
        "tracking",
        sub(ch, "tracking"),
        month=str(latest[C.MONTH].iloc[0]),
        rows=rows,
        counts={k: int(counts.get(k, 0)) for k in ("green", "amber", "red")},
        amber_from=ch.settings.amber_from,
    )


def render_operations_definitions(ch: OperationsChapter) -> Fragment:
    """How every operating metric is defined (the chapter's method appendix)."""
    if not ch.available:
        return EMPTY
    return render(ch, "definitions", sub(ch, "definitions"), settings=ch.settings,
                  churn_basis=ch.ops.churn_basis)  # fmt: skip


#: The chapter's fragments in report order.
SECTIONS = (
    render_operations_overview,
    render_operations_growth,
    render_operations_sales,
    render_operations_tracking,
    render_operations_customers,
    render_operations_calibration,
    render_operations_definitions,
)
