"""Checks of an orders export that need the whole file: refunds against their sale, any sale.

The refunds of an order (a refund-amount cell, a "refunded" status and rows with a negative
amount under its order id) may exceed what it paid by at most
:data:`~siyu_diag.operations.purchases.REFUND_TOLERANCE` (rounding); more contradicts the sale.
A file whose orders are all refunded in full, cancelled or of amount 0 holds no completed sale:
every metric of the chapter would be 0, so it is an error too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .parsing import ROW_LIMIT, ProblemList, rows_text, text
from .purchases import REFUND_TOLERANCE, net_sales


def check_sales(
    live: pd.DataFrame,
    frame: pd.DataFrame,
    found: dict[str, str],
    kinds: pd.Series,
    problems: ProblemList,
) -> None:
    """Report refunds adding up to more than their sale, and a file without a completed sale.

    Parameters
    ----------
    live
        The validated order rows that are not cancelled and have an amount (canonical columns,
        ``refund_amount`` already set from the refund-amount cell or a "refunded" status).
    frame
        The file's table as read (for the cells quoted in messages); same index as ``live``.
    found
        ``{canonical column: header in the file}``.
    kinds
        The status kind of every row of ``frame`` (``paid``, ``refunded``, ``partial``, …).
    problems
        Where the problems go: one per over-refunded order, at its sale row and the amount
        column; one for the file when it holds no completed sale (only when there is no other
        problem, which could be its cause).
    """
    is_sale, amounts = net_sales(live)
    sales = live[is_sale]
    own_over = amounts["own"] > amounts["gross"] + REFUND_TOLERANCE  # reported at its cell
    over = ((amounts["refunds"] - amounts["gross"]).round(6) > REFUND_TOLERANCE) & ~own_over
    where = np.flatnonzero(over.to_numpy())
    if len(where):
        refund_rows = live[~is_sale]
        status = text(frame[found[C.STATUS]]) if C.STATUS in found else None
        messages = []
        for i in where[:ROW_LIMIT]:
            sale, amount = sales.iloc[i], amounts.iloc[i]
            parts = []
            if amount["own"] > 0:
                own = (
                    f"status '{status.loc[sale.name]}'"
                    if kinds.loc[sale.name] == "refunded"
                    else f"{found[C.REFUND_AMOUNT]} in this row"
                )
                parts.append(f"{own}: {amount['own']:,.2f}")
            if amount["linked"] > 0:
                rows = refund_rows.loc[refund_rows[C.ORDER_ID] == sale[C.ORDER_ID], C.ROW]
                shown = "refund rows" if len(rows) > 1 else "refund row"
                parts.append(f"{shown} {rows_text(rows)}: {amount['linked']:,.2f}")
            messages.append(
                f"the refunds of order '{sale[C.ORDER_ID]}' add up to {amount['refunds']:,.2f} "
                f"CNY ({'; '.join(parts)}), more than the {amount['gross']:,.2f} CNY it paid."
            )
        problems.listed(
            sales[C.ROW].to_numpy()[where],
            messages,
            found[C.AMOUNT],
            "correct the amounts: an order's refunds add up to at most what it paid. A refund "
            "recorded twice (as a refund row and as a refund status or amount) is kept once.",
        )
    if not problems.items and not amounts["valid"].any():
        held = (
            f"none of its {len(frame)} rows is one (every order is refunded in full, cancelled "
            "or of amount 0)"
            if len(frame)
            else "it has no rows below the header"
        )
        problems.add(
            f"holds no completed sale: {held}; every metric of the chapter would be 0.",
            column=found[C.AMOUNT],
            hint="export the orders again with the completed sales of the period, or remove "
            "operations.orders from client.yaml if there are no order data.",
        )
