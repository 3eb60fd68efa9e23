"""End to end: a tiny client folder → papermill → nbconvert → report.html + results.json."""

from __future__ import annotations

import hashlib
import json
import re

import jsonschema
import nbformat
import numpy as np
import pandas as pd
import papermill
import pytest
import yaml

from siyu_diag import build_report
from siyu_diag.core import assets
from siyu_diag.core.errors import ChapterError, InputError
from siyu_diag.diagnosis.bank import load_bank
from siyu_diag.diagnosis.results import SCHEMA_VERSION
from siyu_diag.schema import ReportResults

BRAND = "<script>alert(1)</script>测试品牌"
DEPTS = ["市场部"] * 4 + ["私域运营"] * 4 + ["门店"] * 4 + ["管理层"] * 3


def write_client(folder, *, slug="tiny", seed=7, answers_override=None):
    """A small, valid client: 15 respondents answering the default bank with numbers."""
    bank = load_bank()
    rng = np.random.default_rng(seed)
    rows = []
    for i, dept in enumerate(DEPTS):
        level = "管理者" if dept == "管理层" or i % 4 == 0 else "一线员工"
        row = {"编号": f"R{i:03d}", "部门": dept, "岗位层级": level}
        for item in bank.items:
            row[item.id] = int(rng.integers(1, 6))
        rows.append(row)
    frame = pd.DataFrame(rows)
    if answers_override:
        for (r, col), value in answers_override.items():
            frame[col] = frame[col].astype(object)
            frame.loc[r, col] = value
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "answers.csv", index=False, encoding="utf-8-sig")
    config = {
        "brand": BRAND,
        "slug": slug,
        "industry": "restaurant",
        "stage": "launch",
        "date": "2026-11-01",
        "consultant": "张顾问",
        "language": "zh",
        "organisation": {
            "lead_reports_to": "cmo",
            "team_model": "self_built",
            "org_form": "functional",
            "roles": {"lead": 1, "shopping_guide": 20},
            "data_connected": {"crm": True, "scrm": False, "member": False},
        },
        "survey": {"file": "answers.csv"},
    }
    (folder / "client.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    return folder, frame


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    folder, frame = write_client(root / "client")
    paths = build_report(folder, root / "out")
    return folder, frame, paths


def test_outputs_exist(built):
    _, _, paths = built
    assert paths.report.is_file() and paths.results.is_file()
    assert all(p.is_file() for p in paths.notebooks)
    assert not [p for p in paths.folder.parent.iterdir() if p.name.startswith(".")]


def test_report_is_offline_and_clean(built):
    _, _, paths = built
    html = paths.report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@import" not in html and "<script src" not in html
    # no code, prompts or stderr from the notebook
    for marker in (
        "open_diagnosis",
        "sd.render",
        "import siyu_diag",
        "In&nbsp;[",
        "Traceback",
        "Warning",
    ):
        assert marker not in html
    # what the user typed is shown as text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;测试品牌" in html
    assert "<script>alert(1)" not in html
    # Chinese is there, and no missing values leak as text
    assert "私域组织力诊断报告" in html and "执行摘要" in html
    text = re.sub(r"<[^>]+>", " ", re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "", html))
    assert not re.search(r"\b(nan|NaN|None|undefined)\b", text)
    # respondent ids never appear
    assert "R001" not in html


def test_executed_notebook_has_no_errors_or_stderr(built):
    _, _, paths = built
    nb = nbformat.read(paths.notebooks[0], as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), out


