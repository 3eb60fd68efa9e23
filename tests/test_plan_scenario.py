"""Saved scenarios: save → load → run gives the numbers that were on screen."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
import yaml

from siyu_diag.core.errors import InputError
from siyu_diag.plan import (
    Scenario,
    apply_scenario,
    load_scenario,
    project_plan,
    project_what_if,
    save_scenario,
)
from siyu_diag.plan.planfile import build_inputs
from siyu_diag.plan.planschema import PlanFile

RAW = {
    "horizon_months": 18,
    "last_year": {
        "users": 5000,
        "gmv": 600000,
        "returning_conversion": 0.08,
        "aov": 120,
        "repurchase_frequency": 1.1,
        "monthly_churn": 0.03,
    },
    "drivers": {
        "first_order_conversion": {"low": 0.1, "likely": 0.15, "high": 0.2},
        "first_order_aov": 60,
        "gross_margin": 0.55,
    },
    "channels": {
        "douyin": {"traffic": 20000, "touches": 1.5, "add_rate": 0.01, "cost_per_user": 9}
    },
    "organisation": {"roles": {"community": {"headcount": 2, "monthly_cost": 9000}}},
}


@pytest.fixture
def inputs():
    return build_inputs(PlanFile.model_validate(copy.deepcopy(RAW)), "plan.yaml")


# Values a slider produces (not round numbers, so float precision matters).
ON_SCREEN = {
    "first_order_conversion": 0.1234567890123,
    "traffic.douyin": 23456.789,
    "headcount.community": 3.0,
    "aov": 1 / 3 * 400,
}


def test_round_trip_reproduces_the_screen_exactly(tmp_path, inputs):
    screen = project_what_if(inputs, ON_SCREEN)
    path = save_scenario(tmp_path, Scenario(name="试点-A", description="滑块", overrides=ON_SCREEN))
    assert path == tmp_path / "scenarios" / "试点-A.yaml"
    assert [p.name for p in (tmp_path / "scenarios").iterdir()] == ["试点-A.yaml"]  # no temp file
    loaded = load_scenario(tmp_path, "试点-A")
    assert loaded.overrides == ON_SCREEN
    report = project_plan(apply_scenario(inputs, loaded))
    pd.testing.assert_frame_equal(report.monthly, screen.monthly, check_exact=True)
    pd.testing.assert_frame_equal(report.annual, screen.annual, check_exact=True)
    assert report.break_even_month == screen.break_even_month


def test_applied_scenario_records_source_and_name(inputs):
    out = apply_scenario(inputs, Scenario(name="s1", overrides={"aov": 130}))
    assert out.scenario == "s1"
    assert out.drivers["aov"].source == "scenario"
    assert inputs.drivers["aov"].value == 120  # not mutated
    assert apply_scenario(inputs, None) is inputs


def test_unknown_driver_names_get_did_you_mean(inputs):
    with pytest.raises(InputError) as info:
        apply_scenario(
            inputs,
            Scenario(name="bad", overrides={"trafic.douyin": 1, "first_order_aov": 70, "aovv": 3}),
        )
    found = {p.key: p for p in info.value.problems}
    assert found["overrides.trafic.douyin"].hint == "Did you mean 'traffic.douyin'?"
    assert found["overrides.trafic.douyin"].file == "scenarios/bad.yaml"
    assert found["overrides.aovv"].hint == "Did you mean 'aov'?"
    assert "not a driver" in found["overrides.aovv"].message


def test_impossible_values_in_a_scenario(inputs):
    with pytest.raises(InputError) as info:
        apply_scenario(inputs, Scenario(name="bad", overrides={"monthly_churn": 1.4}))
    p = info.value.problems[0]
    assert p.key == "overrides.monthly_churn" and "from 0 to 1" in p.message and p.hint


def test_missing_scenario_lists_the_saved_ones(tmp_path):
    save_scenario(tmp_path, Scenario(name="a"))
    save_scenario(tmp_path, Scenario(name="b"))
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path, "c")
    p = info.value.problems[0]
    assert p.file == "scenarios/c.yaml" and "does not exist" in p.message
    assert p.hint == "use one of: a, b."


def test_scenario_file_problems(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "x.yaml").write_text(
        yaml.safe_dump({"name": "y", "overrides": {"aov": 1}}), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path, "x")
    assert info.value.problems[0].key == "name"
    (folder / "x.yaml").write_text(
        yaml.safe_dump({"name": "x", "overides": {"aov": 1}}), encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path, "x")
    p = info.value.problems[0]
    assert p.key == "overides" and p.hint == "Did you mean 'overrides'?"
    with pytest.raises(InputError):
        load_scenario(tmp_path, "../escape")


def test_saving_replaces_atomically(tmp_path):
    save_scenario(tmp_path, Scenario(name="s", overrides={"aov": 1.0}))
    save_scenario(tmp_path, Scenario(name="s", overrides={"aov": 2.0}))
    assert load_scenario(tmp_path, "s").overrides == {"aov": 2.0}
    assert len(list((tmp_path / "scenarios").iterdir())) == 1
