"""Every metric of the chapter in one pure call: validated tables and settings in, results out."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from . import columns as C
from .calibration import MIN_MONTHS, MIN_PEOPLE, compute_calibration
from .churn import compute_customer_churn
from .customers import (
    compute_cohort_ltv,
    compute_cohort_retention,
    compute_customers,
    compute_monthly_gmv,
    score_rfm,
    summarise_customers,
    summarise_tiers,
)
from .growth import compute_channel_growth, compute_daily_growth, compute_monthly_growth
from .notes import unmatched_refund_notes, zero_value_notes
from .purchases import DAY, find_unmatched_refunds, prepare_orders, valid_only
from .sales import (
    compute_member_share,
    compute_new_by_source,
    compute_push_metrics,
    compute_touchpoint_sales,
)
from .tables import NOTE_COLUMNS
from .tracking import compute_tracking

#: Days without a purchase after which a customer is silent, by industry (purchase cycles
#: differ: a restaurant guest returns within weeks, a parent renews a course once a term).
SILENT_DAYS = {
    "restaurant": 60,
    "fmcg": 90,
    "retail": 90,
    "knowledge_ip": 120,
    "education": 180,
    "other": 90,
}


class OperationsSettings(BaseModel):
    """The chapter's parameters (validated; unknown keys are errors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    churn_threshold: float = Field(default=0.05, gt=0, lt=1)
    """Monthly churn (0–1) above which a month is flagged; the sources use 5%."""
    silent_days: int = Field(default=90, ge=1)
    """A customer whose last purchase is more than this many days ago is silent."""
    amber_from: float = Field(default=0.8, gt=0, lt=1)
    """Completion (0–1) from which a missed KPI target shows amber instead of red."""
    warmup_months: int = Field(default=3, ge=0, le=24)
    """Months at the start of the orders that only identify existing customers."""
    min_people: int = Field(default=MIN_PEOPLE, ge=1)
    """The least customers (friends for churn) a driver offered to the plan rests on."""
    min_months: int = Field(default=MIN_MONTHS, ge=1)
    """The least months a driver offered to the plan rests on."""


@dataclass(frozen=True)
class OperationsInputs:
    """The validated operating-data tables (None when not supplied) and their notes."""

    friends: pd.DataFrame | None = None
    orders: pd.DataFrame | None = None
    pushes: pd.DataFrame | None = None
    kpi_tracking: pd.DataFrame | None = None
    files: dict[str, str] = field(default_factory=dict)
    notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(NOTE_COLUMNS)))


@dataclass(frozen=True)
class Operations:
    """Every computed table of the chapter; a table is None when its input is missing.

    ``customer_churn`` (:func:`~siyu_diag.operations.churn.compute_customer_churn`) is computed
    only without a friends export; ``churn_basis`` says which churn the chapter shows:
    ``"friends"`` (deletions ÷ opening friends), ``"orders"`` (customer churn) or ``""``.
    """

    daily: pd.DataFrame | None
    monthly: pd.DataFrame | None
    customer_churn: pd.DataFrame | None
    churn_basis: str
    channels: pd.DataFrame | None
    staff: pd.DataFrame | None
    prepared: pd.DataFrame | None
    touchpoints: pd.DataFrame | None
    new_by_source: pd.DataFrame | None
    member_share: float
    pushes_by_month: pd.DataFrame | None
    pushes_by_touchpoint: pd.DataFrame | None
    customers: pd.DataFrame | None
    summary: dict[str, float]
    monthly_gmv: pd.DataFrame | None
    cohorts: pd.DataFrame | None
    ltv: pd.DataFrame | None
    rfm: pd.DataFrame | None
    tiers: pd.DataFrame | None
    tracking: pd.DataFrame | None
    calibration: pd.DataFrame
    notes: pd.DataFrame
    as_of: pd.Timestamp | None


