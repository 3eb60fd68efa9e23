"""Organisation facts are given or unknown; no finding rests on a fact nobody gave.

A freshly scaffolded client (`siyu-diag new`, answers filled in, nothing else touched) used to get
its top findings from the template's default facts ("the lead reports too low" from a default
`lead_reports_to: cmo`, "data islands" from default `data_connected` all false).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from siyu_diag.core import assets
from siyu_diag.core.rules import load_rules
from siyu_diag.core.validate import validate_client
from siyu_diag.diagnosis import open_diagnosis
from siyu_diag.diagnosis.compute import profile_facts
from siyu_diag.diagnosis.config import FACT_KEYS, unknown_facts
from siyu_diag.scaffold import new_client

CLI = str(Path(sys.executable).with_name("siyu-diag"))
RULES = load_rules(assets.data_path("rules", "findings-v1.yaml"))


def _answered(folder: Path) -> Path:
    """The scaffolded questionnaire filled in by six people who mostly disagree."""
    book = openpyxl.load_workbook(folder / "questionnaire.xlsx")
    sheet = book["问卷"]
    width = sheet.max_column
    people = [("私域运营", "一线员工"), ("市场部", "一线员工"), ("门店", "一线员工")] * 2
    for r, (dept, level) in enumerate(people, start=2):
        sheet.cell(row=r, column=1, value=f"R{r}")
        sheet.cell(row=r, column=2, value=dept)
        sheet.cell(row=r, column=3, value="管理者" if r == 2 else level)
        for c in range(4, width + 1):
            sheet.cell(row=r, column=c, value="不同意" if (r + c) % 3 else "一般")
    book.save(folder / "questionnaire.xlsx")
    return folder


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> Path:
    return _answered(new_client(tmp_path_factory.mktemp("new") / "acme", brand="Acme"))


def test_a_scaffolded_client_gives_no_organisation_fact(scaffolded):
    checked = validate_client(scaffolded)
    assert unknown_facts(checked.client.config) == list(FACT_KEYS)
    facts = profile_facts(checked.client.config)
    assert set(facts) == {"profile.stage", "profile.industry"}  # the two the template asks for


def test_no_finding_rests_on_an_unknown_fact(scaffolded):
    findings = open_diagnosis(scaffolded).dx.findings
    assert not findings.empty  # the answers alone still make findings
    rules = {r.id: r for r in RULES.rules}
    for rule_id in findings["rule"]:
        used = set(rules[rule_id].when.facts_used())
        profile = {f for f in used if f.startswith("profile.")}
        assert profile <= {"profile.stage", "profile.industry"}, (rule_id, profile)


def test_the_same_answers_with_the_facts_given_do_fire_profile_rules(scaffolded, tmp_path):
    """The rules are not simply switched off: given facts make them fire."""
    folder = tmp_path / "given"
    folder.mkdir()
    for name in ("client.yaml", "questionnaire.xlsx"):
        (folder / name).write_bytes((scaffolded / name).read_bytes())
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    text = text.replace("  # lead_reports_to: ceo", "  lead_reports_to: cmo")
    text = text.replace(
        "  # data_connected:", "  data_connected: {crm: false, scrm: false, member: false}\n  #"
    )
    (folder / "client.yaml").write_text(text, encoding="utf-8")
    fired = set(open_diagnosis(folder).dx.findings["rule"])
    rules = {r.id: r for r in RULES.rules}
    reads = {
        rid
        for rid in fired
        if {"profile.lead_reports_to_top", "profile.data_all_connected"}
        & set(rules[rid].when.facts_used())
    }
    assert reads, "no rule reading the given facts fired"


def test_validate_warns_and_strict_refuses(scaffolded):
    proc = subprocess.run(
        [CLI, "validate", str(scaffolded)], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert f"{len(FACT_KEYS) + 1} to confirm" in proc.stderr
    assert "key 'consultant': '请填写顾问姓名' is a placeholder" in proc.stderr
    assert "key 'organisation.lead_reports_to': not given" in proc.stderr
    strict = subprocess.run(
        [CLI, "validate", str(scaffolded), "--strict"], capture_output=True, text=True, timeout=300
    )
    assert strict.returncode == 1
    assert strict.stderr.startswith("error:") and "placeholder" in strict.stderr


def test_data_connection_is_known_false_as_soon_as_one_system_is_an_island():
    from siyu_diag.core.client import client_model

    base = {
        "brand": "b",
        "slug": "b",
        "industry": "other",
        "stage": "launch",
        "date": "2026-01-01",
        "consultant": "c",
        "survey": {"file": "x.csv"},
    }

    def facts(connected):
        config = client_model().model_validate(
            base | {"organisation": {"data_connected": connected}}
        )
        return profile_facts(config)

    assert facts({"crm": False})["profile.data_all_connected"] is False
    assert "profile.data_all_connected" not in facts({"crm": True})  # the others unknown
    assert facts({"crm": True, "scrm": True, "member": True})["profile.data_all_connected"]


def test_the_report_and_results_list_the_facts_to_confirm(scaffolded):
    from siyu_diag.diagnosis.render import render_appendix
    from siyu_diag.diagnosis.results import build_results

    chapter = open_diagnosis(scaffolded)
    assert build_results(chapter).diagnosis.facts_to_confirm == list(FACT_KEYS)
    html = render_appendix(chapter).html
    assert "待确认的组织信息" in html
    for name in ("私域负责人的汇报对象", "团队搭建模式", "会员系统是否已与其他系统打通"):
        assert name in html
    given = open_diagnosis("sample:xiangwei")  # every fact given: no such list
    assert build_results(given).diagnosis.facts_to_confirm == []
    assert "待确认的组织信息" not in render_appendix(given).html
