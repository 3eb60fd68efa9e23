import math

import numpy as np
import pandas as pd
import pytest
import yaml
from pandas.testing import assert_frame_equal

from siyu_diag.core import assets
from siyu_diag.core.client import load_client
from siyu_diag.core.errors import InputError
from siyu_diag.diagnosis.answers import parse_duration
from siyu_diag.diagnosis.survey import RESPONDENT_COLUMNS, load_responses

ITEM_IDS = ["G01", "G02", "G03", "G04", "C01", "C02", "C03", "C04"]
# The tiny bank's wording (conftest.TINY_BANK), written out again so the test states it.
ZH = ["考核指标随阶段调整", "起盘期就被要求完成GMV", "目标来自历史数据", "转化目标先小范围测试"]
ZH += ["每个交接环节都有标准", "交接问题当周解决", "会员系统与企微打通", "每周看同一份数据"]
EN = ["KPIs change with the stage", "A GMV target was set at launch", "Targets come from history"]
EN += ["Conversion targets are tested first", "Every hand-off has a standard"]
EN += ["Hand-off issues are fixed weekly", "Member data is linked to WeCom"]
EN += ["Everyone reads one weekly report"]

# Three respondents x eight items: what every loader variant must give back.
ANSWERS = [
    [5, 1, 4, 4, 3, 2, 5, 4],
    [2, 4, 3, 1, 5, 5, 2, 3],
    [4, 2, 5, 3, 1, 4, 3, 5],
]
DEPTS = ["市场部", "私域运营部", "品牌部"]
ROLES = ["管理者", "一线员工", "一线"]

LABELS = {
    "numbers": {v: v for v in range(1, 6)},
    "zh_labels": dict(enumerate(["非常不同意", "不同意", "一般", "同意", "非常同意"], start=1)),
    "alias_labels": dict(
        enumerate(["完全不符合", "比较不符合", "说不清", "比较符合", "完全符合"], start=1)
    ),
    "en_labels": dict(
        enumerate(["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"], start=1)
    ),
}

WJX_META = ["提交答卷时间", "所用时间", "来源", "来自IP"]


def _header_style(style):
    """Return (header, respondent ids, per-row prefix builder) for one header style."""
    if style == "item_ids":
        return ["编号", "部门", "岗位层级", *ITEM_IDS], ["R01", "R02", "R03"], None
    if style == "numbered_zh":
        # Like a wjx export: the two group questions are 1 and 2, so item k is question k+3.
        items = [f"{k + 3}、{text}" for k, text in enumerate(ZH)]
        header = ["序号", *WJX_META, "1、您所在的部门：", "2、您的岗位层级：", *items]
        return header, [1, 2, 3], "wjx"
    if style == "numbered_en":
        items = [f"Q{k + 3}. {text}" for k, text in enumerate(EN)]
        return ["respondent_id", "department", "role level", *items], ["a", "b", "c"], None
    if style == "id_wording":
        # The id decides; the wording is only the start of the statement.
        items = [f"{i}、{text[:4]}…" for i, text in zip(ITEM_IDS, ZH, strict=True)]
        return ["编号", "提交时间", "部门", "岗位层级", *items], ["R01", "R02", "R03"], "time"
    raise AssertionError(style)


def _rows(ids, meta, labels):
    rows = []
    for rid, dept, role, answers in zip(ids, DEPTS, ROLES, ANSWERS, strict=True):
        lead = [rid]
        if meta == "wjx":
            lead += ["2026/3/10 10:01:02", "245秒", "手机提交", "1.2.3.4(上海-上海)"]
        elif meta == "time":
            lead += ["2026/3/10 10:01:02"]
        rows.append([*lead, dept, role, *(labels[v] for v in answers)])
    return rows


FORMATS = [
    ("responses.csv", "utf-8"),
    ("responses.csv", "utf-8-sig"),
    ("responses.csv", "gbk"),
    ("responses.csv", "gb18030"),
    ("responses.xlsx", None),
]


