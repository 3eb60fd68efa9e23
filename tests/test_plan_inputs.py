"""plan.yaml and channel-table validation: every problem located, explained and fixable."""

from __future__ import annotations

import copy

import pytest
import yaml

from siyu_diag.core.errors import InputError
from siyu_diag.plan.calibration import apply_calibration
from siyu_diag.plan.inputs import require_complete, with_drivers
from siyu_diag.plan.planfile import load_plan_inputs

BASE = {
    "horizon_months": 24,
    "last_year": {
        "users": 1000,
        "gmv": 100000,
        "returning_conversion": 0.1,
        "aov": 100,
        "repurchase_frequency": 1.0,
        "monthly_churn": 0.1,
    },
    "drivers": {"first_order_conversion": 0.5, "first_order_aov": 50, "gross_margin": 0.5},
    "channels": {"douyin": {"name": "抖音", "traffic": 1000, "add_rate": 0.05}},
    "fixed_costs": {"scrm": {"amount": 1200, "months": 12}},
}


def write(folder, raw, name="plan.yaml"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return folder


def problems(folder, raw):
    write(folder, raw)
    with pytest.raises(InputError) as info:
        load_plan_inputs(folder, "plan.yaml")
    return info.value.problems


def one(found, key):
    matches = [p for p in found if p.key == key]
    assert matches, f"no problem with key {key}: {[str(p) for p in found]}"
    return matches[0]


def test_valid_plan_loads_with_sources(tmp_path):
    inputs = load_plan_inputs(write(tmp_path, BASE), "plan.yaml")
    assert inputs.drivers["aov"].value == 100 and inputs.drivers["aov"].source == "last_year"
    assert inputs.drivers["gross_margin"].source == "plan"
    assert inputs.drivers["touches.douyin"].value == 1 and inputs.drivers[
        "touches.douyin"
    ].source == ("default")
    assert inputs.channels[0].name == "抖音"


def test_rate_above_one(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["drivers"]["gross_margin"] = 55
    p = one(problems(tmp_path, raw), "drivers.gross_margin")
    assert p.file == "plan.yaml"
    assert "from 0 to 1" in p.message
    assert "55% is 0.55" in p.hint


def test_negative_cost(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["channels"]["douyin"]["cost_per_user"] = -3
    raw["fixed_costs"]["scrm"]["amount"] = -100
    found = problems(tmp_path, raw)
    p = one(found, "channels.douyin.cost_per_user")
    assert "0 or more" in p.message and "negative" in p.hint
    p = one(found, "fixed_costs.scrm.amount")
    assert "negative" in p.message and p.hint


def test_amortisation_of_zero_months(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["fixed_costs"]["scrm"]["months"] = 0
    p = one(problems(tmp_path, raw), "fixed_costs.scrm.months")
    assert "0 months" in p.message
    assert "1 month or more" in p.hint


def test_channel_with_traffic_but_no_add_rate(tmp_path):
    raw = copy.deepcopy(BASE)
    del raw["channels"]["douyin"]["add_rate"]
    raw["channels"]["xhs"] = {"traffic": 500, "add_rate": 0}
    found = problems(tmp_path, raw)
    for key in ("channels.douyin.add_rate", "channels.xhs.add_rate"):
        p = one(found, key)
        assert "traffic but no add rate" in p.message
        assert "set traffic to 0" in p.hint


def test_unknown_keys_get_did_you_mean(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["drivers"]["first_order_convrsion"] = 0.2
    raw["horizon"] = 12
    found = problems(tmp_path, raw)
    p = one(found, "drivers.first_order_convrsion")
    assert "unknown key" in p.message and "first_order_conversion" in p.hint
    p = one(found, "horizon")
    assert "horizon_months" in p.hint


def test_every_problem_reported_at_once(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["drivers"]["gross_margin"] = 1.5
    raw["fixed_costs"]["scrm"]["months"] = 0
    raw["horizon_months"] = 48
    raw["drivers"]["aov"] = {"low": 120, "likely": 100, "high": 130}
    raw["drivers"]["monthly_churn"] = {"low": 0.01, "likly": 0.02, "high": 0.03}
    found = problems(tmp_path, raw)
    keys = {p.key for p in found}
    assert {
        "drivers.gross_margin",
        "fixed_costs.scrm.months",
        "horizon_months",
        "drivers.aov",
        "drivers.monthly_churn.likly",
        "drivers.monthly_churn",
    } <= keys
    assert "low ≤ likely ≤ high" in one(found, "drivers.aov").message
    assert one(found, "drivers.monthly_churn.likly").hint == "Did you mean 'likely'?"


def test_target_needs_exactly_one_basis(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["target"] = {"gmv": 1, "growth": 0.2}
    p = one(problems(tmp_path, raw), "target")
    assert "either" in p.message and p.hint


def test_missing_driver_is_named_after_loading(tmp_path):
    raw = copy.deepcopy(BASE)
    del raw["drivers"]["first_order_aov"]
    inputs = load_plan_inputs(write(tmp_path, raw), "plan.yaml")
    with pytest.raises(InputError) as info:
        require_complete(inputs)
    p = info.value.problems[0]
    assert p.key == "drivers.first_order_aov" and p.file == "plan.yaml" and p.hint
    # a calibration can fill it; an explicit value is never replaced
    filled = apply_calibration(inputs, {"first_order_aov": 42.0, "gross_margin": 0.9, "aov": 120})
    require_complete(filled)
    assert filled.drivers["first_order_aov"].value == 42 and filled.drivers[
        "first_order_aov"
    ].source == ("calibrated")
    assert filled.drivers["gross_margin"].value == 0.5  # written in plan.yaml: wins
    assert filled.drivers["aov"].value == 120  # last year's value: replaced
    assert inputs.drivers["aov"].value == 100  # the original is untouched


def test_calibration_rejects_unknown_and_impossible(tmp_path):
    inputs = load_plan_inputs(write(tmp_path, BASE), "plan.yaml")
    with pytest.raises(InputError) as info:
        apply_calibration(inputs, {"monthly_chrun": 0.02, "add_rate.douyin": 1.2})
    found = info.value.problems
    assert one(found, "monthly_chrun").hint == "Did you mean 'monthly_churn'?"
    assert "from 0 to 1" in one(found, "add_rate.douyin").message


def test_with_drivers_scales_a_stated_range(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["drivers"]["returning_conversion"] = {"low": 0.08, "likely": 0.1, "high": 0.12}
    inputs = load_plan_inputs(write(tmp_path, raw), "plan.yaml")
    moved = with_drivers(inputs, {"returning_conversion": 0.2})
    d = moved.drivers["returning_conversion"]
    assert (d.low, d.value, d.high) == pytest.approx((0.16, 0.2, 0.24))
    assert d.source == "override"


def _channels(folder, header, rows, name):
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    with (folder / name).open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])


def test_channel_table_from_csv(tmp_path):
    raw = copy.deepcopy(BASE)
    del raw["channels"]
    raw["channels_file"] = "channels.csv"
    header = [
        "渠道ID",
        "渠道名称",
        "月流量",
        "touches",
        "添加率",
        "获客成本",
        "add_rate_low",
        "add_rate_high",
    ]
    _channels(
        tmp_path,
        header,
        [["parcel", "包裹卡", "280,000", "1", "9.73%", "1.5", "8%", "0.1478"]],
        "channels.csv",
    )
    inputs = load_plan_inputs(write(tmp_path, raw), "plan.yaml")
    d = inputs.drivers["add_rate.parcel"]
    assert (d.low, d.value, d.high) == pytest.approx((0.08, 0.0973, 0.1478))
    assert d.source == "channels_file"
    assert inputs.drivers["traffic.parcel"].value == 280000
    assert inputs.channels[0].name == "包裹卡"


def test_channel_table_problems_name_row_and_column(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["channels_file"] = "channels.csv"
    header = ["id", "name", "traffic", "add_rate", "cost_per_user", "colour"]
    rows = [
        ["a", "A", "1000", "0.05", "2", ""],
        ["b", "B", "lots", "0.05", "-1", ""],
        ["a", "A again", "1000", "0.05", "2", ""],
        ["c", "C", "1000", "0", "2", ""],
    ]
    _channels(tmp_path, header, rows, "channels.csv")
    write(tmp_path, raw)
    with pytest.raises(InputError) as info:
        load_plan_inputs(tmp_path, "plan.yaml")
    found = info.value.problems
    # the unknown column stops the reading first
    assert found[0].file == "channels.csv" and found[0].column == "colour" and found[0].row == 1
    assert found[0].hint
    header = header[:-1]
    _channels(tmp_path, header, [r[:-1] for r in rows], "channels.csv")
    with pytest.raises(InputError) as info:
        load_plan_inputs(tmp_path, "plan.yaml")
    found = {(p.row, p.column): p for p in info.value.problems}
    assert "not valid" in found[(3, "traffic")].message and found[(3, "traffic")].hint
    assert "0 or more" in found[(3, "cost_per_user")].message
    assert "appears again (first in row 2)" in found[(4, "id")].message
    assert "traffic but no add rate" in found[(5, "add_rate")].message
    assert all(p.file == "channels.csv" for p in info.value.problems)


def test_channel_table_missing_file(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["channels_file"] = "nowhere.xlsx"
    p = one(problems(tmp_path, raw), "channels_file")
    assert "does not exist" in p.message and p.hint


def test_channel_defined_twice(tmp_path):
    raw = copy.deepcopy(BASE)
    raw["channels_file"] = "channels.csv"
    _channels(tmp_path, ["id", "traffic", "add_rate"], [["douyin", "10", "0.1"]], "channels.csv")
    p = one(problems(tmp_path, raw), "channels.douyin")
    assert "both" in p.message and p.hint


def test_channel_table_numbers_must_be_finite_and_hints_fit_the_column(tmp_path):
    raw = copy.deepcopy(BASE)
    del raw["channels"]
    raw["channels_file"] = "channels.csv"
    header = ["id", "traffic", "add_rate", "cost_per_user", "monthly_spend"]
    rows = [
        ["a", "inf", "0.05", "2", "0"],  # row 2
        ["b", "1000", "nan", "2", "0"],  # row 3
        ["c", "1000", "0.05", "1e308", "0"],  # row 4
        ["d", "1000", "5%", "2", "1000000000000"],  # row 5: the bound itself is fine
        ["e", "lots", "0.05", "2", "0"],  # row 6
        ["f", "1000", "1.5", "2", "0"],  # row 7
    ]
    _channels(tmp_path, header, rows, "channels.csv")
    found = {(p.row, p.column): p for p in problems(tmp_path, raw)}
    assert set(found) == {(2, "traffic"), (3, "add_rate"), (4, "cost_per_user"),
                          (6, "traffic"), (7, "add_rate")}  # fmt: skip
    expected = "expected a finite number of at most 1,000,000,000,000 in absolute value."
    assert found[(2, "traffic")].message == f"'inf' is not a usable number; {expected}"
    assert found[(3, "add_rate")].message == f"'nan' is not a usable number; {expected}"
    assert found[(4, "cost_per_user")].message == f"'1e308' is not a usable number; {expected}"
    assert "export errors" in found[(2, "traffic")].hint
    assert found[(6, "traffic")].message == "'lots' is not valid; expected a number of 0 or more."
    assert "rate" not in found[(6, "traffic")].hint  # traffic is a head count, not a rate
    assert found[(7, "add_rate")].message == "'1.5' is not valid; expected a number from 0 to 1."
    assert found[(7, "add_rate")].hint == "write the rate as a share (0.05) or a percentage (5%)."
    assert all(p.file == "channels.csv" for p in found.values())
