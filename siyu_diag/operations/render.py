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
from ..core.fragments import Fragment, heat_table, label, render_fragment
from ..core.palette import (
    ABOVE_COLOR,
    COMPANION_COLOR,
    CURRENT_COLOR,
    SHARE_STOPS,
    WITHIN_COLOR,
    heat_cell,
    heat_scale,
    ramp_color,
)
from ..core.style import fig_to_data_uri
from . import columns as C
from . import plots
from .chapter import OperationsChapter
from .tracking import latest_tracking

_EMPTY = Fragment(html="")


def _render(ch: OperationsChapter, name: str, toc: list[dict[str, Any]], **context) -> Fragment:
    return render_fragment(f"operations/{name}.html.j2", ch.lang, toc, **context)


def _sub(ch: OperationsChapter, key: str) -> list[dict[str, Any]]:
    return [{"id": f"operations-{key}", "title": label(f"operations_sec_{key}", ch.lang),
             "level": 2}]  # fmt: skip


def _name(prefix: str, value: str, lang: str) -> str:
    key = f"operations_{prefix}_{value}"
    try:
        return label(key, lang)
    except KeyError:
        return str(value)


def _tp(value: str, lang: str) -> str:
    return _name("tp", value, lang)


def _clean(value: Any) -> Any:
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


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
    for n in ch.ops.notes.itertuples():
        value = "" if pd.isna(n.value) else f"{int(n.value):,}"
        table = label(f"operations_table_{n.table}", ch.lang)
        out.append(label(f"operations_note_{n.kind}", ch.lang, table=table, subject=n.subject,
                         value=value, rows=n.rows))  # fmt: skip
    return out


def render_operations_overview(ch: OperationsChapter) -> Fragment:
    """The chapter opening: headline figures, what data were supplied, data notes."""
    toc = [{"id": "operations", "title": label("operations_chapter", ch.lang), "level": 1}]
    if not ch.available:
        return _render(ch, "skipped", toc, reason=ch.reason)
    ops = ch.ops
    monthly = ops.monthly
    last = monthly.iloc[-1] if monthly is not None and len(monthly) else None
    daily_last = ops.daily.iloc[-1] if ops.daily is not None and len(ops.daily) else None
    return _render(
        ch,
        "overview",
        toc,
        friends=None if daily_last is None else _records(daily_last.to_frame().T)[0],
        last_month=None if last is None else _records(last.to_frame().T)[0],
        threshold=ch.settings.churn_threshold,
        summary={k: _clean(v) for k, v in ops.summary.items()},
        months=0 if ops.monthly_gmv is None else len(ops.monthly_gmv),
        member_share=_clean(ops.member_share),
        coverage=_coverage(ch),
        notes=_notes(ch),
    )


def render_operations_growth(ch: OperationsChapter) -> Fragment:
    """Friend growth, retention and monthly churn against the threshold; adds by channel."""
    if not ch.available:
        return _EMPTY
    ops, lang = ch.ops, ch.lang
    if ops.daily is None or ops.daily.empty:
        return _render(ch, "missing", _sub(ch, "growth"), key="growth", what="friends")
    monthly = ops.monthly.assign(month=ops.monthly["month"].astype(str))
    threshold = ch.settings.churn_threshold
    growth = plots.plot_friends_growth(ops.daily, lang=lang).figure
    bars, threshold_at = _churn_bars(monthly["churn"], threshold)
    breakdowns = []
    for key, frame in (("channel", ops.channels), ("staff", ops.staff)):
        if frame is not None and len(frame):
            breakdowns.append({"key": key, "rows": _records(frame.rename(columns={key: "name"}))})
    return _render(
        ch,
        "growth",
        _sub(ch, "growth"),
        growth_chart=fig_to_data_uri(growth),
        months=[r | {"bar": b} for r, b in zip(_records(monthly), bars, strict=True)],
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
        {"name": _tp(t, lang), "cells": [_clean(gmv.loc[t, u]) for u in types],
         **{k: _clean(v) for k, v in totals.loc[t].items()}}
        for t in gmv.index
    ]  # fmt: skip
    by_type = tp.groupby("user_type").agg(gmv=("gmv", "sum")).reindex(types)["gmv"]
    orders = totals["orders"].sum()
    total = {"cells": [_clean(v) for v in by_type], "orders": int(orders), "gmv": total_gmv,
             "aov": total_gmv / orders if orders else None, "share": 1.0}  # fmt: skip
    return [_name("ut", u, lang) for u in types], rows, total