@pytest.mark.parametrize("answer_style", list(LABELS))
@pytest.mark.parametrize("header_style", ["item_ids", "numbered_zh", "numbered_en", "id_wording"])
@pytest.mark.parametrize(
    ("file", "encoding"), FORMATS, ids=["utf8", "bom", "gbk", "gb18030", "xlsx"]
)
def test_every_format_header_and_answer_style_gives_the_same_answers(
    make_client, file, encoding, header_style, answer_style
):
    header, ids, meta = _header_style(header_style)
    rows = _rows(ids, meta, LABELS[answer_style])
    folder = make_client(header, rows, file=file, encoding=encoding)

    resp = load_responses(load_client(folder))

    index = pd.Index([str(i) for i in ids], name="respondent")
    expected = pd.DataFrame(ANSWERS, index=index, columns=ITEM_IDS, dtype=float)
    assert_frame_equal(resp.answers, expected)
    assert_frame_equal(resp.not_applicable, pd.DataFrame(False, index=index, columns=ITEM_IDS))
    assert resp.file == file
    assert list(resp.respondents.columns) == list(RESPONDENT_COLUMNS)
    assert resp.respondents["department"].tolist() == ["marketing", "operations", "marketing"]
    assert resp.respondents["department_label"].tolist() == DEPTS
    assert resp.respondents["role_level"].tolist() == ["management", "frontline", "frontline"]
    assert resp.respondents["row"].tolist() == [2, 3, 4]
    # Platform metadata never becomes an item, and is dropped without a note.
    assert "ignored_column" not in resp.quality["kind"].tolist()
    if meta == "wjx":
        assert resp.respondents["duration_s"].tolist() == [245.0, 245.0, 245.0]
    else:
        assert resp.respondents["duration_s"].isna().all()


GROUP = ["编号", "部门", "岗位层级"]


def _row(rid, answers, dept="私域运营", role="一线员工"):
    return [rid, dept, role, *answers]


@pytest.mark.parametrize("file", ["responses.csv", "responses.xlsx"])
def test_blanks_and_skipped_are_missing_and_na_is_recorded(make_client, file):
    rows = [
        _row("R1", [5, "", 4, "(跳过)", 3, "（跳过）", "不适用", 4]),
        _row("R2", [2, 4, 3, 1, 5, 5, "N/A", 3]),
        _row("R3", [4, 2, 5, 3, 1, 4, "Not applicable", None]),
    ]
    resp = load_responses(load_client(make_client([*GROUP, *ITEM_IDS], rows, file=file)))

    nan = np.nan
    index = pd.Index(["R1", "R2", "R3"], name="respondent")
    expected = pd.DataFrame(
        [
            [5, nan, 4, nan, 3, nan, nan, 4],
            [2, 4, 3, 1, 5, 5, nan, 3],
            [4, 2, 5, 3, 1, 4, nan, nan],
        ],
        index=index,
        columns=ITEM_IDS,
        dtype=float,
    )
    assert_frame_equal(resp.answers, expected)
    na = pd.DataFrame(False, index=index, columns=ITEM_IDS)
    na.loc[:, "C03"] = True  # 不适用, N/A and the English label
    assert_frame_equal(resp.not_applicable, na)


def _problems(excinfo):
    return {(p.row, p.column): p for p in excinfo.value.problems}


def test_na_on_an_item_that_does_not_allow_it_names_row_and_column(make_client):
    rows = [_row("R1", [5, 1, 4, 4, 3, 2, 5, 4]), _row("R2", [2, "不适用", 3, 1, 5, 5, 2, 3])]
    folder = make_client([*GROUP, *ITEM_IDS], rows)
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))

    (problem,) = excinfo.value.problems
    assert (problem.file, problem.row, problem.column) == ("responses.csv", 3, "G02")
    assert "'不适用' (not applicable) is not an allowed answer to item G02" in problem.message
    assert "leave the cell blank" in problem.hint


