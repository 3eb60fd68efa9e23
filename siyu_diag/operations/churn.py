"""Customer churn from orders: the churn a client without a friends export still has.

Definition (on valid orders, see :mod:`siyu_diag.operations.purchases`): a customer **lapses**
in month m when they have a valid order in the calendar month before m and none in m.
**Customer churn** of month m = customers who lapse in m ÷ customers with a valid order in the
month before m. The first month of the orders has no churn (nobody is known to have bought the
month before), nor has a month the export does not cover to its end (its buyers are not all
known yet; see :func:`~siyu_diag.operations.purchases.last_complete_month`), nor a month whose
previous month has no buyer.

This measures buying, not the friend relationship: a friend who keeps the account but does not
buy every month lapses here. It is shown when there is no friends export (the friend churn,
deletions ÷ opening friends, is shown otherwise) and is never a plan driver: the planning
model's monthly churn is the share of friends lost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .purchases import CUSTOMER, MONTH_NO, last_complete_month, to_period, valid_only

#: Columns of :func:`compute_customer_churn`.
CHURN_COLUMNS = ("month", "buyers", "buyers_previous", "retained", "lapsed", "churn", "complete")


def compute_customer_churn(prepared: pd.DataFrame) -> pd.DataFrame:
    """Monthly customer churn from the orders, one row per calendar month of the export.

    Parameters
    ----------
    prepared
        :func:`~siyu_diag.operations.purchases.prepare_orders` (or its valid orders).

    Returns
    -------
    pandas.DataFrame
        ``month`` (Period; every month from the first to the last order, months without an
        order included), ``buyers`` (distinct customers with a valid order in the month),
        ``buyers_previous`` (the same for the month before; 0 for the first month),
        ``retained`` (of those, customers who bought in this month too), ``lapsed``
        (``buyers_previous − retained``), ``churn`` (``lapsed ÷ buyers_previous``; NaN for the
        first month, an incomplete month, or when the month before has no buyer) and
        ``complete`` (the export covers the month to its end).
    """
    valid = valid_only(prepared)
    if valid.empty:
        return pd.DataFrame(columns=list(CHURN_COLUMNS))
    pairs = pd.DataFrame({"m": valid[MONTH_NO].to_numpy(), "c": valid[CUSTOMER].to_numpy()})
    pairs = pairs.drop_duplicates()
    first, last = int(pairs["m"].min()), int(pairs["m"].max())
    covered = last_complete_month(valid)
    months = np.arange(first, last + 1)
    span = len(months) + 1
    code = pairs["c"].to_numpy("int64") * span + (pairs["m"].to_numpy("int64") - first)
    had_previous = np.isin(code - 1, code) & (pairs["m"].to_numpy() > first)
    buyers = pairs.groupby("m").size().reindex(months, fill_value=0).to_numpy("int64")
    retained = (
        pairs[had_previous].groupby("m").size().reindex(months, fill_value=0).to_numpy("int64")
    )
    previous = np.r_[0, buyers[:-1]]
    complete = months <= covered
    with np.errstate(divide="ignore", invalid="ignore"):
        churn = np.where(
            (previous > 0) & complete, (previous - retained) / np.maximum(previous, 1), np.nan
        )
    return pd.DataFrame(
        {
            "month": to_period(months),
            "buyers": buyers,
            "buyers_previous": previous,
            "retained": retained,
            "lapsed": previous - retained,
            "churn": churn,
            "complete": complete,
        }
    )[list(CHURN_COLUMNS)]
