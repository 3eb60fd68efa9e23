"""From order rows to purchases: refunds netted, purchase days numbered, user types tagged.

Definitions (stated in the chapter's definitions section too):

- **Net amount** of an order = amount paid − refunds (the refund-amount column, a status that
  says "refunded", and rows with a negative amount carrying the same order id).
- A **valid order** has a net amount above zero. Fully refunded, zero-amount and cancelled
  orders are not purchases. Refunds adding up to more than the sale (beyond
  :data:`REFUND_TOLERANCE`) contradict it: validation rejects them.
- A **purchase day** is a customer × calendar day with at least one valid order: several orders
  on the same day count as one purchase (a split basket is not a repurchase).
- **User type** of a valid order: ``new`` on the customer's first purchase day in the data;
  otherwise ``member`` when the order carries the member flag; otherwise ``first_repurchase`` on
  the second purchase day and ``second_repurchase`` on the third purchase day or later.

Refund rows whose order id matches no sale in the file refund orders placed before the export
began; they are listed by :func:`find_unmatched_refunds` and left out of every metric.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C

#: Columns added by :func:`prepare_orders`.
CUSTOMER = "customer"  # integer code of customer_id
DAY = "day"  # datetime64 day of the order
MONTH_NO = "month_no"  # year * 12 + month - 1
GROSS = "gross"
REFUNDED = "refunded"
NET = "net"
VALID = "valid"
PURCHASE_NO = "purchase_no"  # 1 = first purchase day, 2 = second, ...; 0 for invalid orders
FIRST_DAY = "first_day"
FIRST_MONTH_NO = "first_month_no"
USER_TYPE = "user_type"

#: CNY by which the refunds of an order may exceed its sale (rounding) before they contradict it.
REFUND_TOLERANCE = 0.01


def month_no(times: pd.Series) -> np.ndarray:
    """Months as integers, ``year * 12 + month - 1`` (fast to group by)."""
    return (times.dt.year * 12 + times.dt.month - 1).to_numpy("int64")


def to_period(numbers) -> pd.PeriodIndex:
    """Integers from :func:`month_no` back to monthly periods."""
    numbers = np.asarray(numbers, dtype="int64")
    return pd.PeriodIndex.from_fields(year=numbers // 12, month=numbers % 12 + 1, freq="M")


def _refund_links(orders: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: is it a sale; per sale row: refunds linked to it; per row: unmatched refund."""
    amount = orders[C.AMOUNT].to_numpy(float)
    is_sale = amount >= 0
    refunds = ~is_sale
    if not refunds.any():
        return is_sale, np.zeros(int(is_sale.sum())), refunds
    ids = orders[C.ORDER_ID].to_numpy(object)
    # refunds are few: hash their ids and look every sale up in that small table
    sums = pd.Series(-amount[refunds]).groupby(ids[refunds]).sum()
    where = pd.Index(sums.index).get_indexer(ids[is_sale])
    linked = np.where(where >= 0, sums.to_numpy()[np.maximum(where, 0)], 0.0)
    matched = np.zeros(len(sums), dtype=bool)
    matched[where[where >= 0]] = True
    unmatched = refunds.copy()
    unmatched[refunds] = ~matched[pd.Index(sums.index).get_indexer(ids[refunds])]
    return is_sale, linked, unmatched


