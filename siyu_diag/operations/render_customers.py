"""The customers and calibration sections of the operating-data chapter."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core.bars import stacked
from ..core.fragments import Fragment, heat_table, label
from ..core.palette import (
    COMPANION_COLOR,
    CURRENT_COLOR,
    SHARE_STOPS,
    heat_cell,
    heat_scale,
    ramp_color,
)
from .chapter import OperationsChapter
from .render_base import EMPTY, clean, name, records, render, sub

#: Month offsets of the LTV table: each column holds the GMV of months 0 to k of a cohort.
LTV_OFFSETS = (0, 2, 5, 11)


def _ltv_rows(ltv: pd.DataFrame, offsets=LTV_OFFSETS) -> tuple[list[int], list[dict]]:
    """The LTV table: for each offset k shown, the cohort's LTV over its first k + 1 months.

    Returns the column headers' month counts (k + 1, i.e. months 0 to k) and one row per cohort;
    a cohort the export does not follow that long has no value there.
    """
    wide = ltv.pivot(index="cohort", columns="offset", values="ltv")
    sizes = ltv.groupby("cohort")["size"].first()
    shown = [k for k in offsets if k in wide.columns]
    rows = [{"cohort": str(c), "size": int(sizes[c]),
             "cells": [clean(wide.loc[c, k]) for k in shown]} for c in wide.index]  # fmt: skip
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


def _gmv_months(monthly: pd.DataFrame) -> list[dict[str, Any]]:
    """The monthly GMV rows, each with a bar of new then returning customers' GMV.

    The best month's GMV fills the track.
    """
    parts = monthly[["gmv_new", "gmv_returning"]].fillna(0.0)
    largest = float(parts.sum(axis=1).max()) if len(parts) else 0.0
    colors = [COMPANION_COLOR, CURRENT_COLOR]
    return [
        row | {"segments": stacked(values, colors, largest, label_from=1.0)}
        for row, values in zip(records(monthly), parts.to_numpy(), strict=True)
    ]


def render_operations_customers(ch: OperationsChapter) -> Fragment:
    """Repurchase and AOV, new vs returning GMV, cohort retention, RFM tiers and LTV.

    The monthly table shows the distinct buyers of each month (new and returning buyers add up
    to more when a new customer comes back within the month) and, without a friends export,
    the customer churn from the orders.
    """
    if not ch.available:
        return EMPTY
    ops, lang = ch.ops, ch.lang
    if ops.customers is None or ops.customers.empty:
        return render(ch, "missing", sub(ch, "customers"), key="customers", what="orders")
    monthly = ops.monthly_gmv
    by_orders = ops.churn_basis == "orders"
    if by_orders:
        churn = ops.customer_churn.set_index("month")["churn"]
        monthly = monthly.assign(customer_churn=churn.reindex(monthly["month"]).to_numpy())
    monthly = monthly.assign(month=monthly["month"].astype(str))
    tiers = ops.tiers.assign(name=[name("tier", t, lang) for t in ops.tiers["tier"]])
    ltv_months, ltv_rows = _ltv_rows(ops.ltv)
    return render(
        ch,
        "customers",
        sub(ch, "customers"),
        summary={k: clean(v) for k, v in ops.summary.items()},
        months=_gmv_months(monthly),
        customer_churn=by_orders,
        colors={"new": COMPANION_COLOR, "returning": CURRENT_COLOR},
        cohorts=_cohort_table(ops.cohorts, lang),
        tiers=records(tiers),
        silent_days=ch.settings.silent_days,
        as_of=f"{ops.as_of:%Y-%m-%d}" if ops.as_of is not None else "",
        ltv_months=ltv_months,
        ltv_rows=ltv_rows,
    )


def _status(row: Any) -> str:
    """Whether a driver goes to the plan: ``offered``, ``withheld`` or ``none`` (no value)."""
    if row.value == row.value:
        return "offered"
    return "withheld" if row.estimate == row.estimate else "none"


def render_operations_calibration(ch: OperationsChapter) -> Fragment:
    """The plan drivers derived from the history, with the basis of each number.

    Each row says whether the driver is offered to the plan (which uses it only where plan.yaml
    gives no value), shown for reference only (it rests on too few customers or months), or
    not derivable.
    """
    if not ch.available:
        return EMPTY
    lang = ch.lang
    rows = [
        {"driver": r.driver, "name": label(f"operations_driver_{r.driver}", lang),
         "value": clean(r.estimate), "status": _status(r), "unit": r.unit,
         "basis": getattr(r, f"basis_{lang}"), "n": int(r.n), "period": r.period}
        for r in ch.ops.calibration.itertuples(index=False)
    ]  # fmt: skip
    return render(ch, "calibration", sub(ch, "calibration"), rows=rows,
                  warmup=ch.settings.warmup_months, min_people=ch.settings.min_people,
                  min_months=ch.settings.min_months)  # fmt: skip
