"""Tests of siyu_diag.diagnosis.compute: targets, profile facts, custom banks, purity and
anonymity.
"""

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from siyu_diag.core import assets
from siyu_diag.core.client import ClientConfig, client_model
from siyu_diag.core.errors import InputError
from siyu_diag.core.rules import FINDING_COLUMNS, RuleSet, load_rules
from siyu_diag.diagnosis.bank import QuestionBank, load_bank
from siyu_diag.diagnosis.compute import diagnose, profile_facts, roadmap, target_levels
from siyu_diag.diagnosis.gaps import GAP_COLUMNS
from siyu_diag.diagnosis.survey import Responses

FINDINGS_RULES = assets.data_path("rules", "findings-v1.yaml")


def _text(s: str) -> dict:
    return {"zh": s, "en": s}


def _config(stage: str = "conversion", targets: dict | None = None, **organisation) -> ClientConfig:
    org = {
        "lead_reports_to": "ceo",
        "team_model": "self_built",
        "org_form": "middle_platform",
        "roles": {"lead": 1, "content": 1, "community": 1, "growth": 1, "data_analyst": 1},
        "data_connected": {"crm": True, "scrm": True, "member": True},
    }
    org.update(organisation)
    return client_model().model_validate(
        {
            "brand": "测试品牌",
            "slug": "test-brand",
            "industry": "fmcg",
            "stage": stage,
            "date": "2026-03-01",
            "consultant": "顾问",
            "organisation": org,
            "survey": {"file": "survey.csv"},
            "targets": targets or {},
        }
    )


# A custom bank: other dimension ids, nothing like the default bank.
CUSTOM = QuestionBank.model_validate(
    {
        "id": "custom",
        "version": "0.1",
        "title": _text("custom"),
        "scale": {"min": 1, "max": 5},
        "dimensions": [
            {
                "id": "speed",
                "name": _text("Speed"),
                "subdimensions": [{"id": "s", "name": _text("s")}],
            },
            {
                "id": "trust",
                "name": _text("Trust"),
                "subdimensions": [{"id": "t", "name": _text("t")}],
            },
        ],
        "items": [
            {"id": "S1", "dimension": "speed", "subdimension": "s", "text": _text("S1")},
            {
                "id": "S2",
                "dimension": "speed",
                "subdimension": "s",
                "text": _text("S2"),
                "reverse": True,
            },
            {"id": "T1", "dimension": "trust", "subdimension": "t", "text": _text("T1")},
        ],
    }
)


def _responses(answers: pd.DataFrame, departments: list[str], roles: list[str]) -> Responses:
    respondents = pd.DataFrame(
        {
            "row": range(2, len(answers) + 2),
            "department": departments,
            "department_label": departments,
            "role_level": roles,
            "duration_s": 600.0,
        },
        index=answers.index,
    )
    na = pd.DataFrame(False, index=answers.index, columns=answers.columns)
    quality = pd.DataFrame(columns=["kind", "rows", "subject", "value", "excluded"])
    return Responses(answers, na, respondents, quality, "survey.csv")


def _custom_responses() -> Responses:
    """Eight respondents: sales ×4, service ×3, stores ×1; 4 managers, 4 front-line.

    Speed: S1 = 3 (score 50) and S2 reversed = 3 (score 50) for everyone → speed 50.
    Trust: T1 = 5 (score 100) for everyone → trust 100.
    """
    index = pd.Index([f"r{i}" for i in range(8)], name="respondent")
    answers = pd.DataFrame({"S1": 3.0, "S2": 3.0, "T1": 5.0}, index=index)
    depts = ["sales"] * 4 + ["service"] * 3 + ["stores"]
    roles = ["management", "frontline"] * 4
    return _responses(answers, depts, roles)


