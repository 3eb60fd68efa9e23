"""Every sentence of the diagnosis is true of the client and as strong as its evidence.

A perception gap's strength is worded in one place (:mod:`siyu_diag.diagnosis.wording`): the gap
tables, the findings' titles and evidence, the executive summary and ``results.json`` say the same.
The dimensions the report speaks of are the question bank's, whatever their number and names.
"""

import dataclasses
import re
from html.parser import HTMLParser

import pandas as pd
import pytest
import yaml

from siyu_diag import open_diagnosis
from siyu_diag.core import assets
from siyu_diag.core.report import _cover
from siyu_diag.core.rules import evaluate_rules, load_rules
from siyu_diag.core.vocab import maturity_levels
from siyu_diag.diagnosis import render, wording
from siyu_diag.diagnosis.gaps import GAP_COLUMNS, gap_facts
from siyu_diag.diagnosis.results import build_results
from siyu_diag.diagnosis.spec import CHAPTER, cover

RULES = load_rules(assets.data_path("rules", "findings-v1.yaml"))

# ---------------------------------------------------------------- the words of each strength

#: (strength, lang) → (word, table verdict, evidence clause, title qualifier), written by hand.
WORDS = {
    ("significant", "zh"): ("显著", "显著", "差异达到显著标准", ""),
    ("significant", "en"): ("Significant", "Significant", "a significant gap", ""),
    ("indicative", "zh"): (
        "提示性",
        "提示性",
        "差异为提示性（至少有一组不足 5 人，未做统计检验）",
        "（提示性）",
    ),
    ("indicative", "en"): (
        "Indicative",
        "Indicative",
        "an indicative gap (at least one group has fewer than 5 respondents, too few to test)",
        " (indicative)",
    ),
    ("none", "zh"): ("", "未达标准", "差异未达到判定标准", ""),
    ("none", "en"): ("", "Below the threshold", "a gap below the threshold", ""),
}


@pytest.mark.parametrize(("strength", "lang"), list(WORDS))
def test_each_strength_has_its_words(strength, lang):
    word, verdict, clause, tag = WORDS[strength, lang]
    assert wording.strength_word(strength, lang) == word
    assert wording.strength_verdict(strength, lang) == verdict
    assert wording.strength_clause(strength, lang) == clause
    assert wording.strength_tag(strength, lang) == tag


@pytest.mark.parametrize("strength", ["indicative", "none"])
def test_only_a_significant_gap_is_called_significant(strength):
    for lang in ("zh", "en"):
        texts = [
            wording.strength_word(strength, lang),
            wording.strength_verdict(strength, lang),
            wording.strength_clause(strength, lang),
            wording.strength_tag(strength, lang),
        ]
        assert not any("显著" in t or "significant" in t.lower() for t in texts)
    if strength == "none":
        assert not any("提示" in wording.strength_clause("none", lang) for lang in ("zh", "en"))


def test_an_unknown_strength_is_an_error():
    with pytest.raises(ValueError, match="unknown gap strength 'strong'"):
        wording.strength_word("strong", "zh")


def test_counts_of_dimensions():
    assert [wording.count_word(n, "zh") for n in (1, 2, 4, 5, 10, 11)] == [
        "一",
        "两",
        "四",
        "五",
        "十",
        "11",
    ]
    assert [wording.count_word(n, "en") for n in (2, 5, 11)] == ["two", "five", "11"]


# ---------------------------------------------------------------- findings on crafted gaps


def _gaps(*rows: tuple) -> pd.DataFrame:
    """Gap rows ``(dimension, group_a, group_b, gap, strength)``; the other columns plausible."""
    records = [
        {
            "dimension": d,
            "group_a": a,
            "group_b": b,
            "n_a": 6,
            "n_b": 6,
            "mean_a": 50.0 + gap,
            "mean_b": 50.0,
            "gap": gap,
            "hedges_g": 1.2 if strength != "none" else 0.2,
            "p_value": 0.01 if strength == "significant" else float("nan"),
            "p_holm": 0.01 if strength == "significant" else float("nan"),
            "strength": strength,
            "counts": strength != "none",
        }
        for d, a, b, gap, strength in rows
    ]
    return pd.DataFrame(records, columns=list(GAP_COLUMNS))


NO_GAPS = _gaps()


def _findings(dept_gaps: pd.DataFrame, role_gaps: pd.DataFrame) -> pd.DataFrame:
    facts = gap_facts(dept_gaps, role_gaps)
    return evaluate_rules(RULES, facts, wording=wording.fact_wording).set_index("rule")