def test_every_cell_problem_of_a_file_is_reported_at_once(make_client):
    good = [5, 1, 4, 4, 3, 2, 5, 4]
    rows = [
        _row("R1", [6, *good[1:]], "市场部", "管理者"),  # row 2: out of range
        _row("R2", [*good[:5], "还行", *good[6:]], "市场部"),  # row 3: unknown label
        _row("R3", good, dept=""),  # row 4: blank department
        _row("R4", good, role="实习生"),  # row 5: unknown role level
        _row("", good),  # row 6: blank respondent id
        _row("R6", ["不适用", *good[1:]]),  # row 7: N/A not allowed on G01
    ]
    folder = make_client([*GROUP, *ITEM_IDS], rows)
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))

    assert len(excinfo.value.problems) == 6
    assert str(excinfo.value).startswith("6 problems found:")
    found = _problems(excinfo)
    assert {p.file for p in found.values()} == {"responses.csv"}
    assert set(found) == {
        (2, "G01"),
        (3, "C02"),
        (4, "部门"),
        (5, "岗位层级"),
        (6, "编号"),
        (7, "G01"),
    }
    expected = "expected a whole number from 1 to 5 or one of 非常不同意/不同意/一般/同意/非常同意"
    out_of_range = found[(2, "G01")]
    assert out_of_range.message == f"'6' is not an answer on the scale; {expected}."
    assert out_of_range.hint == "correct the cell or leave it blank."
    assert found[(3, "C02")].message == f"'还行' is not an answer on the scale; {expected}."
    assert found[(4, "部门")].message == "the department is blank."
    assert found[(4, "部门")].hint == "fill in the department."
    role = found[(5, "岗位层级")]
    assert role.message == "role level '实习生' is neither management nor front line."
    assert "survey.role_levels" in role.hint and "'实习生: management'" in role.hint
    assert found[(6, "编号")].message == "the respondent id is blank."
    assert found[(6, "编号")].hint == "give every row an id."
    assert "not applicable" in found[(7, "G01")].message
    assert "responses.csv, row 5, column '岗位层级'" in str(excinfo.value)


def test_header_problems_are_reported_together(make_client):
    header = ["编号", "岗位层级", "G01", "1、考核指标随阶段调整", "G02", "GO3", "G04", "C01"]
    header += ["C02", "C03"]
    rows = [["R1", "一线员工", 5, 5, 1, 4, 4, 3, 2, 5]]
    folder = make_client(header, rows)
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))

    assert len(excinfo.value.problems) == 4
    found = _problems(excinfo)
    assert {p.file for p in found.values()} == {"responses.csv"}
    assert {p.row for p in found.values()} == {1}  # all in the header row

    typo = found[(1, "GO3")]
    assert typo.message == (
        "'GO3' looks like an item id but is not in question bank tiny@0.1. Did you mean 'G03'?"
    )
    assert "survey.bank" in typo.hint

    twice = found[(1, "1、考核指标随阶段调整")]
    assert twice.message == "item G01 appears in more than one column."
    assert twice.hint == "delete the duplicate column."

    header_problems = [p for p in excinfo.value.problems if p.column is None]
    messages = sorted(p.message for p in header_problems)
    assert messages == [
        "2 item(s) of question bank tiny@0.1 have no column: G03, C04.",
        "no department column found.",
    ]
    dept = next(p for p in header_problems if "department" in p.message)
    assert "'部门'" in dept.hint and "survey.columns.department" in dept.hint


