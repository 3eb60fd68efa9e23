"""Read the tables users export: CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, and XLSX.

Every chapter reads its CSV/XLSX inputs through :func:`read_table`: all cells as text, headers
stripped of a BOM and spaces, so that validation sees exactly what the user typed.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

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


def read_table(path: Path, *, label: str, sheet: str | None = None) -> pd.DataFrame:
    """Read a CSV (any supported encoding) or XLSX file as strings, headers untouched."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text, _ = _read_text(path, label)
            # Blank lines are kept (and dropped later) so that rows keep their spreadsheet numbers.
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False
            )
        elif suffix in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=object, keep_default_na=False)
            frame = frame.map(_cell_text)
        else:
            raise InputError(
                Problem(
                    f"has the extension '{suffix}'; expected .csv or .xlsx.",
                    file=label,
                    hint="export the questionnaire as CSV or XLSX.",
                )
            )
    except (pd.errors.ParserError, ValueError, OSError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            Problem(
                f"cannot be read as a table: {exc}",
                file=label,
                hint="open it in a spreadsheet program and save it again as CSV or XLSX.",
            )
        ) from None
    frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    return frame


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