NO_RULES = RuleSet.model_validate(
    {
        "version": "t",
        "rules": [
            {
                "id": "NEVER",
                "dimension": "speed",
                "severity": "low",
                "phase": "6-12",
                "when": {"fact": "nothing", "op": "==", "value": 1},
                "title": _text("t"),
                "evidence": _text("e"),
                "recommendation": _text("r"),
            }
        ],
    }
)


# ---------------------------------------------------------------- target_levels


def test_target_levels_stage_defaults_for_the_default_bank():
    bank = load_bank()
    # data/levels.yaml: launch all 3; conversion goals/collaboration 4, others 3; mature all 4.
    assert target_levels(_config("launch"), bank) == {
        "goals": 3,
        "collaboration": 3,
        "incentives": 3,
        "growth": 3,
    }
    assert target_levels(_config("conversion"), bank) == {
        "goals": 4,
        "collaboration": 4,
        "incentives": 3,
        "growth": 3,
    }
    assert target_levels(_config("mature"), bank) == {
        "goals": 4,
        "collaboration": 4,
        "incentives": 4,
        "growth": 4,
    }


def test_target_levels_client_overrides():
    bank = load_bank()
    config = _config("conversion", targets={"goals": 2, "growth": 5})
    assert target_levels(config, bank) == {
        "goals": 2,
        "collaboration": 4,
        "incentives": 3,
        "growth": 5,
    }


def test_target_levels_custom_dimensions_use_the_stage_default():
    assert target_levels(_config("conversion"), CUSTOM) == {"speed": 3, "trust": 3}
    assert target_levels(_config("mature", targets={"trust": 5}), CUSTOM) == {
        "speed": 4,
        "trust": 5,
    }


# ---------------------------------------------------------------- profile_facts


def test_profile_facts_for_a_crafted_organisation():
    config = _config(
        lead_reports_to="cmo",
        team_model="outsourced_core",
        org_form="amoeba",
        roles={"lead": 1, "community": 2, "customer_service": 3, "shopping_guide": 10},
        data_connected={"crm": True, "scrm": True, "member": False},
        sub_brands=4,
    )
    facts = profile_facts(config)
    # Core roles: lead 1, content 0, community 2, growth 0, data_analyst 0 → three missing.
    assert facts["profile.core_roles_missing"] == 3
    assert facts["profile.lead_reports_to"] == "cmo"
    assert facts["profile.lead_reports_to_top"] is False
    assert facts["profile.data.crm"] is True and facts["profile.data.member"] is False
    assert facts["profile.data_all_connected"] is False
    assert facts["profile.has_stores"] is True
    # Headcount leaves shopping guides out: 1 + 2 + 3 = 6.
    assert facts["profile.headcount"] == 6
    assert facts["profile.role.shopping_guide"] == 10
    assert facts["profile.role.data_analyst"] == 0
    assert facts["profile.team_model"] == "outsourced_core"
    assert facts["profile.org_form"] == "amoeba"
    assert facts["profile.sub_brands"] == 4
    assert facts["profile.stage"] == "conversion"
    assert facts["profile.industry"] == "fmcg"
    assert all(k.startswith("profile.") for k in facts)


@pytest.mark.parametrize("line", ["ceo", "gm", "coo"])
def test_profile_facts_top_reporting_lines(line):
    facts = profile_facts(_config(lead_reports_to=line))
    assert facts["profile.lead_reports_to_top"] is True
    assert facts["profile.core_roles_missing"] == 0
    assert facts["profile.data_all_connected"] is True
    assert facts["profile.has_stores"] is False


def test_profile_facts_unknown_connections_are_not_facts_and_given_roles_count_zero():
    facts = profile_facts(_config(data_connected={}, roles={}))
    assert not any(k.startswith("profile.data") for k in facts)  # nothing said: unknown
    assert facts["profile.core_roles_missing"] == 5  # roles given: those not listed are 0
    assert facts["profile.headcount"] == 0
    islands = profile_facts(_config(data_connected={"crm": False, "scrm": False, "member": False}))
    assert islands["profile.data_all_connected"] is False


