"""The operating-data notebook, executed end to end with papermill on sample copies."""

from __future__ import annotations

import json

import nbformat
import papermill
import pytest
from test_operations_chapter import OPERATIONS, sample_copy

from siyu_diag.core import assets
from siyu_diag.core.export import render_html
from siyu_diag.core.report import execute_notebook
from siyu_diag.operations import OperationsResults

NOTEBOOK = "04_operations.ipynb"


def outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_parameters_cell_is_typed_and_commented():
    params = papermill.inspect_notebook(str(assets.notebook_path(NOTEBOOK)))
    assert {"client_dir", "lang", "results_path", "churn_threshold", "silent_days"} <= set(params)
    assert params["client_dir"]["default"] == '"sample:xiangwei"'
    assert all(p["help"] for p in params.values())
    nb = nbformat.read(assets.notebook_path(NOTEBOOK), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not any(c.get("outputs") for c in code)
    assert all("def " not in c.source and "class " not in c.source for c in code)
    assert code[-1].source.strip() == "sd.save_operations_results(chapter, results_path);"


@pytest.mark.parametrize(("slug", "files"), [("qingyang", OPERATIONS["qingyang"]),
                                             ("xiangwei", None)])  # fmt: skip
def test_notebook_runs_end_to_end(tmp_path, slug, files):
    folder = sample_copy(tmp_path / "clients", slug, files)
    results = tmp_path / "staging" / "operations.json"
    executed = execute_notebook(
        NOTEBOOK,
        tmp_path / "staging",
        {"client_dir": str(folder), "lang": "", "results_path": str(results)},
    )
    nb = nbformat.read(executed, as_version=4)
    outs = outputs(nb)
    assert not [o for o in outs if o.output_type == "error"]
    assert not [o for o in outs if o.output_type == "stream" and o.name == "stderr"]
    data = json.loads(results.read_text(encoding="utf-8"))
    model = OperationsResults.model_validate(data)
    assert model.available is (files is not None)
    tocs = [e for o in outs for e in o.get("metadata", {}).get("siyu", {}).get("toc", [])]
    assert tocs[0]["id"] == "operations"
    html = render_html(nb, cover={"lang": "zh", "brand": slug, "title": "运营数据",
                                  "date": "2026-04-17", "consultant": "测试"})  # fmt: skip
    assert 'id="operations"' in html
