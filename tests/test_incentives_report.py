"""End to end: the notebook on tmp copies of the samples, the HTML it renders, the exports."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from siyu_diag.core import assets
from siyu_diag.core.errors import InputError
from siyu_diag.core.export import render_html
from siyu_diag.core.report import execute_notebook
from siyu_diag.incentives import charts as inc_charts
from siyu_diag.incentives import export_kpi_sheets_xlsx, open_incentives
from siyu_diag.incentives.results import IncentivesResults
from siyu_diag.plan import open_plan

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
GENERATOR = SAMPLES / "generate_incentives.py"
FILES = {
    "xiangwei": ("incentives.yaml", "incentive-actuals.csv"),
    "qingyang": ("incentives.xlsx", "incentive-actuals.xlsx"),
    "qiming": ("incentives.yaml", "incentive-actuals.csv"),
}


def sample_copy(root: Path, slug: str) -> Path:
    """A copy of a sample with the incentives section appended to its client.yaml."""
    folder = root / slug
    shutil.copytree(assets.sample_clients_dir() / slug, folder)
    scheme, actuals = FILES[slug]
    if "\nincentives:" not in (folder / "client.yaml").read_text(encoding="utf-8"):
        with (folder / "client.yaml").open("a", encoding="utf-8") as fh:
            fh.write(f"\nincentives:\n  scheme: {scheme}\n  actuals: {actuals}\n")
    return folder


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    root = tmp_path_factory.mktemp("incentives")
    folder = sample_copy(root, "xiangwei")
    out = root / "out"
    params = {
        "client_dir": str(folder),
        "lang": "zh",
        "results_path": str(out / "incentives.json"),
        "kpi_xlsx_path": str(out / "kpi-sheets.xlsx"),
    }
    path = execute_notebook("03_incentives.ipynb", out, params)
    return folder, out, nbformat.read(path, as_version=4)


def test_notebook_runs_clean(executed):
    _, _, nb = executed
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            assert not (output.output_type == "stream" and output.name == "stderr"), output


def test_notebook_parameters_cell_is_papermill_ready():
    nb = nbformat.read(assets.notebook_path("03_incentives.ipynb"), as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert not any(re.search(r"^\s*(def|class) ", s, re.M) for s in code)
    assert code[-1].strip() == "sd.save_incentives_results(chapter, results_path);"
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_results_json_matches_the_inputs(executed):
    folder, out, _ = executed
    data = json.loads((out / "incentives.json").read_text(encoding="utf-8"))
    results = IncentivesResults.model_validate(data)
    actuals = pd.read_csv(folder / "incentive-actuals.csv", encoding="utf-8-sig")
    assert results.available and results.period == "month" and results.stage == "launch"
    assert results.people_scored == len(actuals)
    assert sum(g.people for g in results.grades) == len(actuals)
    assert [u.id for u in results.units] == ["ops", "guide", "manager", "lead"]
    rules = {f.rule for f in results.findings}
    assert {"INC-STORES-NO-DOUBLE-CREDIT", "INC-NO-SHARED-INDICATOR",
            "INC-SHORT-VOLUME-ONLY", "INC-NO-VETO"} <= rules  # fmt: skip
    # guides' online sales that no store was credited with, summed independently
    guides = actuals[actuals["单元"] == "门店导购"]
    assert results.cost.stores_uncredited_private_sales_cny == pytest.approx(
        guides["私域成交额"].sum()
    )
    # run on its own (no facts handed over), the chapter measures the scheme against the plan's
    # year-1 GMV, as in a report run; the scheme's own GMV (18,000,000) is the fallback
    plan = open_plan(folder)
    assert results.cost.gmv_source == "plan"
    assert results.cost.gmv_cny == pytest.approx(plan.analysis.projection.year(1)["gmv"])
    assert len(results.guides.stores) == 38
    assert results.facts["incentives.has_stores"] is True


def test_report_html_shows_the_chapter(executed):
    _, _, nb = executed
    cover = {"lang": "zh", "brand": "湘味小馆", "title": "激励", "date": "2026-03-20",
             "consultant": "周思远"}  # fmt: skip
    html = render_html(nb, cover=cover)
    for sid in (
        "incentives",
        "incentives-scheme",
        "incentives-alignment",
        "incentives-payouts",
        "incentives-guides",
        "incentives-recommendation",
        "incentives-glossary",
    ):
        assert f'id="{sid}"' in html
        assert f'href="#{sid}"' in html  # listed in the contents
    text = re.sub(r'src="data:[^"]+"', "", html)
    assert not re.search(r"\b(nan|NaN|None)\b", text)
    # no image: the weight mix is a heat table, the pay per person dots on tracks, grades and
    # the guides' adds are bars, all in HTML
    assert "<img" not in html and '<figure class="chart">' not in html
    assert html.count('<figure class="heat">') == 1
    assert html.count('<figure class="likert short-labels pay-dots"') == 1
    assert html.count('<figure class="likert short-labels">') == 1


def test_kpi_sheets_for_hr(executed):
    _, out, _ = executed
    wb = openpyxl.load_workbook(out / "kpi-sheets.xlsx")
    assert wb.sheetnames == ["汇总", "私域运营组", "门店导购", "店长", "私域负责人"]
    ws = wb["门店导购"]
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == "指标")
    headers = [ws.cell(header, c).value for c in range(1, 10)]
    assert headers[:7] == ["指标", "定义", "计算公式", "单位", "权重", "目标值", "计分规则"]
    weights = [ws.cell(r, 5).value for r in range(header + 1, ws.max_row)]
    assert sum(w for w in weights if w) == pytest.approx(1.0)
    names = [ws.cell(r, 1).value for r in range(header + 1, ws.max_row)]
    assert "加粉数" in names and names[-1] == "有效客诉率"  # the veto comes last


def test_export_current_sheets_and_arguments(tmp_path):
    ch = open_incentives(sample_copy(tmp_path, "qiming"))
    path = export_kpi_sheets_xlsx(ch, tmp_path / "current.xlsx", which="current")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[1:] == [u.label for u in ch.scheme.units]
    assert export_kpi_sheets_xlsx(ch, "") is None
    with pytest.raises(InputError) as err:
        export_kpi_sheets_xlsx(ch, tmp_path / "x.xlsx", which="both")
    assert err.value.problems[0].key == "which"


def test_qingyang_workbook_sample_tells_its_story(tmp_path):
    ch = open_incentives(sample_copy(tmp_path, "qingyang"))
    rules = set(ch.analysis.findings["rule"])
    assert {"INC-MARKETING-VOLUME-NO-QUALITY", "INC-SALES-NO-RETENTION",
            "INC-TARGETS-ABOVE-PLAN", "INC-WEIGHTS-NOT-100", "INC-NO-VETO"} <= rules  # fmt: skip
    assert ch.analysis.facts["incentives.weights_sum.service"] == 110


def test_qiming_sample_is_balanced_but_short_of_long_term(tmp_path):
    ch = open_incentives(sample_copy(tmp_path, "qiming"), lang="en")
    rules = set(ch.analysis.findings["rule"])
    assert rules == {"INC-FRONTLINE-NO-LONG-TERM", "INC-STRENGTH-BALANCED"}
    payouts = ch.analysis.payouts
    vetoed = payouts[payouts["vetoed"]]
    assert list(vetoed["employee"]) == ["QM-A05"]
    assert vetoed["commission"].iloc[0] == 0  # forfeit: all


def test_generator_is_reproducible(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True,
                   capture_output=True)  # fmt: skip
    for slug, names in FILES.items():
        for name in names:
            fresh = (tmp_path / slug / name).read_bytes()
            assert fresh == (SAMPLES / slug / name).read_bytes(), f"{slug}/{name} differs"


# ----------------------------------------------------------------------------- charts


def test_mix_heatmap_annotates_percentages():
    data = pd.DataFrame({"短期": [1.0, 0.25], "中期": [0.0, 0.75]}, index=["市场部", "运营"])
    ax = inc_charts.plot_mix_heatmap(data, lang="zh", split=1)
    assert sorted(t.get_text() for t in ax.texts) == ["0%", "100%", "25%", "75%"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["市场部", "运营"]
    assert ax.get_title() == "各单元考核权重分布：周期与类别"


def test_grade_distribution_bars_are_shares():
    counts = pd.DataFrame({"A": [2, 0], "B": [2, 5]}, index=["u1", "u2"])
    ax = inc_charts.plot_grade_distribution(counts, lang="en")
    widths = [round(p.get_width(), 6) for p in ax.patches]
    assert widths == [0.5, 0.0, 0.5, 1.0]
    assert ax.get_xlabel() == "Share of people (%)"


def test_guide_adds_listed_largest_first_with_bars_relative_to_the_largest():
    from siyu_diag.incentives import render_incentives_guides

    chapter = open_incentives("sample:xiangwei")
    html = render_incentives_guides(chapter).html
    rows = re.findall(
        r"<tr><td>([^<]+)</td>.*?width:([\d.]+)%\"></span><strong>([\d,]+)</strong>", html
    )
    adds = chapter.analysis.guides.set_index("store")["monthly_adds_per_guide"]
    expected = adds.sort_values(ascending=False, kind="stable")
    assert [store for store, _, _ in rows] == list(expected.index)
    for store, width, _ in rows:
        assert float(width) == pytest.approx(adds[store] / adds.max() * 100, abs=0.05)
    assert float(rows[0][1]) == 100.0


def test_payout_chart_and_language_check():
    data = pd.DataFrame({"unit": ["a", "a", "b"], "variable": [100.0, 200.0, 50.0]})
    ax = inc_charts.plot_payout_distribution(data, lang="zh")
    assert ax.get_xlabel() == "浮动薪酬（元/人/期）"
    with pytest.raises(ValueError, match="must be one of"):
        inc_charts.plot_payout_distribution(data, lang="fr")


def test_weight_mix_table_shows_shares_with_a_line_between_horizons_and_families():
    from siyu_diag.core.palette import SHARE_STOPS
    from siyu_diag.incentives.graphics import mix_table as _mix_table

    mix = pd.DataFrame(
        [[1.0, 0.0, 0.0, 0.5, 0.5, float("nan")]],
        index=["门店导购"],
        columns=["短期", "中期", "长期", "用户资产", "经营", "过程管理"],
    )
    table = _mix_table(mix, "zh")
    (row,) = table["rows"]
    assert [c and c["text"] for c in row["cells"]] == ["100%", "0%", "0%", "50%", "50%", None]
    # halfway along #F4F7FB → #2F6DB5: (244+47)/2=145.5→146 (0x92), (247+109)/2=178 (0xb2),
    # (251+181)/2=216 (0xd8)
    assert row["cells"][3]["color"] == "#92b2d8"
    assert row["cells"][0]["color"] == SHARE_STOPS[1].lower()
    assert table["split"] == 3 and table["corner"] == "周期 | 类别"


def test_grade_bars_split_each_unit_by_grade_best_first():
    from siyu_diag.core.palette import LEVEL_COLORS
    from siyu_diag.incentives.graphics import grade_rows as _grade_rows

    counts = pd.DataFrame({"S": [1, 0], "A": [3, 0], "B": [4, 2]}, index=["导购", "店长"])
    first, second = _grade_rows(counts)
    # 8 guides: 1/8 S from 0 to 12.5%, 3/8 A to 50%, 4/8 B to 100%
    assert [(s["left"], s["width"], s["value"]) for s in first["segments"]] == [
        (0.0, 12.5, 1),
        (12.5, 37.5, 3),
        (50.0, 50.0, 4),
    ]
    assert [s["color"] for s in first["segments"]] == [
        LEVEL_COLORS[5],
        LEVEL_COLORS[3],
        LEVEL_COLORS[1],
    ]
    assert [s["labelled"] for s in first["segments"]] == [True, True, True]
    assert [(s["left"], s["width"]) for s in second["segments"]] == [(0.0, 100.0)]


def test_pay_dots_place_each_person_band_and_median_on_a_round_axis():
    import numpy as np

    from siyu_diag.incentives.graphics import pay_dots as _pay_dots

    pay = pd.DataFrame(
        {
            "unit": ["店长", "导购", "导购", "店长", "导购", "导购", "导购"],
            "variable": [3000.0, 3400.0, 1000.0, 0.0, 2000.0, 500.0, 1500.0],
        }
    )
    dots = _pay_dots(pay)
    # the largest pay is 3,400: steps of 500 would need 7, steps of 1,000 reach 4,000 in 4
    assert dots["axis_max"] == 4000
    assert [t["label"] for t in dots["ticks"]] == ["0", "1,000", "2,000", "3,000", "4,000"]
    assert [t["left"] for t in dots["ticks"]] == [0.0, 25.0, 50.0, 75.0, 100.0]
    manager, guide = dots["rows"]  # in order of first appearance
    assert (manager["unit"], guide["unit"]) == ("店长", "导购")
    # each person at pay / 4,000: 500 → 12.5%, 1,000 → 25%, 1,500 → 37.5%, 2,000 → 50%, 3,400 → 85%
    assert sorted(d["left"] for d in guide["dots"]) == [12.5, 25.0, 37.5, 50.0, 85.0]
    assert sorted(d["left"] for d in manager["dots"]) == [0.0, 75.0]
    for row, values in ((guide, [3400, 1000, 2000, 500, 1500]), (manager, [3000, 0])):
        q1, median, q3 = np.percentile(values, [25, 50, 75])
        assert row["band"]["left"] == pytest.approx(q1 / 4000 * 100)
        assert row["band"]["width"] == pytest.approx((q3 - q1) / 4000 * 100)
        assert row["median"] == pytest.approx(median / 4000 * 100)
    # guides: quartiles 1,000 and 2,000, median 1,500; managers: 750 to 2,250, median 1,500
    assert (guide["band"]["left"], guide["band"]["width"], guide["median"]) == (25.0, 25.0, 37.5)
    assert (manager["band"]["left"], manager["band"]["width"]) == (18.75, 37.5)


def test_pay_dots_keep_people_with_the_same_pay_apart_the_same_way_every_time():
    from siyu_diag.incentives.graphics import pay_dots as _pay_dots

    pay = pd.DataFrame({"unit": ["a"] * 4, "variable": [7000.0] * 4})
    first, second = _pay_dots(pay), _pay_dots(pay)
    assert first == second
    (row,) = first["rows"]
    assert {d["left"] for d in row["dots"]} == {7000 / 8000 * 100}  # ticks 0, 2,000 … 8,000
    tops = [d["top"] for d in row["dots"]]
    assert len(set(tops)) == 4 and all(0 < t < 100 for t in tops)
    assert row["band"]["width"] == 0


def test_pay_dots_when_nobody_earned_variable_pay(tmp_path):
    from siyu_diag.incentives import render_incentives_payouts
    from siyu_diag.incentives.graphics import pay_dots as _pay_dots

    dots = _pay_dots(pd.DataFrame({"unit": ["a", "a", "b"], "variable": [0.0, 0.0, 0.0]}))
    assert dots["axis_max"] > 0
    assert [d["left"] for r in dots["rows"] for d in r["dots"]] == [0.0, 0.0, 0.0]
    assert [(r["band"]["left"], r["band"]["width"], r["median"]) for r in dots["rows"]] == [
        (0.0, 0.0, 0.0),
        (0.0, 0.0, 0.0),
    ]
    ch = open_incentives(sample_copy(tmp_path, "qiming"))
    ch.analysis.payouts["variable"] = 0.0
    html = render_incentives_payouts(ch).html
    assert html.count('class="pd-dot" style="left:0.00%') == len(ch.analysis.payouts)
    assert not re.search(r"\b(nan|NaN|None|inf)\b", html)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_payouts_section_draws_pay_per_person_in_html(lang):
    import numpy as np

    from siyu_diag.incentives import render_incentives_payouts

    chapter = open_incentives("sample:xiangwei", lang=lang)
    html = render_incentives_payouts(chapter).html
    assert "<img" not in html
    assert html.count('<figure class="likert short-labels pay-dots"') == 1
    figure = html[html.index("pay-dots") : html.index("</figure>")]
    payouts = chapter.analysis.payouts
    names = {u.id: u.label for u in chapter.scheme.units}
    # the best paid person is the lead with 13,000: steps of 5,000 up to 15,000
    assert payouts["variable"].max() == 13000
    ticks = re.findall(r'<span style="left:([\d.]+)%">([\d,]+)</span>', figure)
    assert ticks == [("0.00", "0"), ("33.33", "5,000"), ("66.67", "10,000"), ("100.00", "15,000")]
    rows = re.findall(
        r'<strong>([^<]+)</strong></div><div class="lk-bar pd-track">(.*?)</div>', figure
    )
    assert [unit for unit, _ in rows] == [names[u] for u in pd.unique(payouts["unit"])]
    for (unit, track), (_, values) in zip(rows, payouts.groupby("unit", sort=False), strict=True):
        values = values["variable"].to_numpy(float)
        lefts = [float(x) for x in re.findall(r'class="pd-dot" style="left:([\d.]+)%', track)]
        assert sorted(lefts) == pytest.approx(sorted(values / 15000 * 100), abs=0.005), unit
        (median,) = re.findall(r'class="pd-median" style="left:([\d.]+)%', track)
        assert float(median) == pytest.approx(np.median(values) / 15000 * 100, abs=0.005)
    assert figure.count('class="pd-dot"') == len(payouts) + 1  # and one in the legend
    axis = {"zh": "浮动薪酬（元/人/每月）", "en": "Variable pay (CNY per person per month)"}
    assert axis[lang] in figure
