"""Cell parsing and problem collection shared by the operating-data loaders.

Parsing is vectorised (a million order rows parse in about a second); every bad cell becomes a
:class:`~siyu_diag.core.errors.Problem` naming the file, the spreadsheet row (header = row 1), the
column as the file spells it and how to fix it. At most :data:`ROW_LIMIT` rows are listed per
column and problem; one more problem says how many rows were left out.

Every number must be finite and at most :data:`~siyu_diag.core.numbers.MAX_ABS_NUMBER` (one
trillion) in absolute value, as in the YAML inputs: ``inf``, ``Infinity`` and ``1e308`` are
export errors, not data. The plan's channel table and the incentive actuals use the same check
(:func:`usable_number`) and words (:func:`unusable_message`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..core.checks import did_you_mean
from ..core.errors import Problem
from ..core.numbers import NUMBER_HINT, unusable_message, usable_number
from .columns import ROW, TableSpec, alias_index, normalise_header

#: Rows listed per column and kind of problem before the rest are summarised.
ROW_LIMIT = 10

#: What every numeric cell must hold, in the words of the problems about one; and the fix.

#: Years of history before the assessment date a dated row may lie (older is an error).
HISTORY_YEARS = 10

_BLANKS = {"", "nan", "none", "null", "-", "--", "—", "n/a", "na"}
_MONEY = r"[¥￥,，\s元]|CNY|RMB"
#: Headers the table reader makes up: for an empty header cell, and for a repeated header.
_UNNAMED = re.compile(r"^Unnamed: \d+$")
_REPEATED = re.compile(r"^(.*)\.\d+$")
_DATE_WORDS = {"年": "-", "月": "-", "日": "", "/": "-", ".": "-"}


def quoted(cell: str, limit: int = 60) -> str:
    """A cell as a message quotes it: at most ``limit`` characters, on one line."""
    one_line = " ".join(cell.split()) if any(c in cell for c in "\r\n\t") else cell
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


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

        ``message`` receives the cell text (from ``raw``, default ``frame[column]``) as
        :func:`quoted` shortens it.
        """
        where = np.flatnonzero(bad.to_numpy(bool))
        if not len(where):
            return
        cells = (frame[column] if raw is None else raw).to_numpy()
        rows = frame[ROW].to_numpy()[where]
        shown = [message(quoted(str(cells[i]))) for i in where[:ROW_LIMIT]]
        self.listed(rows, shown, column, hint)

    def listed(self, rows, messages: list[str], column: str | None, hint: str) -> None:
        """One problem per row with its own message (the first :data:`ROW_LIMIT` of them).

        ``rows`` are all the rows with the problem, in order; ``messages`` holds the messages of
        at least the first :data:`ROW_LIMIT` of them. One more problem counts the rest.
        """
        rows = [int(r) for r in rows]
        for row, message in zip(rows[:ROW_LIMIT], messages, strict=False):
            self.add(message, row=row, column=column, hint=hint)
        if len(rows) > ROW_LIMIT:
            self.add(
                f"{len(rows) - ROW_LIMIT} more rows have the same problem (rows "
                f"{rows[ROW_LIMIT]}–{rows[-1]}).",
                column=column,
                hint=hint,
            )


def rows_text(rows: pd.Series | np.ndarray, limit: int = 8) -> str:
    """Row numbers as a short list for a message or a note: ``"2, 5, 9"``, ``"2, 3, 4…"``."""
    rows = [int(r) for r in np.asarray(rows)[: limit + 1]]
    shown = ", ".join(str(r) for r in rows[:limit])
    return shown + ("…" if len(rows) > limit else "")


