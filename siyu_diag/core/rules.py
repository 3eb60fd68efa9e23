"""Findings as data: rules in ``data/rules/`` evaluated over a flat dictionary of facts.

A rule's ``when`` is a tree of ``all``/``any`` nodes whose leaves compare one fact (``fact``) or the
difference of two facts (``diff: [a, b]`` = a − b) with a value. A leaf over a fact the client does
not have (a department nobody answered for, an item a custom bank lacks) is false, so the rule
does not fire.

A rule may also carry ``variants``: recommendations for particular clients, each under its own
``when`` (same grammar). A fired rule recommends its most specific matching variant (the one whose
condition reads the most facts; on a tie the first in the file), else its generic
``recommendation``, which should therefore assume nothing a client may lack.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .checks import parse_model
from .text import Text, TextFormatter
from .yamlfile import read_yaml

Severity = Literal["high", "medium", "low"]
Phase = Literal["0-3", "3-6", "6-12"]
SEVERITY_WEIGHT = {"high": 3, "medium": 2, "low": 1}
PHASES: tuple[str, ...] = ("0-3", "3-6", "6-12")
#: How a caller words a fact in a finding's text: ``(name, value, lang)`` → text, or None.
Wording = Callable[[str, Any, str], "str | None"]

_OPS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}

#: Columns of :func:`evaluate_rules`.
FINDING_COLUMNS = (
    "rule",
    "dimension",
    "severity",
    "phase",
    "priority",
    "title_zh",
    "title_en",
    "evidence_zh",
    "evidence_en",
    "recommendation_zh",
    "recommendation_en",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Leaf(_Strict):
    """Compare a fact, or the difference of two facts, with a value."""

    fact: str | None = None
    diff: tuple[str, str] | None = None
    op: Literal["<", "<=", ">", ">=", "==", "!=", "in", "not_in"]
    value: Any

    @model_validator(mode="after")
    def _one_subject(self) -> Leaf:
        if (self.fact is None) == (self.diff is None):
            raise ValueError("a condition needs exactly one of 'fact' or 'diff'")
        if self.op in ("in", "not_in") and not isinstance(self.value, list | tuple):
            raise ValueError(f"op '{self.op}' needs a list as its value")
        return self

    def test(self, facts: dict[str, Any]) -> bool:
        """Evaluate against ``facts``; a missing fact makes the leaf false."""
        if self.fact is not None:
            if self.fact not in facts:
                return False
            subject = facts[self.fact]
        else:
            a, b = self.diff
            if a not in facts or b not in facts:
                return False
            try:
                subject = facts[a] - facts[b]
            except TypeError:
                return False
        if isinstance(subject, float) and math.isnan(subject):
            return False
        try:
            return bool(_OPS[self.op](subject, self.value))
        except TypeError:
            return False

    def facts_used(self) -> list[str]:
        """The facts this leaf reads."""
        return [self.fact] if self.fact else list(self.diff)


class Node(_Strict):
    """``all`` (every child true) or ``any`` (at least one)."""

    all: tuple[Node | Leaf, ...] | None = None
    any: tuple[Node | Leaf, ...] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Node:
        if (self.all is None) == (self.any is None):
            raise ValueError("a condition group needs exactly one of 'all' or 'any'")
        return self

    def test(self, facts: dict[str, Any]) -> bool:
        """Evaluate the group."""
        if self.all is not None:
            return all(child.test(facts) for child in self.all)
        return any(child.test(facts) for child in self.any)

    def facts_used(self) -> list[str]:
        """The facts the group reads."""
        return [f for child in (self.all or self.any) for f in child.facts_used()]


class Variant(_Strict):
    """A recommendation for the clients whose facts meet ``when``."""

    when: Node | Leaf
    recommendation: Text


class Rule(_Strict):
    """One finding rule."""

    id: str
    dimension: str
    severity: Severity
    phase: Phase
    when: Node | Leaf
    title: Text
    evidence: Text
    recommendation: Text
    variants: tuple[Variant, ...] = ()

    def recommend(self, facts: dict[str, Any]) -> Text:
        """The recommendation for ``facts``: the most specific matching variant, else the generic.

        Specificity is the number of distinct facts a variant's condition reads; on a tie the
        variant written first wins.
        """
        best: Variant | None = None
        for variant in self.variants:
            if not variant.when.test(facts):
                continue
            if best is None or _specificity(variant) > _specificity(best):
                best = variant
        return self.recommendation if best is None else best.recommendation


def _specificity(variant: Variant) -> int:
    return len(set(variant.when.facts_used()))


class RuleSet(_Strict):
    """A versioned set of rules."""

    version: str
    rules: tuple[Rule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> RuleSet:
        ids = [r.id for r in self.rules]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"rule ids must be unique; repeated: {dupes}")
        return self


def load_rules(path: str | Path) -> RuleSet:
    """Load and validate a rule file (e.g. ``data/rules/findings-v1.yaml``)."""
    path = Path(path)
    return parse_model(RuleSet, read_yaml(path), path.name)


class _FactFormatter(TextFormatter):
    """Fill ``{dotted.fact}`` placeholders with formatted facts.

    ``{dotted.fact:one|many}`` picks a singular or plural form by the fact's value.
    ``wording(name, value, lang)`` words a fact its own way (None: formatted here).
    """

    def __init__(self, facts: dict[str, Any], lang: str, wording: Wording | None = None):
        self.facts, self.lang, self.wording = facts, lang, wording

    def get_field(self, field_name, args, kwargs):
        return self.format_fact(field_name), field_name

    def format_fact(self, name: str) -> str:
        if name not in self.facts:
            return "—"
        value = self.facts[name]
        worded = self.wording(name, value, self.lang) if self.wording else None
        if worded is not None:
            return worded
        if isinstance(value, bool):
            return ("yes" if value else "no") if self.lang == "en" else ("是" if value else "否")
        if isinstance(value, float):
            if name.startswith("agree."):
                return f"{value * 100:.1f}%"
            if name.startswith(("agreement.", "alpha.")):
                return f"{value:.2f}"
            return f"{value:.1f}"
        return str(value)


def evaluate_rules(
    rules: RuleSet,
    facts: dict[str, Any],
    target_gaps: dict[str, float] | None = None,
    wording: Wording | None = None,
) -> pd.DataFrame:
    """Fire the rules whose condition holds, ranked by priority.

    Priority = severity weight (high 3, medium 2, low 1) × (1 + points below target / 20) for the
    rule's dimension, so that serious problems in dimensions far from their target come first.
    A fired rule's recommendation is chosen by :meth:`Rule.recommend`; its title and evidence
    have their ``{fact}`` placeholders filled; ``wording``
    (``(name, value, lang) -> str | None``) lets the caller word some facts its own way (a code
    as a phrase), None leaving a fact to the default formatting.

    Returns
    -------
    pandas.DataFrame
        One row per finding with the columns in :data:`FINDING_COLUMNS`.
    """
    target_gaps = target_gaps or {}
    rows = []
    for rule in rules.rules:
        if not rule.when.test(facts):
            continue
        priority = SEVERITY_WEIGHT[rule.severity] * (1 + target_gaps.get(rule.dimension, 0) / 20)
        row = {
            "rule": rule.id,
            "dimension": rule.dimension,
            "severity": rule.severity,
            "phase": rule.phase,
            "priority": round(priority, 3),
        }
        recommendation = rule.recommend(facts)
        for lang in ("zh", "en"):
            fmt = _FactFormatter(facts, lang, wording)
            row[f"title_{lang}"] = fmt.vformat(rule.title.get(lang), (), {})
            row[f"evidence_{lang}"] = fmt.vformat(rule.evidence.get(lang), (), {})
            row[f"recommendation_{lang}"] = recommendation.get(lang)
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    # stable: equal priorities keep the order of the rule file
    return out.sort_values("priority", ascending=False, kind="stable").reset_index(drop=True)
