"""Tests of siyu_diag.core.rules: conditions, schema, evidence text, ranking and the
bundled rules.
"""

import math
import re
import string
import textwrap
import typing

import numpy as np
import pandas as pd
import pytest

from siyu_diag.core import assets
from siyu_diag.core.client import ClientConfig, Industry, client_model
from siyu_diag.core.errors import InputError
from siyu_diag.core.rules import (
    FINDING_COLUMNS,
    Leaf,
    Node,
    RuleSet,
    evaluate_rules,
    load_rules,
)
from siyu_diag.diagnosis.bank import load_bank
from siyu_diag.diagnosis.compute import diagnose
from siyu_diag.diagnosis.survey import Responses

FINDINGS_RULES = assets.data_path("rules", "findings-v1.yaml")

# ---------------------------------------------------------------- Leaf and Node

FACTS = {"x": 10.0, "y": 4.0, "stage": "launch", "flag": True, "gone": float("nan"), "n": 3}


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("<", 11, True),
        ("<", 10, False),
        ("<=", 10, True),
        ("<=", 9.99, False),
        (">", 9.99, True),
        (">", 10, False),
        (">=", 10, True),
        (">=", 10.01, False),
        ("==", 10, True),
        ("==", 10.5, False),
        ("!=", 10.5, True),
        ("!=", 10, False),
    ],
)
def test_leaf_comparison_ops(op, value, expected):
    assert Leaf(fact="x", op=op, value=value).test(FACTS) is expected


def test_leaf_in_and_not_in():
    assert Leaf(fact="stage", op="in", value=["launch", "mature"]).test(FACTS) is True
    assert Leaf(fact="stage", op="in", value=["conversion"]).test(FACTS) is False
    assert Leaf(fact="stage", op="not_in", value=["conversion"]).test(FACTS) is True
    assert Leaf(fact="stage", op="not_in", value=["launch"]).test(FACTS) is False


def test_leaf_bool_equality():
    assert Leaf(fact="flag", op="==", value=True).test(FACTS) is True
    assert Leaf(fact="flag", op="==", value=False).test(FACTS) is False


def test_leaf_diff_is_first_minus_second():
    # x − y = 6
    assert Leaf(diff=("x", "y"), op=">=", value=6).test(FACTS) is True
    assert Leaf(diff=("x", "y"), op=">", value=6).test(FACTS) is False
    assert Leaf(diff=("y", "x"), op="==", value=-6).test(FACTS) is True


def test_missing_fact_makes_a_leaf_false_whatever_the_op():
    for op in ("<", ">=", "!="):
        assert Leaf(fact="absent", op=op, value=0).test(FACTS) is False
    assert Leaf(fact="absent", op="not_in", value=[1]).test(FACTS) is False
    assert Leaf(diff=("x", "absent"), op="<", value=100).test(FACTS) is False
    assert Leaf(diff=("absent", "x"), op="<", value=100).test(FACTS) is False


def test_nan_fact_makes_a_leaf_false():
    assert Leaf(fact="gone", op="<", value=50).test(FACTS) is False
    assert Leaf(fact="gone", op="!=", value=50).test(FACTS) is False
    assert Leaf(diff=("x", "gone"), op="<", value=50).test(FACTS) is False
    assert Leaf(fact="x", op="<", value=50).test({"x": np.float64("nan")}) is False


def test_incomparable_types_are_false_not_an_error():
    assert Leaf(fact="stage", op="<", value=3).test(FACTS) is False


def test_diff_of_non_numeric_facts_is_false_not_an_error():
    # Regression: the subtraction was outside the TypeError guard, so a diff over two text facts
    # crashed evaluate_rules instead of leaving the rule unfired.
    leaf = Leaf(diff=("stage", "other"), op=">", value=0)
    assert leaf.test({**FACTS, "other": "mature"}) is False


def test_nested_all_and_any():
    true_leaf = {"fact": "x", "op": ">", "value": 5}
    false_leaf = {"fact": "y", "op": ">", "value": 5}
    missing = {"fact": "absent", "op": "==", "value": 1}
    node = Node.model_validate({"all": [true_leaf, {"any": [false_leaf, true_leaf]}]})
    assert node.test(FACTS) is True
    node = Node.model_validate({"all": [true_leaf, {"any": [false_leaf, missing]}]})
    assert node.test(FACTS) is False
    node = Node.model_validate({"any": [missing, {"all": [true_leaf, true_leaf]}]})
    assert node.test(FACTS) is True
    assert node.facts_used() == ["absent", "x", "x"]


