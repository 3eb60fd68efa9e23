"""Export the plan as an XLSX workbook that finance can read.

Three sheets, in the chapter's language: *assumptions* (every driver with its value, range, unit
and source; fixed costs; last year's figures), *monthly* (the full monthly table, new users and
marketing cost per channel included) and *annual* (plan years with ROI, ROAS and the source
ratio, each named). Headers name the unit, numbers carry number formats, the header row is
frozen and columns are sized to their content. The file is written through a temporary file
and renamed, so a failed export leaves no half-written workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..core.atomic import save_workbook_atomic
from ..core.cells import append_row
from ..core.fragments import label
from . import drivers as drv
from .chapter import PlanChapter
from .render_common import driver_label

_FORMATS = {
    "pct": "0.00%",
    "money": "#,##0",
    "price": "#,##0.00",
    "int": "#,##0",
    "num": "0.00",
    "num1": "General",  # a headcount: 4, 2.5 (as the report shows it)
    "text": "@",
}
_HEADER_FILL = PatternFill("solid", fgColor="16325C")
_HEADER_FONT = Font(bold=True, color="FFFFFF")

_TEXT = {
    "assumptions": {"zh": "假设", "en": "Assumptions"},
    "monthly": {"zh": "月度", "en": "Monthly"},
    "annual": {"zh": "年度", "en": "Annual"},
    "driver_id": {"zh": "驱动因素代码", "en": "Driver id"},
    "driver": {"zh": "驱动因素", "en": "Driver"},
    "value": {"zh": "取值", "en": "Value"},
    "low": {"zh": "区间低值", "en": "Low"},
    "high": {"zh": "区间高值", "en": "High"},
    "unit": {"zh": "单位", "en": "Unit"},
    "source": {"zh": "来源", "en": "Source"},
    "month": {"zh": "计划月", "en": "Plan month"},
    "label": {"zh": "月份", "en": "Month"},
    "year": {"zh": "计划年", "en": "Plan year"},
    "people": {"zh": "人", "en": "people"},
    "cny": {"zh": "元", "en": "CNY"},
}

#: Monthly sheet: (column of Projection.monthly, zh header, en header, unit key, format).
_MONTHLY = (
    ("new_users", "新增用户", "New users", "people", "int"),
    ("lost_users", "流失用户", "Lost users", "people", "int"),
    ("existing_users", "存量用户", "Existing users", "people", "int"),
    ("total_users", "月末用户", "Users at month end", "people", "int"),
    ("gmv_new", "新客 GMV", "GMV from new users", "cny", "money"),
    ("gmv_returning", "老客 GMV", "GMV from returning users", "cny", "money"),
    ("gmv", "GMV", "GMV", "cny", "money"),
    ("gross_profit", "毛利", "Gross profit", "cny", "money"),
    ("marketing_cost", "营销费用", "Marketing cost", "cny", "money"),
    ("salaries", "人员成本", "Salaries", "cny", "money"),
    ("bonus", "奖金", "Bonus", "cny", "money"),
    ("commission", "提成", "Commission", "cny", "money"),
    ("organisation_cost", "组织成本合计", "Organisation cost", "cny", "money"),
    ("fixed_cost", "固定成本摊销", "Fixed cost (amortised)", "cny", "money"),
    ("total_cost", "运营成本合计", "Operating cost", "cny", "money"),
    ("contribution", "贡献", "Contribution", "cny", "money"),
    ("profit", "利润", "Profit", "cny", "money"),
    ("cumulative_profit", "累计利润", "Cumulative profit", "cny", "money"),
    ("cac", "获客成本", "Acquisition cost per new user", "cny", "price"),
)

#: Annual sheet columns.
_ANNUAL = (
    ("months", "月数", "Months", None, "int"),
    ("new_users", "新增用户", "New users", "people", "int"),
    ("user_months", "存量用户·月", "Existing user-months", None, "int"),
    ("end_users", "年末用户", "Users at year end", "people", "int"),
    ("gmv", "GMV", "GMV", "cny", "money"),
    ("gmv_new", "新客 GMV", "GMV from new users", "cny", "money"),
    ("gmv_returning", "老客 GMV", "GMV from returning users", "cny", "money"),
    ("marketing_cost", "营销费用", "Marketing cost", "cny", "money"),
    ("organisation_cost", "组织成本", "Organisation cost", "cny", "money"),
    ("fixed_cost", "固定成本摊销", "Fixed cost (amortised)", "cny", "money"),
    ("total_cost", "运营成本", "Operating cost", "cny", "money"),
    ("profit", "利润", "Profit", "cny", "money"),
    ("roi", "ROI（利润÷成本）", "ROI (profit ÷ cost)", None, "num"),
    ("roas", "ROAS（GMV÷成本）", "ROAS (GMV ÷ cost)", None, "num"),
    (
        "source_ratio",
        "来源口径比（(成本+GMV)÷成本）",
        "Source ratio ((cost + GMV) ÷ cost)",
        None,
        "num",
    ),
    ("cac", "获客成本", "Acquisition cost per new user", "cny", "price"),
)


def _t(key: str, lang: str) -> str:
    return _TEXT[key][lang]


def _header(zh: str, en: str, unit: str | None, lang: str) -> str:
    text = zh if lang == "zh" else en
    if unit is None:
        return text
    u = _t(unit, lang)
    return f"{text}（{u}）" if lang == "zh" else f"{text} ({u})"


def _write_sheet(ws, headers: list[str], rows: list[list[Any]], formats: list[str]) -> None:
    # every header and value goes through append_row: channel and role names, file names and
    # labels are written as text or numbers, never as formulas
    append_row(ws, headers)
    for cell in ws[1]:
        cell.fill = _HEADER_FILL
        cell.font = _HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        append_row(ws, [None if _missing(v) else v for v in row])
    for j, fmt in enumerate(formats, start=1):
        for (cell,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            cell.number_format = _FORMATS[fmt]
    ws.freeze_panes = "B2"
    for j, header in enumerate(headers, start=1):
        values = [header] + [str(r[j - 1]) for r in rows[:50] if not _missing(r[j - 1])]
        width = (
            max(_display_width(v) for v in values)
            if formats[j - 1] == "text"
            else max(_display_width(header) * 0.8, 12)
        )
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, 10), 48)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _display_width(text: str) -> float:
    """Width in character cells: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def export_plan_xlsx(chapter: PlanChapter, path: str | Path) -> Path | None:
    """Write the plan workbook (assumptions, monthly and annual sheets).

    Parameters
    ----------
    chapter
        The planning chapter; nothing is written when it is not available.
    path
        Where to write the ``.xlsx``; nothing is written when empty.

    Returns
    -------
    Path or None
        The file written.
    """
    if not path or not chapter.available:
        return None
    inputs, p, lang = chapter.inputs, chapter.analysis.projection, chapter.lang
    wb = Workbook()
    ws = wb.active
    ws.title = _t("assumptions", lang)
    rows = []
    formats = ["text", "text", "num", "num", "num", "text", "text"]
    for name, d in inputs.drivers.items():
        kind = drv.split_name(name)[0]
        rows.append(
            [
                name,
                driver_label(inputs, name, lang),
                d.value,
                d.low if d.has_range else None,
                d.high if d.has_range else None,
                label(f"plan_unit_{kind}", lang),
                label(
                    f"plan_src_{d.source}",
                    lang,
                    file=inputs.file,
                    channels=inputs.channels_file or "",
                    scenario=inputs.scenario or "",
                ),
            ]
        )
    headers = [
        _t(k, lang) for k in ("driver_id", "driver", "value", "low", "high", "unit", "source")
    ]
    _write_sheet(ws, headers, rows, formats)
    # per-row number formats follow each driver's kind
    for i, name in enumerate(inputs.drivers, start=2):
        fmt = _FORMATS[drv.value_format(name)]
        for col in (3, 4, 5):
            ws.cell(row=i, column=col).number_format = fmt

    ws = wb.create_sheet(_t("monthly", lang))
    channels = {c.id: c.name for c in inputs.channels}
    cols = list(_MONTHLY)
    headers = [_t("month", lang), _t("label", lang)]
    headers += [_header(zh, en, unit, lang) for _, zh, en, unit, _ in cols]
    new_word = ("新增用户", "New users")
    mkt_word = ("营销费用", "Marketing cost")
    headers += [
        _header(f"{n} {new_word[0]}", f"{n} {new_word[1]}", "people", lang)
        for n in channels.values()
    ]
    headers += [
        _header(f"{n} {mkt_word[0]}", f"{n} {mkt_word[1]}", "cny", lang) for n in channels.values()
    ]
    formats = (
        ["int", "text"] + [c[4] for c in cols] + ["int"] * len(channels) + ["money"] * len(channels)
    )
    rows = []
    for m, r in p.monthly.iterrows():
        row = [int(m), r["label"]] + [float(r[c[0]]) for c in cols]
        row += [float(p.new_users.loc[m, c]) for c in channels]
        row += [float(p.marketing.loc[m, c]) for c in channels]
        rows.append(row)
    _write_sheet(ws, headers, rows, formats)

    ws = wb.create_sheet(_t("annual", lang))
    headers = [_t("year", lang)] + [_header(zh, en, unit, lang) for _, zh, en, unit, _ in _ANNUAL]
    formats = ["int"] + [c[4] for c in _ANNUAL]
    rows = [[int(y)] + [float(r[c[0]]) for c in _ANNUAL] for y, r in p.annual.iterrows()]
    _write_sheet(ws, headers, rows, formats)

    return save_workbook_atomic(wb, path)
