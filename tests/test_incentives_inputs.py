"""Reading schemes (YAML and the XLSX template) and actuals: clear, located errors."""

import copy
import shutil

import openpyxl
import pytest
import yaml

from siyu_diag.core import assets
from siyu_diag.core.errors import InputError
from siyu_diag.core.rules import FINDING_COLUMNS
from siyu_diag.incentives import (
    incentive_facts,
    incentive_findings,
    load_scheme,
    open_incentives,
    render_incentives_alignment,
    render_incentives_overview,
    write_scheme_template,
)
from siyu_diag.incentives.actuals import load_actuals
from siyu_diag.incentives.library import load_kpi_library
from siyu_diag.incentives.results import build_incentives_results
from siyu_diag.incentives.sheets import SHEETS
from siyu_diag.incentives.template import scheme_workbook
from siyu_diag.incentives.validation import parse_scheme
from siyu_diag.incentives.workbook import read_scheme_workbook

LIB = load_kpi_library()

RAW = {
    "period": "month",
    "units": [
        {
            "id": "growth",
            "department": "marketing",
            "headcount": 2,
            "indicators": [
                {"kpi": "follower_adds", "weight": 60, "target": 5000},
                {"kpi": "activation_rate_7d", "weight": 40, "target": 0.4},
            ],
        },
        {
            "id": "sales",
            "name": "销售组",
            "department": "sales",
            "headcount": 2,
            "indicators": [{"kpi": "gmv", "weight": 100, "target": 100000}],
        },
    ],
}


def problems(raw, label="incentives.yaml"):
    with pytest.raises(InputError) as err:
        parse_scheme(raw, label=label, library=LIB)
    return err.value.problems


# ----------------------------------------------------------------------------- YAML


def test_weight_that_is_not_a_number():
    raw = copy.deepcopy(RAW)
    raw["units"][0]["indicators"][0]["weight"] = "六十"
    (p,) = problems(raw)
    assert p.file == "incentives.yaml"
    assert p.key == "units.0.indicators.0.weight"
    assert p.message == "Expected a number; found '六十'."
    assert p.hint == "write the weight in percent as a plain number, e.g. 40."


def test_unknown_indicator_with_did_you_mean():
    raw = copy.deepcopy(RAW)
    raw["units"][1]["indicators"][0]["kpi"] = "私域GMW"
    (p,) = problems(raw)
    assert p.key == "units.1.indicators.0.kpi"
    assert "'私域GMW' is not an indicator of the KPI library siyu-kpi@1.0" in p.message
    assert p.hint == "Did you mean '私域GMV'?"


def test_unknown_indicator_is_reported_with_structural_problems():
    raw = copy.deepcopy(RAW)
    raw["units"][0]["indicators"][0]["kpi"] = "follower_add"
    raw["units"][1]["headcount"] = "two"
    found = {p.key: p for p in problems(raw)}
    assert set(found) == {"units.0.indicators.0.kpi", "units.1.headcount"}
    assert found["units.0.indicators.0.kpi"].hint == "Did you mean 'follower_adds'?"
    assert found["units.1.headcount"].hint == "write the number of people in the unit, e.g. 6."


def test_missing_department():
    raw = copy.deepcopy(RAW)
    del raw["units"][1]["department"]
    (p,) = problems(raw)
    assert p.key == "units.1.department"
    assert p.message == "This key is required but missing."
    assert "marketing, operations, sales" in p.hint and "市场部" in p.hint


def test_unknown_department_lists_the_choices():
    raw = copy.deepcopy(RAW)
    raw["units"][1]["department"] = "电商部"
    (p,) = problems(raw)
    assert p.key == "units.1.department"
    assert "'marketing'" in p.message and "电商部" in p.message


def test_unknown_key_with_did_you_mean():
    raw = copy.deepcopy(RAW)
    raw["units"][0]["headcont"] = raw["units"][0].pop("headcount")
    found = {p.key: p for p in problems(raw)}
    assert found["units.0.headcont"].hint == "Did you mean 'headcount'?"
    assert found["units.0.headcount"].message == "This key is required but missing."


def test_missing_weight_and_target_and_veto_with_weight():
    raw = copy.deepcopy(RAW)
    ind = raw["units"][0]["indicators"]
    del ind[0]["weight"]
    del ind[1]["target"]
    ind.append({"kpi": "complaint_rate", "weight": 10, "rule": {"type": "veto", "limit": 0.01}})
    found = {p.key: p for p in problems(raw)}
    assert found["units.0.indicators.0.weight"].message == "the weight is missing."
    assert found["units.0.indicators.1.target"].message == "the target is missing."
    assert found["units.0.indicators.2.weight"].message == "a veto indicator carries no weight."
    assert found["units.0.indicators.2.weight"].hint.startswith("leave the weight empty")


