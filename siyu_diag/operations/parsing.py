"""Cell parsing and problem collection shared by the operating-data loaders.

Parsing is vectorised (a million order rows parse in about a second); every bad cell becomes a
:class:`~siyu_diag.errors.Problem` naming the file, the spreadsheet row (header = row 1), the
column as the file spells it and how to fix it. At most :data:`ROW_LIMIT` rows are listed per
column and problem; one more problem says how many rows were left out.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .._validation import did_you_mean
from ..errors import Problem
from .columns import ROW, TableSpec, alias_index, normalise_header

#: Rows listed per column and kind of problem before the rest are summarised.
ROW_LIMIT = 10

_BLANKS = {"", "nan", "none", "null", "-", "--", "—", "n/a", "na"}
_MONEY = r"[¥￥,，\s元]|CNY|RMB"
_DATE_WORDS = {"年": "-", "月": "-", "日": "", "/": "-", ".": "-"}


class ProblemList:
    """Problems found in one file, each with its row and column."""

    def __init__(self, label: str):
        self.label = label
        self.items: list[Problem] = []

    def add(self, message: str, *, row: int | None = None, column: str | None = None,
            hint: str | None = None) -> None:  # fmt: skip
        """Record one problem in this file."""
        self.items.append(Problem(message, file=self.label, row=row, column=column, hint=hint))

    def rows(
        self,
        bad: pd.Series,
        frame: pd.DataFrame,
        column: str,
        message: Callable[[str], str],
        hint: str,
        raw: pd.Series | None = None,
    ) -> None:
        """One problem per row where ``bad`` is true (the first :data:`ROW_LIMIT` of them).

        ``message`` receives the cell text (from ``raw``, default ``frame[column]``).
        """
        where = np.flatnonzero(bad.to_numpy(bool))
        if not len(where):
            return
        cells = (frame[column] if raw is None else raw).to_numpy()
        rows = frame[ROW].to_numpy()
        for i in where[:ROW_LIMIT]:
            self.add(message(str(cells[i])), row=int(rows[i]), column=column, hint=hint)
        if len(where) > ROW_LIMIT:
            more = len(where) - ROW_LIMIT
            self.add(
                f"{more} more rows have the same problem (rows {int(rows[where[ROW_LIMIT]])}"
                f"–{int(rows[where[-1]])}).",
                column=column,
                hint=hint,
            )


def drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Number rows as a spreadsheet does (header = 1) and drop the rows with no value at all."""
    frame = frame.copy()
    frame[ROW] = np.arange(2, len(frame) + 2)
    cells = frame.drop(columns=ROW)
    if cells.shape[1]:
        filled = cells.apply(lambda s: s.str.strip() != "").any(axis=1)
        frame = frame[filled.to_numpy()]
    return frame.reset_index(drop=True)


def map_headers(
    frame: pd.DataFrame, spec: TableSpec, problems: ProblemList
) -> tuple[dict[str, str], list[str]]:
    """Find the file's header for each canonical column.

    Returns
    -------
    tuple
        ``{canonical name: header in the file}`` and the headers that match nothing (ignored).
    """
    index = alias_index(spec)
    found: dict[str, str] = {}
    ignored: list[str] = []
    for header in frame.columns:
        if header == ROW:
            continue
        name = index.get(normalise_header(header))
        if name is None:
            ignored.append(header)
        elif name in found:
            problems.add(
                f"columns '{found[name]}' and '{header}' both mean '{name}'.",
                row=1,
                column=header,
                hint="keep one of them, or rename the other to something else.",
            )
        else:
            found[name] = header
    for column in spec.columns:
        if column.required and column.name not in found:
            shown = ", ".join(column.aliases[:6])
            guess = did_you_mean(column.aliases[1] if len(column.aliases) > 1 else column.name,
                                 ignored)  # fmt: skip
            problems.add(
                f"has no column for '{column.name}'; expected a header such as {shown}." + guess,
                row=1,
                hint=f"rename the column in the header row to '{column.aliases[1]}' "
                f"or '{column.name}'.",
            )
    return found, ignored


def text(series: pd.Series) -> pd.Series:
    """Cells as stripped text; the usual placeholders for "empty" become ``""``."""
    s = series.astype(str).str.strip()
    return s.where(~s.str.lower().isin(_BLANKS), "")