def compute_operations(inputs: OperationsInputs, settings: OperationsSettings) -> Operations:
    """Compute every metric of the chapter from the validated inputs.

    Parameters
    ----------
    inputs
        Validated tables; any may be None.
    settings
        Threshold, silent days, amber level and warm-up months.

    Returns
    -------
    Operations
    """
    daily = monthly = channels = staff = None
    if inputs.friends is not None:
        daily = compute_daily_growth(inputs.friends)
        monthly = compute_monthly_growth(daily, threshold=settings.churn_threshold)
        channels = compute_channel_growth(inputs.friends, by=C.CHANNEL)
        staff = compute_channel_growth(inputs.friends, by=C.STAFF)
    prepared = valid = touchpoints = new_by_source = customers = None
    monthly_gmv = cohorts = ltv = rfm = tiers = None
    summary: dict[str, float] = {}
    member_share = float("nan")
    as_of = None
    notes = [inputs.notes]
    customer_churn = None
    if inputs.orders is not None:
        prepared = prepare_orders(inputs.orders)
        valid = valid_only(prepared)
        unmatched = unmatched_refund_notes(inputs.orders, find_unmatched_refunds(inputs.orders))
        notes.append(pd.DataFrame(unmatched, columns=list(NOTE_COLUMNS)))
        if inputs.friends is None:
            customer_churn = compute_customer_churn(valid)
        touchpoints = compute_touchpoint_sales(valid)
        new_by_source = compute_new_by_source(valid)
        member_share = compute_member_share(valid)
        customers = compute_customers(valid)
        summary = summarise_customers(valid, customers)
        monthly_gmv = compute_monthly_gmv(valid)
        cohorts = compute_cohort_retention(valid)
        ltv = compute_cohort_ltv(valid)
        if len(customers):
            as_of = valid[DAY].max()
            rfm = score_rfm(customers, as_of=as_of, silent_days=settings.silent_days)
            tiers = summarise_tiers(rfm)
    pushes_by_month = pushes_by_touchpoint = None
    if inputs.pushes is not None:
        valid_orders = valid if prepared is not None else None
        pushes_by_month = compute_push_metrics(inputs.pushes, valid_orders, by=("month",))
        pushes_by_touchpoint = compute_push_metrics(inputs.pushes, valid_orders,
                                                    by=("touchpoint",))  # fmt: skip
    tracking = None
    if inputs.kpi_tracking is not None:
        tracking = compute_tracking(inputs.kpi_tracking, amber_from=settings.amber_from)
    calibration = compute_calibration(
        monthly,
        None if prepared is None else valid,
        warmup_months=settings.warmup_months,
        min_people=settings.min_people,
        min_months=settings.min_months,
    )
    if prepared is not None:
        zero = zero_value_notes(prepared, calibration)
        notes.append(pd.DataFrame(zero, columns=list(NOTE_COLUMNS)))
    churn_basis = "friends" if monthly is not None else ""
    if monthly is None and customer_churn is not None:
        churn_basis = "orders"
    notes_frame = (
        pd.concat([n for n in notes if len(n)], ignore_index=True)
        if any(len(n) for n in notes)
        else pd.DataFrame(columns=list(NOTE_COLUMNS))
    )
    return Operations(
        daily=daily,
        monthly=monthly,
        customer_churn=customer_churn,
        churn_basis=churn_basis,
        channels=channels,
        staff=staff,
        prepared=prepared,
        touchpoints=touchpoints,
        new_by_source=new_by_source,
        member_share=member_share,
        pushes_by_month=pushes_by_month,
        pushes_by_touchpoint=pushes_by_touchpoint,
        customers=customers,
        summary=summary,
        monthly_gmv=monthly_gmv,
        cohorts=cohorts,
        ltv=ltv,
        rfm=rfm,
        tiers=tiers,
        tracking=tracking,
        calibration=calibration,
        notes=notes_frame,
        as_of=as_of,
    )