def test_grades_need_a_band_from_zero():
    raw = copy.deepcopy(RAW)
    raw["grades"] = [{"grade": "A", "min": 90, "multiplier": 1.2}]
    (p,) = problems(raw)
    assert p.key == "grades"
    assert "min: 0" in p.message


def test_names_resolve_to_ids_and_grades_sort_from_the_top():
    raw = copy.deepcopy(RAW)
    raw["units"][0]["indicators"][0]["kpi"] = "加粉数"
    raw["grades"] = [
        {"grade": "D", "min": 0, "multiplier": 0},
        {"grade": "A", "min": 90, "multiplier": 1.2},
    ]
    scheme = parse_scheme(raw, label="x.yaml", library=LIB)
    assert scheme.units[0].indicators[0].kpi == "follower_adds"
    assert [g.grade for g in scheme.grades] == ["A", "D"]


def test_load_scheme_rejects_other_extensions(tmp_path):
    path = tmp_path / "scheme.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scheme(path, label="scheme.json", library=LIB)
    (p,) = err.value.problems
    assert p.file == "scheme.json" and ".yaml or .xlsx" in p.message and p.hint


# ----------------------------------------------------------------------------- XLSX


def _workbook(tmp_path, fill, lang="zh"):
    wb = scheme_workbook(lang, LIB)
    fill(wb)
    path = tmp_path / "incentives.xlsx"
    wb.save(path)
    return path


def _good(wb):
    wb["方案"].append(["测试方案", "季度", 2000000])
    wb["单元"].append(["sales", "销售组", "销售部", "一线", 3, 7000, 6000, None, "私域GMV", "全额"])
    wb["单元"].append(["mkt", "市场组", "市场部", "管理", 2, 9000, 5000, 12000])
    wb["指标"].append(["sales", "私域GMV", 60, 200000, "每人", "线性封顶", 1.5])
    wb["指标"].append(["sales", "90天复购率", "40%", "30%", None, "达标制"])
    wb["指标"].append(["sales", "有效客诉率", None, None, None, "一票否决", None, None, None,
                       None, 0.01, "奖金和提成"])  # fmt: skip
    wb["指标"].append(["mkt", "valid_new_users", 100, 5000, "整个单元", "阶梯", None, None, None,
                       "0.8:60; 1：100；1.2:120"])  # fmt: skip
    wb["提成"].append(["sales", 0, "1%"])
    wb["提成"].append(["sales", 200000, 0.02])
    grades = wb["等级"]
    grades.delete_rows(2, grades.max_row)
    grades.append(["A", 100, 1.2])
    grades.append(["B", 0, 1])
    wb["奖励"].append(["mkt", "季度之星", 3000, 1])


def test_filled_template_reads_back(tmp_path):
    scheme = read_scheme_workbook(_workbook(tmp_path, _good), label="incentives.xlsx",
                                  library=LIB)  # fmt: skip
    assert scheme.name == "测试方案" and scheme.period == "quarter" and scheme.gmv == 2000000
    sales, mkt = scheme.units
    assert (sales.department, sales.level, sales.headcount) == ("sales", "frontline", 3)
    assert (mkt.department, mkt.level, mkt.pay.annual_share) == ("marketing", "management", 12000)
    gmv, rep, veto = sales.indicators
    assert (gmv.kpi, gmv.weight, gmv.target, gmv.rule.type, gmv.rule.cap) == (
        "gmv", 60, 200000, "linear", 1.5)  # fmt: skip
    assert (rep.kpi, rep.weight, rep.target, rep.rule.type) == (
        "repurchase_rate_90d", 40, 0.3, "threshold")  # fmt: skip
    assert (veto.rule.type, veto.rule.limit, veto.rule.forfeit) == ("veto", 0.01, "all")
    (steps,) = mkt.indicators
    assert steps.target_per == "unit"
    assert [(s.at, s.score) for s in steps.rule.steps] == [(0.8, 60), (1, 100), (1.2, 120)]
    assert sales.commission.method == "whole"
    assert [(t.start, t.rate) for t in sales.commission.tiers] == [(0, 0.01), (200000, 0.02)]
    assert [g.grade for g in scheme.grades] == ["A", "B"]
    assert scheme.awards[0].amount == 3000


