"""Read the scheme workbook HR filled in (the layout is in :mod:`.sheets`).

:func:`read_scheme_workbook` turns a filled workbook into the same plain data as
``incentives.yaml`` and remembers the sheet, row and column of every value, so that problems
point at cells. Sheet names and headers are accepted in Chinese or English; choice cells accept
the Chinese labels of the template or the English ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.checks import did_you_mean
from ..core.errors import InputError, Problem
from ..core.tables import open_workbook
from ..core.text import normalise_label
from .library import KpiLibrary
from .scheme import Scheme
from .sheets import (
    AWARDS,
    GRADES,
    GUIDE_KEYS,
    INDICATORS,
    SETTINGS,
    STORES,
    TIERS,
    UNITS,
    Sheet,
    cell_value,
)
from .validation import parse_scheme


class _Reader:
    """Reads the sheets of one workbook, remembering where each value came from."""

    def __init__(self, path: Path, label: str):
        self.label = label
        self.where: dict[tuple, tuple[str, int, str]] = {}
        self.problems: list[Problem] = []
        self.book = open_workbook(path, label=label)

    def rows(self, sheet: Sheet) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
        """``(row, values by key, header by key)`` for every non-blank row of ``sheet``."""
        names = {normalise_label(n): n for n in self.book.sheetnames}
        found = names.get(normalise_label(sheet.zh)) or names.get(normalise_label(sheet.en))
        if found is None:
            if sheet.required:
                self.problems.append(
                    Problem(
                        f"has no sheet '{sheet.zh}' (or '{sheet.en}').",
                        file=self.label,
                        hint="start from the template made by write_scheme_template().",
                    )
                )
            return []
        ws = self.book[found]
        grid = [
            ["" if v is None else str(v).strip() for v in row]
            for row in ws.iter_rows(values_only=True)
        ]
        if not grid:
            return []
        headers = grid[0]
        by_header = {}
        for c in sheet.columns:
            by_header[normalise_label(c.zh)] = c
            by_header[normalise_label(c.en)] = c
        index: dict[str, tuple[int, str]] = {}
        for j, h in enumerate(headers):
            col = by_header.get(normalise_label(h))
            if col is not None:
                index[col.key] = (j, h)
            elif h:
                known = [c.header(lang) for c in sheet.columns for lang in ("zh", "en")]
                self.problems.append(
                    Problem(
                        f"sheet '{found}': unknown column '{h}'.",
                        file=self.label,
                        row=1,
                        column=h,
                        hint=did_you_mean(h, known).strip() or "delete the column.",
                    )
                )
        out = []
        for i, raw in enumerate(grid[1:], start=2):
            values, headers_of = {}, {}
            for c in sheet.columns:
                headers_of[c.key] = index[c.key][1] if c.key in index else c.zh
                if c.key not in index:
                    continue
                j = index[c.key][0]
                text = raw[j] if j < len(raw) else ""
                text = text[:-2] if text.endswith(".0") and c.kind != "text" else text
                if text:
                    values[c.key] = cell_value(text, c)
            if values:
                out.append((i, values, {"__sheet__": found, **headers_of}))
        return out

    def remember(self, loc: tuple, row: int, headers: dict[str, str], key: str) -> None:
        """Record the cell of ``loc``."""
        if key == "__sheet__":
            return
        self.where[loc] = (headers["__sheet__"], row, headers.get(key, key))

    def locate(self, loc: tuple) -> tuple[str, int, str] | None:
        """The cell of a key path, or of its closest recorded parent."""
        clean = tuple(p for p in loc if p not in ("linear", "threshold", "step", "veto"))
        for n in range(len(clean), 0, -1):
            if clean[:n] in self.where:
                return self.where[clean[:n]]
        return None


_UNIT_PATHS = {
    "base_monthly": ("pay", "base_monthly"),
    "bonus_target": ("pay", "bonus_target"),
    "annual_share": ("pay", "annual_share"),
    "commission_basis": ("commission", "basis"),
    "commission_method": ("commission", "method"),
    "double_credit_source": ("double_credit", "source"),
    "double_credit_into": ("double_credit", "into"),
    "double_credit_share": ("double_credit", "share"),
}
_RULE_KEYS = ("cap", "floor", "at", "steps", "limit", "forfeit")


def _unit_from_row(values: dict[str, Any]) -> dict[str, Any]:
    unit = {k: values[k] for k in ("id", "name", "department", "level", "headcount") if k in values}
    unit["id"] = str(unit.get("id", ""))
    pay = {k: values[k] for k in ("base_monthly", "bonus_target", "annual_share") if k in values}
    if pay:
        unit["pay"] = pay
    if "commission_basis" in values:
        unit["commission"] = {"basis": values["commission_basis"], "tiers": []}
        if "commission_method" in values:
            unit["commission"]["method"] = values["commission_method"]
    if "double_credit_source" in values or "double_credit_into" in values:
        unit["double_credit"] = {
            _UNIT_PATHS[k][1]: values[k]
            for k in ("double_credit_source", "double_credit_into", "double_credit_share")
            if k in values
        }
    unit["indicators"] = []
    return unit


class _Builder:
    """Builds the raw scheme from the sheets of a workbook."""

    def __init__(self, reader: _Reader):
        self.r = reader
        self.raw: dict[str, Any] = {"units": []}
        self.units: dict[str, dict[str, Any]] = {}

    def problem(self, headers: dict[str, str], row: int, key: str, message: str, hint: str):
        self.r.problems.append(
            Problem(
                f"sheet '{headers['__sheet__']}': {message}",
                file=self.r.label,
                row=row,
                column=headers.get(key, key),
                hint=hint,
            )
        )

    def settings(self) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        for row, values, headers in self.r.rows(SETTINGS):
            settings.update(values)
            for key in headers:
                if key in values:
                    path = ("shopping_guides", key) if key in GUIDE_KEYS else (key,)
                    path = ("shopping_guides", "unit") if key == "guide_unit" else path
                    self.r.remember(path, row, headers, key)
        self.raw.update({k: settings[k] for k in ("name", "period", "gmv") if k in settings})
        return settings

    def unit_rows(self) -> None:
        for row, values, headers in self.r.rows(UNITS):
            ui = len(self.raw["units"])
            unit = _unit_from_row(values)
            self.r.remember(("units", ui), row, headers, "id")
            for key in headers:
                if key != "__sheet__":
                    self.r.remember(("units", ui, *_UNIT_PATHS.get(key, (key,))), row, headers, key)
            self.raw["units"].append(unit)
            if not unit["id"]:
                self.problem(
                    headers,
                    row,
                    "id",
                    "the unit id is missing.",
                    "give each unit a short id such as growth or guide.",
                )
            elif unit["id"] in self.units:
                self.problem(
                    headers,
                    row,
                    "id",
                    f"unit id '{unit['id']}' is used twice.",
                    "give each unit its own id.",
                )
            else:
                self.units[unit["id"]] = {"index": ui, "row": row, "unit": unit}

    def owner(self, values: dict[str, Any], row: int, headers: dict[str, str]):
        uid = str(values.get("unit", ""))
        ids = list(self.units)
        if not uid:
            self.problem(
                headers,
                row,
                "unit",
                "the unit id is missing.",
                f"write one of the unit ids of sheet '{UNITS.zh}': {', '.join(ids)}.",
            )
            return None
        if uid not in self.units:
            hint = did_you_mean(uid, ids).strip() or f"add it to sheet '{UNITS.zh}' first."
            self.problem(headers, row, "unit", f"there is no unit '{uid}'.", hint)
            return None
        return self.units[uid]

    def indicator_rows(self) -> None:
        for row, values, headers in self.r.rows(INDICATORS):
            entry = self.owner(values, row, headers)
            if entry is None:
                continue
            ind = {k: values[k] for k in ("kpi", "weight", "target", "target_per") if k in values}
            ind["rule"] = {"type": values.get("rule", "linear")}
            ind["rule"].update({k: values[k] for k in _RULE_KEYS if k in values})
            base = ("units", entry["index"], "indicators", len(entry["unit"]["indicators"]))
            entry["unit"]["indicators"].append(ind)
            self.r.remember(base, row, headers, "kpi")
            for key in headers:
                if key == "rule":
                    self.r.remember((*base, "rule", "type"), row, headers, key)
                elif key != "__sheet__":
                    path = ("rule", key) if key in _RULE_KEYS else (key,)
                    self.r.remember((*base, *path), row, headers, key)

    def tier_rows(self) -> None:
        for row, values, headers in self.r.rows(TIERS):
            entry = self.owner(values, row, headers)
            if entry is None:
                continue
            commission = entry["unit"].get("commission")
            if commission is None:
                self.problem(
                    headers,
                    row,
                    "unit",
                    f"unit '{values['unit']}' has tiers but no commission basis.",
                    f"fill its '{UNITS.columns[8].zh}' in sheet '{UNITS.zh}'.",
                )
                continue
            base = ("units", entry["index"], "commission", "tiers", len(commission["tiers"]))
            commission["tiers"].append(
                {k: values[k] for k in ("from", "rate", "per_unit") if k in values}
            )
            self.r.remember(base, row, headers, "from")
            for key in headers:
                self.r.remember((*base, key), row, headers, key)

    def list_rows(self, sheet: Sheet, path: tuple) -> list[dict[str, Any]]:
        items = []
        for row, values, headers in self.r.rows(sheet):
            self.r.remember((*path, len(items)), row, headers, sheet.columns[0].key)
            for key in headers:
                self.r.remember((*path, len(items), key), row, headers, key)
            items.append(values)
        return items

    def build(self) -> dict[str, Any]:
        settings = self.settings()
        self.unit_rows()
        self.indicator_rows()
        self.tier_rows()
        for key, sheet in (("grades", GRADES), ("awards", AWARDS)):
            items = self.list_rows(sheet, (key,))
            if items:
                self.raw[key] = items
        stores = self.list_rows(STORES, ("shopping_guides", "stores"))
        guide = {k: settings[k] for k in GUIDE_KEYS if k in settings}
        if stores or guide:
            self.raw["shopping_guides"] = {**guide, "stores": stores}
            if "guide_unit" in settings:
                self.raw["shopping_guides"]["unit"] = settings["guide_unit"]
        for info in self.units.values():
            if not info["unit"]["indicators"]:
                self.r.problems.append(
                    Problem(
                        f"sheet '{UNITS.zh}': unit '{info['unit']['id']}' has no indicator.",
                        file=self.r.label,
                        row=info["row"],
                        column=self.r.where[("units", info["index"])][2],
                        hint=f"add its indicators in sheet '{INDICATORS.zh}'.",
                    )
                )
        return self.raw


def read_scheme_workbook(path: Path, *, label: str, library: KpiLibrary) -> Scheme:
    """Read and validate a filled scheme workbook.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    label
        Its name as written in ``client.yaml``.
    library
        The KPI library indicator names are resolved against.

    Returns
    -------
    Scheme

    Raises
    ------
    InputError
        Every problem at once, each with sheet, row and column and a fix.
    """
    reader = _Reader(path, label)
    raw = _Builder(reader).build()

    def where(p: Problem) -> tuple:
        return (p.row, p.column, p.message.split(":")[0])

    seen = {where(p) for p in reader.problems}
    try:
        scheme = parse_scheme(raw, label=label, library=library, locate=reader.locate)
    except InputError as exc:
        extra = [p for p in exc.problems if p.row is None or where(p) not in seen]
        raise InputError(reader.problems + extra) from None
    if reader.problems:
        raise InputError(reader.problems)
    return scheme