@pytest.mark.parametrize("order", ["management first", "front line first"])
def test_management_gap_finding_when_significant(order):
    row = ("goals", "management", "frontline", 16.9, "significant")
    if order == "front line first":
        row = ("goals", "frontline", "management", -16.9, "significant")
    f = _findings(NO_GAPS, _gaps(row)).loc["ORG-MGMT-OVERRATES-GOALS"]
    assert f["title_zh"] == "管理层对目标清晰度的判断高于一线"
    assert f["title_en"] == "Management rates goal clarity higher than the front line"
    assert f["evidence_zh"] == "管理层在“目标”维度的得分比一线高 16.9 分，差异达到显著标准。"
    assert f["evidence_en"] == (
        "Management scores the Goals dimension 16.9 points higher than the front line, "
        "a significant gap."
    )


def test_management_gap_finding_when_indicative():
    role = _gaps(("growth", "management", "frontline", 12.0, "indicative"))
    f = _findings(NO_GAPS, role).loc["ORG-MGMT-OVERRATES-GROWTH"]
    assert f["title_zh"] == "管理层高估了团队的培养和成长投入（提示性）"
    assert f["title_en"] == "Management overrates how well the team is developed (indicative)"
    assert f["evidence_zh"] == (
        "管理层的“成长”得分比一线高 12.0 分，差异为提示性（至少有一组不足 5 人，未做统计检验）。"
    )
    assert f["evidence_en"] == (
        "Management scores Growth 12.0 points higher than the front line, an indicative gap "
        "(at least one group has fewer than 5 respondents, too few to test)."
    )
    for text in f[["title_zh", "title_en", "evidence_zh", "evidence_en"]]:
        assert "显著" not in text and "significant" not in text.lower()


def test_no_management_gap_finding_when_the_gap_does_not_count():
    role = _gaps(("goals", "management", "frontline", 16.9, "none"))
    assert "ORG-MGMT-OVERRATES-GOALS" not in _findings(NO_GAPS, role).index
    # nor when management scores lower, however strong the gap
    role = _gaps(("goals", "management", "frontline", -16.9, "significant"))
    assert "ORG-MGMT-OVERRATES-GOALS" not in _findings(NO_GAPS, role).index


def test_department_gap_finding_words_the_largest_gap():
    dept = _gaps(
        ("collaboration", "stores", "operations", -20.3, "indicative"),
        ("collaboration", "service", "operations", 12.0, "significant"),
    )
    f = _findings(dept, NO_GAPS).loc["ORG-DEPTS-DISAGREE-COLLABORATION"]
    assert f["title_zh"] == "各部门对协同状况的判断差距很大（提示性）"
    assert f["evidence_zh"] == (
        "部门之间在“协同”维度上的最大分差为 20.3 分，"
        "差异为提示性（至少有一组不足 5 人，未做统计检验）。"
    )
    dept = _gaps(("incentives", "stores", "operations", -18.0, "significant"))
    f = _findings(dept, NO_GAPS).loc["ORG-DEPTS-DISAGREE-INCENTIVES"]
    assert f["title_en"] == "Departments feel very differently about the incentives"
    assert f["evidence_en"] == (
        "The largest difference between departments on Incentives is 18.0 points, "
        "a significant gap."
    )


def test_no_department_finding_when_the_largest_gap_does_not_count():
    # the largest gap (22 points) is below the rule: "the largest gap … is significant" would be
    # false, even though a smaller pair is significant
    dept = _gaps(
        ("collaboration", "stores", "operations", -22.0, "none"),
        ("collaboration", "service", "operations", 16.0, "significant"),
    )
    assert "ORG-DEPTS-DISAGREE-COLLABORATION" not in _findings(dept, NO_GAPS).index


# ---------------------------------------------------------------- tables, summary, results.json

HEADER = ["编号", "部门", "岗位层级", "G01", "G02", "G03", "G04", "C01", "C02", "C03", "C04"]


def _survey(managers: int, front: int) -> list[list]:
    """One department; Goals by hand, Collaboration alike for everyone (no gap).

    Manager k (k = 1, 2, …) answers G01 = k and 5 elsewhere (G02, reverse-keyed, = 1): stage fit
    ((k − 1) × 25 + 100) / 2, basis 100, so Goals = 75 + (k − 1) × 6.25. A front-line respondent
    answers G01 = k and 3 elsewhere: Goals = 37.5 + (k − 1) × 6.25. Everyone answers 4 on the
    Collaboration items.
    """
    rows = []
    for k in range(1, managers + 1):
        rows.append([f"M{k}", "市场部", "管理者", k, 1, 5, 5, 4, 4, 4, 4])
    for k in range(1, front + 1):
        rows.append([f"F{k}", "市场部", "一线员工", k, 3, 3, 3, 4, 4, 4, 4])
    return rows


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        if data.strip():
            self.parts.append(" ".join(data.split()))