def test_workbook_errors_name_sheet_row_and_column(tmp_path):
    def bad(wb):
        _good(wb)
        wb["单元"].append(["nodept", "没部门", None, "一线", 2])
        wb["指标"].append(["nodept", "加粉数", "六十", 100])
        wb["指标"].append(["salse", "客单价", 40, 300])
        wb["指标"].append([None, "客单价", 40, 300])
        wb["指标"].append(["nodept", "90天复够率", 40, 0.3])

    with pytest.raises(InputError) as err:
        read_scheme_workbook(_workbook(tmp_path, bad), label="incentives.xlsx", library=LIB)
    found = {(p.row, p.column): p for p in err.value.problems}
    assert all(p.file == "incentives.xlsx" for p in err.value.problems)
    weight = found[(6, "权重（%）")]
    assert weight.message.startswith("sheet '指标': ") and "'六十'" in weight.message
    assert weight.hint == "write the weight in percent as a plain number, e.g. 40."
    unknown_unit = found[(7, "单元编号")]
    assert "there is no unit 'salse'" in unknown_unit.message
    assert unknown_unit.hint == "Did you mean 'sales'?"
    missing_unit = found[(8, "单元编号")]
    assert "the unit id is missing" in missing_unit.message and "sales, mkt" in missing_unit.hint
    kpi = found[(9, "指标")]
    assert "'90天复够率' is not an indicator" in kpi.message
    assert kpi.hint == "Did you mean '90天复购率'?"
    dept = found[(4, "部门")]
    assert dept.message == "sheet '单元': This key is required but missing."
    assert "marketing" in dept.hint


def test_english_template_reads_too(tmp_path):
    def fill(wb):
        wb["Units"].append(["ops", "Ops", "operations", "frontline", 4, 8000, 4000])
        wb["Indicators"].append(["ops", "Follower adds", 100, 9000, "person", "linear"])

    scheme = read_scheme_workbook(_workbook(tmp_path, fill, "en"), label="s.xlsx", library=LIB)
    assert scheme.units[0].indicators[0].kpi == "follower_adds"


def test_template_has_every_sheet_lists_and_the_library(tmp_path):
    path = write_scheme_template(tmp_path / "blank.xlsx", "zh")
    wb = openpyxl.load_workbook(path)
    for sheet in SHEETS:
        assert sheet.zh in wb.sheetnames
        headers = [c.value for c in wb[sheet.zh][1]]
        assert headers[: len(sheet.columns)] == [c.zh for c in sheet.columns]
    library = wb["指标库"]
    assert library.max_row == len(LIB.kpis) + 1
    formulas = [dv.formula1 for dv in wb["指标"].data_validations.dataValidation]
    assert f"'指标库'!$B$2:$B${len(LIB.kpis) + 1}" in formulas
    assert '"线性封顶,达标制,阶梯,一票否决"' in formulas
    # a blank template is not a valid scheme: it says what is missing
    with pytest.raises(InputError) as err:
        read_scheme_workbook(path, label="blank.xlsx", library=LIB)
    assert "units" in str(err.value)


def test_template_language_is_checked(tmp_path):
    with pytest.raises(ValueError, match="must be one of"):
        write_scheme_template(tmp_path / "x.xlsx", "fr")


# ----------------------------------------------------------------------------- actuals


@pytest.fixture
def scheme():
    return parse_scheme(copy.deepcopy(RAW), label="incentives.yaml", library=LIB)


