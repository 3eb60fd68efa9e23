"""Read the tables users export: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, and XLSX.

Every chapter reads its CSV/XLSX inputs through :func:`read_table`: all cells as text, headers
stripped of a BOM and spaces, so that validation sees exactly what the user typed. A reader that
checks a table row by row opens it as an :class:`InputTable`, which numbers the rows as a
spreadsheet does, skips blank ones, finds repeated keys and collects every problem, located by
file, row and column, to raise them all at once.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .checks import did_you_mean
from .errors import InputError, Problem


def _read_text(path: Path, label: str) -> tuple[str, str]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputError(
        Problem(
            "is neither UTF-8 nor GBK/GB18030 text.",
            file=label,
            hint="export the survey again as CSV (UTF-8) or as XLSX.",
        )
    )


#: The first bytes of an XLSX workbook (a zip archive), and of an OLE2 compound file: an
#: encrypted (password-protected) workbook or a legacy .xls.
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_workbook(path: Path, *, label: str) -> Any:
    """Open an XLSX workbook read-only (values, not formulas) or say why it cannot be read.

    Parameters
    ----------
    path
        The workbook.
    label
        Its name as the user gave it.

    Raises
    ------
    InputError
        When the file is encrypted, a legacy .xls, not a workbook at all, or damaged.
    """
    import openpyxl

    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        raise InputError(
            Problem(
                "is password-protected (encrypted) or an old-format .xls workbook; neither "
                "can be read.",
                file=label,
                hint="open it in Excel or WPS, remove the password, and save it as .xlsx.",
            )
        )
    if not head.startswith(_ZIP_MAGIC):
        raise InputError(
            Problem(
                "is not an XLSX workbook (its content is not a spreadsheet).",
                file=label,
                hint="export the data again as .xlsx, or as .csv and rename it accordingly.",
            )
        )
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception:  # noqa: BLE001 - a damaged archive fails in many ways, all the user's
        raise InputError(
            Problem(
                "is damaged or incomplete (the workbook cannot be opened).",
                file=label,
                hint="copy or download the file again; if that fails, save it again from "
                "Excel or WPS as .xlsx.",
            )
        ) from None


def _sheet(book: Any, sheet: str | None, label: str, sheet_key: str | None) -> str | int:
    if not sheet:
        return 0
    if sheet in book.sheetnames:
        return sheet
    where = f" (named by {sheet_key} in client.yaml)" if sheet_key else ""
    raise InputError(
        Problem(
            f"has no sheet '{sheet}'{where}; its sheets are: {', '.join(book.sheetnames)}.",
            file=label,
            key=sheet_key,
            hint=(did_you_mean(sheet, book.sheetnames).strip() or "name one of those sheets."),
        )
    )


def _csv_problem(exc: pd.errors.ParserError, label: str) -> Problem:
    """The CSV reader's complaint in this tool's words (the row as a spreadsheet numbers it)."""
    found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
    if found:
        return _row_problem(*(int(g) for g in found.groups()), label=label)
    return Problem(
        "cannot be read as CSV (a quote is probably not closed).",
        file=label,
        hint="check the quotes in the file, or export it again.",
    )


def _row_problem(expected: int, row: int, saw: int, *, label: str) -> Problem:
    return Problem(
        f"this row has {saw} cells but the header row has {expected}.",
        file=label,
        row=row,
        hint="a cell probably holds an unquoted comma: put that cell in double quotes, "
        "or export the file again.",
    )


def _long_row(text: str, label: str) -> Problem:
    """The first row with more cells than the header (looked for only when there is one)."""
    rows = csv.reader(io.StringIO(text))
    width = len(next(rows))
    for number, cells in enumerate(rows, start=2):
        if len(cells) > width:
            return _row_problem(width, number, len(cells), label=label)
    return _csv_problem(pd.errors.ParserError(""), label)


def read_table(
    path: Path, *, label: str, sheet: str | None = None, sheet_key: str | None = None
) -> pd.DataFrame:
    """Read a CSV (any supported encoding) or XLSX file as strings, headers untouched.

    Parameters
    ----------
    path
        The file.
    label
        Its name as the user gave it.
    sheet
        The XLSX sheet to read (default: the first).
    sheet_key
        The key of ``client.yaml`` that names ``sheet``, for the message when it is missing.

    Raises
    ------
    InputError
        When the file cannot be read as a table (with the reason and a fix).
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text, _ = _read_text(path, label)
        try:
            # Blank lines are kept (and dropped later) so that rows keep their spreadsheet numbers;
            # a row longer than the header is an error, never a silent shift of the columns.
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(
                    io.StringIO(text),
                    dtype=str,
                    keep_default_na=False,
                    skip_blank_lines=False,
                    index_col=False,
                )
        except pd.errors.ParserWarning:
            raise InputError(_long_row(text, label)) from None
        except pd.errors.EmptyDataError:
            raise InputError(
                Problem("is empty.", file=label, hint="export the data again, with its header.")
            ) from None
        except pd.errors.ParserError as exc:
            raise InputError(_csv_problem(exc, label)) from None
    elif suffix in (".xlsx", ".xlsm"):
        book = open_workbook(path, label=label)
        try:
            name = _sheet(book, sheet, label, sheet_key)
            frame = pd.read_excel(book, sheet_name=name, dtype=object, keep_default_na=False)
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - a damaged sheet fails in many ways, all the user's
            raise InputError(
                Problem(
                    "is damaged or incomplete (a sheet cannot be read).",
                    file=label,
                    hint="save it again from Excel or WPS as .xlsx.",
                )
            ) from None
        finally:
            book.close()
        frame = frame.map(_cell_text)
    else:
        raise InputError(
            Problem(
                f"has the extension '{suffix}'; expected .csv or .xlsx.",
                file=label,
                hint="export the data as CSV or XLSX.",
            )
        )
    frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    return frame


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class InputTable:
    """A table read for validation: its headers, its rows as text and the problems found in it.

    Parameters
    ----------
    path, label, sheet, sheet_key
        As for :func:`read_table`; ``label`` (the file's name as the user gave it) is the file of
        every problem.

    Attributes
    ----------
    frame : pandas.DataFrame
        The table as :func:`read_table` reads it.
    problems : list of Problem
        The problems found so far, in the order found.
    """

    def __init__(
        self, path: Path, *, label: str, sheet: str | None = None, sheet_key: str | None = None
    ):
        self.label = label
        self.frame = read_table(path, label=label, sheet=sheet, sheet_key=sheet_key)
        self.problems: list[Problem] = []
        self._first: dict[tuple[str, str], int] = {}

    @property
    def headers(self) -> list[str]:
        """The headers as the file spells them, in its order."""
        return list(self.frame.columns)

    def problem(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Record a problem of this file (``row`` as the spreadsheet numbers it)."""
        self.problems.append(Problem(message, file=self.label, row=row, column=column, hint=hint))

    def header_problem(
        self,
        message: str,
        *,
        hint: str,
        column: str | None = None,
        choices: Sequence[str] = (),
    ) -> None:
        """Record a problem of the header row (row 1).

        With ``choices``, the hint is the one closest to ``column`` (the header as written)
        when one is close enough, else ``hint``.
        """
        if choices:
            hint = did_you_mean(str(column), choices).strip() or hint
        self.problem(message, row=1, column=column, hint=hint)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row holding anything: its spreadsheet number (header = row 1) and its cells.

        The cells are ``{header: text}``, stripped of surrounding spaces; a row whose cells are
        all empty is skipped (its number is not reused).
        """
        for i, record in enumerate(self.frame.to_dict("records")):
            cells = {header: str(value).strip() for header, value in record.items()}
            if any(cells.values()):
                yield i + 2, cells

    def first_row(self, column: str, value: str, row: int) -> int | None:
        """The earlier row holding ``value`` in ``column``, if any; else ``row`` becomes its first.

        A key column (one row per key) reports ``value`` as repeated when this is not None.
        """
        first = self._first.setdefault((column, value), row)
        return None if first == row else first

    def raise_problems(self) -> None:
        """Raise every problem recorded so far, at once; nothing when there is none.

        Raises
        ------
        InputError
            With :attr:`problems`.
        """
        if self.problems:
            raise InputError(self.problems)