# ---------------------------------------------------------------- diagnose on a custom bank


def test_custom_bank_runs_end_to_end_with_hand_computed_scores():
    dx = diagnose(_config("mature"), CUSTOM, _custom_responses(), load_rules(FINDINGS_RULES))
    dims = dx.dimensions.set_index("dimension")
    assert list(dims.index) == ["speed", "trust"]
    # speed: S1 = 3 → 50, S2 = 3 reversed → 50 → 50; trust: T1 = 5 → 100.
    assert dims.loc["speed", "score"] == pytest.approx(50.0)
    assert dims.loc["trust", "score"] == pytest.approx(100.0)
    # Levels: 50 is in 40–60 → 3; 100 → 5. Overall (50 + 100) / 2 = 75 → level 4.
    assert dims.loc["speed", "level"] == 3
    assert dims.loc["trust", "level"] == 5
    assert dx.overall == pytest.approx(75.0)
    assert dx.level == 4
    # Mature stage: target level 4, whose band starts at 60.
    # gap_to_target = max(0, 60 − score): speed 10, trust 0 (above target, not negative).
    assert dims["target_level"].tolist() == [4, 4]
    assert dims["target_score"].tolist() == [60.0, 60.0]
    assert dims.loc["speed", "gap_to_target"] == pytest.approx(10.0)
    assert dims.loc["trust", "gap_to_target"] == pytest.approx(0.0)
    # Everyone agrees on everything: r_wg = 1.
    assert dims["agreement"].tolist() == pytest.approx([1.0, 1.0])
    # Facts are named after the bank's own dimensions.
    assert dx.facts["dim.speed"] == pytest.approx(50.0)
    assert dx.facts["gap_to_target.speed"] == pytest.approx(10.0)
    assert dx.facts["target.trust"] == 4
    assert dx.facts["sub.speed.s"] == pytest.approx(50.0)
    assert dx.facts["item.S2"] == pytest.approx(50.0)
    assert dx.facts["dept.sales.trust"] == pytest.approx(100.0)
    assert dx.facts["gap.mgmt_front.speed"] == pytest.approx(0.0)
    assert not any(".goals" in k or ".collaboration" in k for k in dx.facts)
    # None of the default bank's rules has its facts here, so none fires.
    assert dx.findings.empty
    assert list(dx.findings.columns) == list(FINDING_COLUMNS)
    assert dx.n_respondents == 8


def test_custom_rules_are_ranked_with_the_custom_target_gap():
    rules = RuleSet.model_validate(
        {
            "version": "t",
            "rules": [
                {
                    "id": "SPEED-LOW",
                    "dimension": "speed",
                    "severity": "high",
                    "phase": "0-3",
                    "when": {"fact": "dim.speed", "op": "<", "value": 55},
                    "title": _text("slow"),
                    "evidence": {"zh": "速度 {dim.speed} 分", "en": "Speed scores {dim.speed}"},
                    "recommendation": _text("faster"),
                },
                {
                    "id": "TRUST-HIGH",
                    "dimension": "trust",
                    "severity": "high",
                    "phase": "6-12",
                    "when": {"diff": ["dim.trust", "dim.speed"], "op": ">=", "value": 50},
                    "title": _text("trusted"),
                    "evidence": _text("{dim.trust}"),
                    "recommendation": _text("keep"),
                },
            ],
        }
    )
    dx = diagnose(_config("mature"), CUSTOM, _custom_responses(), rules)
    # SPEED-LOW: 3 × (1 + 10/20) = 4.5; TRUST-HIGH: 3 × (1 + 0/20) = 3.
    assert dx.findings["rule"].tolist() == ["SPEED-LOW", "TRUST-HIGH"]
    assert dx.findings["priority"].tolist() == pytest.approx([4.5, 3.0])
    assert dx.findings.loc[0, "evidence_en"] == "Speed scores 50.0"
    assert dx.findings.loc[1, "evidence_zh"] == "100.0"
    phases = roadmap(dx.findings)
    assert list(phases) == ["0-3", "3-6", "6-12"]
    assert phases["0-3"]["rule"].tolist() == ["SPEED-LOW"]
    assert phases["3-6"].empty