def test_missing_role_level_column_and_renamed_columns_from_client_yaml(make_client):
    header = ["ID号", "Team", "Level", *ITEM_IDS]
    rows = [["R1", "市场部", "经理", 5, 1, 4, 4, 3, 2, 5, 4]]
    columns = {"respondent": "ID号", "department": "Team", "role_level": "Level"}
    survey = {"columns": columns, "min_group_size": 1}
    resp = load_responses(load_client(make_client(header, rows, survey=survey)))
    assert resp.answers.index.tolist() == ["R1"]
    assert resp.respondents["department"].tolist() == ["marketing"]
    assert resp.respondents["role_level"].tolist() == ["management"]

    folder = make_client(header, rows, survey={"columns": {"role_level": "Levle"}})
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))
    by_message = {p.message: p for p in excinfo.value.problems}
    assert len(by_message) == 2
    named = by_message[
        "the column 'Levle' named in client.yaml (survey.columns.role_level) is not in the file."
        " Did you mean 'Level'?"
    ]
    assert named.file == "responses.csv" and named.row == 1
    assert "survey.columns" in named.hint
    assert "no department column found." in by_message


def test_no_column_matches_the_bank(make_client):
    folder = make_client([*GROUP, "满意度", "建议"], [["R1", "市场部", "管理者", "5", "无"]])
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))
    (problem,) = excinfo.value.problems
    assert problem.message == "no column matches an item of question bank tiny@0.1."
    assert (problem.file, problem.row) == ("responses.csv", 1)
    assert "'G01'" in problem.hint


def test_unsupported_extension(make_client):
    folder = make_client([*GROUP, *ITEM_IDS], [], file="responses.txt")
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))
    (problem,) = excinfo.value.problems
    assert problem.message == "has the extension '.txt'; expected .csv or .xlsx."
    assert (problem.file, problem.row, problem.column) == ("responses.txt", None, None)
    assert problem.hint == "export the data as CSV or XLSX."


def test_file_in_neither_utf8_nor_gbk_is_named_as_in_client_yaml(make_client):
    folder = make_client(file="exports/survey.csv")
    text = "编号,部门,岗位层级," + ",".join(ITEM_IDS) + "\nR1,市场部,管理者,5,1,4,4,3,2,5,4\n"
    (folder / "exports").mkdir()
    (folder / "exports" / "survey.csv").write_bytes(text.encode("utf-16"))
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))
    (problem,) = excinfo.value.problems
    assert problem.message == "is neither UTF-8 nor GBK/GB18030 text."
    assert (problem.file, problem.row, problem.column) == ("exports/survey.csv", None, None)
    assert "UTF-8" in problem.hint


@pytest.mark.parametrize("blank_rows", [0, 1])
@pytest.mark.parametrize("file", ["responses.csv", "responses.xlsx"])
def test_file_without_answers(make_client, file, blank_rows):
    folder = make_client([*GROUP, *ITEM_IDS], [[""] * 11] * blank_rows, file=file)
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))
    (problem,) = excinfo.value.problems
    assert (problem.message, problem.file) == ("has no answers.", file)
    assert "export the survey again" in problem.hint


@pytest.mark.parametrize("file", ["responses.csv", "responses.xlsx"])
def test_rows_stay_spreadsheet_rows_after_a_blank_row(make_client, file):
    good = [5, 1, 4, 4, 3, 2, 5, 4]
    blank = [None] * 11 if file.endswith("xlsx") else [""] * 11
    rows = [_row("R1", good), blank, _row("R3", [*good[:7], 9])]
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(make_client([*GROUP, *ITEM_IDS], rows, file=file)))
    (problem,) = excinfo.value.problems
    assert (problem.row, problem.column) == (4, "C04")


def test_an_empty_line_in_a_csv_counts_as_a_row(make_client):
    folder = make_client()
    lines = ["编号,部门,岗位层级," + ",".join(ITEM_IDS), "R1,市场部,管理者,5,1,4,4,3,2,5,4", ""]
    lines += ["R3,市场部,管理者,5,1,4,4,3,2,5,0", ""]
    (folder / "responses.csv").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        load_responses(load_client(folder))
    (problem,) = excinfo.value.problems
    assert (problem.row, problem.column) == (4, "C04")
    (folder / "responses.csv").write_text("\n".join(lines).replace(",0", ",1"), encoding="utf-8")
    resp = load_responses(load_client(folder), min_group_size=2)
    assert resp.respondents["row"].tolist() == [2, 4]


