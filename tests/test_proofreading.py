"""Proof-reading: every sentence of every sample report is true of that client, in both languages.

Each sample report is built once per language and its visible text (as in
:mod:`test_golden`) read for what a careful proof-reader would mark: canonical ids or rule ids
instead of labels, ``(s)`` instead of a proper plural, doubled punctuation, missing values,
placeholders, a move ``X → X`` whose two sides read the same, a claim about "the top 12" of
fewer, a stray space before 的, "only 0.0%", a headcount of ``4.0`` and two contents entries
with the same title.

The report has no table of rule ids (the appendix names the rule library's version only), so a
rule id may appear nowhere in the text; a finding keeps its rule as the ``data-rule`` attribute.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from test_golden import visible_text

from siyu_diag.core import assets, vocab
from siyu_diag.core.fragments import label
from siyu_diag.core.report import build_report
from siyu_diag.core.rules import evaluate_rules, load_rules
from siyu_diag.core.text import fill
from siyu_diag.plan import drivers as drv

SLUGS = ("xiangwei", "qingyang", "qiming")
LANGS = ("zh", "en")

#: Canonical ids that must never reach a reader: role levels, departments, plan roles.
IDS = tuple(
    sorted(
        {"management", "frontline", "data_analyst", "shopping_guide", "customer_service"}
        | {"store_ops_head"}
        | set(vocab.departments().names)
        | set(vocab.role_levels().names)
    )
)
#: Every rule id of the shipped rule files (GOAL-…, COL-…, INC-…, GRO-…, ORG-…).
RULE_IDS = frozenset(
    r.id
    for name in ("findings-v1.yaml", "incentives-v1.yaml")
    for r in load_rules(assets.data_path("rules", name)).rules
)
_RULE_ID = re.compile(r"\b(?:GOAL|COL|INC|GRO|ORG)-[A-Z0-9]+(?:-[A-Z0-9]+)*\b")
#: snake_case words allowed in the text: the plan.yaml driver keys the operating-data chapter
#: prints under each calibrated driver's label (for the consultant to copy into plan.yaml), and
#: the run's parameter names in the appendix's provenance.
KEYS_SHOWN = frozenset(drv.GLOBAL_DRIVERS) | {"min_group_size"}
_SNAKE = re.compile(r"(?<![\w.<])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w.>])")

_DOUBLED = re.compile(r"[。，、；：！？]{2}|(?<![.\d])\.\.(?![.\d])|,,|;;")
# "None of the scheme's units …" is English; a bare None is a missing value
_MISSING = re.compile(r"\b(?:nan|NaN|null|undefined|inf)\b|\bNone\b(?! of\b)")
_PLACEHOLDER = re.compile(r"请填写|待填写|TODO|TBD|XXX|lorem|\{[A-Za-z_][\w.]*(?::[^{}]*)?\}")
# a move: the value before the arrow and the one after it, up to a separator
_MOVE = re.compile(r"([^\s→：:（(]+) → ([^\s→；;，,]+)")
_TOP_OF = (
    re.compile(r"共 (\d+) 个因素，图中按影响大小列出前 (\d+) 个"),
    re.compile(r"(\d+) drivers; the charts show the (\d+)"),
    re.compile(r"Of (\d+) drivers, the charts show the (\d+)"),
)
_SPACE_BEFORE_DE = re.compile(r"(?<=[\u4e00-\u9fff）)]) +(?=[的。，、；：])")
_ONLY_ZERO = re.compile(r"只有 0(?:\.0+)?%|[Oo]nly 0(?:\.0+)?%")
_TOC_ENTRY = re.compile(r'<li class="toc-l\d"><a href="#[^"]*">([^<]*)</a></li>')


@pytest.fixture(scope="module", params=[(s, lg) for s in SLUGS for lg in LANGS], ids="-".join)
def report(request, tmp_path_factory) -> dict[str, str]:
    """One sample report in one language: its HTML and the text a reader sees."""
    slug, lang = request.param
    out = tmp_path_factory.mktemp(f"proof-{slug}-{lang}")
    html = build_report(f"sample:{slug}", out, lang=lang, keep_kernel=True).report
    html_text = Path(html).read_text(encoding="utf-8")
    text = visible_text(html_text).replace("<generated_at>", "").replace("<version>", "")
    return {"lang": lang, "html": html_text, "text": text}


def _lines(report: dict[str, str], pattern: re.Pattern) -> list[str]:
    return [line for line in report["text"].splitlines() if pattern.search(line)]


def test_no_canonical_ids(report):
    found = []
    for line in report["text"].splitlines():
        for ident in IDS:
            # not the section of a client.yaml key the text names on purpose (operations.pushes:
            # "no push log (operations.pushes) was given")
            bare = re.search(rf"(?<![A-Za-z_]){ident}(?![A-Za-z_]|\.[a-z])", line)
            if not bare:
                continue
            # an English word like "management" or "sales" is fine in English prose; an id is
            # quoted, a table cell of its own, or (in Chinese) any Latin id at all
            quoted = re.search(rf"['\"“‘]{ident}['\"”’]", line) or line.strip() == ident
            if report["lang"] == "zh" or quoted or "_" in ident or ident == "frontline":
                found.append(f"{ident}: {line}")
    assert not found, "\n".join(found)


def test_no_rule_ids(report):
    found = [m.group(0) for m in _RULE_ID.finditer(report["text"])]
    assert not found, f"rule ids in the text: {sorted(set(found))}"
    assert not {r for r in RULE_IDS if r in report["text"]}


def test_findings_keep_their_rule_for_tracing(report):
    traced = set(re.findall(r'data-rule="([^"]+)"', report["html"]))
    assert traced and traced <= RULE_IDS


def test_no_snake_case_keys(report):
    found = {m.group(0) for m in _SNAKE.finditer(report["text"]) if m.group(0) not in KEYS_SHOWN}
    assert not found, f"keys in the text: {sorted(found)}"


def test_no_ambiguous_plurals(report):
    assert not _lines(report, re.compile(r"\(s\)")), "use a proper plural"


def test_no_doubled_punctuation(report):
    assert not _lines(report, _DOUBLED)


def test_no_missing_values(report):
    assert not _lines(report, _MISSING)


def test_no_placeholders(report):
    assert not _lines(report, _PLACEHOLDER)


def test_every_move_shows_a_change(report):
    same = [
        m.group(0)
        for m in _MOVE.finditer(report["text"])
        if m.group(1) == m.group(2).rstrip("。．.…")
    ]
    assert not same, f"moves whose sides read the same: {same}"


def test_no_top_n_of_fewer(report):
    for pattern in _TOP_OF:
        for m in pattern.finditer(report["text"]):
            total, shown = int(m.group(1)), int(m.group(2))
            assert shown < total, m.group(0)


def test_no_stray_space_before_de(report):
    if report["lang"] == "zh":
        assert not _lines(report, _SPACE_BEFORE_DE)


def test_no_only_zero_percent(report):
    assert not _lines(report, _ONLY_ZERO), "say nobody, not 'only 0.0%'"


def test_headcounts_are_whole_when_whole(report):
    lines = report["text"].splitlines()
    head = label("plan_drv_headcount", report["lang"])
    shown = [lines[i + 1] for i, line in enumerate(lines[:-1]) if line.endswith(f" · {head}")]
    assert shown, "the plan lists its roles' headcounts"
    assert not [v for v in shown if re.fullmatch(r"\d+\.0", v)], shown


def test_contents_titles_are_distinct(report):
    toc = report["html"].split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    counts = Counter(_TOC_ENTRY.findall(toc))
    assert not [t for t, n in counts.items() if n > 1], counts


# --- the wording helpers these checks rely on ------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 indicator is shared"),
        (4, "4 indicators are shared"),
        ("1,200", "1,200 indicators are shared"),
    ],
)
def test_a_label_picks_its_plural_by_the_number(n, expected):
    assert fill("{n} {n:indicator is|indicators are} shared", n=n) == expected


def test_plural_forms_in_labels_and_rule_texts():
    assert (
        label("incentives_shared_some", "en", n=1)
        == "1 indicator is shared by two or more departments:"
    )
    assert (
        label("incentives_shared_some", "en", n=3)
        == "3 indicators are shared by two or more departments:"
    )
    assert label("incentives_shared_some", "zh", n=1) == "有 1 个指标被两个以上部门共同考核："
    assert label("q_speeding", "en", value=1, rows="12") == (
        "1 response answered implausibly fast (row 12)"
    )
    assert label("plan_tornado_intro_all", "en", n=1).endswith(
        "The one driver with a range is shown."
    )
    rules = load_rules(assets.data_path("rules", "incentives-v1.yaml"))
    facts = {
        "incentives.weights_bad": 0,
        "incentives.shared_indicators": 1,
        "incentives.shared_indicator_list_en": "90-day repurchase rate",
        "incentives.short_volume_units": 0,
        "incentives.veto_units": 1,
    }
    found = evaluate_rules(rules, facts).set_index("rule")
    assert found.at["INC-STRENGTH-BALANCED", "evidence_en"] == (
        "Every unit's weights add up to 100%, 1 indicator is shared across departments "
        "(90-day repurchase rate), 1 unit has a veto and no role is paid on short-term volume "
        "alone."
    )


@pytest.mark.parametrize(
    ("share", "rule", "zh"),
    [
        (0.0, "INC-FRONTLINE-NO-LONG-TERM", "一线员工（35人）中没有人考核含长期指标或享有年度分享"),
        (0.03, "INC-FRONTLINE-LITTLE-LONG-TERM", "一线员工（35人）中只有 3.0% 的人考核含长期指标"),
    ],
)
def test_front_line_long_term_evidence_says_nobody_when_nobody(share, rule, zh):
    rules = load_rules(assets.data_path("rules", "incentives-v1.yaml"))
    facts = {
        "incentives.frontline_headcount": 35,
        "incentives.frontline_long_term_share": share,
        "incentives.frontline_long_term_pct": round(share * 100, 1),
    }
    found = evaluate_rules(rules, facts).set_index("rule")
    assert {"INC-FRONTLINE-NO-LONG-TERM", "INC-FRONTLINE-LITTLE-LONG-TERM"} & set(found.index) == {
        rule
    }
    assert found.at[rule, "evidence_zh"].startswith(zh)
