"""Customers: repurchase, AOV, new vs returning GMV, cohorts, RFM tiers and historical LTV.

Definitions (all on valid orders, see :mod:`siyu_diag.operations.purchases`):

- **Repurchase rate** = customers with two or more purchase days / customers with at least one,
  over the whole export. Several orders on the same day count once.
- **AOV** = GMV / valid orders (CNY per order); new-customer AOV uses the orders of first
  purchase days, returning AOV all other orders.
- **New vs returning GMV** per month: orders on a customer's first purchase day are new, every
  later order is returning.
- **Cohort** = the month of a customer's first purchase day in the data. **Retention** in month
  k of a cohort = share of its customers with a purchase day in that month (k = 0 is 100%). A
  customer who skips a month and comes back counts again in the month they return. The first
  cohort also holds customers who bought before the export began.
- **Historical LTV** of a cohort up to month offset k = the cohort's GMV in months 0..k / its
  size: its LTV over the first k + 1 months (the report's "LTV, first 12 months" is offset 11).
- **Buyers** of a month = distinct customers with a valid order in it (active customers); a new
  customer who buys again on another day of the month is both a new and a returning buyer.
- **RFM**: recency = days from the last purchase day to the as-of day, frequency = purchase
  days, monetary = GMV. Each gets a score 1–5 = 1 + ⌊5 × share of customers with a strictly
  worse value⌋ (less frequent, lower spend, longer ago): equal values always get equal scores.
  **Tiers**: *silent* when the last purchase is more than ``silent_days`` ago; otherwise *VIP*
  when both the frequency and the monetary score are 4 or 5; otherwise *active*. Customers with
  the same recency, frequency and spend are therefore always in the same tier.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .purchases import (
    CUSTOMER,
    DAY,
    FIRST_MONTH_NO,
    MONTH_NO,
    NET,
    PURCHASE_NO,
    USER_TYPE,
    to_period,
    valid_only,
)


def _valid(prepared: pd.DataFrame) -> pd.DataFrame:
    return valid_only(prepared)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


def compute_customers(prepared: pd.DataFrame) -> pd.DataFrame:
    """One row per customer with a valid order.

    Returns
    -------
    pandas.DataFrame
        ``customer`` (code), ``customer_id``, ``first_day``, ``last_day``, ``purchase_days``,
        ``orders``, ``monetary`` (GMV, CNY) and ``first_month_no``.
    """
    valid = _valid(prepared)
    g = valid.groupby(CUSTOMER, sort=True)
    return pd.DataFrame(
        {
            C.CUSTOMER_ID: g[C.CUSTOMER_ID].first(),
            "first_day": g[DAY].min(),
            "last_day": g[DAY].max(),
            "purchase_days": g[PURCHASE_NO].max(),
            "orders": g.size(),
            "monetary": g[NET].sum(),
            "first_month_no": g[FIRST_MONTH_NO].first(),
        }
    ).reset_index()


def summarise_customers(prepared: pd.DataFrame, customers: pd.DataFrame) -> dict[str, float]:
    """Headline customer figures.

    Returns
    -------
    dict
        ``customers``, ``repeat_customers``, ``repurchase_rate`` (0–1), ``orders``, ``gmv``
        (CNY), ``aov``, ``aov_new``, ``aov_returning`` (CNY per order), ``purchase_days``,
        ``orders_per_customer``.
    """
    valid = _valid(prepared)
    new = valid[USER_TYPE] == "new"
    n = len(customers)
    repeat = int((customers["purchase_days"] >= 2).sum())
    return {
        "customers": n,
        "repeat_customers": repeat,
        "repurchase_rate": _ratio(repeat, n),
        "orders": len(valid),
        "gmv": float(valid[NET].sum()),
        "aov": _ratio(valid[NET].sum(), len(valid)),
        "aov_new": _ratio(valid.loc[new, NET].sum(), int(new.sum())),
        "aov_returning": _ratio(valid.loc[~new, NET].sum(), int((~new).sum())),
        "purchase_days": int(customers["purchase_days"].sum()),
        "orders_per_customer": _ratio(len(valid), n),
    }


def compute_monthly_gmv(prepared: pd.DataFrame) -> pd.DataFrame:
    """New vs returning GMV, buyers and orders per month.

    Returns
    -------
    pandas.DataFrame
        ``month`` (Period), ``gmv``, ``gmv_new``, ``gmv_returning`` (CNY), ``orders``,
        ``buyers``, ``new_buyers``, ``returning_buyers``, ``aov`` (CNY per order) and
        ``returning_share`` (of GMV).
    """
    valid = _valid(prepared)
    is_new = (valid[USER_TYPE] == "new").to_numpy()
    frame = pd.DataFrame(
        {
            "m": valid[MONTH_NO].to_numpy(),
            "c": valid[CUSTOMER].to_numpy(),
            "net": valid[NET].to_numpy(),
            "new": is_new,
        }
    )
    g = frame.groupby("m")
    out = pd.DataFrame(
        {
            "gmv": g["net"].sum(),
            "gmv_new": frame[frame["new"]].groupby("m")["net"].sum(),
            "orders": g.size(),
            "buyers": g["c"].nunique(),
            "new_buyers": frame[frame["new"]].groupby("m")["c"].nunique(),
            "returning_buyers": frame[~frame["new"]].groupby("m")["c"].nunique(),
        }
    ).fillna(0)
    out["gmv_returning"] = out["gmv"] - out["gmv_new"]
    out["aov"] = out["gmv"] / out["orders"]
    out["returning_share"] = np.where(out["gmv"] > 0, out["gmv_returning"] / out["gmv"], np.nan)
    for c in ("orders", "buyers", "new_buyers", "returning_buyers"):
        out[c] = out[c].astype("int64")
    out.insert(0, "month", to_period(out.index))
    cols = ["month", "gmv", "gmv_new", "gmv_returning", "orders", "buyers", "new_buyers",
            "returning_buyers", "aov", "returning_share"]  # fmt: skip
    return out.reset_index(drop=True)[cols]


def _cohort_months(prepared: pd.DataFrame) -> pd.DataFrame:
    valid = _valid(prepared)
    pairs = pd.DataFrame(
        {
            "cohort": valid[FIRST_MONTH_NO].to_numpy(),
            "m": valid[MONTH_NO].to_numpy(),
            "c": valid[CUSTOMER].to_numpy(),
            "net": valid[NET].to_numpy(),
        }
    )
    pairs["offset"] = pairs["m"] - pairs["cohort"]
    return pairs


def compute_cohort_retention(prepared: pd.DataFrame) -> pd.DataFrame:
    """Monthly cohort retention, long format.

    Returns
    -------
    pandas.DataFrame
        ``cohort`` (Period), ``offset`` (months since the cohort month, 0, 1, …), ``size``
        (customers in the cohort), ``customers`` (of them buying in that month) and
        ``retention`` (0–1). Only months inside the export are listed.
    """
    pairs = _cohort_months(prepared)
    if pairs.empty:
        return pd.DataFrame(columns=["cohort", "offset", "size", "customers", "retention"])
    last = int(pairs["m"].max())
    active = pairs.groupby(["cohort", "offset"])["c"].nunique()
    size = pairs.groupby("cohort")["c"].nunique()
    cohorts = size.index.to_numpy()
    index = pd.MultiIndex.from_tuples(
        [(c, k) for c in cohorts for k in range(last - c + 1)], names=["cohort", "offset"]
    )
    out = pd.DataFrame({"customers": active.reindex(index).fillna(0).astype("int64")})
    out["size"] = size.reindex(out.index.get_level_values("cohort")).to_numpy()
    out["retention"] = out["customers"] / out["size"]
    out = out.reset_index()
    out["cohort"] = to_period(out["cohort"])
    return out[["cohort", "offset", "size", "customers", "retention"]]


def compute_cohort_ltv(prepared: pd.DataFrame) -> pd.DataFrame:
    """Historical LTV by cohort: cumulative GMV per cohort customer after each month.

    Returns
    -------
    pandas.DataFrame
        ``cohort`` (Period), ``offset``, ``size``, ``gmv`` (the cohort's GMV in that month, CNY)
        and ``ltv`` (cumulative GMV per customer up to that month, CNY).
    """
    pairs = _cohort_months(prepared)
    if pairs.empty:
        return pd.DataFrame(columns=["cohort", "offset", "size", "gmv", "ltv"])
    last = int(pairs["m"].max())
    gmv = pairs.groupby(["cohort", "offset"])["net"].sum()
    size = pairs.groupby("cohort")["c"].nunique()
    index = pd.MultiIndex.from_tuples(
        [(c, k) for c in size.index for k in range(last - c + 1)], names=["cohort", "offset"]
    )
    out = pd.DataFrame({"gmv": gmv.reindex(index).fillna(0.0)})
    out["size"] = size.reindex(out.index.get_level_values("cohort")).to_numpy()
    out["ltv"] = out.groupby(level="cohort")["gmv"].cumsum() / out["size"]
    out = out.reset_index()
    out["cohort"] = to_period(out["cohort"])
    return out[["cohort", "offset", "size", "gmv", "ltv"]]


def score_values(values: pd.Series, *, higher_is_better: bool = True) -> pd.Series:
    """Scores 1–5 from the share of values strictly worse than each one (ties score equal)."""
    v = values if higher_is_better else -values
    below = (v.rank(method="min").to_numpy(float) - 1) / max(len(v), 1)
    return pd.Series(1 + np.floor(5 * below).astype("int64"), index=values.index).clip(1, 5)


def score_rfm(
    customers: pd.DataFrame, *, as_of: pd.Timestamp, silent_days: int = 90
) -> pd.DataFrame:
    """Recency, frequency and monetary scores and the VIP / active / silent tier per customer.

    Parameters
    ----------
    customers
        Output of :func:`compute_customers`.
    as_of
        The day recency is measured from (usually the last day of the export).
    silent_days
        A customer whose last purchase is more than this many days before ``as_of`` is silent.

    Returns
    -------
    pandas.DataFrame
        ``customer``, ``customer_id``, ``recency_days``, ``frequency``, ``monetary`` (CNY),
        ``r``, ``f``, ``m`` (1–5) and ``tier`` (``vip``, ``active``, ``silent``).
    """
    out = customers[[CUSTOMER, C.CUSTOMER_ID]].copy()
    out["recency_days"] = (pd.Timestamp(as_of).normalize() - customers["last_day"]).dt.days
    out["frequency"] = customers["purchase_days"].to_numpy()
    out["monetary"] = customers["monetary"].to_numpy()
    out["r"] = score_values(out["recency_days"], higher_is_better=False)
    out["f"] = score_values(out["frequency"])
    out["m"] = score_values(out["monetary"])
    silent = out["recency_days"] > silent_days
    vip = ~silent & (out["f"] >= 4) & (out["m"] >= 4)
    out["tier"] = np.select([silent, vip], ["silent", "vip"], default="active")
    return out


def summarise_tiers(rfm: pd.DataFrame) -> pd.DataFrame:
    """Size and value of each tier.

    Returns
    -------
    pandas.DataFrame
        ``tier`` (vip, active, silent), ``customers``, ``share`` (of customers), ``gmv`` (CNY),
        ``gmv_share``, ``recency_days`` (median), ``frequency`` (mean purchase days) and
        ``monetary`` (mean GMV per customer, CNY).
    """
    g = rfm.groupby("tier")
    out = pd.DataFrame(
        {
            "customers": g.size(),
            "gmv": g["monetary"].sum(),
            "recency_days": g["recency_days"].median(),
            "frequency": g["frequency"].mean(),
            "monetary": g["monetary"].mean(),
        }
    ).reindex(list(C.TIERS))
    out["customers"] = out["customers"].fillna(0).astype("int64")
    out["gmv"] = out["gmv"].fillna(0.0)
    total_c, total_g = out["customers"].sum(), out["gmv"].sum()
    out["share"] = out["customers"] / total_c if total_c else np.nan
    out["gmv_share"] = out["gmv"] / total_g if total_g else np.nan
    out.index.name = "tier"
    cols = ["tier", "customers", "share", "gmv", "gmv_share", "recency_days", "frequency",
            "monetary"]  # fmt: skip
    return out.reset_index()[cols]