def test_results_follow_schema_and_figures(built):
    folder, frame, paths = built
    data = json.loads(paths.results.read_text(encoding="utf-8"))
    jsonschema.validate(data, ReportResults.model_json_schema())
    assert data["schema_version"] == SCHEMA_VERSION
    # provenance: SHA-256 of every input, computed independently here
    sums = {i["file"]: i["sha256"] for i in data["provenance"]["inputs"]}
    for name in ("client.yaml", "answers.csv"):
        assert sums[name] == hashlib.sha256((folder / name).read_bytes()).hexdigest()
    assert data["provenance"]["question_bank"] == {"id": "siyu-org", "version": "1.0"}
    # the overall score, recomputed with plain pandas from the raw numbers
    bank = load_bank()
    meta = pd.DataFrame(
        [
            {"item": i.id, "dim": i.dimension, "sub": i.subdimension, "rev": i.reverse}
            for i in bank.items
        ]
    )
    raw = frame[meta["item"]].astype(float)
    scaled = (raw - 1) / 4 * 100
    scaled.loc[:, meta.loc[meta["rev"], "item"].tolist()] = (
        100 - scaled[meta.loc[meta["rev"], "item"].tolist()]
    )
    meta["mean"] = scaled.mean().to_numpy()
    dims = meta.groupby(["dim", "sub"])["mean"].mean().groupby("dim").mean()
    got = {d["id"]: d["score"] for d in data["diagnosis"]["dimensions"]}
    for dim, expected in dims.items():
        assert got[dim] == pytest.approx(expected)
    assert data["diagnosis"]["overall_score"] == pytest.approx(dims.mean())
    assert data["diagnosis"]["respondents"] == len(frame)
    # the groups shown are those with at least 3 respondents
    shown = {g["group"]: g["n"] for g in data["diagnosis"]["departments"]}
    assert shown == {"marketing": 4, "operations": 4, "stores": 4, "management": 3}


def test_english_report(tmp_path):
    folder, _ = write_client(tmp_path / "client", slug="tiny-en")
    paths = build_report(folder, tmp_path / "out", lang="en")
    html = paths.report.read_text(encoding="utf-8")
    assert '<html lang="en"' in html
    assert "Private-Domain Organisation Diagnosis" in html and "Executive summary" in html
    data = json.loads(paths.results.read_text(encoding="utf-8"))
    assert data["client"]["language"] == "en"
    assert data["diagnosis"]["dimensions"][0]["name"] == "Goals"


def test_bad_input_leaves_previous_report_untouched(built, tmp_path):
    folder, _, paths = built
    before = paths.report.read_bytes()
    broken, _ = write_client(tmp_path / "broken", answers_override={(2, "G01"): "九"})
    (broken / "client.yaml").write_text(
        (broken / "client.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        build_report(broken, paths.folder.parent)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == ("answers.csv", 4, "G01")
    assert paths.report.read_bytes() == before


def test_failing_chapter_leaves_no_half_written_output(built, tmp_path, monkeypatch):
    folder, _, paths = built
    before = paths.report.read_bytes()
    bad = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("client_dir = ''", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("raise RuntimeError('boom')"),
        ]
    )
    bad.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb_path = tmp_path / "bad.ipynb"
    nbformat.write(bad, nb_path)
    monkeypatch.setattr(assets, "notebook_path", lambda name: nb_path)
    with pytest.raises(ChapterError, match="boom"):
        build_report(folder, paths.folder.parent)
    assert paths.report.read_bytes() == before
    assert not [p for p in paths.folder.parent.iterdir() if p.name.startswith(".")]


def test_notebook_parameters_are_typed_and_documented():
    params = papermill.inspect_notebook(str(assets.notebook_path("01_diagnosis.ipynb")))
    assert {k: v["inferred_type_name"] for k, v in params.items()} == {
        "client_dir": "str",
        "lang": "str",
        "min_group_size": "int",
        "facts": "dict",
        "results_path": "str",
        "store_path": "str",
    }
    assert params["client_dir"]["default"] == '"sample:xiangwei"'
    assert all(v["help"] for v in params.values())


def test_notebook_holds_no_logic():
    nb = nbformat.read(assets.notebook_path("01_diagnosis.ipynb"), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"^\s*(def|class)\s", code, flags=re.M)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
