"""The command line: exit codes, messages, and the `new` → fill in → `validate` round trip."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
import pytest
import yaml

from siyu_diag.cli import main
from siyu_diag.diagnosis.bank import load_bank


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["frobnicate"])
    assert exit_.value.code == 2
    with pytest.raises(SystemExit) as exit_:
        main(["run"])
    assert exit_.value.code == 2


def test_validate_sample_ok(capsys):
    assert main(["validate", "sample:xiangwei"]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "straight_lining" in out


def test_user_error_exits_1_without_traceback(tmp_path, capsys):
    (tmp_path / "client.yaml").write_text("brand: x\nslgu: y\n", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "unknown key 'slgu'" in err and "Did you mean 'slug'?" in err
    assert "client.yaml" in err


def test_unknown_sample_exits_1(capsys):
    assert main(["validate", "sample:nope"]) == 1
    assert "sample:xiangwei" in capsys.readouterr().err


def test_new_then_fill_then_validate(tmp_path, capsys):
    folder = tmp_path / "acme"
    assert main(["new", str(folder), "--brand", "Acme 食品"]) == 0
    config = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))
    assert config["brand"] == "Acme 食品" and config["slug"] == "acme"
    # blank questionnaire: a clear error, not a crash
    assert main(["validate", str(folder)]) == 1
    assert "has no answers" in capsys.readouterr().err
    assert book_sheets(folder) == ["问卷", "说明"]
    # fill three respondents in the generated workbook, using its drop-down labels
    bank = load_bank()
    book = openpyxl.load_workbook(folder / "questionnaire.xlsx")
    sheet = book["问卷"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["编号", "部门", "岗位层级"]
    assert headers[3] == f"{bank.items[0].id}、{bank.items[0].text.zh}"
    for r, (dept, level) in enumerate(
        [("市场部", "一线员工"), ("私域运营", "一线员工"), ("管理层", "管理者")], start=2
    ):
        sheet.cell(row=r, column=1, value=f"A{r}")
        sheet.cell(row=r, column=2, value=dept)
        sheet.cell(row=r, column=3, value=level)
        for c in range(4, len(headers) + 1):
            sheet.cell(row=r, column=c, value="同意")
    book.save(folder / "questionnaire.xlsx")
    assert main(["validate", str(folder)]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "responses      3" in out


def book_sheets(folder):
    return openpyxl.load_workbook(folder / "questionnaire.xlsx").sheetnames


def test_new_refuses_to_overwrite(tmp_path, capsys):
    assert main(["new", str(tmp_path / "a")]) == 0
    assert main(["new", str(tmp_path / "a")]) == 1
    assert "--force" in capsys.readouterr().err


def test_our_processes_skip_the_iri_grammar_yet_validate_notebooks():
    # run in a fresh interpreter: this one may have imported jsonschema already
    code = """
import sys
from siyu_diag._lazy import skip_unused_imports
skip_unused_imports()
import jsonschema, nbformat
nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]))
print("rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is not None)
print("iri" in jsonschema.FormatChecker.checkers)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
