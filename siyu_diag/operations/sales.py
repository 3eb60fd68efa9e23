"""Sales by touchpoint × user type, new users by source channel, members, and pushes.

Definitions:

- GMV = the sum of net amounts of valid orders (CNY); AOV = GMV / valid orders.
- User types as in :mod:`siyu_diag.operations.purchases`.
- **Member GMV share** = GMV of valid orders carrying the member flag (first purchases
  included) / all GMV; not available when the export has no member column.
- **Pushes**: revenue per thousand pushes = revenue / messages × 1,000, where revenue is the
  push log's own revenue column or, without one, the GMV of valid orders at the same touchpoint
  in the same month; cost per thousand pushes = cost / messages × 1,000; push-loss rate =
  friends lost after pushes / messages sent; ROAS = revenue / cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .purchases import MONTH_NO, NET, USER_TYPE, to_period, valid_only


def _ratio(num, den) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _valid(prepared: pd.DataFrame) -> pd.DataFrame:
    return valid_only(prepared)


def compute_touchpoint_sales(prepared: pd.DataFrame) -> pd.DataFrame:
    """Orders, buyers, GMV and AOV for every touchpoint × user type.

    Parameters
    ----------
    prepared
        Output of :func:`~siyu_diag.operations.purchases.prepare_orders`.

    Returns
    -------
    pandas.DataFrame
        ``touchpoint``, ``user_type``, ``orders``, ``buyers`` (distinct customers), ``gmv``
        (CNY), ``aov`` (CNY) and ``share`` (of all GMV); combinations without orders are left
        out; touchpoints sorted by GMV, largest first.
    """
    valid = _valid(prepared)
    g = valid.groupby([C.TOUCHPOINT, USER_TYPE], observed=True)
    out = pd.DataFrame(
        {
            "orders": g.size(),
            "buyers": g["customer"].nunique(),
            "gmv": g[NET].sum(),
        }
    ).reset_index()
    out["aov"] = _ratio(out["gmv"], out["orders"])
    total = out["gmv"].sum()
    out["share"] = out["gmv"] / total if total > 0 else np.nan
    out[C.TOUCHPOINT] = out[C.TOUCHPOINT].astype(str)
    order = out.groupby(C.TOUCHPOINT)["gmv"].sum().sort_values(ascending=False).index
    out[C.TOUCHPOINT] = pd.Categorical(out[C.TOUCHPOINT], categories=list(order))
    out = out.sort_values([C.TOUCHPOINT, USER_TYPE]).reset_index(drop=True)
    out[C.TOUCHPOINT] = out[C.TOUCHPOINT].astype(str)
    out[USER_TYPE] = out[USER_TYPE].astype(str)
    return out


def compute_new_by_source(prepared: pd.DataFrame) -> pd.DataFrame:
    """New customers (first purchase in the data) by public-domain source channel.

    Returns
    -------
    pandas.DataFrame
        ``source_channel``, ``new_customers``, ``gmv`` (their first-purchase-day GMV, CNY),
        ``aov`` (CNY per order) and ``share`` of new customers; empty without a source column.
    """
    cols = [C.SOURCE_CHANNEL, "new_customers", "gmv", "aov", "share"]
    if C.SOURCE_CHANNEL not in prepared:
        return pd.DataFrame(columns=cols)
    valid = _valid(prepared)
    first = valid[valid[USER_TYPE] == "new"]
    # a customer's source is the one on the first order of the first purchase day
    source = first.sort_values(C.ORDER_TIME).groupby("customer")[C.SOURCE_CHANNEL].first()
    by_customer = first.groupby("customer").agg(gmv=(NET, "sum"), orders=(NET, "size"))
    by_customer[C.SOURCE_CHANNEL] = source
    out = by_customer.groupby(C.SOURCE_CHANNEL).agg(
        new_customers=("gmv", "size"), gmv=("gmv", "sum"), orders=("orders", "sum")
    )
    out["aov"] = _ratio(out["gmv"], out["orders"])
    total = out["new_customers"].sum()
    out["share"] = out["new_customers"] / total if total else np.nan
    return out.sort_values("new_customers", ascending=False).reset_index()[cols]


def compute_member_share(prepared: pd.DataFrame) -> float:
    """Member GMV / all GMV (0–1); NaN when the export has no member column or no GMV."""
    if C.IS_MEMBER not in prepared:
        return float("nan")
    valid = _valid(prepared)
    total = valid[NET].sum()
    if total <= 0:
        return float("nan")
    return float(valid.loc[valid[C.IS_MEMBER].to_numpy(bool), NET].sum() / total)


def compute_push_metrics(
    pushes: pd.DataFrame, prepared: pd.DataFrame | None = None, *, by: tuple[str, ...] = ("month",)
) -> pd.DataFrame:
    """Push volume, cost, revenue and loss, per month, per touchpoint or both.

    Parameters
    ----------
    pushes
        Validated push log (:func:`~siyu_diag.operations.tables.validate_pushes`).
    prepared
        Prepared orders; used for revenue when the push log has no revenue column.
    by
        Any of ``"month"`` and ``"touchpoint"``.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``messages``, ``cost`` (CNY), ``deletions``, ``revenue`` (CNY),
        ``revenue_per_mille`` and ``cost_per_mille`` (CNY per 1,000 messages), ``loss_rate``
        (deletions / messages, 0–1) and ``roas`` (revenue / cost). Columns the log cannot give
        are NaN.
    """
    frame = pushes.assign(month=pushes[C.DATE].dt.to_period("M"))
    keys = list(by)
    sums = [c for c in (C.MESSAGES, C.COST, C.DELETIONS, C.REVENUE) if c in frame]
    out = frame.groupby(keys)[sums].sum() if keys else frame[sums].sum().to_frame().T
    if C.REVENUE not in frame and prepared is not None:
        valid = _valid(prepared)
        gmv = valid.groupby([MONTH_NO, C.TOUCHPOINT], observed=True)[NET].sum().reset_index()
        gmv["month"] = to_period(gmv[MONTH_NO])
        gmv[C.TOUCHPOINT] = gmv[C.TOUCHPOINT].astype(str)
        pairs = frame[["month", C.TOUCHPOINT]].drop_duplicates()
        gmv = gmv.merge(pairs, on=["month", C.TOUCHPOINT])
        revenue = gmv.groupby(keys)[NET].sum() if keys else pd.Series([gmv[NET].sum()])
        out[C.REVENUE] = revenue.reindex(out.index).fillna(0.0) if keys else revenue.to_numpy()
    for c in (C.COST, C.DELETIONS, C.REVENUE):
        if c not in out:
            out[c] = np.nan
    out["revenue_per_mille"] = _ratio(out[C.REVENUE], out[C.MESSAGES]) * 1000
    out["cost_per_mille"] = _ratio(out[C.COST], out[C.MESSAGES]) * 1000
    out["loss_rate"] = _ratio(out[C.DELETIONS], out[C.MESSAGES])
    out["roas"] = _ratio(out[C.REVENUE], out[C.COST])
    out = out.reset_index() if keys else out.reset_index(drop=True)
    if "touchpoint" in keys and "month" not in keys:
        out = out.sort_values(C.MESSAGES, ascending=False).reset_index(drop=True)
    cols = [*keys, C.MESSAGES, C.COST, C.DELETIONS, C.REVENUE, "revenue_per_mille",
            "cost_per_mille", "loss_rate", "roas"]  # fmt: skip
    return out[cols]