def parse_dates(series: pd.Series) -> pd.Series:
    """Dates or date-times (``2025-03-01``, ``2025/3/1 9:05``, ``2025年3月1日``); NaT if not."""
    s = text(series)
    fixed = s
    for old, new in _DATE_WORDS.items():
        fixed = fixed.str.replace(old, new, regex=False)
    fixed = fixed.str.rstrip("-")
    out = pd.to_datetime(fixed, format="ISO8601", errors="coerce")
    retry = out.isna() & (s != "")
    if retry.any():
        out = out.copy()
        out[retry] = pd.to_datetime(fixed[retry], format="mixed", errors="coerce")
    return out


def parse_numbers(series: pd.Series) -> pd.Series:
    """Numbers, allowing ``¥``, thousands separators and ``元``; NaN where not a number."""
    s = text(series).str.replace(_MONEY, "", regex=True)
    return pd.to_numeric(s.where(s != "", np.nan), errors="coerce").astype(float)


def parse_counts(
    frame: pd.DataFrame, header: str, problems: ProblemList, what: str, hint: str
) -> pd.Series:
    """Whole numbers ≥ 0 (blank cells are problems); bad cells become 0 after reporting."""
    raw = text(frame[header])
    values = parse_numbers(raw)
    blank = raw == ""
    not_number = values.isna() & ~blank
    negative = values < 0
    fraction = (values % 1 != 0) & values.notna() & ~negative
    problems.rows(blank, frame, header, lambda _: f"is blank; expected the number of {what} "
                  "(0 if none).", hint, raw)  # fmt: skip
    problems.rows(not_number, frame, header, lambda v: f"'{v}' is not a number; expected the "
                  f"number of {what}, a whole number ≥ 0.", hint, raw)  # fmt: skip
    problems.rows(negative, frame, header, lambda v: f"{v} is negative; the number of {what} "
                  "is 0 or more.", hint, raw)  # fmt: skip
    problems.rows(fraction, frame, header, lambda v: f"{v} is not a whole number; expected the "
                  f"number of {what}.", hint, raw)  # fmt: skip
    return values.fillna(0).clip(lower=0).round().astype("int64")


def parse_money(
    frame: pd.DataFrame, header: str, problems: ProblemList, what: str, *, negative_ok: bool
) -> pd.Series:
    """Amounts in CNY; blank cells and text are problems; NaN after reporting."""
    raw = text(frame[header])
    values = parse_numbers(raw)
    blank = raw == ""
    hint = "write the amount in yuan as a number, e.g. 128.50."
    problems.rows(blank, frame, header, lambda _: f"is blank; expected {what}.", hint, raw)
    problems.rows(values.isna() & ~blank, frame, header,
                  lambda v: f"'{v}' is not an amount; expected {what}.", hint, raw)  # fmt: skip
    if not negative_ok:
        problems.rows(values < 0, frame, header,
                      lambda v: f"{v} is negative; expected {what}, 0 or more.",
                      "write the amount as a positive number.", raw)  # fmt: skip
    return values


def check_dates(
    frame: pd.DataFrame, header: str, parsed: pd.Series, problems: ProblemList, what: str
) -> None:
    """Report blank and unparseable date cells."""
    raw = text(frame[header])
    hint = "write dates as YYYY-MM-DD (e.g. 2025-03-01), or YYYY-MM-DD HH:MM for times."
    problems.rows(raw == "", frame, header, lambda _: f"is blank; expected {what}.", hint, raw)
    problems.rows(parsed.isna() & (raw != ""), frame, header,
                  lambda v: f"'{v}' is not a date; expected {what}.", hint, raw)  # fmt: skip


def duplicate_rows(keys: pd.DataFrame | pd.Series, rows: pd.Series) -> list[tuple[int, int]]:
    """``(row, first row with the same key)`` for every repeated key."""
    dup = keys.duplicated(keep=False)
    if not dup.any():
        return []
    frame = pd.DataFrame({"row": rows[dup.to_numpy()].to_numpy()})
    key_frame = keys[dup.to_numpy()]
    if isinstance(key_frame, pd.Series):
        key_frame = key_frame.to_frame()
    frame["key"] = pd.MultiIndex.from_frame(key_frame.reset_index(drop=True)).factorize()[0]
    frame["first"] = frame.groupby("key")["row"].transform("min")
    later = frame[frame["row"] != frame["first"]]
    return list(zip(later["row"].astype(int), later["first"].astype(int), strict=True))
