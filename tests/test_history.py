"""The report's history-and-peers section, from a store filled by hand."""

from __future__ import annotations

import copy

import nbformat
import papermill
import pytest

from siyu_diag import open_diagnosis, render_history
from siyu_diag.core import assets
from siyu_diag.diagnosis.results import build_results
from siyu_diag.portfolio.store import record_assessment


@pytest.fixture(scope="module")
def chapter():
    return open_diagnosis("sample:qiming")


@pytest.fixture(scope="module")
def current(chapter):
    return build_results(chapter).model_dump(mode="json")


def shifted(current, *, slug=None, date=None, shift=0.0, version=None, industry=None):
    """A copy of the current results as another brand or an earlier assessment."""
    r = copy.deepcopy(current)
    if slug:
        r["client"]["slug"] = slug
        r["client"]["brand"] = f"Hidden brand {slug}"
    if date:
        r["client"]["date"] = date
    if industry:
        r["client"]["industry"] = industry
    if version:
        r["provenance"]["question_bank"]["version"] = version
    r["diagnosis"]["overall_score"] += shift
    for d in r["diagnosis"]["dimensions"]:
        d["score"] += shift
    return r


def test_no_store_means_no_section(chapter):
    fragment = render_history(chapter, "")
    assert fragment.html == "" and fragment.toc == []


def test_first_assessment_and_too_few_peers(chapter, tmp_path):
    fragment = render_history(chapter, tmp_path / "new.sqlite")
    assert fragment.placement == "body"
    assert fragment.toc == [{"id": "history", "title": "历次评估与同业位置", "level": 2}]
    assert '<section class="sub" id="history">' in fragment.html
    assert "第一次评估" in fragment.html
    assert "其他品牌少于 5 个" in fragment.html
    assert "<table" not in fragment.html


def test_change_since_last_time_and_peer_percentiles(chapter, current, tmp_path):
    db = tmp_path / "a.sqlite"
    record_assessment(db, shifted(current, date="2025-06-01", shift=-7.5))
    for i, shift in enumerate([-20, -10, -1, 5, 15]):
        record_assessment(db, shifted(current, slug=f"peer{i}", shift=shift, industry="fmcg"))
    html = render_history(chapter, db).html
    assert "2025-06-01" in html
    assert html.count("▲ +7.5") == 1 + len(current["diagnosis"]["dimensions"])
    # 3 of the 5 peers score lower on everything → percentile 60, shown for all brands
    assert "全部品牌百分位（n=5）" in html
    assert html.count('<td class="num">60</td>') == 1 + len(current["diagnosis"]["dimensions"])
    # none of them is in the brand's industry (education)
    assert "同属教育行业的其他品牌少于 5 个" in html
    assert "Hidden brand" not in html and "peer0" not in html


def test_bank_version_change_suppresses_the_change(chapter, current, tmp_path):
    db = tmp_path / "a.sqlite"
    record_assessment(db, shifted(current, date="2025-06-01", version="0.9"))
    html = render_history(chapter, db).html
    assert "不可比" in html and "siyu-org 0.9" in html
    assert "▲" not in html and "▼" not in html


def test_english_labels(current, tmp_path):
    chapter = open_diagnosis("sample:qiming", lang="en")
    html = render_history(chapter, tmp_path / "a.sqlite").html
    assert "first assessment" in html and "Fewer than 5 other brands" in html


def test_notebook_takes_the_store_path_parameter():
    path = assets.notebook_path("01_diagnosis.ipynb")
    params = papermill.inspect_notebook(str(path))
    assert params["store_path"]["inferred_type_name"] == "str"
    assert params["store_path"]["default"] == '""' and params["store_path"]["help"]
    code = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert code.index("sd.render_history(chapter, store_path)") < code.index(
        "sd.render_findings(chapter)"
    )
