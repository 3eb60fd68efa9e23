"""The what-if dashboard: callbacks without a browser, saved scenarios reproduce the screen."""

import shutil

import pandas as pd
import papermill as pm
import pytest
import yaml

from siyu_diag.core import assets
from siyu_diag.core.fmt import fmt_money
from siyu_diag.plan import dashboard, load_scenario, open_plan, project_what_if
from siyu_diag.plan import drivers as drv
from siyu_diag.plan import widgets as pw
from siyu_diag.plan.widgets import PlanDashboard, build_dashboard, show_plan_dashboard

SCENARIO = "activate-first"  # shipped with the xiangwei sample


def copy_sample(tmp_path, slug="xiangwei"):
    """A copy of a sample client whose client.yaml names its plan file."""
    folder = tmp_path / slug
    shutil.copytree(assets.sample_clients_dir() / slug, folder)
    config = folder / "client.yaml"
    if yaml.safe_load(config.read_text(encoding="utf-8")).get("plan") is None:
        with config.open("a", encoding="utf-8") as fh:
            fh.write("\nplan:\n  file: plan.yaml\n")
    return folder


@pytest.fixture
def client(tmp_path):
    return copy_sample(tmp_path)


@pytest.fixture
def dash(client):
    return build_dashboard(open_plan(client))


def y1(projection):
    return projection.year(1)


def test_english_dashboard(client):
    dash = build_dashboard(open_plan(client, lang="en"))
    assert dash.save_button.description == "Save scenario"
    assert "CNY per order" in dash.sliders["aov"].description
    assert "Year-1 GMV" in dash._cards.value


def test_dashboard_is_a_widget_with_the_controls(dash):
    assert isinstance(dash, PlanDashboard)
    inputs = dash.chapter.inputs
    assert set(dashboard.KEY_DRIVERS) <= set(dash.sliders)
    for channel in inputs.channels:
        for kind in dashboard.CHANNEL_FIELDS:
            name = f"{kind}.{channel.id}"
            assert dash.sliders[name].value == inputs.value(name)
            assert dash.table[name].value == inputs.value(name)
    # units in the descriptions, e.g. 元/单 for the average order value
    assert "元/单" in dash.sliders["aov"].description
    assert all(s.continuous_update is False for s in dash.sliders.values())
    assert dash.picker.options[0][1] == pw.PLAN_AS_WRITTEN
    assert SCENARIO in [value for _, value in dash.picker.options]
    assert dash.current_overrides() == {}
    assert dash.error is None


def test_slider_move_updates_kpis_as_a_hand_calculation(dash):
    inputs = dash.chapter.inputs
    before = dash.projection.monthly.loc[1:12]
    aov = inputs.value("aov") * 1.1
    dash.sliders["aov"].value = aov  # the slider's own callback

    # GMV is existing users × conversion × AOV × frequency + new users' first orders; the AOV
    # changes neither the user base nor the new users' GMV.
    by_hand = (
        before["existing_users"]
        * inputs.value("returning_conversion")
        * aov
        * inputs.value("repurchase_frequency")
    ).sum() + before["gmv_new"].sum()
    kpis = dash.kpis()
    assert kpis["gmv"] == pytest.approx(by_hand, rel=1e-12)
    assert dash.current_overrides() == {"aov": aov}
    expected = y1(project_what_if(inputs, {"aov": aov}))
    for key in ("gmv", "profit", "roi", "roas", "source_ratio"):
        assert kpis[key] == expected[key]
    assert fmt_money(kpis["gmv"], "zh") in dash._cards.value


def test_set_value_is_the_slider_callback_and_updates_every_control(dash):
    inputs = dash.chapter.inputs
    dash.set_value("add_rate.stores", 0.052)
    assert dash.sliders["add_rate.stores"].value == 0.052
    assert dash.table["add_rate.stores"].value == 0.052
    expected = project_what_if(inputs, {"add_rate.stores": 0.052})
    assert dash.kpis()["gmv"] == y1(expected)["gmv"]
    assert dash.kpis()["break_even_month"] == expected.break_even_month


def test_channel_table_edit_recomputes(dash):
    inputs = dash.chapter.inputs
    dash.table["traffic.douyin"].value = 61_000.0
    assert dash.sliders["traffic.douyin"].value == 61_000.0
    expected = project_what_if(inputs, {"traffic.douyin": 61_000.0})
    assert dash.kpis()["profit"] == y1(expected)["profit"]


