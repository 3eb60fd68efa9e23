from collections import Counter

import pytest
import yaml

from siyu_diag.core.errors import InputError
from siyu_diag.diagnosis.bank import load_bank, normalise_label


@pytest.fixture(scope="module")
def default_bank():
    return load_bank()


def test_default_bank_shape(default_bank):
    assert default_bank.label == "siyu-org@1.0"
    assert 40 <= len(default_bank.items) <= 60
    assert [d.id for d in default_bank.dimensions] == [
        "goals",
        "collaboration",
        "incentives",
        "growth",
    ]
    for dim in default_bank.dimensions:
        assert 3 <= len(dim.subdimensions) <= 5, dim.id
        assert dim.name.zh and dim.name.en
    ids = [it.id for it in default_bank.items]
    assert len(set(ids)) == len(ids)
    assert {i[0] for i in ids} == {"G", "C", "I", "W"}
    assert (default_bank.scale.min, default_bank.scale.max) == (1, 5)


def test_default_bank_items(default_bank):
    items = default_bank.items
    for it in items:
        assert it.text.zh.strip() and it.text.en.strip(), it.id
        assert it.text.get("en") == it.text.en and it.text.get("zh") == it.text.zh
    assert any(it.reverse for it in items) and not all(it.reverse for it in items)
    assert any(it.allow_na for it in items) and not all(it.allow_na for it in items)
    assert set(Counter(it.audience for it in items)) == {"management", "frontline", "all"}
    # every sub-dimension of every dimension is measured by at least two items
    per_sub = Counter((it.dimension, it.subdimension) for it in items)
    for dim in default_bank.dimensions:
        for sub in dim.subdimensions:
            assert per_sub[(dim.id, sub.id)] >= 2, (dim.id, sub.id)


def test_default_scale_labels(default_bank):
    scale = default_bank.scale
    labels = scale.label_map()
    assert labels["非常同意"] == 5
    assert labels["非常不同意"] == 1
    assert labels["完全不符合"] == 1
    assert labels["完全符合"] == 5
    assert labels["不适用"] is None
    assert labels[normalise_label("Strongly agree")] == 5
    assert labels[normalise_label("N/A")] is None
    assert scale.n_points == 5
    assert scale.label(4) == "同意"
    assert scale.label(4, "en") == "Agree"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Strongly Agree", "stronglyagree"), ("（完全符合）", "完全符合"), (" 一般。", "一般")],
)
def test_normalise_label(text, expected):
    assert normalise_label(text) == expected


def _write(tmp_path, bank):
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    return path


def test_custom_bank_with_other_dimensions_and_a_0_to_10_scale(tmp_path, tiny_bank):
    tiny_bank["scale"] = {
        "min": 0,
        "max": 10,
        "points": [
            {"value": 0, "zh": "完全不可能", "en": "Not at all likely"},
            {"value": 10, "zh": "非常可能", "en": "Extremely likely", "aliases": ["肯定"]},
        ],
    }
    tiny_bank["dimensions"][0]["id"] = "culture"
    tiny_bank["dimensions"][1]["id"] = "tools"
    for it in tiny_bank["items"]:
        it["dimension"] = "culture" if it["id"].startswith("G") else "tools"
    bank = load_bank(_write(tmp_path, tiny_bank))

    assert [d.id for d in bank.dimensions] == ["culture", "tools"]
    assert bank.scale.n_points == 11
    assert bank.scale.label_map() == {
        "完全不可能": 0,
        "notatalllikely": 0,
        "非常可能": 10,
        "extremelylikely": 10,
        "肯定": 10,
        # the scale names no "not applicable" labels, so the defaults apply
        "不适用": None,
        "notapplicable": None,
        "n/a": None,
        "na": None,
        "不适用/不清楚": None,
    }
    assert bank.scale.label(10, "en") == "Extremely likely"
    assert bank.scale.label(7) == "7"
    assert bank.item_index["G02"].reverse
    assert bank.item_index["C03"].allow_na
    assert bank.subdimension_name("tools", "data", "en") == "Connected data"