# ---------------------------------------------------------------- schema errors via load_rules

RULE = {
    "id": "R1",
    "dimension": "goals",
    "severity": "high",
    "phase": "0-3",
    "when": {"fact": "x", "op": "<", "value": 1},
    "title": {"zh": "标题", "en": "Title"},
    "evidence": {"zh": "证据", "en": "Evidence"},
    "recommendation": {"zh": "建议", "en": "Do it"},
}


def _rule(**changes) -> dict:
    out = dict(RULE)
    out.update(changes)
    return out


def _write_rules(tmp_path, rules: list[dict]):
    import yaml

    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"version": "t", "rules": rules}, allow_unicode=True), "utf-8")
    return path


def test_load_rules_accepts_a_valid_file(tmp_path):
    rules = load_rules(_write_rules(tmp_path, [RULE]))
    assert [r.id for r in rules.rules] == ["R1"]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([_rule(when={"fact": "x", "diff": ["a", "b"], "op": "<", "value": 1})], "exactly one"),
        ([_rule(when={"op": "<", "value": 1})], "exactly one"),
        ([_rule(when={"fact": "x", "op": "in", "value": "launch"})], "list"),
        ([_rule(when={"fact": "x", "op": "~", "value": 1})], "op"),
        (
            [
                _rule(
                    when={
                        "all": [{"fact": "x", "op": "<", "value": 1}],
                        "any": [{"fact": "x", "op": "<", "value": 1}],
                    }
                )
            ],
            "all",
        ),
        ([RULE, _rule(dimension="growth")], "R1"),
        ([_rule(severty="high")], "severty"),
        ([_rule(severity="critical")], "severity"),
        ([_rule(phase="1-2")], "phase"),
        ([], "rules"),
        ([_rule(variants=[{"when": {"fact": "x", "op": "<", "value": 1}}])], "recommendation"),
    ],
    ids=[
        "fact-and-diff",
        "neither-fact-nor-diff",
        "in-without-list",
        "unknown-op",
        "all-and-any",
        "duplicate-id",
        "unknown-key",
        "bad-severity",
        "bad-phase",
        "no-rules",
        "variant-without-recommendation",
    ],
)
def test_load_rules_schema_errors(tmp_path, rules, message):
    with pytest.raises(InputError, match=message):
        load_rules(_write_rules(tmp_path, rules))