# ---------------------------------------------------------------------------- quality


def _quality(resp, kind):
    return resp.quality[resp.quality["kind"] == kind].to_dict("records")


def test_duplicate_respondent_keeps_the_last_answer(make_client):
    rows = [
        _row("R1", [5, 1, 4, 4, 3, 2, 5, 4]),
        _row("R2", [2, 4, 3, 1, 5, 5, 2, 3]),
        _row("R1", [4, 2, 5, 3, 1, 4, 3, 5]),
    ]
    resp = load_responses(load_client(make_client([*GROUP, *ITEM_IDS], rows)), min_group_size=2)

    assert resp.answers.index.tolist() == ["R2", "R1"]
    assert resp.answers.loc["R1"].tolist() == [4, 2, 5, 3, 1, 4, 3, 5]
    assert resp.respondents.loc["R1", "row"] == 4
    (note,) = _quality(resp, "duplicate_id")
    assert (note["rows"], note["value"], note["excluded"]) == ("2", 1, True)


def test_identical_answer_rows_are_noted(make_client):
    same = [5, 1, 4, 4, 3, 2, 5, 4]
    rows = [_row("R1", same), _row("R2", same), _row("R3", [2, 4, 3, 1, 5, 5, 2, 3])]
    resp = load_responses(load_client(make_client([*GROUP, *ITEM_IDS], rows)))
    (note,) = _quality(resp, "identical_answers")
    assert (note["rows"], note["value"], note["excluded"]) == ("2, 3", 2, False)
    assert len(resp.answers) == 3


def _straight_rows():
    return [
        _row("R1", [5, 1, 4, 4, 3, 2, 5, 4]),
        _row("R2", [4] * 8),  # eight equal answers: a straight-liner
        _row("R3", [3] * 7 + [""]),  # only seven answered: not flagged
        _row("R4", [2, 4, 3, 1, 5, 5, 2, 3]),
    ]


def test_straight_lining_is_flagged(make_client):
    resp = load_responses(load_client(make_client([*GROUP, *ITEM_IDS], _straight_rows())))
    (note,) = _quality(resp, "straight_lining")
    assert (note["rows"], note["value"], note["excluded"]) == ("3", 1, False)
    assert resp.answers.index.tolist() == ["R1", "R2", "R3", "R4"]


def test_exclude_flagged_removes_flagged_rows(make_client):
    folder = make_client([*GROUP, *ITEM_IDS], _straight_rows(), survey={"exclude_flagged": True})
    resp = load_responses(load_client(folder))
    (note,) = _quality(resp, "straight_lining")
    assert note["excluded"]
    for frame in (resp.answers, resp.not_applicable, resp.respondents):
        assert frame.index.tolist() == ["R1", "R3", "R4"]


def _default_bank_ids():
    raw = yaml.safe_load(assets.default_bank_path().read_text(encoding="utf-8"))
    return [item["id"] for item in raw["items"]]