def render_operations_sales(ch: OperationsChapter) -> Fragment:
    """GMV by touchpoint × user type, new customers by source, member share and pushes."""
    if not ch.available:
        return _EMPTY
    ops, lang = ch.ops, ch.lang
    pushes = None
    if ops.pushes_by_month is not None:
        by_tp = ops.pushes_by_touchpoint.assign(
            touchpoint=[_tp(t, lang) for t in ops.pushes_by_touchpoint["touchpoint"]]
        )
        pushes = {
            "months": _records(ops.pushes_by_month.assign(
                month=ops.pushes_by_month["month"].astype(str))),
            "touchpoints": _records(by_tp),
            "from_orders": C.REVENUE not in ch.inputs.pushes,
            "has_cost": C.COST in ch.inputs.pushes,
            "has_deletions": C.DELETIONS in ch.inputs.pushes,
        }  # fmt: skip
    if ops.touchpoints is None or ops.touchpoints.empty:
        return _render(ch, "sales", _sub(ch, "sales"), orders=False, pushes=pushes)
    types, rows, total = _touchpoint_table(ops, lang)
    gmv = pd.DataFrame([r["cells"] for r in rows], columns=types).astype(float).fillna(0.0)
    colors = sns.color_palette("muted", len(types)).as_hex()
    largest = gmv.sum(axis=1).max()
    bars = [
        {"name": r["name"], "segments": stacked(v, colors, largest, label_from=1.0)}
        for r, v in zip(rows, gmv.to_numpy(), strict=True)
    ]
    sources = ops.new_by_source
    return _render(
        ch,
        "sales",
        _sub(ch, "sales"),
        orders=True,
        bars=bars,
        legend=[{"label": t, "color": c} for t, c in zip(types, colors, strict=True)],
        types=types,
        rows=rows,
        total=total,
        sources=_records(sources) if sources is not None else [],
        member_share=_clean(ops.member_share),
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
        return _EMPTY
    tracking = ch.ops.tracking
    if tracking is None or tracking.empty:
        return _render(ch, "missing", _sub(ch, "tracking"), key="tracking", what="kpi")
    latest = latest_tracking(tracking)
    rows = []
    for r in latest.itertuples(index=False):
        history = tracking[tracking[C.METRIC] == r.metric]
        rows.append({
            "metric": r.metric, "kind": _kpi_kind(history), "unit": r.unit,
            "lower": r.direction == "lower", "actual": _clean(r.actual),
            "target": _clean(r.target), "completion": _clean(r.completion),
            "last_month": _clean(r.last_month), "light": r.light,
            "mom_pct": None if _clean(r.mom_change) is None else r.mom_change * 100,
            "months": len(history),
            "met": int((history["light"] == "green").sum()),
        })  # fmt: skip
    counts = latest["light"].value_counts()
    return _render(
        ch,
        "tracking",
        _sub(ch, "tracking"),
        month=str(latest[C.MONTH].iloc[0]),
        rows=rows,
        counts={k: int(counts.get(k, 0)) for k in ("green", "amber", "red")},
        amber_from=ch.settings.amber_from,
    )


def _ltv_rows(ltv: pd.DataFrame, offsets=(0, 2, 5, 11)) -> tuple[list[int], list[dict]]:
    wide = ltv.pivot(index="cohort", columns="offset", values="ltv")
    sizes = ltv.groupby("cohort")["size"].first()
    shown = [k for k in offsets if k in wide.columns]
    rows = [{"cohort": str(c), "size": int(sizes[c]),
             "cells": [_clean(wide.loc[c, k]) for k in shown]} for c in wide.index]  # fmt: skip
    return [k + 1 for k in shown], rows


def _cohort_table(cohorts: pd.DataFrame, lang: str) -> dict[str, Any]:
    """Cohort retention as a heat table: cohorts down, months since the first purchase across.

    The colour runs from 0 to the highest share after month 0 (month 0 is 100% by definition
    and would wash out the rest), as in :func:`~siyu_diag.operations.plots.plot_cohort_heatmap`.
    """
    table = cohorts.pivot(index="cohort", columns="offset", values="retention")
    later = table.drop(columns=[0], errors="ignore").to_numpy(float)
    top = max(float(np.nanmax(later)) if np.isfinite(later).any() else 1.0, 0.05)
    rows = [
        {
            "name": str(cohort),
            "cells": [
                None if v != v else heat_cell(f"{v * 100:.0f}", ramp_color(v / top, SHARE_STOPS))
                for v in values
            ],
        }
        for cohort, values in zip(table.index, table.to_numpy(float), strict=True)
    ]
    scale = heat_scale(SHARE_STOPS, "0%", f"{top * 100:.0f}%")
    corner = label("operations_cohort_offsets", lang)
    return heat_table([str(c) for c in table.columns], rows, scale, corner=corner)


def render_operations_customers(ch: OperationsChapter) -> Fragment:
    """Repurchase and AOV, new vs returning GMV, cohort retention, RFM tiers and LTV."""
    if not ch.available:
        return _EMPTY
    ops, lang = ch.ops, ch.lang
    if ops.customers is None or ops.customers.empty:
        return _render(ch, "missing", _sub(ch, "customers"), key="customers", what="orders")
    monthly = ops.monthly_gmv.assign(month=ops.monthly_gmv["month"].astype(str))
    tiers = ops.tiers.assign(name=[_name("tier", t, lang) for t in ops.tiers["tier"]])
    ltv_months, ltv_rows = _ltv_rows(ops.ltv)
    return _render(
        ch,
        "customers",
        _sub(ch, "customers"),
        summary={k: _clean(v) for k, v in ops.summary.items()},
        months=_gmv_months(monthly),
        colors={"new": COMPANION_COLOR, "returning": CURRENT_COLOR},
        cohorts=_cohort_table(ops.cohorts, lang),
        tiers=_records(tiers),
        silent_days=ch.settings.silent_days,
        as_of=f"{ops.as_of:%Y-%m-%d}" if ops.as_of is not None else "",
        ltv_months=ltv_months,
        ltv_rows=ltv_rows,
    )


def _gmv_months(monthly: pd.DataFrame) -> list[dict[str, Any]]:
    """The monthly GMV rows, each with a bar of new then returning customers' GMV.

    The best month's GMV fills the track.
    """
    parts = monthly[["gmv_new", "gmv_returning"]].fillna(0.0)
    largest = float(parts.sum(axis=1).max()) if len(parts) else 0.0
    colors = [COMPANION_COLOR, CURRENT_COLOR]
    return [
        row | {"segments": stacked(values, colors, largest, label_from=1.0)}
        for row, values in zip(_records(monthly), parts.to_numpy(), strict=True)
    ]


def render_operations_calibration(ch: OperationsChapter) -> Fragment:
    """The plan drivers derived from the history, with the basis of each number."""
    if not ch.available:
        return _EMPTY
    lang = ch.lang
    rows = [
        {"driver": r.driver, "name": label(f"operations_driver_{r.driver}", lang),
         "value": _clean(r.value), "unit": r.unit, "basis": getattr(r, f"basis_{lang}"),
         "n": int(r.n), "period": r.period}
        for r in ch.ops.calibration.itertuples(index=False)
    ]  # fmt: skip
    return _render(ch, "calibration", _sub(ch, "calibration"), rows=rows,
                   warmup=ch.settings.warmup_months)  # fmt: skip


def render_operations_definitions(ch: OperationsChapter) -> Fragment:
    """How every operating metric is defined (the chapter's method appendix)."""
    if not ch.available:
        return _EMPTY
    return _render(ch, "definitions", _sub(ch, "definitions"), settings=ch.settings)


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
