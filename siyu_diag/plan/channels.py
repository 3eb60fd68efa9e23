"""Read and validate a channel table (CSV or XLSX): one row per acquisition channel.

Columns ``id``, ``name``, ``traffic``, ``touches``, ``add_rate``, ``cost_per_user``,
``monthly_spend``, ``start_month`` (Chinese headers such as 渠道, 月流量, 添加率, 获客成本 are
accepted) and optional ranges ``<driver>_low`` / ``<driver>_high``. Rates may be written as
shares (0.05) or percentages (5%); numbers may carry thousands separators and must be finite and
at most :data:`~siyu_diag.core.checks.MAX_ABS_NUMBER` in absolute value, as in every
table the tool reads. Every problem names the file, the spreadsheet row (header = row 1) and
the column.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.numbers import NUMBER_HINT, unusable_message, usable_number
from ..core.tables import InputTable
from . import drivers as drv

#: A channel or role id: no dots or spaces (it is part of driver names).
ID_PATTERN = re.compile(r"^[^\s.]+$")
_ID = ID_PATTERN

#: Header aliases of the channel table (lower-cased, spaces removed) → column.
_CHANNEL_HEADERS = {
    "id": ("id", "channel_id", "渠道id", "渠道编号"),
    "name": ("name", "channel", "渠道", "渠道名称", "名称"),
    "traffic": ("traffic", "月流量", "流量", "月触达人数"),
    "touches": ("touches", "触达次数", "人均触达次数"),
    "add_rate": ("add_rate", "添加率", "加粉率"),
    "cost_per_user": ("cost_per_user", "获客成本", "单个获客成本"),
    "monthly_spend": ("monthly_spend", "固定投放", "月固定投放"),
    "start_month": ("start_month", "起始月", "开始月"),
}
_DEFAULTS = {"touches": 1.0, "cost_per_user": 0.0, "monthly_spend": 0.0}


def _canonical(header: str) -> str | None:
    text = str(header).strip().lower().replace(" ", "")
    for column, aliases in _CHANNEL_HEADERS.items():
        if text in aliases:
            return column
    for k in drv.CHANNEL_DRIVERS:
        for end in ("_low", "_high"):
            if text == f"{k}{end}":
                return text
    return None


def _cell_number(text: str) -> float | None:
    """A number from a cell: ``1,200``, ``9.73%`` and ``0.0973`` are all read."""
    t = str(text).strip().replace(",", "").replace("，", "")
    if t.endswith("%"):
        try:
            return float(t[:-1]) / 100
        except ValueError:
            return None
    try:
        return float(t)
    except ValueError:
        return None


def _hint(kind: str) -> str:
    """How to write a value of the column ``kind`` (a channel driver or ``start_month``)."""
    if kind == "start_month":
        return "write the month of the plan the channel starts in: 1 for its first month."
    if drv.bounds(kind) == drv.SHARE:
        return "write the rate as a share (0.05) or a percentage (5%)."
    return "write a plain number of 0 or more, e.g. 12000 or 12,000."


_NUMBER_COLUMNS = ("start_month",) + tuple(
    f"{k}{suffix}" for k in drv.CHANNEL_DRIVERS for suffix in ("", "_low", "_high")
)


def _table_number(
    table: InputTable, cells: dict[str, str], column: str, header_of: dict[str, str], row: int
) -> float | None:
    """One numeric cell of the channel table: its number, a default, NaN (no range) or None."""
    kind = column.removesuffix("_low").removesuffix("_high")
    is_bound = column != kind
    text = cells.get(column, "")
    if text == "":
        if is_bound:
            return float("nan")
        if kind == "start_month":
            return 1.0
        if kind in _DEFAULTS:
            return _DEFAULTS[kind]
        if column in header_of:
            table.problem(
                f"the cell is empty; expected {drv.bounds(kind).describe()}.",
                row=row,
                column=header_of[column],
                hint=_hint(kind),
            )
        return None
    number = _cell_number(text)
    b = drv.AT_LEAST_ONE if kind == "start_month" else drv.bounds(kind)
    if number is not None and not usable_number(number):
        message, hint = unusable_message(text), NUMBER_HINT
    elif number is None or not b.contains(number) or (kind == "start_month" and number % 1):
        expect = "a whole month number of 1 or more" if kind == "start_month" else b.describe()
        message, hint = f"'{text}' is not valid; expected {expect}.", _hint(kind)
    else:
        return number
    table.problem(message, row=row, column=header_of[column], hint=hint)
    return None


def load_channel_table(path: Path, *, label: str, sheet: str | None = None) -> pd.DataFrame:
    """Read and validate a channel table (CSV or XLSX), reporting every problem at once.

    Parameters
    ----------
    path
        The file.
    label
        Its name as written in ``plan.yaml`` (for messages).
    sheet
        The XLSX sheet (default: the first).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``start_month`` and, for every channel driver, the value and
        ``<driver>_low`` / ``<driver>_high`` (NaN when no range).

    Raises
    ------
    InputError
        Each problem names the file, the spreadsheet row (header = row 1) and the column.
    """
    table = InputTable(path, label=label, sheet=sheet)
    columns: dict[str, str] = {}
    allowed = [a for v in _CHANNEL_HEADERS.values() for a in v[:1]] + [
        f"{k}{e}" for k in drv.CHANNEL_DRIVERS for e in ("_low", "_high")
    ]
    for header in table.headers:
        canon = _canonical(header)
        if canon is None:
            table.header_problem(
                "unknown column.",
                column=header,
                choices=allowed,
                hint=f"use the columns {', '.join(allowed[:8])} (and <driver>_low/_high).",
            )
        elif canon in columns.values():
            table.header_problem(
                "the column appears twice.", column=header, hint="keep one of them."
            )
        else:
            columns[header] = canon
    for required in ("id", "traffic", "add_rate"):
        if required not in columns.values():
            table.header_problem(
                f"the column '{required}' is missing.", hint=f"add a column headed {required}."
            )
    table.raise_problems()
    header_of = {v: k for k, v in columns.items()}
    rows = []
    for row_no, by_header in table.rows():
        cells = {columns[h]: v for h, v in by_header.items()}
        out: dict[str, Any] = {}
        ident = cells.get("id", "")
        if not ident or not _ID.match(ident):
            table.problem(
                f"'{ident}' is not a usable channel id.",
                row=row_no,
                column=header_of["id"],
                hint="give each channel a short id without dots or spaces, e.g. douyin.",
            )
        elif (first := table.first_row("id", ident, row_no)) is not None:
            table.problem(
                f"channel '{ident}' appears again (first in row {first}).",
                row=row_no,
                column=header_of["id"],
                hint="keep one row per channel.",
            )
        out["id"] = ident
        out["name"] = cells.get("name") or ident
        for c in _NUMBER_COLUMNS:
            out[c] = _table_number(table, cells, c, header_of, row_no)
        traffic, add = out.get("traffic"), out.get("add_rate")
        if traffic and not add and add is not None:
            table.problem(
                "the channel has traffic but no add rate.",
                row=row_no,
                column=header_of["add_rate"],
                hint="give the share of touches that become users, or set traffic to 0.",
            )
        for k in drv.CHANNEL_DRIVERS:
            lo, hi, v = out.get(f"{k}_low"), out.get(f"{k}_high"), out.get(k)
            if lo is None or hi is None or v is None:
                continue
            if pd.isna(lo) != pd.isna(hi):
                table.problem(
                    f"{k}_low and {k}_high must be given together.",
                    row=row_no,
                    column=header_of.get(f"{k}_low") or header_of[f"{k}_high"],
                    hint="fill both or neither.",
                )
            elif not pd.isna(lo) and not lo <= v <= hi:
                table.problem(
                    f"the range must satisfy low ≤ value ≤ high; found {lo:g} ≤ {v:g} ≤ {hi:g}.",
                    row=row_no,
                    column=header_of[k],
                    hint="correct the three cells.",
                )
        rows.append(out)
    table.raise_problems()
    frame = pd.DataFrame(rows, columns=["id", "name", *_NUMBER_COLUMNS])
    frame["start_month"] = frame["start_month"].astype(int)
    return frame