def test_gap_is_target_minus_year_one_gmv(dash):
    inputs = dash.chapter.inputs
    kpis = dash.kpis()
    assert kpis["target_gmv"] == inputs.target.amount(inputs.last_year.gmv)
    assert kpis["gap"] == kpis["target_gmv"] - kpis["gmv"]
    assert kpis["gap"] == pytest.approx(dash.chapter.analysis.gap.gap, rel=1e-9)


def test_invalid_entry_shows_an_error_and_keeps_the_last_figures(dash, client):
    before = dash.kpis()
    dash.table["add_rate.stores"].value = 1.5  # a rate above 100 %
    assert dash.error is not None
    assert "add_rate.stores" in dash.status.value
    assert "门店扫码 · 添加率" in dash.status.value
    assert dash.kpis() == before
    assert dash.sliders["add_rate.stores"].value <= 1
    assert dash.save("broken") is None  # nothing is saved while an entry is invalid
    assert not (client / "scenarios" / "broken.yaml").exists()
    dash.table["add_rate.stores"].value = 0.05
    assert dash.error is None
    assert dash.current_overrides() == {"add_rate.stores": 0.05}


def test_save_load_run_reproduces_the_screen_exactly(dash, client):
    values = {
        "aov": 0.1 + 97.2,  # floats without a short decimal form
        "first_order_conversion": 0.07300000000000001,
        "traffic.douyin": 52_345.678,
        "cost_per_user.stores": 3.3333333333333335,
        "monthly_churn": 0.058,
    }
    for name, value in values.items():
        dash.set_value(name, value)
    dash.name_text.value = "my-plan"
    dash.description_text.value = "先激活，再加抖音投放"
    dash.save_button.click()
    shown = dash.kpis()
    file = client / "scenarios" / "my-plan.yaml"
    assert file.is_file()
    assert "已保存 scenarios/my-plan.yaml" in dash.status.value

    saved = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert saved == {
        "name": "my-plan",
        "description": "先激活，再加抖音投放",
        "overrides": values,
    }
    assert load_scenario(client, "my-plan").overrides == values

    chapter = open_plan(client, scenario="my-plan")
    report = chapter.analysis.projection
    for key in ("gmv", "profit", "total_cost", "roi", "roas", "source_ratio"):
        assert shown[key] == y1(report)[key]
    assert shown["break_even_month"] == report.break_even_month
    assert (
        shown["gap"]
        == chapter.inputs.target.amount(chapter.inputs.last_year.gmv) - y1(report)["gmv"]
    )
    pd.testing.assert_frame_equal(dash.projection.monthly, report.monthly, check_exact=True)
    assert dash.picker.value == "my-plan"


def test_picker_loads_a_scenario_into_the_sliders(dash, client):
    scenario = load_scenario(client, SCENARIO)
    dash.picker.value = SCENARIO
    for name, value in scenario.overrides.items():
        if name in dash.sliders:
            assert dash.sliders[name].value == value
        if name in dash.table:
            assert dash.table[name].value == value
    assert dash.current_overrides() == scenario.overrides
    assert dash.name_text.value == SCENARIO
    assert dash.description_text.value == scenario.description
    report = open_plan(client, scenario=SCENARIO).analysis.projection
    assert dash.kpis()["gmv"] == y1(report)["gmv"]
    assert dash.kpis()["profit"] == y1(report)["profit"]

    dash.picker.value = pw.PLAN_AS_WRITTEN
    assert dash.current_overrides() == {}
    assert dash.sliders["first_order_conversion"].value == dash.chapter.inputs.value(
        "first_order_conversion"
    )


def test_chapter_opened_with_a_scenario_saves_against_the_plan_as_written(client):
    dash = build_dashboard(open_plan(client, scenario=SCENARIO))
    scenario = load_scenario(client, SCENARIO)
    assert dash.picker.value == SCENARIO
    assert dash.current_overrides() == scenario.overrides
    dash.set_value("aov", 101.5)
    assert dash.save("tweaked") is not None
    report = open_plan(client, scenario="tweaked").analysis.projection
    assert dash.kpis()["gmv"] == y1(report)["gmv"]
    assert load_scenario(client, "tweaked").overrides == scenario.overrides | {"aov": 101.5}