def _actuals(tmp_path, text, name="actuals.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_actuals_read_names_and_percentages(tmp_path, scheme):
    text = (
        "工号,部门,姓名,加粉数,新好友7日激活率,私域GMV\n"
        "A1,growth,张三,5200,45%,\n"
        'S1,销售组,李四,,,"120,000"\n'
    )
    frame = load_actuals(_actuals(tmp_path, text), label="actuals.csv", scheme=scheme,
                         library=LIB)  # fmt: skip
    assert list(frame["unit"]) == ["growth", "sales"]
    assert frame.loc[0, "activation_rate_7d"] == pytest.approx(0.45)
    assert frame.loc[1, "gmv"] == 120000
    assert "姓名" not in frame.columns and list(frame["row"]) == [2, 3]


def test_actuals_errors_are_located(tmp_path, scheme):
    text = (
        "employee,unit,follower_adds,activation_rate_7d,gmv,folower_ads\n"
        "A1,growth,5200,,,1\n"  # activation empty but scored
        "A1,growth,abc,0.4,,1\n"  # duplicate id, not a number
        "S1,salse,,,100000,1\n"  # unknown unit
    )
    with pytest.raises(InputError) as err:
        load_actuals(_actuals(tmp_path, text), label="actuals.csv", scheme=scheme, library=LIB)
    (p,) = err.value.problems  # the unknown column is reported first, alone
    assert (p.file, p.row, p.column) == ("actuals.csv", 1, "folower_ads")
    assert p.hint == "Did you mean 'follower_adds'?"
    text = text.replace(",folower_ads", "").replace(",1\n", "\n")
    with pytest.raises(InputError) as err:
        load_actuals(_actuals(tmp_path, text), label="actuals.csv", scheme=scheme, library=LIB)
    found = {(p.row, p.column): p for p in err.value.problems}
    empty = found[(2, "activation_rate_7d")]
    assert "empty" in empty.message and "growth" in empty.message and empty.hint
    dup = found[(3, "employee")]
    assert "also appears in row 2" in dup.message
    number = found[(3, "follower_adds")]
    assert number.message == "'abc' is not a number." and number.hint
    unit = found[(4, "unit")]
    assert unit.message == "'salse' is not a unit of the scheme." and unit.hint == (
        "Did you mean 'sales'?")  # fmt: skip


def test_actuals_need_id_columns_and_scored_columns(tmp_path, scheme):
    with pytest.raises(InputError) as err:
        load_actuals(_actuals(tmp_path, "who,gmv\nS1,1\n"), label="a.csv", scheme=scheme,
                     library=LIB)  # fmt: skip
    messages = [p.message for p in err.value.problems]
    assert "column 'who' is neither an id column nor an indicator of the KPI library." in messages
    text = "employee,unit,gmv\nS1,sales,1\nA1,growth,\n"
    with pytest.raises(InputError) as err:
        load_actuals(_actuals(tmp_path, text), label="a.csv", scheme=scheme, library=LIB)
    missing = {p.message for p in err.value.problems}
    expected = "there is no column for indicator 'follower_adds', which unit 'growth' is scored on."
    assert expected in missing


# ----------------------------------------------------------------------------- the chapter


@pytest.fixture
def client(tmp_path):
    folder = tmp_path / "qiming"
    shutil.copytree(assets.sample_clients_dir() / "qiming", folder)
    config = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))
    config.pop("incentives", None)
    (folder / "client.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return folder


def _append(folder, text):
    with (folder / "client.yaml").open("a", encoding="utf-8") as fh:
        fh.write(text)


def test_chapter_without_incentives_is_skipped(client):
    ch = open_incentives(client, lang="en")
    assert not ch.available and "no incentives section" in ch.reason
    frag = render_incentives_overview(ch)
    assert '<section class="chapter" id="incentives">' in frag.html and ch.reason in frag.html
    assert frag.toc == [{"id": "incentives", "title": "Incentives and KPI design", "level": 1}]
    assert render_incentives_alignment(ch).html == ""
    assert incentive_facts(ch) == {}
    assert list(incentive_findings(ch).columns) == list(FINDING_COLUMNS)
    assert build_incentives_results(ch).available is False


def test_chapter_errors_name_the_file_as_written(client):
    raw = yaml.safe_load((client / "incentives.yaml").read_text(encoding="utf-8"))
    raw["units"][0]["indicators"][0]["weight"] = "forty"
    (client / "hr").mkdir()
    (client / "hr" / "scheme.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), "utf-8")
    _append(client, "\nincentives:\n  scheme: hr/scheme.yaml\n")
    with pytest.raises(InputError) as err:
        open_incentives(client)
    (p,) = err.value.problems
    assert p.file == "hr/scheme.yaml" and p.key == "units.0.indicators.0.weight"


def test_plan_gmv_is_checked_and_used(client):
    _append(client, "\nincentives:\n  scheme: incentives.yaml\n")
    with pytest.raises(InputError) as err:
        open_incentives(client, plan_gmv=-5)
    assert err.value.problems[0].key == "plan_gmv"
    ch = open_incentives(client, plan_gmv=80_000_000)
    assert ch.analysis.gmv_source == "plan" and ch.analysis.gmv == 80_000_000
    assert ch.analysis.cost_basis == "target"  # no actuals named
    assert open_incentives(client, plan_gmv=0).analysis.gmv_source == "scheme"