def test_speeding_is_flagged_from_the_duration_column(make_client):
    ids = _default_bank_ids()
    answers = np.random.default_rng(20260316).integers(1, 6, size=(3, len(ids))).tolist()
    durations = ["40秒", "4分5秒", "00:04:05"]
    header = ["序号", "所用时间", "部门", "岗位层级", *ids]
    rows = [
        [n, d, "私域运营", "一线员工", *a]
        for n, d, a in zip("123", durations, answers, strict=True)
    ]
    resp = load_responses(load_client(make_client(header, rows, bank=False)))

    assert resp.respondents["duration_s"].tolist() == [40.0, 245.0, 245.0]
    # 55 answered items at 2 s each need 110 s; 40 s is too fast, 245 s is not.
    assert len(ids) * 2 == 110
    (note,) = _quality(resp, "speeding")
    assert (note["rows"], note["value"]) == ("2", 1)
    assert _quality(resp, "straight_lining") == []


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("40秒", 40),
        ("40", 40),
        ("12.5s", 12.5),
        ("4分5秒", 245),
        ("3分钟", 180),
        ("00:04:05", 245),
        ("1:02:03", 3723),
        ("4:05", 245),
        ("  90 秒 ", 90),
        ("", math.nan),
        ("很快", math.nan),
    ],
)
def testparse_duration(text, seconds):
    result = parse_duration(text)
    if math.isnan(seconds):
        assert math.isnan(result)
    else:
        assert result == seconds


def test_small_departments_are_noted(make_client):
    answers = [[5, 1, 4, 4, 3, 2, 5, 4], [2, 4, 3, 1, 5, 5, 2, 3]]
    answers += [[4, 2, 5, 3, 1, 4, 3, 5], [1, 5, 2, 2, 4, 3, 4, 1]]
    depts = ["市场部", "私域运营", "运营部", "社群运营"]
    rows = [_row(f"R{i}", a, d) for i, (a, d) in enumerate(zip(answers, depts, strict=True))]
    resp = load_responses(load_client(make_client([*GROUP, *ITEM_IDS], rows)))
    notes = _quality(resp, "small_group")
    assert [(n["subject"], n["value"]) for n in notes] == [("marketing", 1)]


def test_department_labels_map_through_vocab_and_client_overrides(make_client):
    answers = [[5, 1, 4, 4, 3, 2, 5, 4], [2, 4, 3, 1, 5, 5, 2, 3]]
    answers += [[4, 2, 5, 3, 1, 4, 3, 5], [1, 5, 2, 2, 4, 3, 4, 1]]
    depts = ["市场部", "品牌部", "电商中心", "财务部"]
    roles = ["总监", "导购", "实习生", "专员"]
    rows = [
        _row(f"R{i}", a, d, r)
        for i, (a, d, r) in enumerate(zip(answers, depts, roles, strict=True))
    ]
    survey = {"departments": {"电商中心": "operations"}, "role_levels": {"实习生": "frontline"}}
    resp = load_responses(load_client(make_client([*GROUP, *ITEM_IDS], rows, survey=survey)))

    people = resp.respondents
    assert people["department"].tolist() == ["marketing", "marketing", "operations", "财务部"]
    assert people["department_label"].tolist() == depts
    assert people["role_level"].tolist() == ["management", "frontline", "frontline", "frontline"]


def test_client_override_wins_over_the_vocabulary(make_client):
    rows = [_row("R1", [5, 1, 4, 4, 3, 2, 5, 4], "市场部")]
    survey = {"departments": {"市场部": "brand"}, "min_group_size": 1}
    folder = make_client([*GROUP, *ITEM_IDS], rows, survey=survey)
    assert load_responses(load_client(folder)).respondents["department"].tolist() == ["brand"]


def test_unknown_columns_are_noted_as_ignored(make_client):
    rows = [["R1", "市场部", "管理者", "好", *[5, 1, 4, 4, 3, 2, 5, 4]]]
    folder = make_client([*GROUP, "备注", *ITEM_IDS], rows, survey={"min_group_size": 1})
    resp = load_responses(load_client(folder))
    assert [n["subject"] for n in _quality(resp, "ignored_column")] == ["备注"]
    assert list(resp.answers.columns) == ITEM_IDS