# ---------------------------------------------------------------- anonymity


def test_groups_below_min_size_are_hidden_everywhere():
    dx = diagnose(_config(), CUSTOM, _custom_responses(), NO_RULES)
    # Departments: sales 4, service 3, stores 1 (hidden with the default minimum of 3).
    assert list(dx.departments.index) == ["sales", "service"]
    assert dx.departments["n"].tolist() == [4, 3]
    hidden = dx.hidden.set_index("group")
    assert hidden.loc["stores", "kind"] == "department"
    assert hidden.loc["stores", "n"] == 1
    assert not any(k.startswith("dept.stores.") for k in dx.facts)
    assert "stores" not in set(dx.dept_gaps["group_a"]) | set(dx.dept_gaps["group_b"])
    assert list(dx.dept_gaps.columns) == list(GAP_COLUMNS)
    assert dx.min_group_size == 3


def test_min_group_size_argument_overrides_the_client_setting():
    dx = diagnose(_config(), CUSTOM, _custom_responses(), NO_RULES, min_group_size=4)
    assert list(dx.departments.index) == ["sales"]
    assert set(dx.hidden["group"]) == {"service", "stores"}
    assert not any(k.startswith(("dept.service.", "dept.stores.")) for k in dx.facts)
    # Role levels are 4 and 4: both shown.
    assert sorted(dx.role_levels.index) == ["frontline", "management"]
    assert dx.dept_gaps.empty  # one department left, nothing to compare
    dx = diagnose(_config(), CUSTOM, _custom_responses(), NO_RULES, min_group_size=5)
    assert dx.role_levels.empty
    assert set(dx.hidden.loc[dx.hidden["kind"] == "role_level", "group"]) == {
        "management",
        "frontline",
    }
    assert not any(k.startswith("gap.mgmt_front") for k in dx.facts)


def test_too_few_responses_for_the_minimum_is_an_input_error():
    with pytest.raises(InputError) as excinfo:
        diagnose(_config(), CUSTOM, _custom_responses(), NO_RULES, min_group_size=9)
    (problem,) = excinfo.value.problems
    assert problem.file == "survey.csv"
    assert problem.message.startswith(
        "only 8 responses can be scored, fewer than the minimum of 9 (the minimum group size set "
        "for this run)"
    )
    assert problem.hint == "collect at least 1 more answer."
    # eight responses meet a minimum of eight
    assert diagnose(_config(), CUSTOM, _custom_responses(), NO_RULES, min_group_size=8).level


def test_an_item_answered_by_too_few_keeps_its_counts_and_counts_in_its_dimension():
    responses = _custom_responses()
    responses.answers["T1"] = np.nan
    responses.answers.loc[["r0", "r1"], "T1"] = [5.0, 1.0]  # two answers: 100 and 0
    dx = diagnose(_config(), CUSTOM, responses, NO_RULES)
    t1 = dx.items.set_index("item").loc["T1"]
    assert t1["n"] == 2
    assert all(math.isnan(t1[k]) for k in ("score", "agree", "disagree"))
    assert dx.distribution.loc["T1"].isna().all()
    assert "item.T1" not in dx.facts and "agree.T1" not in dx.facts
    # S1 and S2 (eight answers each) are shown: 3 → 50, reversed 3 → 50
    assert dx.items.set_index("item").loc[["S1", "S2"], "score"].tolist() == [50.0, 50.0]
    # trust still rests on T1's answers: (100 + 0) / 2 = 50
    assert dx.dimensions.set_index("dimension").loc["trust", "score"] == pytest.approx(50.0)
    shown = diagnose(_config(), CUSTOM, responses, NO_RULES, min_group_size=2)
    assert shown.items.set_index("item").loc["T1", "score"] == pytest.approx(50.0)
    assert shown.distribution.loc["T1", [1, 5]].tolist() == [0.5, 0.5]