def _visible(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


def _cells(html: str, dimension: str) -> list[str]:
    """The cells of the management/front-line gap table's row for ``dimension``."""
    table = html.split('<table class="data">')[-2]  # the last table lists agreement and alpha
    row = re.search(rf"<tr[^>]*><td>{dimension}</td>(.*?)</tr>", table).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


def test_a_significant_gap_reads_significant_everywhere(make_client):
    # 5 managers (Goals 75 … 100, mean 87.5) and 5 front-line (37.5 … 62.5, mean 50): gap 37.5;
    # no ties and complete separation, so the exact Mann–Whitney p = 2 / C(10, 5) = 0.0079 < 0.05
    ch = open_diagnosis(make_client(HEADER, _survey(5, 5)))
    role = ch.dx.role_gaps.set_index("dimension")
    assert role.loc["goals", "gap"] == pytest.approx(37.5)
    assert role.loc["goals", "p_holm"] == pytest.approx(2 / 252)
    assert role["strength"].to_dict() == {"goals": "significant", "collaboration": "none"}

    groups = render.render_groups(ch).html
    assert _cells(groups, "目标")[-1] == "显著"
    assert _cells(groups, "协同")[-1] == "未达标准"
    # one department: no pair of departments to compare, and the note says so, nothing more
    assert "可展示的部门不足两个，无法比较部门之间的认知差异。" in groups
    assert "管理者与一线之间都没有" not in groups
    summary = _visible(render.render_summary(ch).html)
    assert "目标：管理者 87.5 分，一线员工 50.0 分，相差 37.5 分（显著）。" in summary

    f = ch.dx.findings.set_index("rule").loc["ORG-MGMT-OVERRATES-GOALS"]
    assert f["title_zh"] == "管理层对目标清晰度的判断高于一线"
    assert f["evidence_zh"] == "管理层在“目标”维度的得分比一线高 37.5 分，差异达到显著标准。"
    results = build_results(ch)
    assert [g.strength for g in results.diagnosis.role_gaps] == ["significant", "none"]


def test_an_indicative_gap_never_reads_significant(make_client):
    # 3 managers (75, 81.25, 87.5: mean 81.25) and 4 front-line (37.5 … 56.25: mean 46.875):
    # gap 34.375, |g| far above 0.5, too few managers to test → indicative
    ch = open_diagnosis(make_client(HEADER, _survey(3, 4)))
    role = ch.dx.role_gaps.set_index("dimension")
    assert role.loc["goals", "gap"] == pytest.approx(34.375)
    assert role.loc["goals", "strength"] == "indicative"

    groups = render.render_groups(ch).html
    assert _cells(groups, "目标")[-1] == "提示性"
    summary = render.render_summary(ch).html
    assert "目标：管理者 81.2 分，一线员工 46.9 分，相差 34.4 分（提示性）。" in _visible(summary)
    f = ch.dx.findings.set_index("rule").loc["ORG-MGMT-OVERRATES-GOALS"]
    assert f["title_zh"] == "管理层对目标清晰度的判断高于一线（提示性）"
    assert f["evidence_zh"] == (
        "管理层在“目标”维度的得分比一线高 34.4 分，"
        "差异为提示性（至少有一组不足 5 人，未做统计检验）。"
    )
    findings = render.render_findings(ch).html
    assert "管理层对目标清晰度的判断高于一线（提示性）" in findings
    assert "显著标准" not in findings + summary
    assert [g.strength for g in build_results(ch).diagnosis.role_gaps] == ["indicative", "none"]

    en = dataclasses.replace(ch, lang="en")
    assert _cells(render.render_groups(en).html, "Goals")[-1] == "Indicative"
    summary_en = _visible(render.render_summary(en).html)
    assert (
        "Goals: Managers 81.2 vs Front-line staff 46.9 (34.4 points apart, indicative)."
        in summary_en
    )


def test_department_note_is_only_about_departments(make_client):
    # two departments alike on everything, a significant management/front-line gap
    rows = _survey(5, 5)
    for row in rows[1::2]:
        row[1] = "门店"
    ch = open_diagnosis(make_client(HEADER, rows))
    assert not ch.dx.dept_gaps["counts"].any()
    assert (ch.dx.role_gaps["strength"] == "significant").any()
    groups = render.render_groups(ch).html
    assert "部门之间没有达到判定标准的认知差异。" in groups
    assert "管理者与一线之间" not in groups  # the role table says it is significant


# ---------------------------------------------------------------- the bank speaks

_NAMES = [
    ("openness", "开放性", "Openness"),
    ("conscientiousness", "尽责性", "Conscientiousness"),
    ("extraversion", "外向性", "Extraversion"),
    ("agreeableness", "宜人性", "Agreeableness"),
    ("stability", "情绪稳定性", "Emotional stability"),
]

FIVE = {
    "id": "psych-bfi",
    "version": "0.1",
    "title": {"zh": "大五人格简版", "en": "Big Five, short form"},
    "scale": {
        "min": 1,
        "max": 6,
        "points": [
            {"value": v, "zh": zh, "en": en}
            for v, zh, en in [
                (1, "完全不像我", "Not at all like me"),
                (2, "不太像我", "Not much like me"),
                (3, "有点不像我", "A little unlike me"),
                (4, "有点像我", "A little like me"),
                (5, "比较像我", "Much like me"),
                (6, "非常像我", "Very much like me"),
            ]
        ],
    },
    "dimensions": [
        {
            "id": d,
            "name": {"zh": zh, "en": en},
            "subdimensions": [{"id": "core", "name": {"zh": f"{zh}核心", "en": f"{en} core"}}],
        }
        for d, zh, en in _NAMES
    ],
    "items": [
        {
            "id": f"{d[:2].upper()}{k}",
            "dimension": d,
            "subdimension": "core",
            "text": {"zh": f"{zh}陈述{k}", "en": f"{en} statement {k}"},
        }
        for d, zh, en in _NAMES
        for k in (1, 2)
    ],
}

DEFAULT_NAMES = {
    "zh": ("目标", "协同", "激励", "成长"),
    "en": ("Goals", "Collaboration", "Incentives", "Growth"),
}


def _five_dimension_client(make_client):
    items = [i["id"] for i in FIVE["items"]]
    rows = []
    for r in range(8):
        dept = "市场部" if r < 4 else "门店"
        role = "管理者" if r % 2 else "一线员工"
        rows.append([f"R{r}", dept, role, *[1 + (r + j) % 6 for j in range(len(items))]])
    folder = make_client(["编号", "部门", "岗位层级", *items], rows)
    (folder / "bank.yaml").write_text(yaml.safe_dump(FIVE, allow_unicode=True), encoding="utf-8")
    return folder


def _level_texts(lang: str) -> list[str]:
    """The maturity levels' labels and descriptions (the levels' vocabulary, not the bank's)."""
    levels = maturity_levels(lang)
    return [f"L{int(lv.level)} {lv.name}" for lv in levels.itertuples()] + list(
        levels["description"]
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_five_dimension_bank_reads_as_its_own(make_client, lang):
    ch = open_diagnosis(_five_dimension_client(make_client), lang=lang)
    names = [zh if lang == "zh" else en for _, zh, en in _NAMES]
    results = build_results(ch).model_dump(mode="json")
    subtitle = " · ".join(names)
    assert cover(results)["subtitle"] == subtitle
    assert _cover(ch.client.config, results, [CHAPTER])["subtitle"] == subtitle

    html = "".join(section(ch).html for section in render.SECTIONS)
    text = "\n".join([subtitle, *_visible(html)])
    if lang == "zh":
        assert "本章依次呈现五个维度相对于当前业务阶段目标的差距" in text
        assert "图：各维度现状与目标" in text
    else:
        assert "The chapter shows each of the five dimensions against the target" in text
    for name in names:
        assert name in text
    for level_text in _level_texts(lang):  # a level may share a word with a default dimension
        text = text.replace(level_text, "")
    lines = text.split("\n")
    for name in DEFAULT_NAMES[lang]:
        assert name not in lines
    if lang == "zh":
        assert "四" not in text
        for name in ("协同", "激励", "成长", "“目标”", "目标 ·"):
            assert name not in text, name
    else:
        assert not re.search(r"\b(four|goals|collaboration|incentives|growth)\b", text, re.I)


def test_a_two_dimension_bank_names_its_two(make_client):
    # the tiny bank of conftest: Goals and Collaboration
    ch = open_diagnosis(make_client(HEADER, _survey(3, 3)))
    assert cover(build_results(ch).model_dump(mode="json"))["subtitle"] == "目标 · 协同"
    assert "本章依次呈现两个维度" in render.render_overview(ch).html