def _error(tmp_path, bank, label=None):
    with pytest.raises(InputError) as excinfo:
        load_bank(_write(tmp_path, bank), label=label)
    return excinfo.value.problems


def test_item_with_unknown_dimension(tmp_path, tiny_bank):
    tiny_bank["items"][0]["dimension"] = "goal"
    (problem,) = _error(tmp_path, tiny_bank)
    assert problem.file == "bank.yaml"
    assert "items.0 (G01): dimension 'goal' is not one of ['collaboration', 'goals']" in (
        problem.message
    )


def test_item_with_unknown_subdimension(tmp_path, tiny_bank):
    tiny_bank["items"][2]["subdimension"] = "basys"
    (problem,) = _error(tmp_path, tiny_bank, label="banks/mine.yaml")
    assert problem.file == "banks/mine.yaml"
    assert "items.2 (G03): sub-dimension 'basys' is not one of ['basis', 'stage_fit']" in (
        problem.message
    )


def test_duplicate_item_id(tmp_path, tiny_bank):
    tiny_bank["items"][1]["id"] = "G01"
    (problem,) = _error(tmp_path, tiny_bank)
    assert "items.1: item id 'G01' is used twice" in problem.message


def test_subdimension_without_items(tmp_path, tiny_bank):
    subs = tiny_bank["dimensions"][1]["subdimensions"]
    subs.append({"id": "rhythm", "name": {"zh": "协同节奏", "en": "Cadence"}})
    (problem,) = _error(tmp_path, tiny_bank)
    assert "sub-dimension 'collaboration.rhythm' has no items" in problem.message


def test_reference_problems_are_listed_together(tmp_path, tiny_bank):
    tiny_bank["items"][0]["dimension"] = "goal"
    tiny_bank["items"][7]["id"] = "C01"
    (problem,) = _error(tmp_path, tiny_bank)
    assert "items.7: item id 'C01' is used twice" in problem.message
    assert "items.0 (G01): dimension 'goal'" in problem.message


@pytest.mark.parametrize(("low", "high"), [(5, 5), (5, 1)])
def test_scale_max_must_exceed_min(tmp_path, tiny_bank, low, high):
    tiny_bank["scale"] = {"min": low, "max": high}
    (problem,) = _error(tmp_path, tiny_bank)
    assert problem.key == "scale"
    assert f"scale.max ({high}) must be greater than scale.min ({low})" in problem.message


def test_scale_point_outside_the_scale(tmp_path, tiny_bank):
    tiny_bank["scale"]["points"][4]["value"] = 6
    (problem,) = _error(tmp_path, tiny_bank)
    assert problem.key == "scale"
    assert "scale point 6 lies outside the scale 1–5" in problem.message


def test_unknown_keys_suggest_the_right_one(tmp_path, tiny_bank):
    tiny_bank["items"][0]["revers"] = True
    tiny_bank["scale"]["maxx"] = 5
    problems = {p.key: p for p in _error(tmp_path, tiny_bank)}
    assert set(problems) == {"items.0.revers", "scale.maxx"}
    assert problems["items.0.revers"].hint == "Did you mean 'reverse'?"
    assert problems["items.0.revers"].message == (
        "unknown key 'revers'. Allowed keys here: allow_na, audience, dimension, id, reverse, "
        "subdimension, text."
    )
    assert problems["scale.maxx"].hint == "Did you mean 'max'?"


def test_unknown_key_inside_a_nested_list(tmp_path, tiny_bank):
    tiny_bank["dimensions"][1]["subdimensions"][0]["nmae"] = {"zh": "交接", "en": "SOP"}
    (problem,) = _error(tmp_path, tiny_bank)
    assert problem.key == "dimensions.1.subdimensions.0.nmae"
    assert problem.hint == "Did you mean 'name'?"


def test_missing_bank_file(tmp_path):
    with pytest.raises(InputError) as excinfo:
        load_bank(tmp_path / "nope.yaml")
    (problem,) = excinfo.value.problems
    assert (problem.file, problem.message) == ("nope.yaml", "file not found.")
