"""Load and validate the four operating-data tables (CSV or XLSX, Chinese or English headers).

Each ``validate_*`` function takes the table as read (strings, headers untouched) and returns it
with canonical columns (:mod:`siyu_diag.operations.columns`) and typed values, or raises one
:class:`~siyu_diag.core.errors.InputError` listing every problem with its file, row, column and a
fix.
Each ``load_*`` function reads the file with :func:`siyu_diag.core.tables.read_table` and validates
it. Whatever is not an error but worth knowing (ignored columns, refunds of orders outside the
file, cancelled orders) is returned as a note.

Given the assessment date (``as_of``, the ``date`` of client.yaml), a row dated after it is an
error: it cannot be data of the assessment. Without it (None) dates are not compared.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.errors import InputError
from ..core.tables import read_table
from . import columns as C
from .parsing import (
    ProblemList,
    check_dates,
    drop_blank_rows,
    duplicate_rows,
    map_headers,
    parse_counts,
    parse_dates,
    parse_money,
    read_numbers,
    rows_text,
    text,
)
from .purchases import REFUND_TOLERANCE
from .refunds import check_sales

#: Columns of the notes every loader returns.
NOTE_COLUMNS = ("table", "kind", "rows", "subject", "value")


@dataclass(frozen=True)
class Validated:
    """A validated table (canonical columns plus ``row``) and its notes."""

    table: pd.DataFrame
    notes: list[dict]


def _note(table: str, kind: str, rows: str = "", subject: str = "", value: float = np.nan):
    return {"table": table, "kind": kind, "rows": rows, "subject": subject, "value": value}


def _start(frame: pd.DataFrame, spec: C.TableSpec, label: str):
    problems = ProblemList(label)
    frame = drop_blank_rows(frame)
    found, ignored = map_headers(frame, spec, problems)
    if problems.items:
        raise InputError(problems.items)
    notes = [_note(spec.key, "ignored_column", subject=h) for h in ignored]
    return frame, found, problems, notes


def _finish(problems: ProblemList) -> None:
    if problems.items:
        raise InputError(problems.items)


def validate_friends(frame: pd.DataFrame, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Validate a daily friends export: date, optional channel/staff, adds, deletions, totals."""
    frame, found, problems, notes = _start(frame, C.FRIENDS, label)
    out = pd.DataFrame({C.ROW: frame[C.ROW]})
    out[C.DATE] = parse_dates(frame[found[C.DATE]]).dt.normalize()
    check_dates(frame, found[C.DATE], out[C.DATE], problems, "the day the counts are for",
                as_of=as_of)  # fmt: skip
    for name in (C.CHANNEL, C.STAFF):
        if name in found:
            out[name] = text(frame[found[name]])
    hint = "correct the export: counts of friends are whole numbers, 0 or more."
    for name, what in (
        (C.NEW_FRIENDS, "friends added that day"),
        (C.DELETIONS, "friends who deleted the account that day"),
        (C.CUMULATIVE, "friends ever added up to that day"),
        (C.CURRENT, "friends at the end of that day"),
    ):
        if name in found:
            out[name] = parse_counts(frame, found[name], problems, what, hint)
    keys = [c for c in (C.DATE, C.CHANNEL, C.STAFF) if c in out]
    dated = out[out[C.DATE].notna()]
    for row, first in duplicate_rows(dated[keys], dated[C.ROW])[:10]:
        problems.add(
            f"repeats the {'/'.join(keys)} of row {first}; each day"
            + (f" and {'/'.join(keys[1:])}" if len(keys) > 1 else "")
            + " may appear once.",
            row=row,
            column=found[C.DATE],
            hint="add the two rows up into one, or delete the repeated row.",
        )
    _finish(problems)
    return Validated(out.sort_values([*keys]).reset_index(drop=True), notes)