def test_names_and_phones_are_never_needed_nor_kept(make_client):
    header = ["姓名", "手机", "部门", "岗位层级", *ITEM_IDS]
    rows = [
        ["张三", "13800138000", "市场部", "管理者", 5, 1, 4, 4, 3, 2, 5, 4],
        ["李四", "13900139000", "私域运营", "一线员工", 2, 4, 3, 1, 5, 5, 2, 3],
    ]
    resp = load_responses(load_client(make_client(header, rows, survey={"min_group_size": 2})))

    assert resp.answers.index.tolist() == ["r2", "r3"]
    assert resp.answers.index.name == "respondent"
    assert list(resp.respondents.columns) == list(RESPONDENT_COLUMNS)
    for frame in (resp.answers, resp.not_applicable, resp.respondents, resp.quality):
        shown = frame.to_csv()
        for secret in ("张三", "李四", "13800138000", "13900139000", "姓名", "手机"):
            assert secret not in shown


# ---------------------------------------------------------------------------- decimal answers

SCALES = {
    "1-5": {"min": 1, "max": 5},  # the default bank's scale (its labels come from the bank)
    "1-6": {"min": 1, "max": 6},
    "0-10": {
        "min": 0,
        "max": 10,
        "points": [
            {"value": 0, "zh": "完全不可能", "en": "Not at all likely"},
            {"value": 10, "zh": "非常可能", "en": "Extremely likely"},
        ],
    },
}
EXPECTED = {
    "1-5": "a whole number from 1 to 5 or one of 非常不同意/不同意/一般/同意/非常同意",
    "1-6": "a whole number from 1 to 6",
    "0-10": "a whole number from 0 to 10 or one of 完全不可能/非常可能",
}


def _scale_client(make_client, tiny_bank, scale, header, rows, file="responses.csv"):
    """A client answering the tiny bank on ``scale`` (SCALES key), or the default bank ("1-5")."""
    folder = make_client(header, rows, file=file, bank=scale != "1-5")
    if scale != "1-5":
        tiny_bank["scale"] = SCALES[scale]
        (folder / "bank.yaml").write_text(yaml.safe_dump(tiny_bank, allow_unicode=True), "utf-8")
    return load_client(folder)


def _default_rows(cells):
    """Three respondents answering the default bank: 3 everywhere but the first items."""
    ids = _default_bank_ids()
    rows = []
    for n, first in enumerate(cells, start=1):
        rows.append([f"R{n}", "私域运营", "一线员工", *first, *[3] * (len(ids) - len(first))])
    return [*GROUP, *ids], rows


# Written answer → value, per scale: decimals parse as numbers, never digit by digit.
GOOD = {
    "1-5": [["1.0", "5.00", "2.", "４", "3分"], ["2.0", " 4.0 ", "+3", "非常同意", "1"]],
    "1-6": [["2.0", "6.00", "6", "１.０", "4.0分"], ["1", "3.0", "5.", "2", "6"]],
    "0-10": [["1.0", "10.0", "0.0", "7.00", "10"], ["0", "5.0", "9", "非常可能", "完全不可能"]],
}
GOOD_VALUES = {
    "1-5": [[1, 5, 2, 4, 3], [2, 4, 3, 5, 1]],
    "1-6": [[2, 6, 6, 1, 4], [1, 3, 5, 2, 6]],
    "0-10": [[1, 10, 0, 7, 10], [0, 5, 9, 10, 0]],
}


@pytest.mark.parametrize("scale", list(SCALES))
def test_decimal_answers_are_numbers_on_every_scale(make_client, tiny_bank, scale):
    first, second = GOOD[scale]
    if scale == "1-5":
        header, rows = _default_rows([first, second, ["3"]])
    else:
        header = [*GROUP, *ITEM_IDS]
        rows = [_row(f"R{n}", [*cells, "", "", ""]) for n, cells in enumerate([first, second])]
        rows.append(_row("R2", ["1"] * 8))
    resp = load_responses(_scale_client(make_client, tiny_bank, scale, header, rows))
    items = resp.answers.columns[:5]
    assert resp.answers[items].iloc[:2].to_numpy().tolist() == GOOD_VALUES[scale]


