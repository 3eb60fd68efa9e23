"""The operating-data chapter on the sample brands: open, render, results, skipping, errors."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from siyu_diag import operations as ops
from siyu_diag.core.errors import InputError
from siyu_diag.operations.calibration import CALIBRATION_COLUMNS

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"

#: The lines each sample's client.yaml gets (the lead adds them to the committed samples).
OPERATIONS = {
    "xiangwei": {"friends": "ops/friends.csv", "orders": "ops/orders.csv",
                 "kpi_tracking": "ops/kpi.csv"},
    "qingyang": {"friends": "ops/friends.csv", "orders": "ops/orders.csv",
                 "pushes": "ops/pushes.csv", "kpi_tracking": "ops/kpi.csv"},
    "qiming": {"friends": "ops/friends.csv", "orders": "ops/orders.csv",
               "pushes": "ops/pushes.csv", "kpi_tracking": "ops/kpi.csv"},
}  # fmt: skip


def sample_copy(root: Path, slug: str, operations: dict | None) -> Path:
    """A copy of a sample folder whose client.yaml has exactly ``operations`` (or none)."""
    folder = root / slug
    shutil.copytree(SAMPLES / slug, folder)
    config = yaml.safe_load((folder / "client.yaml").read_text(encoding="utf-8"))
    config.pop("operations", None)
    if operations is not None:
        config["operations"] = operations
    (folder / "client.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def chapters(tmp_path_factory):
    root = tmp_path_factory.mktemp("ops")
    return {slug: ops.open_operations(sample_copy(root, slug, files))
            for slug, files in OPERATIONS.items()}  # fmt: skip


def visible_text(html: str) -> str:
    return re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", html)


def test_samples_tell_their_stories(chapters):
    xw = chapters["xiangwei"].ops
    october = xw.monthly.set_index("month").loc[pd.Period("2025-10", "M")]
    assert october["new_friends"] > 90_000  # two campaigns in one month
    after = xw.monthly[xw.monthly["month"] > pd.Period("2025-10", "M")]
    assert after["above_threshold"].all()  # nobody activated them: churn stays above 5%
    assert np.isnan(xw.member_share)  # the member system is not connected
    qy = chapters["qingyang"].ops
    volume = qy.pushes_by_month["messages"]
    assert volume.iloc[0] < 1_000_000 < 2_000_000 < volume.iloc[-1]
    loss = qy.pushes_by_month["loss_rate"]
    assert loss.iloc[-1] > 3 * loss.iloc[0]
    assert (qy.notes["kind"] == "unmatched_refund").any()
    qm = chapters["qiming"].ops
    assert qm.member_share > 0.3
    assert len(qm.staff) == 12 and qm.channels.empty
    lights = qm.tracking[qm.tracking["month"] == qm.tracking["month"].max()]["light"]
    assert (lights != "red").all()  # strong goals, mostly met


def test_calibrate_plan_gives_the_contract_columns(chapters):
    for chapter in chapters.values():
        cal = ops.calibrate_plan(chapter)
        assert tuple(cal.columns) == CALIBRATION_COLUMNS
        assert cal["driver"].tolist() == [
            "returning_conversion", "aov", "repurchase_frequency", "monthly_churn",
            "first_order_conversion", "first_order_aov",
        ]  # fmt: skip
        values = cal.set_index("driver")["value"]
        assert values.notna().all()
        for share in ("returning_conversion", "monthly_churn", "first_order_conversion"):
            assert 0 < values[share] < 1
        assert values["repurchase_frequency"] >= 1
        assert (cal["n"] > 0).all() and cal["period"].str.match(r"\d{4}-\d{2}/\d{4}-\d{2}").all()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_fragment_renders_without_missing_values(tmp_path, lang):
    chapter = ops.open_operations(sample_copy(tmp_path, "qingyang", OPERATIONS["qingyang"]),
                                  lang=lang)  # fmt: skip
    fragments = [render(chapter) for render in ops.SECTIONS]
    html = visible_text("".join(f.html for f in fragments))
    assert not re.search(r"\bnan\b|\bNone\b|\binf\b", html, re.IGNORECASE)
    toc = [e for f in fragments for e in f.toc]
    assert toc[0] == {"id": "operations", "title": "运营数据与看板" if lang == "zh" else
                      "Operating data and dashboards", "level": 1}  # fmt: skip
    assert [e["level"] for e in toc[1:]] == [2] * 6
    for entry in toc:
        assert f'id="{entry["id"]}"' in html
    assert html.count('<figure class="chart"') == 1  # friends over time: the one image
    assert html.count("<img") == 1
    assert html.count('<figure class="heat">') == 1  # cohort retention, drawn in HTML
    # GMV by touchpoint, customer tiers; churn and monthly GMV are bars inside their tables
    assert html.count('<figure class="likert short-labels">') == 2
    assert html.count('<figure class="table-chart">') == 2
    assert html.startswith('<section class="chapter" id="operations">')


def test_a_client_without_operating_data_gets_one_short_note(tmp_path):
    chapter = ops.open_operations(sample_copy(tmp_path, "xiangwei", None))
    assert not chapter.available and "operations" in chapter.reason
    fragments = [render(chapter) for render in ops.SECTIONS]
    assert 'id="operations"' in fragments[0].html and "<h2>" in fragments[0].html
    assert fragments[0].toc == [{"id": "operations", "title": "运营数据与看板", "level": 1}]
    assert all(f.html == "" and f.toc == [] for f in fragments[1:])
    results = ops.build_operations_results(chapter)
    assert results.available is False and results.growth == []
    assert len(results.calibration) == 6 and all(d.value is None for d in results.calibration)


def test_results_json_round_trips(chapters, tmp_path):
    path = ops.save_operations_results(chapters["qiming"], tmp_path / "ops.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    model = ops.OperationsResults.model_validate(data)
    assert model.available and model.member_gmv_share == pytest.approx(
        chapters["qiming"].ops.member_share
    )
    assert len(model.growth) == 12 and len(model.cohorts) == 12
    assert model.cohorts[0].retention[0] == 1.0
    assert {t.tier for t in model.tiers} == {"vip", "active", "silent"}
    assert {i.file for i in model.inputs} == set(OPERATIONS["qiming"].values())
    assert ops.save_operations_results(chapters["qiming"], "") is None


def test_problems_of_every_file_are_reported_together(tmp_path):
    folder = sample_copy(tmp_path, "qingyang", OPERATIONS["qingyang"])
    friends = folder / "ops" / "friends.csv"
    lines = friends.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[0], "2025-02-30")
    friends.write_text("\n".join(lines) + "\n", encoding="utf-8")
    orders = folder / "ops" / "orders.csv"
    lines = orders.read_text(encoding="utf-8").splitlines()
    lines.append(lines[-1])  # a duplicated order
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        ops.open_operations(folder)
    files = {p.file for p in info.value.problems}
    assert files == {"ops/friends.csv", "ops/orders.csv"}
    dates = [p for p in info.value.problems if p.file == "ops/friends.csv"]
    assert dates[0].row == 4 and dates[0].column == "date"


def test_bad_parameters_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="lang must be one of"):
        ops.open_operations("sample:xiangwei", lang="fr")
    with pytest.raises(InputError) as info:
        ops.open_operations("sample:xiangwei", churn_threshold=1.5)
    assert info.value.problems[0].key == "churn_threshold"
    with pytest.raises(InputError, match="silent_days"):
        ops.open_operations("sample:xiangwei", silent_days=-1)


def test_silent_days_follow_the_industry(chapters):
    assert chapters["xiangwei"].settings.silent_days == 60
    assert chapters["qingyang"].settings.silent_days == 90
    assert chapters["qiming"].settings.silent_days == 180


def test_cohort_table_colours_each_share_against_the_highest_after_month_zero():
    from siyu_diag.core.palette import SHARE_STOPS, ramp_color
    from siyu_diag.operations.render_customers import _cohort_table

    cohorts = pd.DataFrame(
        {
            "cohort": ["2025-01"] * 3 + ["2025-02"] * 2,
            "offset": [0, 1, 2, 0, 1],
            "retention": [1.0, 0.2, 0.1, 1.0, 0.25],
        }
    )
    table = _cohort_table(cohorts, "en")
    assert table["dims"] == ["0", "1", "2"]
    first, second = table["rows"]
    assert [c["text"] for c in first["cells"]] == ["100", "20", "10"]
    # the scale tops out at the highest share after month 0, 25%: 20% is 0.8 of the way
    assert first["cells"][1]["color"] == ramp_color(0.8, SHARE_STOPS)
    assert first["cells"][0]["color"] == SHARE_STOPS[1].lower()  # month 0 takes the top colour
    assert second["cells"][2] is None  # a month after the export: blank
    assert (table["scale"]["low"], table["scale"]["high"]) == ("0%", "25%")


def test_touchpoint_bars_are_stacked_against_the_largest_touchpoint(tmp_path):
    chapter = ops.open_operations(sample_copy(tmp_path, "qingyang", OPERATIONS["qingyang"]))
    html = ops.render_operations_sales(chapter).html
    rows = re.findall(r'<div class="lk-row">.*?</div></div>', html)
    gmv = chapter.ops.touchpoints.groupby("touchpoint")["gmv"].sum()
    widths = [sum(float(w) for w in re.findall(r"width:([\d.]+)%", row)) for row in rows]
    # each bar's total length is its touchpoint's GMV over the largest touchpoint's
    assert sorted(widths, reverse=True) == pytest.approx(
        sorted(gmv / gmv.max() * 100, reverse=True), abs=0.05
    )
    assert max(widths) == pytest.approx(100.0, abs=0.05)


def test_churn_bars_share_one_track_with_the_threshold():
    from siyu_diag.core.palette import ABOVE_COLOR, WITHIN_COLOR
    from siyu_diag.operations.render import _churn_bars

    bars, threshold_at = _churn_bars(pd.Series([np.nan, 0.06, 0.04]), 0.05)
    # the track ends at 1.25 × the worst month (6%) = 7.5%
    assert bars[0] is None  # the first month has no churn
    assert bars[1] == {"width": pytest.approx(6 / 7.5 * 100), "color": ABOVE_COLOR}
    assert bars[2] == {"width": pytest.approx(4 / 7.5 * 100), "color": WITHIN_COLOR}
    assert threshold_at == pytest.approx(5 / 7.5 * 100)
    # every month within a 10% threshold: the track ends at 12.5%, the line at 80% of it
    bars, threshold_at = _churn_bars(pd.Series([0.05, np.nan]), 0.10)
    assert bars[0]["width"] == pytest.approx(40.0) and bars[1] is None
    assert threshold_at == pytest.approx(80.0)


def test_monthly_gmv_bars_stack_returning_after_new_against_the_best_month():
    from siyu_diag.operations.render_customers import _gmv_months

    monthly = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02", "2025-03"],
            "gmv_new": [100.0, 50.0, np.nan],
            "gmv_returning": [100.0, 0.0, 40.0],
        }
    )
    rows = _gmv_months(monthly)  # fmt: skip
    # the best month is 200: January fills the track half new, half returning
    assert [(s["left"], s["width"]) for s in rows[0]["segments"]] == [(0.0, 50.0), (50.0, 50.0)]
    assert [(s["left"], s["width"]) for s in rows[1]["segments"]] == [(0.0, 25.0)]
    assert [(s["left"], s["width"]) for s in rows[2]["segments"]] == [(0.0, 20.0)]
    assert rows[0]["month"] == "2025-01" and rows[2]["gmv_new"] is None  # the table keeps gaps


def test_tier_bars_are_the_shares_of_customers_and_gmv(tmp_path):
    chapter = ops.open_operations(sample_copy(tmp_path, "qiming", OPERATIONS["qiming"]))
    html = ops.render_operations_customers(chapter).html
    figure = html[html.index('<figure class="likert short-labels">') :]
    rows = re.findall(r'<div class="lk-row">.*?</div></div>', figure)
    widths = [[float(w) for w in re.findall(r"width:([\d.]+)%", row)] for row in rows]
    # shares recomputed from each tier's head count and GMV
    tiers = chapter.ops.tiers.set_index("tier")
    expected = {
        tier: [tiers.loc[tier, "customers"] / tiers["customers"].sum() * 100,
               tiers.loc[tier, "gmv"] / tiers["gmv"].sum() * 100]
        for tier in tiers.index
    }  # fmt: skip
    order = list(chapter.ops.tiers["tier"])
    assert len(widths) == len(order) == len(expected)
    for tier, pair in zip(order, widths, strict=True):
        assert pair == pytest.approx(expected[tier], abs=0.01)


def test_every_sample_table_ends_before_its_clients_assessment_date():
    from siyu_diag.core.client import load_client
    from siyu_diag.operations.tables import load_table

    for slug, files in OPERATIONS.items():
        as_of = pd.Timestamp(load_client(SAMPLES / slug).config.date)
        for key, name in files.items():
            table = load_table(SAMPLES / slug / name, key, label=name, as_of=as_of.date()).table
            when = table["month"].dt.start_time if key == "kpi_tracking" else (
                table["order_time"] if key == "orders" else table["date"])  # fmt: skip
            assert when.max() <= as_of, (slug, name)


def test_orders_dated_after_the_clients_date_are_an_error_not_a_new_month(tmp_path):
    folder = sample_copy(tmp_path, "qingyang", OPERATIONS["qingyang"])  # date: 2026-04-17
    orders = folder / "ops" / "orders.csv"
    text = orders.read_text(encoding="utf-8")  # header and 17,653 orders: rows 2–17654
    extra = "".join(f"QY2099{i:04d},Q100000,2099-03-01 12:00,10.00,社群,包裹卡\n"
                    for i in range(100))  # rows 17655–17754  # fmt: skip
    orders.write_text(text + extra, encoding="utf-8")
    with pytest.raises(InputError) as info:
        ops.open_operations(folder)
    found = info.value.problems
    assert {p.file for p in found} == {"ops/orders.csv"} and len(found) == 11
    assert (found[0].row, found[0].column) == (17655, "order_time")
    assert found[0].message == (
        "'2099-03-01 12:00' is after the assessment date 2026-04-17; expected the time of the "
        "order on or before it."
    )
    assert found[-1].message == "90 more rows have the same problem (rows 17665–17754)."


def _tiny_calibration(tmp_path):
    """One complete month: 10 friends at its start, 1 deleted, 1 added; 2 first-time buyers."""
    from siyu_diag.operations.calibration import compute_calibration
    from siyu_diag.operations.purchases import prepare_orders
    from siyu_diag.operations.tables import load_table

    growth = pd.DataFrame({"month": [pd.Period("2025-01", "M")], "complete": [True],
                           "opening": [10.0], "deletions": [1.0], "existing": [9.0],
                           "new_friends": [1.0]})  # fmt: skip
    path = tmp_path / "orders.csv"
    path.write_text(
        "order_id,customer_id,order_time,amount,touchpoint\n"
        "A1,C1,2025-01-05,10,社群\n"  # C1's first purchase day
        "A2,C2,2025-01-06,10,社群\n"  # C2's first purchase day
        "A3,C1,2025-01-30,10,社群\n",  # C1 returns; the export covers January to its end
        encoding="utf-8",
    )
    prepared = prepare_orders(load_table(path, "orders", label="orders.csv").table)
    return compute_calibration(
        growth, prepared, warmup_months=0, min_people=1, min_months=1
    ).set_index("driver")


def test_a_share_above_100_percent_is_not_handed_to_the_plan(tmp_path):
    cal = _tiny_calibration(tmp_path)
    # first-time buyers 2 ÷ friends added 1 = 200%: the orders hold buyers who are not friends
    row = cal.loc["first_order_conversion"]
    assert np.isnan(row["value"]) and np.isnan(row["estimate"]) and row["n"] == 0
    assert row["period"] == ""
    assert row["basis_en"].startswith(
        "2025-01 to 2025-01 (1 month): first-time buyers 2 ÷ friends added 1 = 200.00%; "
        "2 first-time buyers. "
        "The ratio is above 100%, which a share cannot be: the orders hold more first-time "
        "buyers than friends were added"
    )
    assert "plan.yaml" in row["basis_en"] and "该比例高于 100%" in row["basis_zh"]
    # the other drivers stand: churn 1 ÷ 10, returning conversion 1 ÷ 9, AOVs 10, frequency 1
    assert cal.loc["monthly_churn", "value"] == pytest.approx(0.1)
    assert cal.loc["returning_conversion", "value"] == pytest.approx(1 / 9)
    assert cal.loc["aov", "value"] == cal.loc["first_order_aov", "value"] == pytest.approx(10)
    assert cal.loc["repurchase_frequency", "value"] == pytest.approx(1)


def test_the_plan_opens_when_the_history_gives_an_impossible_share(tmp_path):
    from siyu_diag.core.chapters import Context
    from siyu_diag.core.client import load_client
    from siyu_diag.plan.chapter import resolve_plan_inputs

    folder = sample_copy(tmp_path, "qiming", OPERATIONS["qiming"])
    friends = folder / "ops" / "friends.csv"
    table = pd.read_csv(friends, dtype=str, encoding="utf-8-sig")
    table["新增客户数"] = "1"  # one add per adviser and day: far fewer than the first buyers
    table.to_csv(friends, index=False, encoding="utf-8-sig")
    client = load_client(folder)
    calibration = Context(client).fact("calibration")  # the operating data's offer to the plan
    assert "first_order_conversion" not in calibration
    inputs, _, _ = resolve_plan_inputs(client, calibration=calibration)  # failed once
    assert inputs.drivers["first_order_conversion"].source != "calibrated"
