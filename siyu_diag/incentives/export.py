"""The KPI sheets for HR as an XLSX workbook: one sheet per unit, plus a summary sheet.

Each unit's sheet has a header block (brand, scheme, unit, people, pay) and the indicator table:
indicator, definition, formula, unit, weight, target, scoring rule, horizon, family; vetoes come
last with no weight. Headers are frozen, columns sized, long texts wrapped, weights and targets
formatted by their unit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..core import vocab
from ..core.atomic import save_workbook_atomic
from ..core.cells import safe_sheet_title, write_cell
from ..core.errors import InputError, Problem
from ..core.fragments import label
from .chapter import IncentivesChapter
from .scheme import Scheme, SchemeUnit
from .wording import rule_text

_FILL = PatternFill("solid", fgColor="16325C")
_BAND = PatternFill("solid", fgColor="EEF3FA")
_WHITE = Font(bold=True, color="FFFFFF")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14, color="16325C")
_LINE = Border(bottom=Side(style="thin", color="C3CCD7"))
_WRAP = Alignment(wrap_text=True, vertical="top")
_COLUMNS = (
    ("incentives_indicator", 22),
    ("incentives_definition", 46),
    ("incentives_formula", 34),
    ("incentives_unit_of", 10),
    ("incentives_weight", 9),
    ("incentives_target", 14),
    ("incentives_rule", 34),
    ("incentives_horizon", 16),
    ("incentives_family", 12),
)
_FORMATS = {"share": "0.0%", "cny": "#,##0", "people": "#,##0", "count": "#,##0"}


def _unit_sheet(wb: Workbook, ch: IncentivesChapter, unit: SchemeUnit, scheme: Scheme,
                title: str, taken: set[str]) -> None:  # fmt: skip
    lang = ch.lang
    # every cell is written through write_cell (text or numbers, never formulas) and the
    # unit's label becomes a valid, unique sheet title: both come from the client's files
    ws = wb.create_sheet(safe_sheet_title(unit.label, taken, fallback="unit"))
    write_cell(ws, 1, 1, f"{ch.client.config.brand} · {title}").font = _TITLE
    facts = [
        (label("incentives_unit", lang), unit.label),
        (label("incentives_headcount", lang), unit.headcount),
        (label("incentives_xlsx_period", lang), label(f"incentives_period_{scheme.period}", lang)),
        (label("incentives_base", lang), unit.pay.base_monthly),
        (label("incentives_bonus", lang), unit.pay.bonus_target),
        (label("incentives_annual", lang), unit.pay.annual_share),
    ]
    for i, (key, value) in enumerate(facts, start=2):
        write_cell(ws, i, 1, key).font = _BOLD
        cell = write_cell(ws, i, 2, value)
        if isinstance(value, float):
            cell.number_format = "#,##0"
        cell.alignment = Alignment(horizontal="left")
    head = len(facts) + 3
    for j, (key, width) in enumerate(_COLUMNS, start=1):
        cell = write_cell(ws, head, j, label(key, lang))
        cell.font, cell.fill = _WHITE, _FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    row = head
    ordered = [*unit.weighted, *unit.vetoes]
    for ind in ordered:
        row += 1
        kpi = ch.library.index[ind.kpi]
        values = [
            kpi.name.get(lang),
            kpi.definition.get(lang),
            kpi.formula.get(lang),
            label(f"incentives_unit_{kpi.unit}", lang),
            None if ind.is_veto else ind.weight / 100,
            ind.target if ind.target is not None else label("incentives_target_to_set", lang),
            rule_text(ind, kpi, lang),
            label(f"incentives_horizon_{kpi.horizon}", lang),
            label(f"incentives_family_{kpi.family}", lang),
        ]
        for j, value in enumerate(values, start=1):
            cell = write_cell(ws, row, j, value)
            cell.alignment, cell.border = _WRAP, _LINE
            if (row - head) % 2 == 0:
                cell.fill = _BAND
        ws.cell(row=row, column=5).number_format = "0%"
        if ind.target is not None:
            ws.cell(row=row, column=6).number_format = _FORMATS.get(kpi.unit, "General")
    row += 1
    write_cell(ws, row, 4, label("incentives_total", lang)).font = _BOLD
    total = write_cell(ws, row, 5, sum(i.weight or 0 for i in unit.weighted) / 100)
    total.font, total.number_format = _BOLD, "0%"


def export_kpi_sheets_xlsx(
    chapter: IncentivesChapter,
    path: str | Path,
    *,
    which: Literal["recommended", "current"] = "recommended",
) -> Path | None:
    """Write the KPI sheets for HR: a summary sheet and one sheet per unit.

    Parameters
    ----------
    chapter
        An opened incentive chapter.
    path
        Where to write the ``.xlsx`` (atomically); an empty path writes nothing.
    which
        ``"recommended"`` (the proposed scheme, the default) or ``"current"``.

    Returns
    -------
    Path or None
        The file written; None when ``path`` is empty or the chapter is not available.
    """
    if which not in ("recommended", "current"):
        raise InputError(
            Problem(
                f"which must be one of ['recommended', 'current'], but {which!r} was passed.",
                key="which",
            )
        )
    if not path or not chapter.available:
        return None
    lang = chapter.lang
    scheme = chapter.scheme if which == "current" else chapter.analysis.recommendation.scheme
    title = label(f"incentives_xlsx_{which}", lang)
    wb = Workbook()
    summary = wb.active
    taken: set[str] = set()
    summary.title = safe_sheet_title(label("incentives_xlsx_summary", lang), taken)
    write_cell(summary, 1, 1, f"{chapter.client.config.brand} · {title}").font = _TITLE
    heads = ["incentives_unit", "department", "incentives_level", "incentives_headcount",
             "incentives_base", "incentives_bonus", "incentives_annual"]  # fmt: skip
    for j, key in enumerate(heads, start=1):
        cell = write_cell(summary, 3, j, label(key, lang))
        cell.font, cell.fill = _WHITE, _FILL
        summary.column_dimensions[get_column_letter(j)].width = 18
    for i, u in enumerate(scheme.units, start=4):
        values = [u.label, vocab.departments().name(u.department, lang),
                  label(f"incentives_level_{u.level}", lang), u.headcount, u.pay.base_monthly,
                  u.pay.bonus_target, u.pay.annual_share]  # fmt: skip
        for j, value in enumerate(values, start=1):
            cell = write_cell(summary, i, j, value)
            if j >= 5:
                cell.number_format = "#,##0"
    summary.freeze_panes = "A4"
    for unit in scheme.units:
        _unit_sheet(wb, chapter, unit, scheme, title, taken)
    return save_workbook_atomic(wb, path)