def _status(frame, found, problems) -> pd.Series:
    if C.STATUS not in found:
        return pd.Series("paid", index=frame.index)
    raw = text(frame[found[C.STATUS]])
    kinds = raw.map(lambda v: C.STATUS_INDEX.get(C.normalise_header(v), "")).astype(str)
    kinds = kinds.where(raw != "", "paid")
    accepted = "/".join(v[0] for v in C.STATUSES.values())
    problems.rows(
        kinds == "",
        frame,
        found[C.STATUS],
        lambda v: (
            f"'{v}' is not an order status this tool knows; expected one of {accepted} "
            "(or paid/refunded/partially refunded/cancelled)."
        ),
        "rename the status to one of the accepted words, or leave the cell blank for a paid order.",
        raw,
    )
    return kinds


def validate_orders(frame: pd.DataFrame, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Validate an orders export.

    A row with a negative amount is a refund; it is netted against the sale with the same order
    id, if there is one. A status column may say that an order was refunded (in full), partly
    refunded (then a refund-amount column says how much) or cancelled (the row is left out).
    The refunds of an order may not add up to more than it paid, and the file must hold at
    least one completed sale (else every metric would be 0).
    """
    frame, found, problems, notes = _start(frame, C.ORDERS, label)
    out = pd.DataFrame({C.ROW: frame[C.ROW]})
    for name, what in ((C.ORDER_ID, "an order id"), (C.CUSTOMER_ID, "a customer id")):
        out[name] = text(frame[found[name]])
        problems.rows(out[name] == "", frame, found[name], lambda _, w=what: f"is blank; "
                      f"expected {w}.", "fill in the id from the shop system, or delete the "
                      "row if it is not an order.")  # fmt: skip
    out[C.ORDER_TIME] = parse_dates(frame[found[C.ORDER_TIME]])
    check_dates(frame, found[C.ORDER_TIME], out[C.ORDER_TIME], problems, "the time of the order",
                as_of=as_of)  # fmt: skip
    out[C.AMOUNT] = parse_money(frame, found[C.AMOUNT], problems, "the amount paid in CNY",
                                negative_ok=True)  # fmt: skip
    out[C.TOUCHPOINT] = text(frame[found[C.TOUCHPOINT]]).map(C.canonical_touchpoint)
    if C.SOURCE_CHANNEL in found:
        out[C.SOURCE_CHANNEL] = text(frame[found[C.SOURCE_CHANNEL]]).replace("", C.UNKNOWN)
    if C.IS_MEMBER in found:
        raw = text(frame[found[C.IS_MEMBER]])
        flags = raw.map(lambda v: C.FLAG_INDEX.get(C.normalise_header(v)))
        problems.rows(
            flags.isna(),
            frame,
            found[C.IS_MEMBER],
            lambda v: f"'{v}' is not a member flag; expected 是/否 (yes/no, 1/0).",
            "write 是 for members and 否 (or leave blank) for everyone else.",
            raw,
        )
        out[C.IS_MEMBER] = flags.fillna(False).astype(bool)
    kinds = _status(frame, found, problems)
    refund = pd.Series(0.0, index=frame.index)
    unread = pd.Series(False, index=frame.index)
    if C.REFUND_AMOUNT in found:
        header = found[C.REFUND_AMOUNT]
        raw = text(frame[header])
        refund = read_numbers(frame, header, problems, blank=None, raw=raw, not_number=lambda v:
                              f"'{v}' is not an amount; expected the amount refunded in CNY.",
                              hint="write a number or leave the cell blank.")  # fmt: skip
        unread = refund.isna() & (raw != "")  # reported above
        refund = refund.fillna(0.0)
        over = (refund < 0) | ((refund > out[C.AMOUNT] + REFUND_TOLERANCE) & (out[C.AMOUNT] >= 0))
        problems.rows(over, frame, header, lambda v: f"{v} is not between 0 and the amount "
                      "paid.", "write the refunded amount as a positive number no larger "
                      "than the amount paid.", raw)  # fmt: skip
    partial = (kinds == "partial") & ~unread
    problems.rows(partial & (refund <= 0), frame, found.get(C.STATUS, ""), lambda v: f"says "
                  f"'{v}' but no refund amount is given.", "add a column 退款金额 (refund_amount)"
                  " with the amount refunded.")  # fmt: skip
    refund = refund.where(kinds != "refunded", out[C.AMOUNT].clip(lower=0))
    out[C.REFUND_AMOUNT] = refund
    sales = (out[C.AMOUNT] >= 0) & (kinds != "cancelled")
    for row, first in duplicate_rows(out.loc[sales, C.ORDER_ID], out.loc[sales, C.ROW])[:10]:
        oid = out.loc[out[C.ROW] == row, C.ORDER_ID].iloc[0]
        problems.add(
            f"order id '{oid}' was already used in row {first}; each order may appear once "
            "(a refund is a row with a negative amount).",
            row=row,
            column=found[C.ORDER_ID],
            hint="delete the repeated row, or give the refund a negative amount.",
        )
    cancelled = kinds == "cancelled"
    check_sales(out[~cancelled & out[C.AMOUNT].notna()], frame, found, kinds, problems)
    _finish(problems)
    if cancelled.any():
        notes.append(_note("orders", "cancelled", rows_text(out.loc[cancelled, C.ROW]),
                           value=float(cancelled.sum())))  # fmt: skip
    blank_tp = out[C.TOUCHPOINT] == C.UNKNOWN
    if blank_tp.any():
        notes.append(_note("orders", "blank_touchpoint", rows_text(out.loc[blank_tp, C.ROW]),
                           value=float(blank_tp.sum())))  # fmt: skip
    out = out[~cancelled.to_numpy()].reset_index(drop=True)
    return Validated(out, notes)


def validate_pushes(frame: pd.DataFrame, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Validate a push log: date, touchpoint, messages sent, optional cost/deletions/revenue."""
    frame, found, problems, notes = _start(frame, C.PUSHES, label)
    out = pd.DataFrame({C.ROW: frame[C.ROW]})
    out[C.DATE] = parse_dates(frame[found[C.DATE]]).dt.normalize()
    check_dates(frame, found[C.DATE], out[C.DATE], problems, "the day of the push",
                as_of=as_of)  # fmt: skip
    out[C.TOUCHPOINT] = text(frame[found[C.TOUCHPOINT]]).map(C.canonical_touchpoint)
    hint = "correct the cell: counts are whole numbers, 0 or more."
    out[C.MESSAGES] = parse_counts(frame, found[C.MESSAGES], problems, "messages sent", hint)
    if C.DELETIONS in found:
        out[C.DELETIONS] = parse_counts(frame, found[C.DELETIONS], problems,
                                        "friends lost after the push", hint)  # fmt: skip
    for name, what in ((C.COST, "the cost of the push in CNY"), (C.REVENUE, "revenue in CNY")):
        if name in found:
            out[name] = parse_money(frame, found[name], problems, what, negative_ok=False)
    _finish(problems)
    return Validated(out, notes)


def _kpi_values(frame, header, problems) -> tuple[pd.Series, pd.Series]:
    raw = text(frame[header])
    pct = raw.str.endswith(("%", "％"))
    values = read_numbers(
        frame,
        header,
        problems,
        raw=raw,
        blank="is blank; expected a number.",
        not_number=lambda v: f"'{v}' is not a number; expected e.g. 24.71 or 9.73%.",
        hint="write a plain number or a percentage with %; delete the row of a month without data.",
        cells=raw.str.rstrip("%％"),
    )
    return values.where(~pct, values / 100), pct


def validate_kpi_tracking(
    frame: pd.DataFrame, *, label: str, as_of: dt.date | None = None
) -> Validated:
    """Validate a monthly KPI tracking table: metric, month, actual, target (unit, direction).

    A value written with ``%`` is a share (``9.73%`` → 0.0973). When the unit column says ``%``,
    plain numbers are percentage points (``9.73`` → 0.0973) too. A month after the month of
    ``as_of`` is an error.
    """
    frame, found, problems, notes = _start(frame, C.KPI_TRACKING, label)
    out = pd.DataFrame({C.ROW: frame[C.ROW]})
    out[C.METRIC] = text(frame[found[C.METRIC]])
    problems.rows(out[C.METRIC] == "", frame, found[C.METRIC], lambda _: "is blank; expected "
                  "the metric's name.", "fill in the metric name.")  # fmt: skip
    month = parse_dates(text(frame[found[C.MONTH]]).str.replace(r"^(\d{4})(\d{2})$", r"\1-\2",
                                                                regex=True))  # fmt: skip
    check_dates(frame, found[C.MONTH], month, problems, "a month such as 2026-03", as_of=as_of,
                period=month.dt.to_period("M").dt.start_time)  # fmt: skip
    out[C.MONTH] = month.dt.to_period("M")
    actual, pct_a = _kpi_values(frame, found[C.ACTUAL], problems)
    target, pct_t = _kpi_values(frame, found[C.TARGET], problems)
    unit = text(frame[found[C.UNIT]]) if C.UNIT in found else pd.Series("", index=frame.index)
    points = unit.isin(["%", "％"])
    out[C.ACTUAL] = actual.where(~(points & ~pct_a), actual / 100)
    out[C.TARGET] = target.where(~(points & ~pct_t), target / 100)
    out[C.UNIT] = unit.where(~(pct_a | pct_t | points), "%")
    if C.DIRECTION in found:
        raw = text(frame[found[C.DIRECTION]])
        direction = raw.map(lambda v: C.DIRECTIONS.get(C.normalise_header(v), ""))
        problems.rows(direction == "", frame, found[C.DIRECTION], lambda v: f"'{v}' is not a "
                      "direction; expected 越高越好 (higher) or 越低越好 (lower).", "write "
                      "越低越好 for metrics such as churn or cost, otherwise leave blank.",
                      raw)  # fmt: skip
        out[C.DIRECTION] = direction.astype(str)
    else:
        out[C.DIRECTION] = "higher"
    dated = out[out[C.MONTH].notna()]
    for row, first in duplicate_rows(dated[[C.METRIC, C.MONTH]], dated[C.ROW])[:10]:
        problems.add(
            f"repeats the metric and month of row {first}.",
            row=row,
            column=found[C.METRIC],
            hint="keep one row per metric and month.",
        )
    _finish(problems)
    return Validated(out.reset_index(drop=True), notes)


_VALIDATORS = {
    "friends": validate_friends,
    "orders": validate_orders,
    "pushes": validate_pushes,
    "kpi_tracking": validate_kpi_tracking,
}


def load_table(path: Path, key: str, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Read ``path`` (CSV/XLSX) and validate it as the table ``key`` of ``operations:``.

    ``as_of`` is the assessment date: rows dated after it are errors (None: no check). A
    process reads and validates an unchanged file once per assessment date (the planning
    chapter's calibration and the operating-data chapter use the same orders); each call gets
    its own copy.
    """
    stat = path.stat() if path.is_file() else None
    stamp = (stat.st_mtime_ns, stat.st_size) if stat else None
    validated = _load_once(path, key, label, stamp, as_of)
    return Validated(validated.table.copy(), copy.deepcopy(validated.notes))


@lru_cache(maxsize=len(_VALIDATORS))  # one client's tables: a batch holds no more in memory
def _load_once(
    path: Path, key: str, label: str, stamp: tuple[int, int] | None, as_of: dt.date | None
) -> Validated:
    return _VALIDATORS[key](read_table(path, label=label), label=label, as_of=as_of)


def load_friends(path: Path, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Read and validate a daily friends export."""
    return load_table(path, "friends", label=label, as_of=as_of)


def load_orders(path: Path, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Read and validate an orders export."""
    return load_table(path, "orders", label=label, as_of=as_of)


def load_pushes(path: Path, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Read and validate a push log."""
    return load_table(path, "pushes", label=label, as_of=as_of)


def load_kpi_tracking(path: Path, *, label: str, as_of: dt.date | None = None) -> Validated:
    """Read and validate a monthly KPI tracking table."""
    return load_table(path, "kpi_tracking", label=label, as_of=as_of)
