"""The links from plan assumptions to the bank's capabilities: loading, checking, reading."""

from __future__ import annotations

import shutil

import pytest
import yaml

from siyu_diag.core import assets
from siyu_diag.core.client import load_client
from siyu_diag.core.errors import InputError
from siyu_diag.diagnosis.capabilities import _rests_on
from siyu_diag.plan.capabilities import (
    CAPABILITY_FILE,
    CapabilityMap,
    assumption_capabilities,
    load_capability_map,
)

DEFAULT_BANK = {
    "bank": "siyu-org",
    "subdimensions": {
        "collaboration.journey_sop": {"zh": "客户旅程SOP与交接", "en": "Journey SOPs"},
        "collaboration.data": {"zh": "数据打通", "en": "Connected data"},
        "incentives.horizons": {"zh": "长中短期结合", "en": "Time horizons"},
    },
}


@pytest.fixture
def client(tmp_path):
    folder = tmp_path / "xiangwei"
    shutil.copytree(assets.sample_clients_dir() / "xiangwei", folder)
    return load_client(folder)


def own_links(client, drivers, bank="siyu-org"):
    text = yaml.safe_dump({"version": "1", "bank": bank, "drivers": drivers}, allow_unicode=True)
    client.path(CAPABILITY_FILE).write_text(text, encoding="utf-8")


def link(sub):
    return {"sub": sub, "why": {"zh": "原因", "en": "why"}}


def test_the_bundled_links_name_only_the_default_banks_sub_dimensions(client):
    from siyu_diag.core.chapters import Context
    from siyu_diag.diagnosis.spec import bank_subdimensions

    bank = bank_subdimensions(Context(client))
    links = load_capability_map(client, bank)
    assert links is not None and links.bank == "siyu-org"
    assert set(links.drivers) == {
        "returning_conversion", "aov", "repurchase_frequency", "monthly_churn",
        "first_order_conversion", "first_order_aov", "add_rate",
    }  # fmt: skip
    assert all(link.why.zh and link.why.en for ls in links.drivers.values() for link in ls)


def test_another_bank_without_links_of_its_own_has_none(client):
    assert load_capability_map(client, {**DEFAULT_BANK, "bank": "psych-bfi"}) is None


def test_a_clients_own_file_replaces_the_bundled_one(client):
    own_links(client, {"aov": [link("collaboration.data")]})
    links = load_capability_map(client, DEFAULT_BANK)
    assert list(links.drivers) == ["aov"]
    assert [x.sub for x in links.links("aov")] == ["collaboration.data"]
    assert links.links("monthly_churn") == ()


def test_unknown_drivers_and_sub_dimensions_are_named_with_a_did_you_mean(client):
    own_links(
        client,
        {"returning_conversoin": [link("collaboration.dta")], "aov": [link("growth.nothing")]},
    )
    with pytest.raises(InputError) as err:
        load_capability_map(client, DEFAULT_BANK)
    text = str(err.value)
    assert "capabilities.yaml" in text
    assert "key 'drivers.returning_conversoin'" in text
    assert "Did you mean 'returning_conversion'?" in text
    assert "key 'drivers.returning_conversoin.0.sub'" in text
    assert "Did you mean 'collaboration.data'?" in text
    assert "'growth.nothing' is not a sub-dimension of question bank 'siyu-org'" in text


def test_a_clients_file_for_another_bank_is_an_error(client):
    own_links(client, {"aov": [link("collaboration.data")]}, bank="other-bank")
    with pytest.raises(InputError, match="written for question bank 'other-bank'"):
        load_capability_map(client, DEFAULT_BANK)


def test_a_link_without_a_reason_is_an_error(client):
    own_links(client, {"aov": [{"sub": "collaboration.data"}]})
    with pytest.raises(InputError, match="why"):
        load_capability_map(client, DEFAULT_BANK)


def test_a_channel_add_rate_takes_the_add_rate_links():
    links = CapabilityMap.model_validate(
        {"version": "1", "bank": "b", "drivers": {"add_rate": [link("collaboration.data")]}}
    )
    assert [x.sub for x in links.links("add_rate.douyin")] == ["collaboration.data"]


def test_an_assumptions_capabilities_and_the_findings_in_its_way():
    links = CapabilityMap.model_validate(
        {"version": "1", "bank": "b", "drivers": {"returning_conversion": [
            link("collaboration.journey_sop"), link("collaboration.data"), link("goals.unscored"),
        ]}}
    )  # fmt: skip

    def scored(score, name):
        return {"score": score, "level": 2, "name_zh": name, "name_en": name,
                "level_zh": "L2 起步", "level_en": "L2"}  # fmt: skip

    def fired(rule, *subs):
        return {"rule": rule, "title_zh": rule, "title_en": rule, "subdimensions": list(subs)}

    diagnosis = {
        "subdimensions": {
            "collaboration.journey_sop": scored(26.8, "客户旅程SOP与交接"),
            "collaboration.data": scored(37.1, "数据打通"),
        },
        "findings": [
            fired("A", "growth.training"),
            fired("B", "collaboration.data"),
            fired("C", "goals.cascade", "collaboration.journey_sop"),
        ],
    }
    caps, findings = assumption_capabilities(links, "returning_conversion", diagnosis, "zh")
    # in the links' order; a sub-dimension the diagnosis does not score is left out
    assert [(c["name"], c["score"], c["level"]) for c in caps] == [
        ("客户旅程SOP与交接", 26.8, 2),
        ("数据打通", 37.1, 2),
    ]
    assert [f["rule"] for f in findings] == ["B", "C"]  # A rests on neither
    assert assumption_capabilities(links, "aov", diagnosis, "zh") == ([], [])


def test_a_finding_rests_on_the_sub_dimensions_its_condition_reads():
    items = {"C11": "collaboration.data", "G05": "goals.target_basis"}
    read = ["sub.collaboration.data", "item.C11", "agree.G05", "profile.has_stores", "dim.goals"]
    assert _rests_on(read, items) == ["collaboration.data", "goals.target_basis"]