@pytest.mark.parametrize("scale", ["1-6", "0-10"])
def test_xlsx_float_cells_are_read_as_the_numbers_they_hold(make_client, tiny_bank, scale):
    rows = [
        _row("R1", [2.0, 1.0, "2.0", 4, 3.0, 1, 1, 1]),
        _row("R2", [6.0, 3, 3, 3, 3, 3, 3, 3]),
        _row("R3", [1, 1, 1, 1, 1, 1, 1, 1.0]),
    ]
    client = _scale_client(make_client, tiny_bank, scale, [*GROUP, *ITEM_IDS], rows, "r.xlsx")
    resp = load_responses(client)
    assert resp.answers.loc["R1"].tolist()[:5] == [2, 1, 2, 4, 3]
    assert resp.answers.loc["R2", "G01"] == 6


# Written answer → why it is refused: (message start, hint).
FRACTION = (
    "is not a whole number, so it is not an answer on the scale",
    "correct the cell to one of these answers, or leave it blank; a fraction is never rounded "
    "or rescaled.",
)
OUTSIDE = ("is not an answer on the scale", "correct the cell or leave it blank.")


def _plain(scale):
    return "is not a plainly written number, so it is not an answer on the scale", (
        f"write the answer as a whole number such as {SCALES[scale]['max']}, without a comma or "
        "an exponent, or leave the cell blank."
    )


BAD = {
    "0-10": {"0.5": FRACTION, "1,0": "plain", "20": OUTSIDE, "-1": OUTSIDE, "1e1": "plain"},
    "1-6": {"2.5": FRACTION, "2,0": "plain", "7.0": OUTSIDE, "1.2.3": "plain", "0": OUTSIDE},
    "1-5": {"4.5": FRACTION, "5,0": "plain", "50": OUTSIDE, "1E0": "plain", "1 0": OUTSIDE},
}


@pytest.mark.parametrize("scale", list(BAD))
def test_a_value_off_the_scale_is_a_problem_never_rescaled(make_client, tiny_bank, scale):
    bad = list(BAD[scale])
    if scale == "1-5":
        header, rows = _default_rows([bad, ["3"], ["3"]])
        columns = header[3:8]
    else:
        header = [*GROUP, *ITEM_IDS]
        rows = [_row("R1", [*bad, 1, 1, 1]), _row("R2", [1] * 8), _row("R3", [1] * 8)]
        columns = ITEM_IDS[:5]
    with pytest.raises(InputError) as excinfo:
        load_responses(_scale_client(make_client, tiny_bank, scale, header, rows))

    found = _problems(excinfo)
    assert set(found) == {(2, c) for c in columns}  # the respondent's row, one per bad cell
    for column, text in zip(columns, bad, strict=True):
        problem = found[(2, column)]
        reason, hint = _plain(scale) if BAD[scale][text] == "plain" else BAD[scale][text]
        assert problem.file == "responses.csv"
        assert problem.message == f"'{text}' {reason}; expected {EXPECTED[scale]}."
        assert problem.hint == hint


def test_xlsx_fraction_cell_names_its_row_and_column(make_client, tiny_bank):
    rows = [_row("R1", [1] * 8), _row("R2", [1, 1, 1, 2.5, 1, 1, 1, 1]), _row("R3", [1] * 8)]
    client = _scale_client(make_client, tiny_bank, "1-6", [*GROUP, *ITEM_IDS], rows, "r.xlsx")
    with pytest.raises(InputError) as excinfo:
        load_responses(client)
    (problem,) = excinfo.value.problems
    assert (problem.file, problem.row, problem.column) == ("r.xlsx", 3, "G04")
    assert problem.message == f"'2.5' {FRACTION[0]}; expected a whole number from 1 to 6."
    assert str(problem).startswith("r.xlsx, row 3, column 'G04': '2.5' is not a whole number")
