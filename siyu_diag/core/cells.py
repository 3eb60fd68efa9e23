"""Spreadsheet safety for every workbook the package writes (OWASP "CSV injection").

Names typed by users (a brand, a channel, a unit, an employee, a question's wording) end up in
workbooks that finance and HR open. openpyxl turns a string that starts with ``=`` into a live
formula, and Excel or LibreOffice act on text starting with ``+``, ``-``, ``@``, a tab or a
carriage return when it is pasted or re-saved as CSV. Every value from user input therefore goes
through :func:`safe_cell` (a number stays a number, text that could start a formula gets a
leading ``'``) and is written with :func:`write_cell` or :func:`append_row`, which also pin the
cell's data type to text. :func:`safe_sheet_title` makes a name a valid, unique sheet title.

The package writes no formulas of its own into cells; the drop-down lists' sources are data
validations, not cell values, and are not touched here.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from collections.abc import Iterable, MutableSet
from typing import Any

import numpy as np
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

#: Text starting with one of these is prefixed with :data:`QUOTE` (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: The prefix that makes spreadsheet software read a cell as text.
QUOTE = "'"
#: Excel's limit on a sheet title, in UTF-16 code units.
SHEET_TITLE_MAX = 31
#: Characters Excel does not allow in a sheet title.
_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
#: Titles Excel reserves for itself (compared case-insensitively).
_RESERVED_TITLES = frozenset({"history"})
_TIME_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def safe_text(text: str) -> str:
    """Text that a spreadsheet shows as text and never evaluates.

    Characters a workbook cannot hold (ASCII control characters other than tab, line feed and
    carriage return) are removed; then text starting with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return gets a leading single quote.

    Parameters
    ----------
    text
        Any text, typically a name typed by a user.

    Returns
    -------
    str
        ``text`` itself when it is harmless, else ``"'" + text`` (without illegal characters).

    Examples
    --------
    >>> safe_text("=1+1")
    "'=1+1"
    >>> safe_text("门店导购")
    '门店导购'
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return QUOTE + text if text.startswith(FORMULA_PREFIXES) else text


def safe_cell(value: Any) -> Any:
    """A cell value that is a number, a date, a boolean, empty, or safe text; never a formula.

    Parameters
    ----------
    value
        The value to write. NumPy scalars are converted to their Python value first.

    Returns
    -------
    Any
        ``None`` for ``None``; the value itself for a boolean, a number (``int``, ``float``,
        ``Decimal`` and any other :class:`numbers.Number`) or a date, time or duration; otherwise
        :func:`safe_text` of its text.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, numbers.Number, *_TIME_TYPES)):
        return value
    return safe_text(value)


def set_safe_value(cell: Cell, value: Any) -> Cell:
    """Give ``cell`` the value :func:`safe_cell` makes of ``value``, typed as text if text.

    openpyxl infers a formula from a leading ``=`` and an error from ``#N/A`` and its kind;
    the data type of a text value is set to ``"s"`` (string) explicitly.

    Parameters
    ----------
    cell
        The cell to fill.
    value
        Its value, typically from user input.

    Returns
    -------
    Cell
        ``cell``, for styling.
    """
    cell.value = safe_cell(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write one value safely (see :func:`set_safe_value`) at ``row``, ``column`` of ``ws``.

    Parameters
    ----------
    ws
        The worksheet.
    row, column
        1-based coordinates.
    value
        The value; ``None`` empties the cell.

    Returns
    -------
    Cell
        The written cell, for styling.
    """
    return set_safe_value(ws.cell(row=row, column=column), value)


def append_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """Append one row below the last one of ``ws``, every value written safely.

    Parameters
    ----------
    ws
        The worksheet.
    values
        The row's values, from the first column on.
    """
    ws.append([set_safe_value(Cell(ws), value) for value in values])


def _utf16_clip(text: str, limit: int) -> str:
    """The longest prefix of ``text`` with at most ``limit`` UTF-16 code units."""
    out, used = [], 0
    for ch in text:
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            break
        out.append(ch)
    return "".join(out)


def _tidy(text: str) -> str:
    """Strip spaces and the single quotes a title may neither start nor end with."""
    while True:
        tidy = text.strip().strip(QUOTE)
        if tidy == text:
            return text
        text = tidy


def safe_sheet_title(name: Any, taken: MutableSet[str], *, fallback: str = "Sheet") -> str:
    r"""A valid sheet title for ``name``, unique in the workbook, and record it in ``taken``.

    The title is ``name`` with the characters ``[ ] : * ? / \`` and control characters
    removed, surrounding spaces and single quotes stripped, an ``_`` put before a leading
    ``=``, ``+``, ``-`` or ``@``, and cut to 31 characters (Excel's limit). When the result is
    empty, ``fallback`` is used. When it is already in ``taken`` (compared case-insensitively,
    as Excel does) or is Excel's reserved ``History``, ``-2``, ``-3``, … is appended, the name
    being shortened so that the title stays within 31 characters. Chinese and other text is
    kept as it is.

    Parameters
    ----------
    name
        The wanted title, typically a name typed by a user.
    taken
        The titles already in the workbook; the returned title is added to it.
    fallback
        The title used when nothing of ``name`` is left.

    Returns
    -------
    str
        The title.

    Examples
    --------
    >>> taken = {"Summary"}
    >>> safe_sheet_title("summary", taken)
    'summary-2'
    >>> safe_sheet_title("Sales/[Q1]:*?", taken)
    'SalesQ1'
    """
    base = _tidy(_TITLE_ILLEGAL.sub("", "" if name is None else str(name)))
    if base.startswith(FORMULA_PREFIXES):
        base = "_" + base
    base = _tidy(_utf16_clip(base, SHEET_TITLE_MAX)) or fallback
    used = {t.casefold() for t in taken} | _RESERVED_TITLES
    title, n = base, 2
    while title.casefold() in used:
        suffix = f"-{n}"
        title = _tidy(_utf16_clip(base, SHEET_TITLE_MAX - len(suffix))) + suffix
        n += 1
    taken.add(title)
    return title