def test_calibrated_drivers_stay_in_the_base_when_opened_with_a_scenario(client):
    # plan.yaml leaves first-order conversion out: it is calibrated from the operating data,
    # and the chapter's scenario replaces it on top.
    plan = client / "plan.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("  first_order_conversion: {")]
    assert len(kept) == len(lines) - 1
    plan.write_text("".join(kept), encoding="utf-8")
    as_written = open_plan(client).inputs
    assert as_written.drivers["first_order_conversion"].source == "calibrated"

    dash = build_dashboard(open_plan(client, scenario=SCENARIO))
    dash.picker.value = pw.PLAN_AS_WRITTEN
    assert dash.sliders["first_order_conversion"].value == as_written.value(
        "first_order_conversion"
    )
    dash.set_value("aov", 99.5)
    assert dash.save("calibrated") is not None
    report = open_plan(client, scenario="calibrated").analysis.projection
    assert dash.kpis()["gmv"] == y1(report)["gmv"]


def test_a_broken_scenario_file_is_reported_and_the_screen_kept(client):
    (client / "scenarios" / "typo.yaml").write_text(
        "name: typo\noverrides:\n  aovv: 100\n", encoding="utf-8"
    )
    dash = build_dashboard(open_plan(client))
    dash.set_value("aov", 101.0)
    before = dash.kpis()
    dash.picker.value = "typo"
    assert "typo" in dash.status.value and "aovv" in dash.status.value
    assert dash.picker.value == pw.PLAN_AS_WRITTEN
    assert dash.kpis() == before
    assert dash.current_overrides() == {"aov": 101.0}
    assert dash.save("still-fine") is not None


def test_a_scenario_value_outside_the_slider_widens_it(dash):
    slider = dash.sliders["first_order_aov"]
    dash.set_value("first_order_aov", slider.max * 3)
    assert slider.value == slider.max == dash.current_overrides()["first_order_aov"]


def test_invalid_scenario_name_is_refused(dash, client):
    assert dash.save("no spaces allowed") is None
    assert "no spaces allowed" in dash.status.value
    assert not (client / "scenarios" / "no spaces allowed.yaml").exists()


def test_sample_clients_are_read_only(dash, client, monkeypatch):
    monkeypatch.setattr(pw.assets, "sample_clients_dir", lambda: client.parent)
    dash.set_value("aov", 100.0)
    assert dash.save("mine") is None
    assert "只读" in dash.status.value
    assert not (client / "scenarios" / "mine.yaml").exists()


def test_slider_ranges_hold_the_stated_range_and_respect_the_limits(dash):
    inputs = dash.chapter.inputs
    for name, slider in dash.sliders.items():
        d = inputs.drivers[name]
        assert slider.min <= d.value <= slider.max
        if d.has_range:
            assert slider.min <= d.low and d.high <= slider.max
        limits = drv.bounds(name)
        assert limits.low <= slider.min and slider.max <= limits.high
        low, high, step = dashboard.slider_range(inputs, name)
        assert 0 < step <= (high - low) / 100


def _readouts(dash):
    """Each slider's value label, by driver: the rows of the dashboard's first two tabs."""
    tabs = dash.children[-1].children[0]
    rows = [c for tab in tabs.children[:2] for c in tab.children if hasattr(c, "children")]
    by_slider = {id(row.children[0]): row.children[1] for row in rows}
    return {name: by_slider[id(s)] for name, s in dash.sliders.items()}


def test_slider_values_read_as_in_the_report(dash):
    from siyu_diag.core.fragments import template_env

    readouts = _readouts(dash)
    assert set(readouts) == set(dash.sliders)
    assert all(s.readout is False for s in dash.sliders.values())  # no browser-side format
    # 5.25% of store adds reads 5.2% in the report (0.0525 is 0.052499… in binary): so here too
    dash.set_value("add_rate.stores", 0.0525)
    assert readouts["add_rate.stores"].value == "5.2%"
    report = template_env("fragments").from_string(
        "{% from 'plan/_plan.html.j2' import val %}{{ val(v, 'pct', 'zh') }}"
    )
    assert report.render(v=0.0525) == "5.2%"
    dash.sliders["aov"].value = 101.5  # the slider's own change
    assert readouts["aov"].value == "101.50"
    assert dashboard.readout_text("aov", 101.5, "zh") == "101.50"


def test_show_plan_dashboard_only_when_interactive(client, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    chapter = open_plan(client)
    assert show_plan_dashboard(chapter, False) is None
    assert shown == []
    assert show_plan_dashboard(chapter, True) is None
    assert len(shown) == 1 and isinstance(shown[0], PlanDashboard)


def test_notebook_has_the_interactive_parameter_and_the_dashboard_cell():
    path = assets.notebook_path("02_targets.ipynb")
    params = pm.inspect_notebook(str(path))
    assert params["interactive"]["inferred_type_name"] == "bool"
    assert params["interactive"]["default"] == "True"
    last = pm.iorw.load_notebook_node(str(path)).cells[-1]
    assert "show_plan_dashboard(chapter, interactive)" in last.source
    assert last.outputs == []
