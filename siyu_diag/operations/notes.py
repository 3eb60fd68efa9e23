"""Data notes that need the prepared orders: refunds outside the file, zero-value orders.

Each note is a row of :data:`~siyu_diag.operations.tables.NOTE_COLUMNS`; the report words it
with the label ``operations_note_<kind>``. A note whose kind starts with the kind of the note
before it and an underscore (``zero_value_cohort`` after ``zero_value``) continues that note's
sentence.

A **zero-value order** (amount 0, not cancelled) is not a purchase: it is in no metric. Its
effect is stated with it: a customer with only zero-value orders is no customer; a customer
whose zero-value order falls in an earlier month than their first paid order is counted in the
later cohort, as a first-time buyer of that month (a customer the warm-up months would have
recognised can so enter the calibration's first-time buyers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .parsing import rows_text
from .purchases import CUSTOMER, FIRST_MONTH_NO, GROSS, MONTH_NO, VALID, to_period


def _note(kind: str, rows: str = "", subject: str = "", value: float = np.nan) -> dict:
    return {"table": "orders", "kind": kind, "rows": rows, "subject": subject, "value": value}


def unmatched_refund_notes(orders: pd.DataFrame, unmatched: pd.DataFrame) -> list[dict]:
    """The note on refund rows whose order id matches no sale in the file (none: [])."""
    if not len(unmatched):
        return []
    rows = ", ".join(str(r) for r in unmatched[C.ROW].head(8))
    return [_note("unmatched_refund", rows, f"{-unmatched[C.AMOUNT].sum():.2f}",
                  float(len(unmatched)))]  # fmt: skip


def zero_value_notes(prepared: pd.DataFrame, calibration: pd.DataFrame | None) -> list[dict]:
    """The notes on zero-value orders and their effect (none in the file: []).

    Parameters
    ----------
    prepared
        :func:`~siyu_diag.operations.purchases.prepare_orders`.
    calibration
        :func:`~siyu_diag.operations.calibration.compute_calibration`, to say how many of the
        first-time buyers behind the first-order drivers such customers are; None to leave
        that out.

    Returns
    -------
    list of dict
        ``zero_value`` (how many, their rows), then one of ``zero_value_none`` (no customer's
        first purchase month moves), or any of ``zero_value_only`` (customers with nothing but
        zero-value orders), ``zero_value_cohort`` (customers counted in a later cohort, with
        the cohorts and their number of such customers) and ``zero_value_calibration`` (of
        the first-time buyers behind the first-order drivers, how many are such customers;
        the subject is their number).
    """
    zero = prepared[GROSS].to_numpy(float) <= 1e-9
    if not zero.any():
        return []
    notes = [_note("zero_value", rows_text(prepared.loc[zero, C.ROW]), value=float(zero.sum()))]
    paid = set(prepared.loc[prepared[VALID].to_numpy(bool), CUSTOMER])
    rows = prepared[zero]
    only = sorted(set(rows[CUSTOMER]) - paid)
    with_paid = rows[rows[CUSTOMER].isin(paid)]
    by_customer = with_paid.groupby(CUSTOMER)
    earliest = by_customer.agg(m=(MONTH_NO, "min"), cohort=(FIRST_MONTH_NO, "first"))
    moved = earliest[earliest["m"] < earliest["cohort"]]
    if only:
        notes.append(_note("zero_value_only", value=float(len(only))))
    if len(moved):
        counts = moved.groupby("cohort").size()
        cohorts = ", ".join(
            f"{p} ({n})" for p, n in zip(to_period(counts.index), counts, strict=True)
        )
        notes.append(_note("zero_value_cohort", subject=cohorts, value=float(len(moved))))
        first = None if calibration is None else _first_buyers(calibration)
        if first is not None:
            start, end, buyers = first
            inside = int(((moved["cohort"] >= start) & (moved["cohort"] <= end)).sum())
            if inside:
                notes.append(_note("zero_value_calibration", subject=f"{buyers:,}",
                                   value=float(inside)))  # fmt: skip
    if not only and not len(moved):
        notes.append(_note("zero_value_none"))
    return notes


def _first_buyers(calibration: pd.DataFrame) -> tuple[int, int, int] | None:
    """The month numbers and first-time buyers behind ``first_order_aov``, if it has a period."""
    row = calibration.set_index("driver").loc["first_order_aov"]
    if not row["period"] or not row["people"]:
        return None
    start, end = (pd.Period(p, "M") for p in str(row["period"]).split("/"))
    return start.year * 12 + start.month - 1, end.year * 12 + end.month - 1, int(row["people"])
