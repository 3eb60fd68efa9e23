"""The blank scheme workbook HR fills in: :func:`write_scheme_template`.

Sheets and headers come from :mod:`.workbook` (the same definitions the reader uses); choice
cells get drop-down lists, and the indicator column a list of every indicator of the KPI
library, which the workbook carries in its last sheet.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..core.atomic import save_workbook_atomic
from ..core.cells import append_row
from .library import KpiLibrary, load_kpi_library
from .scheme import DEFAULT_GRADES
from .sheets import CHOICES, GRADES, INDICATORS, SETTINGS, SHEETS, UNITS, Sheet

HEADER_FILL = PatternFill("solid", fgColor="16325C")
HEADER_FONT = Font(bold=True, color="FFFFFF")
NOTE_FONT = Font(italic=True, color="6B7785")
ROWS = 300  # rows that get drop-down lists

_README = {
    "zh": [
        "私域激励方案填写模板",
        (
            "1. 「方案」页：填写方案名称、考核周期（月度/季度/年度）和年度私域GMV；有"
            "门店导购时填写导购测算假设。"
        ),
        (
            "2. 「单元」页：每个部门或岗位一行：单元编号（英文或拼音，如 guide）、部"
            "门、层级、人数、薪酬结构；有提成的填写提成基数指标和方式；门店业绩双算填写双算来"
            "源指标（如 私域成交额）和计入指标（如 门店销售额）。"
        ),
        (
            "3. 「指标」页：每个单元的每个指标一行：权重以百分数填写（如 40），同一单元"
            "权重合计应为 100；目标值为每人每个考核周期的目标（比例可写 25%）；计分规"
            "则：线性封顶（默认封顶 1.2 倍）、达标制、阶梯（如 0.8:60; 1:10"
            "0; 1.2:120）、一票否决（填写否决线，不填权重）。"
        ),
        (
            "4. 「提成」页：每个提成档位一行（起点金额从 0 开始），填写提成比例（如 1"
            "%）或每单位金额。"
        ),
        "5. 「等级」页：得分到等级和奖金系数的对应关系，已按常用做法预填，可修改。",
        "6. 「奖励」页（可选）：每期评选的单项奖励，按得分最高者发放。",
        (
            "7. 「门店」页（可选）：每家门店的年营收目标、导购人数和现有好友数，用于自上而"
            "下测算导购加粉指标。"
        ),
        "指标名称请从下拉列表选择（来自最后一页「指标库」），也可以填写指标编号。",
    ],
    "en": [
        "Private-domain incentive scheme template",
        (
            "1. 'Scheme': the scheme's name, scoring period (month/quarter/year) and annual "
            "private-domain GMV; with store shopping guides, the assumptions of the guide KPI"
            " derivation."
        ),
        (
            "2. 'Units': one row per department or role: a short unit id (e.g. guide), "
            "department, level, headcount and pay; the commission basis and method if any; "
            "for double crediting the source indicator (e.g. private_sales) and the indicator"
            " it counts into (e.g. store_sales)."
        ),
        (
            "3. 'Indicators': one row per unit and indicator: weight in percent (e.g. 40; a "
            "unit's weights add up to 100), target per person and period (shares as 25%), "
            "scoring rule: linear (capped at 1.2 by default), threshold, step (e.g. 0.8:60; "
            "1:100; 1.2:120) or veto (a limit, no weight)."
        ),
        (
            "4. 'Commission': one row per tier (the first starts from 0) with a rate (e.g. "
            "1%) or CNY per unit."
        ),
        ("5. 'Grades': score bands, grades and bonus multipliers; pre-filled with common values."),
        "6. 'Awards' (optional): one-off awards per period to the best scores of a unit.",
        (
            "7. 'Stores' (optional): each store's annual revenue target, guides and current "
            "friends, for the top-down guide KPI."
        ),
        (
            "Pick indicator names from the drop-down list (the 'Library' sheet at the end), "
            "or write ids."
        ),
    ],
}
_LIBRARY_HEADERS = {
    "zh": ("编号", "指标", "英文名", "单位", "类别", "周期", "适用阶段", "定义", "计算公式"),
    "en": (
        "Id",
        "Indicator",
        "Chinese name",
        "Unit",
        "Family",
        "Horizon",
        "Stages",
        "Definition",
        "Formula",
    ),
}
_LIBRARY_SHEET = {"zh": "指标库", "en": "Library"}
_README_SHEET = {"zh": "说明", "en": "Read me"}


def _header(ws, headers: list[str], widths: list[int]) -> None:
    append_row(ws, headers)
    for j, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=j)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32


def _list(ws, formula: str, column: int, start: int = 2) -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    letter = get_column_letter(column)
    dv.add(f"{letter}{start}:{letter}{start + ROWS}")
    ws.add_data_validation(dv)


def _choices(field: str, lang: str) -> str:
    labels = [(en if lang == "en" else zh) for zh, en in CHOICES[field].values()]
    return '"' + ",".join(labels) + '"'


def _table_sheet(wb: Workbook, sheet: Sheet, lang: str) -> None:
    ws = wb.create_sheet(sheet.name(lang))
    _header(ws, [c.header(lang) for c in sheet.columns], [c.width for c in sheet.columns])
    for j, column in enumerate(sheet.columns, start=1):
        if column.kind == "choice":
            _list(ws, _choices(column.choices, lang), j)


def _settings_sheet(wb: Workbook, lang: str) -> None:
    ws = wb.create_sheet(SETTINGS.name(lang))
    _header(ws, [c.header(lang) for c in SETTINGS.columns], [c.width + 6 for c in SETTINGS.columns])
    period = next(j for j, c in enumerate(SETTINGS.columns, start=1) if c.key == "period")
    _list(ws, _choices("period", lang), period)


def scheme_workbook(lang: str = "zh", library: KpiLibrary | None = None) -> Workbook:
    """The blank scheme workbook as an openpyxl ``Workbook`` (see :func:`write_scheme_template`)."""
    if lang not in ("zh", "en"):
        raise ValueError(
            f"The value for `lang` must be one of ['zh', 'en'], but {lang!r} was passed."
        )
    library = library or load_kpi_library()
    wb = Workbook()
    readme = wb.active
    readme.title = _README_SHEET[lang]
    for line in _README[lang]:
        append_row(readme, [line])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 120
    for row in readme.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    _settings_sheet(wb, lang)
    for sheet in SHEETS:
        if sheet is SETTINGS:
            continue
        _table_sheet(wb, sheet, lang)
    lib_name = _LIBRARY_SHEET[lang]
    lib = wb.create_sheet(lib_name)
    _header(lib, list(_LIBRARY_HEADERS[lang]), [24, 24, 28, 8, 12, 8, 24, 60, 40])
    other = "zh" if lang == "en" else "en"
    # a library may be the client's own: its texts are written as text, never as formulas
    for k in library.kpis:
        append_row(
            lib,
            [
                k.id,
                k.name.get(lang),
                k.name.get(other),
                k.unit,
                k.family,
                k.horizon,
                ", ".join(k.stages),
                k.definition.get(lang),
                k.formula.get(lang),
            ],
        )
    last = len(library.kpis) + 1
    kpis = f"{quote_sheetname(lib_name)}!$B$2:$B${last}"
    units = f"{quote_sheetname(UNITS.name(lang))}!$A$2:$A${ROWS}"
    ind = wb[INDICATORS.name(lang)]
    _list(ind, kpis, 2)
    _list(ind, units, 1)
    unit_sheet = wb[UNITS.name(lang)]
    for j, c in enumerate(UNITS.columns, start=1):
        if c.key in ("commission_basis", "double_credit_source", "double_credit_into"):
            _list(unit_sheet, kpis, j)
    for name in ("tiers", "awards"):
        sheet = next(s for s in SHEETS if s.key == name)
        _list(wb[sheet.name(lang)], units, 1)
    grades = wb[GRADES.name(lang)]
    for band in DEFAULT_GRADES:
        append_row(grades, [band.grade, band.min, band.multiplier])
    return wb


def write_scheme_template(
    path: str | Path, lang: str = "zh", library: KpiLibrary | None = None
) -> Path:
    """Write a blank scheme workbook for HR to fill in.

    Parameters
    ----------
    path
        Where to write the ``.xlsx`` (written atomically).
    lang
        ``"zh"`` or ``"en"``: sheet names, headers, drop-down labels and instructions.
    library
        The KPI library whose indicators fill the drop-down list (the bundled one by default).

    Returns
    -------
    Path
        The file written.
    """
    wb = scheme_workbook(lang, library)
    return save_workbook_atomic(wb, path)
