"""Last period's actuals per employee: one row per person, one column per indicator.

Columns (Chinese or English headers):

- ``employee`` / 员工编号 / 工号: an id, unique (never a name: names are not read);
- ``unit`` / 单元 / 部门 / 岗位: the scheme unit's id or name;
- ``store`` / 门店 (optional): the store, for guides;
- one column per indicator, headed by its id or its Chinese or English name, holding the actual
  for the scheme's period (shares as 0.25 or 25%): a finite number of at most
  :data:`~siyu_diag.core.checks.MAX_ABS_NUMBER` in absolute value.

Columns named 姓名 / name / 手机 / phone are ignored and never shown. Every problem is reported
at once with its spreadsheet row (the header is row 1) and column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.checks import did_you_mean
from ..core.numbers import NUMBER_HINT, unusable_message, usable_number
from ..core.tables import InputTable
from ..core.text import normalise_label
from .library import KpiLibrary
from .scheme import Scheme

#: Canonical identity columns and the headers that name them.
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "employee": ("employee", "employee_id", "员工编号", "工号", "员工", "编号"),
    "unit": ("unit", "department", "role", "单元", "部门", "岗位"),
    "store": ("store", "门店", "所属门店"),
}
#: Headers that are never read (personal data).
IGNORED = ("姓名", "name", "手机", "手机号", "phone", "mobile", "备注", "note")

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(text: str, *, percent_ok: bool = True) -> float | None:
    """A number from a cell: ``"1,200"`` → 1200, ``"25%"`` → 0.25; None when not a number."""
    value = str(text).strip().replace(",", "").replace("，", "").replace("¥", "")
    scale = 1.0
    if percent_ok and value.endswith(("%", "％")):
        value, scale = value[:-1].strip(), 0.01
    if not _NUMBER.match(value):
        return None
    return float(value) * scale


def _needed(scheme: Scheme) -> dict[str, set[str]]:
    """Indicator columns each unit needs a value in."""
    out: dict[str, set[str]] = {}
    for unit in scheme.units:
        cols = {i.kpi for i in unit.indicators}
        if unit.commission is not None:
            cols.add(unit.commission.basis)
        if unit.double_credit is not None:
            cols |= {unit.double_credit.source, unit.double_credit.into}
        out[unit.id] = cols
    return out


def load_actuals(
    path: Path, *, label: str, scheme: Scheme, library: KpiLibrary, sheet: str | None = None
) -> pd.DataFrame:
    """Read and validate the actuals file.

    Parameters
    ----------
    path
        The CSV (UTF-8, UTF-8 with BOM, GBK) or XLSX file.
    label
        Its name as written in ``client.yaml`` (used in every problem).
    scheme, library
        The validated scheme and the KPI library the columns are matched against.
    sheet
        XLSX sheet (default: the first).

    Returns
    -------
    pandas.DataFrame
        Columns ``employee``, ``unit`` (scheme unit id), ``store`` ("" when none), ``row``
        (spreadsheet row) and one float column per indicator found (NaN where blank).

    Raises
    ------
    InputError
        Every problem at once, each with file, row and column and a fix.
    """
    table = InputTable(path, label=label, sheet=sheet)
    found: dict[str, str] = {}
    kpi_cols: dict[str, str] = {}
    for header in table.headers:
        key = normalise_label(header)
        canon = next(
            (c for c, names in ID_COLUMNS.items() if key in {normalise_label(n) for n in names}),
            None,
        )
        if canon:
            found.setdefault(canon, header)
        elif (
            key in {normalise_label(n) for n in IGNORED}
            or not header
            or header.startswith("Unnamed")
        ):
            continue
        elif (kpi := library.resolve(header)) is not None:
            kpi_cols[header] = kpi
        else:
            table.header_problem(
                f"column '{header}' is neither an id column nor an indicator of the KPI library.",
                column=header,
                choices=[*ID_COLUMNS, *library.index, *(k.name.zh for k in library.kpis)],
                hint="rename it to an indicator id or name, or delete the column.",
            )
    for canon in ("employee", "unit"):
        if canon not in found:
            table.header_problem(
                f"has no '{canon}' column.",
                hint=f"add a column headed '{ID_COLUMNS[canon][0]}' (or {ID_COLUMNS[canon][2]}).",
            )
    table.raise_problems()

    units = {u.id: u.id for u in scheme.units}
    units.update({normalise_label(u.label): u.id for u in scheme.units})
    units.update({normalise_label(u.id): u.id for u in scheme.units})
    needed = _needed(scheme)
    rows = []
    for row, cells in table.rows():
        employee = cells[found["employee"]]
        unit_text = cells[found["unit"]]
        out = {"employee": employee, "row": row, "store": ""}
        if "store" in found:
            out["store"] = cells[found["store"]]
        if not employee:
            table.problem(
                "the employee id is empty.",
                row=row,
                column=found["employee"],
                hint="give every row an employee id.",
            )
        elif (first := table.first_row("employee", employee, row)) is not None:
            table.problem(
                f"employee '{employee}' also appears in row {first}.",
                row=row,
                column=found["employee"],
                hint="keep one row per employee and period.",
            )
        unit = units.get(normalise_label(unit_text)) if unit_text else None
        if unit is None:
            names = [u.id for u in scheme.units] + [u.label for u in scheme.units]
            hint = did_you_mean(unit_text, names).strip() if unit_text else ""
            table.problem(
                f"'{unit_text}' is not a unit of the scheme."
                if unit_text
                else "the unit (department or role) is missing.",
                row=row,
                column=found["unit"],
                hint=hint or f"use one of the scheme's units: {', '.join(units_list(scheme))}.",
            )
        out["unit"] = unit
        for header, kpi in kpi_cols.items():
            text = cells[header]
            if not text:
                out[kpi] = np.nan
                if unit is not None and kpi in needed[unit]:
                    table.problem(
                        f"the actual is empty, but unit '{unit}' is scored on it.",
                        row=row,
                        column=header,
                        hint="enter last period's actual (0 if there was none).",
                    )
                continue
            value = parse_number(text)
            if value is None or not usable_number(value):
                table.problem(
                    f"'{text}' is not a number." if value is None else unusable_message(text),
                    row=row,
                    column=header,
                    hint="write a plain number such as 1200 or 25%."
                    if value is None
                    else NUMBER_HINT,
                )
                value = np.nan
            out[kpi] = value
        rows.append(out)
    if rows:
        present = set(kpi_cols.values())
        for unit_id, cols in needed.items():
            if not any(r["unit"] == unit_id for r in rows):
                continue
            for kpi in sorted(cols - present):
                table.header_problem(
                    f"there is no column for indicator '{kpi}', which unit '{unit_id}' is "
                    "scored on.",
                    hint=f"add a column headed '{kpi}' ({library.index[kpi].name.zh}).",
                )
    else:
        table.problem("has no data rows.", hint="add one row per employee.")
    table.raise_problems()
    columns = ["employee", "unit", "store", "row", *dict.fromkeys(kpi_cols.values())]
    return pd.DataFrame(rows, columns=columns)


def units_list(scheme: Scheme) -> list[str]:
    """The scheme's unit ids, for hints."""
    return [u.id for u in scheme.units]