def net_sales(orders: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """The sale rows' amounts: paid, refunded (in the row and by refund rows), net, valid.

    Parameters
    ----------
    orders
        Orders with ``order_id``, ``amount`` (negative = a refund row) and optionally
        ``refund_amount`` (refunded on the sale row itself).

    Returns
    -------
    tuple
        A boolean mask of the sale rows (amount ≥ 0), and one row per sale, in order:
        ``gross`` (paid), ``own`` (refunded on the sale row), ``linked`` (refund rows with the
        sale's order id), ``refunds`` (their sum), ``refunded`` (the refunds, at most what was
        paid), ``net`` (paid − refunded) and ``valid`` (net above zero).
    """
    is_sale, linked, _ = _refund_links(orders)
    gross = orders[C.AMOUNT].to_numpy(float)[is_sale]
    own = (
        orders[C.REFUND_AMOUNT].to_numpy(float)[is_sale]
        if C.REFUND_AMOUNT in orders
        else np.zeros(len(gross))
    )
    refunds = own + linked
    refunded = np.minimum(refunds, gross)
    amounts = pd.DataFrame(
        {"gross": gross, "own": own, "linked": linked, "refunds": refunds,
         "refunded": refunded, "net": gross - refunded, "valid": gross - refunded > 1e-9}
    )  # fmt: skip
    return is_sale, amounts


def find_unmatched_refunds(orders: pd.DataFrame) -> pd.DataFrame:
    """Refund rows (negative amounts) whose order id is not a sale in the same table."""
    _, _, unmatched = _refund_links(orders)
    return orders[unmatched].copy()


def last_complete_month(valid: pd.DataFrame) -> int:
    """The :func:`month_no` of the last month the orders cover to its end.

    The export's last month counts as covered when its last valid order is at most two days
    before the month's end; an export that stops earlier leaves that month incomplete, and the
    month before it is the last complete one.
    """
    last_day = valid[DAY].max()
    last = int(valid[MONTH_NO].max())
    return last - 1 if last_day.day < last_day.days_in_month - 2 else last


def valid_only(prepared: pd.DataFrame) -> pd.DataFrame:
    """The valid orders of a prepared table (the table itself when all are valid)."""
    mask = prepared[VALID].to_numpy(bool)
    return prepared if mask.all() else prepared[mask]


def prepare_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """One row per sale with its net amount, purchase number and user type.

    Parameters
    ----------
    orders
        Validated orders (:func:`~siyu_diag.operations.tables.validate_orders`): canonical
        columns, refunds as negative rows and/or ``refund_amount``.

    Returns
    -------
    pandas.DataFrame
        The sale rows with the canonical columns plus ``customer``, ``day``, ``month_no``,
        ``gross``, ``refunded``, ``net`` (CNY), ``valid``, ``purchase_no``, ``first_day``,
        ``first_month_no`` and ``user_type`` (categorical; missing for invalid orders).
    """
    is_sale, amounts = net_sales(orders)
    sales = orders[is_sale].reset_index(drop=True)
    out = sales.drop(columns=[C.AMOUNT])
    out[GROSS] = amounts["gross"].to_numpy()
    out[REFUNDED] = amounts["refunded"].to_numpy()
    out[NET] = amounts["net"].to_numpy()
    out[VALID] = amounts["valid"].to_numpy()
    out[CUSTOMER] = pd.factorize(out[C.CUSTOMER_ID].to_numpy(object))[0].astype("int64")
    out[C.TOUCHPOINT] = out[C.TOUCHPOINT].astype("category")  # few values: groups faster
    out[DAY] = out[C.ORDER_TIME].dt.normalize()
    out[MONTH_NO] = month_no(out[C.ORDER_TIME])
    return _number_purchases(out)


def _number_purchases(out: pd.DataFrame) -> pd.DataFrame:
    valid = out[VALID].to_numpy(bool)
    cust = out[CUSTOMER].to_numpy()[valid]
    day = out[DAY].to_numpy().astype("datetime64[D]").astype("int64")[valid]
    purchase_no = np.zeros(len(out), dtype="int64")
    first_day = np.full(len(out), np.datetime64("NaT"), dtype="datetime64[D]")
    if valid.any():
        offset = day.min()
        key = cust * (1 << 24) + (day - offset)
        unique, inverse = np.unique(key, return_inverse=True)  # sorted: customer, then day
        ucust = unique >> 24
        starts = np.r_[0, np.flatnonzero(np.diff(ucust)) + 1]
        lengths = np.diff(np.r_[starts, len(unique)])
        group = np.repeat(np.arange(len(starts)), lengths)
        rank = np.arange(len(unique)) - starts[group] + 1
        purchase_no[valid] = rank[inverse]
        first = (unique[starts] & ((1 << 24) - 1)) + offset
        first_by_customer = np.full(int(out[CUSTOMER].max()) + 1, -1, dtype="int64")
        first_by_customer[ucust[starts]] = first
        fd = first_by_customer[out[CUSTOMER].to_numpy()]
        has = fd >= 0
        first_day[has] = fd[has].astype("datetime64[D]")
    out[PURCHASE_NO] = purchase_no
    out[FIRST_DAY] = pd.to_datetime(first_day)
    fm = out[FIRST_DAY]
    out[FIRST_MONTH_NO] = (fm.dt.year * 12 + fm.dt.month - 1).fillna(-1).astype("int64")
    member = out[C.IS_MEMBER].to_numpy(bool) if C.IS_MEMBER in out else np.zeros(len(out), bool)
    codes = np.select(
        [purchase_no == 1, member & (purchase_no > 1), purchase_no == 2, purchase_no > 2],
        [0, 3, 1, 2],
        default=-1,
    )
    out[USER_TYPE] = pd.Categorical.from_codes(codes, categories=list(C.USER_TYPES))
    return out