def test_load_rules_rejects_a_non_mapping(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("- just\n- a list\n", "utf-8")
    with pytest.raises(InputError):
        load_rules(path)


# ---------------------------------------------------------------- evidence text and ranking


def _ruleset(*rules: dict) -> RuleSet:
    return RuleSet.model_validate({"version": "t", "rules": list(rules)})


def test_evidence_formatting_by_fact_kind():
    evidence = (
        "{dim.goals}|{agree.G01}|{profile.has_stores}|{agreement.goals}|{alpha.goals}|"
        "{profile.headcount}|{profile.stage}|{not.a.fact}"
    )
    rules = _ruleset(
        _rule(
            when={"fact": "dim.goals", "op": "<", "value": 50},
            evidence={"zh": evidence, "en": evidence},
        )
    )
    facts = {
        "dim.goals": 42.36,
        "agree.G01": 0.4567,
        "profile.has_stores": True,
        "agreement.goals": 0.12345,
        "alpha.goals": 0.876,
        "profile.headcount": 7,
        "profile.stage": "launch",
    }
    row = evaluate_rules(rules, facts).iloc[0]
    # score one decimal, agree.* as a percentage, agreement/alpha two decimals, missing → dash
    assert row["evidence_zh"] == "42.4|45.7%|是|0.12|0.88|7|launch|—"
    assert row["evidence_en"] == "42.4|45.7%|yes|0.12|0.88|7|launch|—"
    facts["profile.has_stores"] = False
    row = evaluate_rules(rules, facts).iloc[0]
    assert row["evidence_zh"].split("|")[2] == "否"
    assert row["evidence_en"].split("|")[2] == "no"


def test_finding_row_carries_rule_texts():
    out = evaluate_rules(_ruleset(RULE), {"x": 0})
    assert list(out.columns) == list(FINDING_COLUMNS)
    row = out.iloc[0]
    assert (row["rule"], row["dimension"], row["severity"], row["phase"]) == (
        "R1",
        "goals",
        "high",
        "0-3",
    )
    assert (row["title_zh"], row["title_en"]) == ("标题", "Title")
    assert (row["recommendation_zh"], row["recommendation_en"]) == ("建议", "Do it")


def test_no_rule_fires_gives_an_empty_table_with_columns():
    out = evaluate_rules(_ruleset(RULE), {"x": 5})
    assert out.empty
    assert list(out.columns) == list(FINDING_COLUMNS)


def test_priority_is_severity_weight_times_target_gap():
    fire = {"fact": "x", "op": "<", "value": 1}
    rules = _ruleset(
        _rule(id="HIGH-A", dimension="a", severity="high", when=fire),
        _rule(id="MED-B", dimension="b", severity="medium", when=fire),
        _rule(id="LOW-C", dimension="c", severity="low", when=fire),
        _rule(id="HIGH-0", dimension="a", severity="high", when=fire),
        _rule(id="NOT-FIRED", dimension="c", severity="high", when={**fire, "value": -1}),
    )
    out = evaluate_rules(rules, {"x": 0}, {"a": 0.0, "b": 30.0, "c": 100.0})
    # low:    1 × (1 + 100/20) = 6
    # medium: 2 × (1 + 30/20) = 5
    # high:   3 × (1 + 0/20) = 3 (twice; equal priorities keep the order of the rule file)
    assert out["rule"].tolist() == ["LOW-C", "MED-B", "HIGH-A", "HIGH-0"]
    assert out["priority"].tolist() == pytest.approx([6.0, 5.0, 3.0, 3.0])


def test_priority_without_target_gaps_is_the_severity_weight():
    fire = {"fact": "x", "op": "<", "value": 1}
    rules = _ruleset(
        _rule(id="L", severity="low", when=fire), _rule(id="M", severity="medium", when=fire)
    )
    out = evaluate_rules(rules, {"x": 0})
    assert out["rule"].tolist() == ["M", "L"]
    assert out["priority"].tolist() == [2.0, 1.0]


def test_evaluate_rules_does_not_mutate_facts():
    facts = {"x": 0, "dim.goals": 10.0}
    before = dict(facts)
    evaluate_rules(_ruleset(RULE), facts, {"goals": 5.0})
    assert facts == before


# ---------------------------------------------------------------- recommendations for the client


def _text(zh: str) -> dict:
    return {"zh": zh, "en": zh}


def _variant(zh: str, *leaves: dict) -> dict:
    when = leaves[0] if len(leaves) == 1 else {"all": list(leaves)}
    return {"when": when, "recommendation": _text(zh)}


STORES = {"fact": "stores", "op": "==", "value": True}
ANALYST = {"fact": "analysts", "op": ">=", "value": 1}


def _recommended(variants: list[dict], facts: dict) -> str:
    rules = _ruleset(_rule(recommendation=_text("通用"), variants=variants))
    return evaluate_rules(rules, {"x": 0, **facts}).iloc[0]["recommendation_zh"]


def test_no_matching_variant_gives_the_generic_recommendation():
    variants = [_variant("门店版", STORES)]
    assert _recommended(variants, {}) == "通用"  # the fact is unknown
    assert _recommended(variants, {"stores": False}) == "通用"
    assert _recommended([], {"stores": True}) == "通用"


def test_the_matching_variant_replaces_the_generic_in_both_languages():
    rules = _ruleset(
        _rule(
            recommendation={"zh": "通用", "en": "generic"},
            variants=[{"when": STORES, "recommendation": {"zh": "门店版", "en": "store"}}],
        )
    )
    row = evaluate_rules(rules, {"x": 0, "stores": True}).iloc[0]
    assert (row["recommendation_zh"], row["recommendation_en"]) == ("门店版", "store")


def test_the_variant_reading_more_facts_wins_whatever_its_place():
    both = _variant("门店且有分析师", STORES, ANALYST)
    stores_only = _variant("门店版", STORES)
    facts = {"stores": True, "analysts": 2}
    assert _recommended([stores_only, both], facts) == "门店且有分析师"
    assert _recommended([both, stores_only], facts) == "门店且有分析师"
    assert _recommended([stores_only, both], {"stores": True, "analysts": 0}) == "门店版"


def test_variants_reading_as_many_facts_go_by_their_order_in_the_file():
    stores, analyst = _variant("门店版", STORES), _variant("分析师版", ANALYST)
    facts = {"stores": True, "analysts": 1}
    assert _recommended([stores, analyst], facts) == "门店版"
    assert _recommended([analyst, stores], facts) == "分析师版"
    # a fact read twice counts once
    twice = _variant("重复", STORES, {**STORES, "op": "!=", "value": False})
    assert _recommended([stores, twice], facts) == "门店版"


# ---------------------------------------------------------------- synthetic default-bank data

DEPARTMENTS = ("marketing", "operations", "sales", "service", "stores", "management")
PER_DEPT = 4  # two managers and two front-line staff in each department


def _config(**organisation) -> ClientConfig:
    org = {
        "lead_reports_to": "ceo",
        "team_model": "self_built",
        "org_form": "middle_platform",
        "roles": {"lead": 1, "content": 1, "community": 2, "growth": 1, "data_analyst": 1},
        "data_connected": {"crm": True, "scrm": True, "member": True},
        "sub_brands": 1,
    }
    org.update(organisation)
    return client_model().model_validate(
        {
            "brand": "测试品牌",
            "slug": "test-brand",
            "industry": "retail",
            "stage": "conversion",
            "date": "2026-03-01",
            "consultant": "顾问",
            "organisation": org,
            "survey": {"file": "survey.csv"},
        }
    )


def _raw(score: float, reverse: bool) -> float:
    """The 1–5 answer that scores ``score`` (0, 25, 50, 75 or 100) on an item."""
    return 5 - score / 25 if reverse else 1 + score / 25


def _responses(bank, score_of=None, seed: int = 0) -> Responses:
    """24 respondents, 4 per department (2 management, 2 frontline), audience respected.

    ``score_of(department, role, item)`` returns the 0–100 score to give, or None for a random
    answer.
    """
    rng = np.random.default_rng(seed)
    rows, people = [], []
    for dept in DEPARTMENTS:
        for k in range(PER_DEPT):
            role = "management" if k < 2 else "frontline"
            answers = {}
            for item in bank.items:
                if item.audience not in ("all", role):
                    answers[item.id] = np.nan
                    continue
                score = score_of(dept, role, item) if score_of else None
                answers[item.id] = (
                    float(rng.integers(1, 6)) if score is None else _raw(score, item.reverse)
                )
            rows.append(answers)
            people.append({"department": dept, "department_label": dept, "role_level": role})
    index = pd.Index([f"r{i}" for i in range(len(rows))], name="respondent")
    answers = pd.DataFrame(rows, index=index, columns=[i.id for i in bank.items])
    respondents = pd.DataFrame(people, index=index)
    respondents.insert(0, "row", range(2, len(rows) + 2))
    respondents["duration_s"] = 600.0
    na = pd.DataFrame(False, index=index, columns=answers.columns)
    quality = pd.DataFrame(columns=["kind", "rows", "subject", "value", "excluded"])
    return Responses(answers, na, respondents, quality, "survey.csv")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def rules():
    return load_rules(FINDINGS_RULES)


# ---------------------------------------------------------------- the bundled rules


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_bundled_rules_load_and_cover_every_dimension(rules, bank):
    assert len(rules.rules) >= 25
    counts = pd.Series([r.dimension for r in rules.rules]).value_counts()
    for d in bank.dimensions:
        assert counts.get(d.id, 0) >= 5, d.id
    assert set(counts.index) <= {d.id for d in bank.dimensions}


def _variant_facts(rule) -> list[str]:
    return [name for variant in rule.variants for name in variant.when.facts_used()]


def test_every_fact_a_bundled_rule_reads_exists_in_the_catalogue(rules, bank):
    dx = diagnose(_config(), bank, _responses(bank), rules)
    dims = "|".join(d.id for d in bank.dimensions)
    depts = "|".join(DEPARTMENTS)
    patterns = [
        re.compile(rf"dept\.({depts})\.({dims})"),
        re.compile(rf"gap\.(dept_max|dept_counts|mgmt_front|mgmt_front_counts)\.({dims})"),
    ]
    unknown = set()
    for rule in rules.rules:
        for name in [*rule.when.facts_used(), *_variant_facts(rule)]:
            if name in dx.facts:
                continue
            if not any(p.fullmatch(name) for p in patterns):
                unknown.add((rule.id, name))
    assert not unknown


def test_every_evidence_placeholder_is_a_fact_the_condition_reads(rules):
    problems = []
    for rule in rules.rules:
        used = set(rule.when.facts_used())
        used |= {f"{name}_list{suffix}" for name in used for suffix in ("", "_en")}  # its wording
        for lang in ("zh", "en"):
            extra = _placeholders(rule.evidence.get(lang)) - used
            if extra:
                problems.append((rule.id, lang, sorted(extra)))
    assert not problems


def test_bundled_rules_on_a_full_synthetic_survey_give_well_formed_findings(rules, bank):
    dx = diagnose(_config(), bank, _responses(bank), rules)
    assert list(dx.findings.columns) == list(FINDING_COLUMNS)
    for text in dx.findings["evidence_zh"].tolist() + dx.findings["evidence_en"].tolist():
        assert "{" not in text and not re.search(r"\bnan\b|\bNone\b", text, re.IGNORECASE)


# Words a recommendation may use only when the client's facts say they apply, with the fact
# (a suffix of its name) that has to be read first.
PRESUMING = {
    r"门店|导购|\bstores?\b|shopping guide": "has_stores",
    r"SCRM": "data.scrm",
    r"数据分析师|data analyst": "role.data_analyst",
    r"会员|member (?:tier|system)|membership": "data.member",
}
INCENTIVES_RULES = assets.data_path("rules", "incentives-v1.yaml")


def _presumes(text: str, facts_read: set[str]) -> list[str]:
    return [
        pattern
        for pattern, fact in PRESUMING.items()
        if re.search(pattern, text) and not any(name.endswith(fact) for name in facts_read)
    ]


@pytest.mark.parametrize("path", [FINDINGS_RULES, INCENTIVES_RULES], ids=["findings", "incentives"])
def test_bundled_recommendations_presume_only_what_their_condition_reads(path):
    problems = []
    for rule in load_rules(path).rules:
        read = set(rule.when.facts_used())
        texts = [("generic", rule.recommendation, read)]
        texts += [
            (f"variant {i}", v.recommendation, read | set(v.when.facts_used()))
            for i, v in enumerate(rule.variants)
        ]
        for where, text, facts_read in texts:
            for lang in ("zh", "en"):
                for pattern in _presumes(text.get(lang), facts_read):
                    problems.append((rule.id, where, lang, pattern))
    assert not problems


# ---------------------------------------------------------------- bundled rules on crafted facts


def _fired(rules, facts) -> set[str]:
    return set(evaluate_rules(rules, facts)["rule"])


def test_store_channel_conflict_boundary(rules):
    facts = {
        "profile.has_stores": True,
        "dept.operations.collaboration": 70.0,
        "dept.stores.collaboration": 55.0,
    }
    assert "COL-STORE-CHANNEL-CONFLICT" in _fired(rules, facts)  # 70 − 55 = 15
    assert "COL-STORE-CHANNEL-CONFLICT" not in _fired(
        rules, {**facts, "dept.stores.collaboration": 55.1}
    )
    assert "COL-STORE-CHANNEL-CONFLICT" not in _fired(rules, {**facts, "profile.has_stores": False})
    no_stores_dept = {k: v for k, v in facts.items() if k != "dept.stores.collaboration"}
    assert "COL-STORE-CHANNEL-CONFLICT" not in _fired(rules, no_stores_dept)


def test_data_islands_boundary(rules):
    facts = {"profile.data.unconnected": 1, "sub.collaboration.data": 54.9}
    assert "COL-DATA-ISLANDS" in _fired(rules, facts)
    assert "COL-DATA-ISLANDS" not in _fired(rules, {**facts, "sub.collaboration.data": 55.0})
    assert "COL-DATA-ISLANDS" not in _fired(rules, {**facts, "profile.data.unconnected": 0})


def test_vendor_dependence_boundary(rules):
    facts = {"profile.team_model": "outsourced_core", "agree.W02": 0.4}
    assert "GRO-VENDOR-DEPENDENCE" in _fired(rules, facts)
    assert "GRO-VENDOR-DEPENDENCE" not in _fired(rules, {**facts, "agree.W02": 0.39})
    assert "GRO-VENDOR-DEPENDENCE" not in _fired(
        rules, {**facts, "profile.team_model": "self_built"}
    )


# ---------------------------------------------------------------- bundled rules end to end


def _collaboration(store_score: float, ops_score: float):
    def score_of(dept, role, item):
        if item.dimension == "collaboration":
            return {"stores": store_score, "operations": ops_score}.get(dept, 50.0)
        return 50.0

    return score_of


def test_store_channel_conflict_fires_end_to_end(rules, bank):
    guides = {"lead": 1, "content": 1, "community": 1, "growth": 1, "data_analyst": 1}
    with_guides = _config(roles={**guides, "shopping_guide": 12})
    responses = _responses(bank, _collaboration(store_score=25.0, ops_score=75.0))
    dx = diagnose(with_guides, bank, responses, rules)
    # Every collaboration answer of stores scores 25 and of operations 75: a 50-point gap.
    assert dx.facts["dept.stores.collaboration"] == pytest.approx(25.0)
    assert dx.facts["dept.operations.collaboration"] == pytest.approx(75.0)
    row = dx.findings.set_index("rule").loc["COL-STORE-CHANNEL-CONFLICT"]
    assert row["evidence_en"] == (
        "Operations rates Collaboration at 75.0 but the stores only at 25.0; "
        "the stores clearly do not feel part of it."
    )
    # Without shopping guides the same answers do not fire it.
    dx = diagnose(_config(roles=guides), bank, responses, rules)
    assert "COL-STORE-CHANNEL-CONFLICT" not in set(dx.findings["rule"])
    # With a 10-point gap it does not fire either.
    responses = _responses(bank, _collaboration(store_score=50.0, ops_score=60.0))
    dx = diagnose(with_guides, bank, responses, rules)
    assert dx.facts["dept.operations.collaboration"] - dx.facts[
        "dept.stores.collaboration"
    ] == pytest.approx(10.0)
    assert "COL-STORE-CHANNEL-CONFLICT" not in set(dx.findings["rule"])


def test_data_islands_fires_end_to_end(rules, bank):
    responses = _responses(bank, lambda d, r, item: 25.0)  # every item scores 25
    islands = _config(data_connected={"crm": True, "scrm": False, "member": True})
    dx = diagnose(islands, bank, responses, rules)
    assert dx.facts["sub.collaboration.data"] == pytest.approx(25.0)
    assert dx.facts["profile.data_all_connected"] is False
    row = dx.findings.set_index("rule").loc["COL-DATA-ISLANDS"]
    # only the system said to be unconnected is named
    assert row["evidence_zh"] == "SCRM尚未与其他系统打通，“数据打通”子维度得分 25.0 分。"
    assert row["evidence_en"].startswith("Not yet connected to the other systems: the SCRM;")
    two = _config(data_connected={"crm": False, "member": False})
    row = diagnose(two, bank, responses, rules).findings.set_index("rule").loc["COL-DATA-ISLANDS"]
    assert row["evidence_zh"].startswith("CRM、会员系统尚未")
    dx = diagnose(_config(), bank, responses, rules)  # all three systems connected
    assert "COL-DATA-ISLANDS" not in set(dx.findings["rule"])
    high = _responses(bank, lambda d, r, item: 75.0)
    dx = diagnose(islands, bank, high, rules)
    assert "COL-DATA-ISLANDS" not in set(dx.findings["rule"])


def test_vendor_dependence_fires_end_to_end(rules, bank):
    # W02 (reverse-keyed, managers only): raw 4 = "agree" → scores 25.
    def agree_w02(dept, role, item):
        return 25.0 if item.id == "W02" else 50.0

    def disagree_w02(dept, role, item):
        return 75.0 if item.id == "W02" else 50.0

    outsourced = _config(team_model="outsourced_core")
    dx = diagnose(outsourced, bank, _responses(bank, agree_w02), rules)
    assert dx.facts["agree.W02"] == 1.0
    row = dx.findings.set_index("rule").loc["GRO-VENDOR-DEPENDENCE"]
    assert row["evidence_en"].startswith("The brand uses a third-party service team")
    assert "100.0%" in row["evidence_en"]
    dx = diagnose(outsourced, bank, _responses(bank, disagree_w02), rules)
    assert dx.facts["agree.W02"] == 0.0
    assert "GRO-VENDOR-DEPENDENCE" not in set(dx.findings["rule"])
    dx = diagnose(_config(), bank, _responses(bank, agree_w02), rules)  # self-built team
    assert "GRO-VENDOR-DEPENDENCE" not in set(dx.findings["rule"])


def test_rule_on_nan_fact_in_diagnosis_does_not_fire(rules, bank):
    # Nobody answers G06: agree.G06 and item.G06 are NaN and dropped from the facts.
    responses = _responses(bank, lambda d, r, item: 0.0)
    responses.answers["G06"] = np.nan
    dx = diagnose(_config(), bank, responses, rules)
    assert "agree.G06" not in dx.facts and "item.G06" not in dx.facts
    assert "GOAL-WISH-TARGETS" not in set(dx.findings["rule"])
    assert not any(isinstance(v, float) and math.isnan(v) for v in dx.facts.values())


def test_load_rules_from_yaml_text(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            version: "2"
            rules:
              - id: SPEED-SLOW
                dimension: speed
                severity: medium
                phase: "3-6"
                when:
                  any:
                    - {fact: dim.speed, op: "<", value: 40}
                    - {diff: [dim.trust, dim.speed], op: ">=", value: 20}
                title: {zh: 慢, en: Slow}
                evidence: {zh: "{dim.speed}", en: "{dim.speed}"}
                recommendation: {zh: 快, en: Faster}
            """
        ),
        "utf-8",
    )
    rules = load_rules(path)
    assert rules.version == "2"
    assert set(_fired(rules, {"dim.speed": 50.0, "dim.trust": 70.0})) == {"SPEED-SLOW"}
    assert _fired(rules, {"dim.speed": 50.0, "dim.trust": 69.0}) == set()


# ---------------------------------------------------------------- recommendations fit the client

LEAN = {"lead": 1, "content": 1, "community": 2, "growth": 1, "data_analyst": 0}


@pytest.mark.parametrize("industry", typing.get_args(Industry))
@pytest.mark.parametrize("team_model", ["self_built", "outsourced_core"])
def test_a_client_without_stores_analyst_or_known_systems_is_told_nothing_it_lacks(
    rules, bank, industry, team_model
):
    lean = _config(roles=LEAN, data_connected={}, team_model=team_model)
    lean = lean.model_copy(update={"industry": industry})
    dx = diagnose(lean, bank, _responses(bank, lambda d, r, item: 0.0), rules)
    assert len(dx.findings) >= 20  # every item at 0: most rules fire
    for row in dx.findings.itertuples():
        for text in (row.recommendation_zh, row.recommendation_en):
            assert not _presumes(text, set()), (row.rule, text)


def test_a_client_with_stores_analyst_and_systems_gets_the_variants_for_it(rules, bank):
    full = _config(
        roles={**LEAN, "data_analyst": 1, "shopping_guide": 12},
        data_connected={"crm": True, "scrm": False, "member": True},
    )
    dx = diagnose(full, bank, _responses(bank, lambda d, r, item: 0.0), rules)
    zh = dx.findings.set_index("rule")["recommendation_zh"]
    assert "市场、销售、门店负责人必须参加" in zh["COL-NO-CADENCE"]
    assert zh["GRO-CANNOT-COMPUTE-ROI"].startswith("数据分析师在1个月内")
    # SCRM and member system both known: the variant reading two facts beats the one reading one
    assert "会员等级" in zh["COL-MANUAL-TAGGING"]
    assert zh["COL-DATA-ISLANDS"].startswith(
        "由IT负责人在一个季度内以手机号或UnionID为主键打通三套系统"
    )
    only_scrm = _config(roles=LEAN, data_connected={"scrm": True})
    dx = diagnose(only_scrm, bank, _responses(bank, lambda d, r, item: 0.0), rules)
    zh = dx.findings.set_index("rule")["recommendation_zh"]
    assert "SCRM规则自动打标" in zh["COL-MANUAL-TAGGING"] and "会员" not in zh["COL-MANUAL-TAGGING"]
    assert zh["GRO-CANNOT-COMPUTE-ROI"].startswith("私域负责人指定一名熟悉数据的同事")
