"""The planning chapter end to end: notebook in report mode, fragments, results, workbook."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import openpyxl
import pandas as pd
import pytest

from siyu_diag.core import assets
from siyu_diag.core.report import execute_notebook
from siyu_diag.plan import (
    PlanResults,
    Scenario,
    build_plan_results,
    export_plan_xlsx,
    open_plan,
    plan_summary,
    project_what_if,
    save_plan_results,
    save_scenario,
)
from siyu_diag.plan.render import SECTIONS

PLAN_LINES = "\nplan:\n  file: plan.yaml\n"


def sample_copy(tmp_path, slug, *, plan=True):
    folder = tmp_path / slug
    shutil.copytree(assets.sample_clients_dir() / slug, folder)
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    if plan and "\nplan:" not in text:
        (folder / "client.yaml").write_text(text + PLAN_LINES, encoding="utf-8")
    if not plan and "\nplan:" in text:
        (folder / "client.yaml").write_text(text.split("\nplan:")[0] + "\n", encoding="utf-8")
    return folder


SCREEN = {"first_order_conversion": 0.1111111111, "add_rate.stores": 0.0377, "aov": 97.25}


@pytest.fixture(scope="module")
def report_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("plan-report")
    folder = sample_copy(root, "xiangwei")
    chapter = open_plan(folder)
    screen = project_what_if(chapter.inputs, SCREEN)
    save_scenario(folder, Scenario(name="on-screen", description="客户演示", overrides=SCREEN))
    params = {
        "client_dir": str(folder),
        "lang": "",
        "scenario": "on-screen",
        "draws": 0,
        "xlsx_path": str(root / "plan.xlsx"),
        "results_path": str(root / "plan.json"),
    }
    executed = execute_notebook("02_targets.ipynb", root / "stage", params)
    return folder, root, screen, nbformat.read(executed, as_version=4)


def test_notebook_runs_clean_in_report_mode(report_run):
    _, _, _, nb = report_run
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error"
            assert not (out.output_type == "stream" and out.name == "stderr"), out.text
    html = "".join(
        o["data"].get("text/html", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.output_type in ("display_data", "execute_result")
    )
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    assert '<section class="chapter" id="plan">' in text
    for sub in ("summary", "assumptions", "monthly", "tree", "gap", "scenarios", "uncertainty"):
        assert f'id="plan-{sub}"' in text
    assert "nan" not in text.lower() and "None" not in text
    # users, money and the Monte Carlo histogram are images; the driver tree's waterfall, the two
    # tornados (and the gap bridge when there is a gap) are drawn in HTML
    assert text.count("<img") == 3
    assert text.count('<figure class="tornado">') >= 3
    toc = [
        e["id"]
        for c in nb.cells
        for o in c.get("outputs", [])
        for e in o.get("metadata", {}).get("siyu", {}).get("toc", [])
    ]
    assert toc[0] == "plan" and "plan-method" in toc


def test_report_run_reproduces_the_screen(report_run):
    _, root, screen, _ = report_run
    data = json.loads((root / "plan.json").read_text(encoding="utf-8"))
    results = PlanResults.model_validate(data)
    assert results.available and results.scenario == "on-screen"
    got = [m.gmv_cny for m in results.monthly]
    assert got == screen.monthly["gmv"].tolist()  # exactly the numbers on screen
    assert [m.cumulative_profit_cny for m in results.monthly] == (
        screen.monthly["cumulative_profit"].tolist()
    )
    assert results.break_even_month == screen.break_even_month
    sources = {d.name: d.source for d in results.drivers}
    assert sources["aov"] == "scenario" and sources["gross_margin"] == "plan"
    files = [i["file"] for i in results.provenance["inputs"]]
    assert files == ["plan.yaml", "scenarios/on-screen.yaml"]


def test_results_json_has_no_nan(report_run):
    _, root, _, _ = report_run

    def refuse(token):
        raise AssertionError(f"{token} in results")

    json.loads((root / "plan.json").read_text(encoding="utf-8"), parse_constant=refuse)


def test_workbook_is_readable_by_finance(report_run):
    folder, root, screen, _ = report_run
    wb = openpyxl.load_workbook(root / "plan.xlsx")
    assert wb.sheetnames == ["假设", "月度", "年度"]
    ws = wb["假设"]
    assert [c.value for c in ws[1]] == [
        "驱动因素代码",
        "驱动因素",
        "取值",
        "区间低值",
        "区间高值",
        "单位",
        "来源",
    ]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert rows["aov"][2].value == 97.25 and rows["aov"][6].value == "情景 on-screen"
    assert rows["gross_margin"][2].number_format == "0.00%"
    assert ws.freeze_panes == "B2"
    ws = wb["月度"]
    headers = [c.value for c in ws[1]]
    assert (
        "GMV（元）" in headers
        and "新增用户（人）" in headers
        and "门店扫码 新增用户（人）" in headers
    )
    assert ws.max_row == 1 + 24
    gmv_col = headers.index("GMV（元）") + 1
    assert [ws.cell(row=r, column=gmv_col).value for r in range(2, 26)] == pytest.approx(
        screen.monthly["gmv"].tolist()
    )
    assert ws.cell(row=2, column=gmv_col).number_format == "#,##0"
    assert ws.column_dimensions["B"].width >= 10
    annual = [c.value for c in wb["年度"][1]]
    assert any(h.startswith("ROI") for h in annual) and any(h.startswith("ROAS") for h in annual)
    assert any(h.startswith("来源口径比") for h in annual)


@pytest.mark.parametrize(
    ("slug", "lang"), [("xiangwei", "en"), ("qingyang", "zh"), ("qingyang", "en"), ("qiming", "zh")]
)
def test_every_sample_renders_in_both_languages(tmp_path, slug, lang):
    chapter = open_plan(sample_copy(tmp_path, slug), lang=lang, draws=500)
    html = "".join(render(chapter).html for render in SECTIONS)
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    assert "nan" not in text.lower() and "None" not in text
    build_plan_results(chapter)
    summary = plan_summary(chapter)
    assert summary["available"] and summary["text"]


def test_sample_stories(tmp_path):
    qingyang = open_plan(sample_copy(tmp_path, "qingyang"))
    assert qingyang.inputs.channels_file == "channels.xlsx"
    assert [c.id for c in qingyang.inputs.channels] == [
        "parcel_card",
        "douyin",
        "xiaohongshu",
        "mini_program",
    ]
    assert qingyang.analysis.gap.gap_share > 0.15  # +40% is a wish
    assert qingyang.analysis.monte_carlo.prob_target < 0.05
    qiming = open_plan(sample_copy(tmp_path, "qiming"))
    assert 0 < qiming.analysis.gap.gap_share < 0.05  # realistic
    assert (qiming.analysis.gap.closing["status"] == "feasible").any()
    xiangwei = open_plan(sample_copy(tmp_path, "xiangwei"))
    assert "parcel_card" not in {c.id for c in xiangwei.inputs.channels}
    assert xiangwei.analysis.projection.break_even_month > 6  # a launch
    saved = open_plan(sample_copy(tmp_path / "s", "xiangwei"), scenario="activate-first")
    assert saved.inputs.scenario == "activate-first"


def test_plan_summary_names_what_closes_the_gap(tmp_path):
    chapter = open_plan(sample_copy(tmp_path, "qiming"))
    s = plan_summary(chapter)
    gap = chapter.analysis.gap
    assert s["gap"] == gap.gap and s["target_gmv"] == gap.target_gmv
    assert s["closers"] and all(c["label"] for c in s["closers"])
    assert s["reaches_target"] is True
    assert "启明" not in s["text"] and "缺口" in s["text"]


def test_client_without_plan_is_skipped(tmp_path):
    folder = sample_copy(tmp_path, "qiming", plan=False)
    chapter = open_plan(folder, lang="en")
    assert not chapter.available and "plan" in chapter.reason
    first = SECTIONS[0](chapter)
    assert '<section class="chapter" id="plan">' in first.html and chapter.reason in first.html
    assert first.toc == [{"id": "plan", "title": "Targets and the operating plan", "level": 1}]
    assert all(render(chapter).html == "" for render in SECTIONS[1:])
    assert build_plan_results(chapter).available is False
    assert export_plan_xlsx(chapter, tmp_path / "x.xlsx") is None
    assert plan_summary(chapter) == {"available": False, "reason": chapter.reason}
    save_plan_results(chapter, tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text())["available"] is False
    assert save_plan_results(chapter, "") is None


def test_plan_scenario_default_from_client_yaml(tmp_path):
    folder = sample_copy(tmp_path, "xiangwei")
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    (folder / "client.yaml").write_text(
        text.replace(
            "plan:\n  file: plan.yaml", "plan:\n  file: plan.yaml\n  scenario: activate-first"
        ),
        encoding="utf-8",
    )
    chapter = open_plan(folder, draws=200)
    assert chapter.inputs.scenario == "activate-first"
    assert chapter.inputs.drivers["headcount.community"].value == 4


def test_text_from_inputs_is_escaped(tmp_path):
    folder = sample_copy(tmp_path, "qiming")
    plan = (folder / "plan.yaml").read_text(encoding="utf-8")
    (folder / "plan.yaml").write_text(
        plan.replace("name: 小红书", "name: <b>小红书</b>"), encoding="utf-8"
    )
    chapter = open_plan(folder, draws=200)
    html = "".join(render(chapter).html for render in SECTIONS)
    assert "<b>小红书</b>" not in html and "&lt;b&gt;小红书&lt;/b&gt;" in html


def test_monthly_table_shows_twelve_months_with_totals(tmp_path):
    chapter = open_plan(sample_copy(tmp_path, "qingyang"), draws=200)
    html = SECTIONS[2](chapter).html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == 12
    assert "<tfoot>" in html
    p = chapter.analysis.projection
    assert isinstance(p.monthly, pd.DataFrame) and len(p.monthly) == 36


def test_notebook_parameters_and_no_logic():
    import papermill

    path = assets.notebook_path("02_targets.ipynb")
    params = papermill.inspect_notebook(str(path))
    types = {k: v["inferred_type_name"] for k, v in params.items()}
    assert (
        types.items()
        >= {
            "client_dir": "str",
            "lang": "str",
            "scenario": "str",
            "draws": "int",
            "xlsx_path": "str",
            "results_path": "str",
        }.items()
    )
    assert params["client_dir"]["default"] == '"sample:xiangwei"'
    assert all(v["help"] for v in params.values())
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"^\s*(def|class|for|if|while)\s", code, flags=re.M)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "sd.save_plan_results(chapter, results_path);" in code


def test_tornado_bars_sit_around_the_base_on_one_shared_axis(tmp_path):
    from siyu_diag.plan.render_risk import _tornado

    chapter = open_plan(sample_copy(tmp_path, "xiangwei"))
    tornado = _tornado(chapter, "gmv")
    table = chapter.analysis.tornado.sort_values("gmv_swing", ascending=False)
    base = float(chapter.analysis.projection.year(1)["gmv"])
    lo = min(base, table["gmv_low"].min(), table["gmv_high"].min())
    hi = max(base, table["gmv_low"].max(), table["gmv_high"].max())
    assert tornado["base_at"] == pytest.approx((base - lo) / (hi - lo) * 100)
    outcomes = table[["gmv_low", "gmv_high"]].to_numpy()  # 5 ranged drivers, all shown
    for row, (low, high) in zip(tornado["rows"], outcomes, strict=True):
        for bar, value in ((row["low_bar"], low), (row["high_bar"], high)):
            # each bar runs from the base to the driver's outcome, on the shared axis
            assert bar["width"] == pytest.approx(abs(value - base) / (hi - lo) * 100)
            assert bar["left"] == pytest.approx((min(value, base) - lo) / (hi - lo) * 100)
    widest = max(
        max(
            r["low_bar"]["left"] + r["low_bar"]["width"],
            r["high_bar"]["left"] + r["high_bar"]["width"],
        )
        for r in tornado["rows"]
    )
    assert widest == pytest.approx(100.0)  # the largest outcome reaches the end of the axis


def test_waterfall_runs_from_total_through_steps_on_one_axis(tmp_path):
    from siyu_diag.plan.render_bridge import _waterfall

    chapter = open_plan(sample_copy(tmp_path, "xiangwei"))
    data = pd.DataFrame(
        {
            "label": ["last year", "up", "down", "plan"],
            "value": [100.0, 50.0, -30.0, 120.0],
            "kind": ["total", "step", "step", "total"],
        }
    )
    w = _waterfall(chapter, "plan_fig_tree", data, target=160.0)
    # the axis runs from 0 to 160 (the target): 100 → 62.5%, the step 100→150 from 62.5% for
    # 31.25%, the step 150→120 from 75% for 18.75%, the plan 0→120 for 75%; the target at 100%
    assert [(r["left"], r["width"]) for r in w["rows"]] == [
        (0.0, 62.5),
        (62.5, 31.25),
        (75.0, 18.75),
        (0.0, 75.0),
    ]
    assert w["target_at"] == 100.0
    assert [r["total"] for r in w["rows"]] == [True, False, False, True]
    assert w["rows"][1]["color"] != w["rows"][2]["color"]  # up and down differ
