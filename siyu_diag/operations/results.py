"""The chapter's figures for ``results.json`` (merged by the report builder under ``operations``).

Units are in the field names or docstrings: shares are 0–1, money is CNY, months are
``YYYY-MM``; missing values are null.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.records import InputFile, ResultModel, json_value, records, save_model
from .chapter import OperationsChapter, calibrate_plan
from .tracking import latest_tracking


class GrowthMonth(ResultModel):
    """One month of friend growth (counts of friends; shares 0–1)."""

    month: str
    new_friends: int
    deletions: int
    opening: float | None
    closing: float | None
    retention: float | None
    churn: float | None
    above_threshold: bool


class TouchpointSales(ResultModel):
    """GMV (CNY) of one touchpoint × user type."""

    touchpoint: str
    user_type: str
    orders: int
    buyers: int
    gmv_cny: float
    aov_cny: float | None
    share: float | None


class SourceNew(ResultModel):
    """New customers from one public-domain source channel."""

    source_channel: str
    new_customers: int
    gmv_cny: float
    aov_cny: float | None
    share: float | None


class PushMonth(ResultModel):
    """Pushes of one month: revenue and cost in CNY, per-mille figures per 1,000 messages."""

    month: str
    messages: int
    cost_cny: float | None
    deletions: float | None
    revenue_cny: float | None
    revenue_per_mille_cny: float | None
    cost_per_mille_cny: float | None
    loss_rate: float | None
    roas: float | None


class TrackingRow(ResultModel):
    """One metric of the latest tracked month (values in the metric's own unit; % as 0–1)."""

    metric: str
    month: str
    unit: str
    direction: str
    actual: float | None
    target: float | None
    completion: float | None
    last_month: float | None
    mom_change: float | None
    light: str


class CustomerSummary(ResultModel):
    """Headline customer figures over the export."""

    customers: int
    repeat_customers: int
    repurchase_rate: float | None
    orders: int
    gmv_cny: float
    aov_cny: float | None
    aov_new_cny: float | None
    aov_returning_cny: float | None


class GmvMonth(ResultModel):
    """New vs returning GMV (CNY) and buyers of one month.

    ``active_customers`` are the month's distinct buyers; a new customer who buys again on
    another day of the month is in both ``new_buyers`` and ``returning_buyers``, so those two
    can add up to more.
    """

    month: str
    gmv_cny: float
    gmv_new_cny: float
    gmv_returning_cny: float
    orders: int
    active_customers: int
    new_buyers: int
    returning_buyers: int


class CustomerChurnMonth(ResultModel):
    """Customer churn of one month from the orders (only without a friends export).

    ``churn`` = ``lapsed`` (bought the month before, not this month) ÷ ``buyers_previous``
    (0–1); null for the first month, a month the export does not cover to its end, or after
    a month without buyers.
    """

    month: str
    buyers: int
    buyers_previous: int
    lapsed: int
    churn: float | None
    complete: bool


class Cohort(ResultModel):
    """A first-purchase-month cohort: retention (0–1) and cumulative LTV (CNY) by month offset."""

    cohort: str
    size: int
    retention: list[float]
    ltv_cny: list[float]


class Tier(ResultModel):
    """A customer tier (vip, active, silent)."""

    tier: str
    customers: int
    share: float | None
    gmv_cny: float
    gmv_share: float | None


class Driver(ResultModel):
    """A calibrated plan driver (see :func:`~siyu_diag.operations.calibrate_plan`).

    ``value`` is what is offered to the plan (null when the history cannot give it or it rests
    on too few customers or months); ``estimate`` is the history's ratio also in the latter
    case; ``low`` and ``high`` are its lowest and highest month; ``people`` what it rests on
    (customers, or friends at an average month's opening for churn) and ``months`` the months
    with data.
    """

    driver: str
    value: float | None
    estimate: float | None
    low: float | None
    high: float | None
    unit: str
    basis_zh: str
    basis_en: str
    n: int
    people: int
    months: int
    period: str


class OperationsResults(ResultModel):
    """The operating-data chapter's figures."""

    available: bool
    reason: str
    inputs: list[InputFile]
    churn_threshold: float
    silent_days: int
    churn_basis: str
    """Which churn the chapter shows: ``friends``, ``orders`` (customer churn) or ``""``."""
    growth: list[GrowthMonth]
    customer_churn: list[CustomerChurnMonth]
    touchpoints: list[TouchpointSales]
    new_by_source: list[SourceNew]
    member_gmv_share: float | None
    pushes: list[PushMonth]
    tracking: list[TrackingRow]
    customers: CustomerSummary | None
    monthly_gmv: list[GmvMonth]
    cohorts: list[Cohort]
    tiers: list[Tier]
    calibration: list[Driver]


def _rows(frame: pd.DataFrame | None, fields: list[str] | dict[str, str]) -> list[dict]:
    """Records of one of the chapter's tables (see :func:`~siyu_diag.core.records.records`).

    A ``month`` column is written as text, ``YYYY-MM``.
    """
    return records(frame, fields, text=("month",))


def _cohorts(ch: OperationsChapter) -> list[Cohort]:
    ops = ch.ops
    if ops.cohorts is None or ops.cohorts.empty:
        return []
    out = []
    ltv = ops.ltv.set_index(["cohort", "offset"])["ltv"]
    for cohort, rows in ops.cohorts.groupby("cohort", sort=True):
        out.append(
            Cohort(
                cohort=str(cohort),
                size=int(rows["size"].iloc[0]),
                retention=[float(v) for v in rows["retention"]],
                ltv_cny=[float(ltv[(cohort, k)]) for k in rows["offset"]],
            )
        )
    return out


def build_operations_results(chapter: OperationsChapter) -> OperationsResults:
    """Collect the chapter's figures into an :class:`OperationsResults`."""
    ch = chapter
    calibration = [Driver(**r) for r in records(calibrate_plan(ch))]
    base = dict(
        available=ch.available,
        reason=ch.reason,
        inputs=[InputFile(**i) for i in ch.provenance["inputs"]],
        churn_threshold=ch.settings.churn_threshold,
        silent_days=ch.settings.silent_days,
        calibration=calibration,
    )
    if not ch.available:
        return OperationsResults(
            **base, churn_basis="", growth=[], customer_churn=[], touchpoints=[],
            new_by_source=[], member_gmv_share=None, pushes=[], tracking=[], customers=None,
            monthly_gmv=[], cohorts=[], tiers=[],
        )  # fmt: skip
    ops = ch.ops
    s = ops.summary
    customers = None
    if s:
        customers = CustomerSummary(
            customers=s["customers"], repeat_customers=s["repeat_customers"],
            repurchase_rate=json_value(s["repurchase_rate"]), orders=s["orders"],
            gmv_cny=s["gmv"], aov_cny=json_value(s["aov"]), aov_new_cny=json_value(s["aov_new"]),
            aov_returning_cny=json_value(s["aov_returning"]),
        )  # fmt: skip
    money = {"gmv_cny": "gmv", "aov_cny": "aov"}
    tracking = None if ops.tracking is None else latest_tracking(ops.tracking)
    return OperationsResults(
        **base,
        churn_basis=ops.churn_basis,
        growth=_rows(ops.monthly, list(GrowthMonth.model_fields)),
        customer_churn=_rows(ops.customer_churn, list(CustomerChurnMonth.model_fields)),
        touchpoints=_rows(ops.touchpoints, {"touchpoint": "touchpoint", "user_type": "user_type",
                                            "orders": "orders", "buyers": "buyers", **money,
                                            "share": "share"}),
        new_by_source=_rows(ops.new_by_source, {"source_channel": "source_channel",
                                                "new_customers": "new_customers", **money,
                                                "share": "share"}),
        member_gmv_share=json_value(ops.member_share),
        pushes=_rows(ops.pushes_by_month, {"month": "month", "messages": "messages",
                                           "cost_cny": "cost", "deletions": "deletions",
                                           "revenue_cny": "revenue",
                                           "revenue_per_mille_cny": "revenue_per_mille",
                                           "cost_per_mille_cny": "cost_per_mille",
                                           "loss_rate": "loss_rate", "roas": "roas"}),
        tracking=_rows(tracking, list(TrackingRow.model_fields)),
        customers=customers,
        monthly_gmv=_rows(ops.monthly_gmv, {"month": "month", "gmv_cny": "gmv",
                                            "gmv_new_cny": "gmv_new",
                                            "gmv_returning_cny": "gmv_returning",
                                            "orders": "orders", "active_customers": "buyers",
                                            "new_buyers": "new_buyers",
                                            "returning_buyers": "returning_buyers"}),
        cohorts=_cohorts(ch),
        tiers=_rows(ops.tiers, {"tier": "tier", "customers": "customers", "share": "share",
                                "gmv_cny": "gmv", "gmv_share": "gmv_share"}),
    )  # fmt: skip


def save_operations_results(chapter: OperationsChapter, path: str | Path) -> Path | None:
    """Write the chapter's results as JSON to ``path``; does nothing when ``path`` is empty."""
    return save_model(lambda: build_operations_results(chapter), path)
