"""The KPI library: versioned data, validated, covering the indicators domain.md names."""

import pytest
import yaml

from siyu_diag.core import assets
from siyu_diag.core.errors import InputError
from siyu_diag.incentives.library import FAMILIES, HORIZONS, STAGES, load_kpi_library

# Indicators the issue and domain.md name explicitly.
NAMED = [
    "follower_adds",
    "current_friends",
    "response_48h",
    "group_retention_7d",
    "repurchase_rate_90d",
    "aov",
    "gmv",
    "ltv_growth",
    "acquisition_cost",
    "push_loss_rate",
]


@pytest.fixture(scope="module")
def library():
    return load_kpi_library()


def test_bundled_library_is_versioned_and_large_enough(library):
    assert library.id == "siyu-kpi"
    assert library.version == "1.0"
    assert library.label == "siyu-kpi@1.0"
    assert len(library.kpis) >= 30


def test_named_indicators_are_present(library):
    missing = [k for k in NAMED if k not in library.index]
    assert not missing


def test_every_family_horizon_and_stage_is_covered(library):
    frame = library.frame("zh")
    assert set(frame["family"]) == set(FAMILIES)
    assert set(frame["horizon"]) == set(HORIZONS)
    assert {s for stages in frame["stages"] for s in stages} == set(STAGES)


def test_every_indicator_has_both_languages(library):
    for k in library.kpis:
        for text in (k.name, k.definition, k.formula):
            assert text.zh.strip() and text.en.strip(), k.id
    assert len({k.name.zh for k in library.kpis}) == len(library.kpis)


def test_direction_of_costs_and_losses_is_lower(library):
    for kid in ("acquisition_cost", "push_loss_rate", "monthly_churn", "complaint_rate"):
        assert library.index[kid].better == "lower"


def test_names_resolve_in_both_languages(library):
    assert library.resolve("加粉数") == "follower_adds"
    assert library.resolve("Follower adds") == "follower_adds"
    assert library.resolve(" 48小时响应率 ") == "response_48h"
    assert library.resolve("no such thing") is None
    assert library.suggest("follower_add") == "Did you mean 'follower_adds'?"


def test_duplicate_ids_are_rejected(tmp_path):
    raw = yaml.safe_load(assets.data_path("kpis", "kpi-library-v1.yaml").read_text("utf-8"))
    raw["kpis"].append(dict(raw["kpis"][0]))
    path = tmp_path / "lib.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_kpi_library(path)
    assert "follower_adds" in str(err.value)
    assert err.value.problems[0].file == "lib.yaml"


def test_unknown_key_in_an_indicator_names_it(tmp_path):
    raw = yaml.safe_load(assets.data_path("kpis", "kpi-library-v1.yaml").read_text("utf-8"))
    raw["kpis"][2]["horizn"] = "short"
    path = tmp_path / "lib.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_kpi_library(path)
    problem = err.value.problems[0]
    assert problem.key == "kpis.2.horizn"
    assert problem.hint == "Did you mean 'horizon'?"