def column_letter(position: int) -> str:
    """The spreadsheet letter of the column at 0-based ``position``: 0 → A, 26 → AA."""
    letters, n = "", position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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

    A repeated header that names a column is a problem; a column without a header is ignored
    (named by its spreadsheet letter when it holds anything).

    Returns
    -------
    tuple
        ``{canonical name: header in the file}`` and the headers that match nothing (ignored).
    """
    index = alias_index(spec)
    found: dict[str, str] = {}
    ignored: list[str] = []
    headers = list(frame.columns)
    for position, header in enumerate(headers):
        if header == ROW:
            continue
        if _UNNAMED.match(header):  # a column without a header: listed by its letter if filled
            if (text(frame.iloc[:, position]) != "").any():
                ignored.append(column_letter(position))
            continue
        repeated = _REPEATED.match(header)
        if repeated and repeated.group(1) in headers:  # the reader renamed a repeated header
            base = repeated.group(1)
            if normalise_header(base) in index:
                problems.add(
                    f"the header '{base}' appears more than once (columns "
                    f"{column_letter(headers.index(base))} and {column_letter(position)}).",
                    row=1,
                    column=base,
                    hint="delete the repeated column, or rename it to what it holds.",
                )
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


def parse_numbers(cells: pd.Series) -> pd.Series:
    """Numbers from cells as :func:`text` gives them, allowing ``¥``, ``,`` and ``元``.

    NaN where blank or not a number; ``inf`` and ``1e308`` are numbers here, which
    :func:`read_numbers` (the one reader of numeric columns) reports.
    """
    s = cells.str.replace(_MONEY, "", regex=True)
    return pd.to_numeric(s.where(s != "", np.nan), errors="coerce").astype(float)


def blank_message(message: str) -> Callable[[str], str]:
    """``message`` for a blank cell, saying so when the cell holds a placeholder such as nan."""
    return lambda cell: (
        f"{message.rstrip('.')} ('{cell.strip()}' counts as blank)." if cell.strip() else message
    )


def read_numbers(
    frame: pd.DataFrame,
    header: str,
    problems: ProblemList,
    *,
    blank: str | None,
    not_number: Callable[[str], str],
    hint: str,
    raw: pd.Series | None = None,
    cells: pd.Series | None = None,
) -> pd.Series:
    """The numbers of one column, every bad cell reported; NaN where blank or bad.

    Parameters
    ----------
    frame, header
        The table and the column as the file spells it.
    problems
        Where the problems go.
    blank
        The message for a blank cell; None when a blank cell is allowed.
    not_number
        The message for a cell that is not a number, given the cell's text.
    hint
        The fix for a blank cell or one that is not a number.
    raw
        ``text(frame[header])`` when the caller has it already (messages quote it).
    cells
        The text to parse when it differs from ``raw`` (e.g. without a trailing ``%``).

    Returns
    -------
    pandas.Series
        Floats; NaN for blank cells and for every cell reported (not a number, not finite or
        larger than ``MAX_ABS_NUMBER`` in absolute value).
    """
    raw = text(frame[header]) if raw is None else raw
    values = parse_numbers(raw if cells is None else cells)
    empty = raw == ""
    if blank is not None:
        problems.rows(empty, frame, header, blank_message(blank), hint)
    problems.rows(values.isna() & ~empty, frame, header, not_number, hint, raw)
    wild = values.notna() & ~usable_number(values)
    problems.rows(wild, frame, header, unusable_message, NUMBER_HINT, raw)
    return values.where(~wild)


def parse_counts(
    frame: pd.DataFrame, header: str, problems: ProblemList, what: str, hint: str
) -> pd.Series:
    """Whole numbers ≥ 0 (blank cells are problems); bad cells become 0 after reporting."""
    raw = text(frame[header])
    values = read_numbers(frame, header, problems, hint=hint, raw=raw,
                          blank=f"is blank; expected the number of {what} (0 if none).",
                          not_number=lambda v: f"'{v}' is not a number; expected the number "
                          f"of {what}, a whole number ≥ 0.")  # fmt: skip
    negative = values < 0
    fraction = (values % 1 != 0) & values.notna() & ~negative
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
    values = read_numbers(frame, header, problems, blank=f"is blank; expected {what}.", raw=raw,
                          not_number=lambda v: f"'{v}' is not an amount; expected {what}.",
                          hint="write the amount in yuan as a number, e.g. 128.50.")  # fmt: skip
    if not negative_ok:
        problems.rows(values < 0, frame, header,
                      lambda v: f"{v} is negative; expected {what}, 0 or more.",
                      "write the amount as a positive number.", raw)  # fmt: skip
    return values


def check_dates(
    frame: pd.DataFrame,
    header: str,
    parsed: pd.Series,
    problems: ProblemList,
    what: str,
    *,
    as_of: dt.date | None = None,
    period: pd.Series | None = None,
) -> None:
    """Report blank and unparseable date cells, and dates outside the assessment's history.

    Parameters
    ----------
    frame, header, parsed
        The table, the column as the file spells it and its parsed values.
    problems
        Where the problems go.
    what
        What the date is, e.g. "the day of the push".
    as_of
        The assessment date (``date`` in client.yaml); None means no check. A date after it
        cannot be data of the assessment; one more than :data:`HISTORY_YEARS` years before it
        is a mistyped year (``0025``) or history the report has no room for.
    period
        The start of the period each cell stands for, when that is what is compared with
        ``as_of`` (the first day of a month in a monthly table); default ``parsed``.
    """
    raw = text(frame[header])
    hint = "write dates as YYYY-MM-DD (e.g. 2025-03-01), or YYYY-MM-DD HH:MM for times."
    problems.rows(raw == "", frame, header, blank_message(f"is blank; expected {what}."), hint)
    problems.rows(parsed.isna() & (raw != ""), frame, header,
                  lambda v: f"'{v}' is not a date; expected {what}.", hint, raw)  # fmt: skip
    if as_of is None:
        return
    start = (parsed if period is None else period).dt.normalize()
    earliest = pd.Timestamp(as_of) - pd.DateOffset(years=HISTORY_YEARS)
    if period is not None:  # a month counts when any of its days is within the history
        earliest = earliest.to_period("M").start_time
    day = as_of.isoformat()
    problems.rows(
        start > pd.Timestamp(as_of),
        frame,
        header,
        lambda v: f"'{v}' is after the assessment date {day}; expected {what} on or before it.",
        "correct the date; if the data are right, the assessment date (date in client.yaml) "
        "is wrong: correct it instead.",
        raw,
    )
    problems.rows(
        start < earliest,
        frame,
        header,
        lambda v: (
            f"'{v}' is more than {HISTORY_YEARS} years before the assessment date {day}; "
            f"expected {what} within the {HISTORY_YEARS} years before it."
        ),
        f"correct the year, or leave rows older than {HISTORY_YEARS} years out of the export.",
        raw,
    )


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