def test_department_scores_match_a_plain_groupby():
    index = pd.Index([f"r{i}" for i in range(6)], name="respondent")
    answers = pd.DataFrame(
        {"S1": [1.0, 2.0, 3.0, 5.0, 5.0, 4.0], "S2": [5.0, 4.0, 3.0, 1.0, 2.0, 1.0], "T1": 3.0},
        index=index,
    )
    responses = _responses(answers, ["a"] * 3 + ["b"] * 3, ["frontline"] * 3 + ["management"] * 3)
    dx = diagnose(_config(), CUSTOM, responses, NO_RULES)
    # Per person speed = mean of S1 score and reversed S2 score, by hand with pandas.
    s1 = (answers["S1"] - 1) / 4 * 100
    s2 = (5 - answers["S2"]) / 4 * 100
    speed = pd.concat([s1, s2], axis=1).mean(axis=1)
    expected = speed.groupby(["a"] * 3 + ["b"] * 3).mean()
    assert dx.departments.loc["a", "speed"] == pytest.approx(expected["a"])  # (0 + 25 + 50)/3
    assert dx.departments.loc["b", "speed"] == pytest.approx(expected["b"])
    assert expected["a"] == pytest.approx(25.0) and expected["b"] == pytest.approx(
        (100 + 87.5 + 87.5) / 3
    )
    # mgmt − front-line gap, with management first.
    assert dx.facts["gap.mgmt_front.speed"] == pytest.approx(expected["b"] - expected["a"])


# ---------------------------------------------------------------- purity


def test_diagnose_does_not_mutate_its_inputs():
    responses = _custom_responses()
    responses.answers.loc["r0", "S1"] = np.nan
    responses.not_applicable.loc["r0", "S1"] = True
    before = {
        name: getattr(responses, name).copy()
        for name in ("answers", "not_applicable", "respondents", "quality")
    }
    config = _config("mature", targets={"speed": 5})
    config_before = config.model_dump()
    diagnose(config, CUSTOM, responses, load_rules(FINDINGS_RULES))
    for name, frame in before.items():
        assert_frame_equal(getattr(responses, name), frame)
    assert config.model_dump() == config_before


def test_facts_are_plain_python_values_without_nan():
    responses = _custom_responses()
    responses.answers["T1"] = np.nan  # nobody answered trust
    dx = diagnose(_config(), CUSTOM, responses, NO_RULES)
    assert "dim.trust" not in dx.facts
    assert math.isnan(dx.dimensions.set_index("dimension").loc["trust", "score"])
    assert dx.dimensions.set_index("dimension").loc["trust", "level"] == 0
    for value in dx.facts.values():
        assert not isinstance(value, np.generic)
        assert not (isinstance(value, float) and math.isnan(value))


def test_incentive_findings_in_the_diagnosis_use_the_plans_gmv():
    from siyu_diag import open_diagnosis

    # xiangwei's store targets add up to more than 105% of its plan's year-1 GMV (~570万) but
    # not of the scheme's own GMV: the finding needs the plan, as in the incentive chapter
    rules = set(open_diagnosis("sample:xiangwei").dx.findings["rule"])
    assert "INC-TARGETS-ABOVE-PLAN" in rules
    # findings the report builder hands over (here: those of a plan GMV of 10^12) are used as
    # they are, not worked out again
    from siyu_diag.incentives import incentive_findings, open_incentives

    offered = incentive_findings(open_incentives("sample:xiangwei", plan_gmv=1e12))
    facts = {"incentive_findings": offered.to_dict("records")}
    huge = set(open_diagnosis("sample:xiangwei", facts=facts).dx.findings["rule"])
    assert "INC-TARGETS-ABOVE-PLAN" not in huge
    assert set(offered["rule"]) <= huge
