"""The words of the diagnosis that depend on the figures: a gap's strength, a count of dimensions.

A perception gap is worded here and nowhere else (its strength is decided in
:mod:`siyu_diag.diagnosis.gaps`), so the gap tables, the findings' titles and evidence and the
executive summary say the same as the ``strength`` of ``results.json``:

* ``significant``: 显著 / Significant; in evidence 差异达到显著标准 / a significant gap.
* ``indicative``: 提示性 / Indicative; in evidence 差异为提示性（至少有一组不足 5 人，未做统计检验）
  / an indicative gap (…, too few to test); a title adds （提示性） / (indicative).
* ``none``: no word (a table's verdict is 未达标准 / Below the rule); in evidence
  差异未达到判定标准 / a gap below the rule.

The words themselves are labels of ``templates/fragments/strings.yaml`` (``strength_*``).
"""

from __future__ import annotations

from typing import Any

from ..core.fragments import label
from .gaps import MIN_TEST_N, STRENGTHS

#: How a count of dimensions is written (beyond ten: digits).
_COUNTS = {
    "zh": ("零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"),
    "en": ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
}


def _check(strength: str) -> str:
    if strength not in STRENGTHS:
        raise ValueError(f"unknown gap strength {strength!r}; expected one of {STRENGTHS}")
    return strength


def strength_word(strength: str, lang: str) -> str:
    """The word of a gap's strength: "显著"/"Significant", "提示性"/"Indicative", "" for none.

    Examples
    --------
    >>> strength_word("indicative", "zh"), strength_word("none", "en")
    ('提示性', '')
    """
    return "" if _check(strength) == "none" else label(f"strength_{strength}", lang)


def strength_verdict(strength: str, lang: str) -> str:
    """A gap table's verdict: the strength's word, or "未达标准"/"Below the rule" for none."""
    return strength_word(strength, lang) or label("strength_none", lang)


def _lower(word: str, lang: str) -> str:
    return word.lower() if lang == "en" else word


def strength_clause(strength: str, lang: str) -> str:
    """What a finding's evidence says of its gap, e.g. "差异达到显著标准" / "a significant gap".

    An indicative gap says why it is only indicative: a group had fewer than
    :data:`~siyu_diag.diagnosis.gaps.MIN_TEST_N` respondents, too few to test.
    """
    word = _lower(strength_word(strength, lang), lang)
    return label(f"strength_clause_{strength}", lang, word=word, n=MIN_TEST_N)


def strength_tag(strength: str, lang: str) -> str:
    """A title's qualifier: "（提示性）" / " (indicative)" for an indicative gap, else ""."""
    if _check(strength) != "indicative":
        return ""
    return label("strength_tag", lang, word=_lower(strength_word(strength, lang), lang))


def rule_words(lang: str) -> dict[str, str]:
    """The words of the strengths that pass the rule, for the text that explains the rule."""
    return {s: _lower(strength_word(s, lang), lang) for s in STRENGTHS if s != "none"}


def fact_wording(name: str, value: Any, lang: str) -> str | None:
    """Word the gap facts of :func:`~siyu_diag.diagnosis.gaps.gap_facts` in a finding's text.

    ``gap.<kind>_strength.<dimension>`` reads as :func:`strength_clause` and
    ``gap.<kind>_tag.<dimension>`` as :func:`strength_tag`; every other fact keeps the rule
    engine's formatting (None).
    """
    parts = name.split(".")
    if len(parts) != 3 or parts[0] != "gap":
        return None
    if parts[1].endswith("_strength"):
        return strength_clause(str(value), lang)
    if parts[1].endswith("_tag"):
        return strength_tag(str(value), lang)
    return None


def count_word(n: int, lang: str) -> str:
    """A count as the report writes it: "两"/"five" up to ten, digits beyond.

    Examples
    --------
    >>> count_word(2, "zh"), count_word(5, "zh"), count_word(4, "en"), count_word(12, "en")
    ('两', '五', 'four', '12')
    """
    words = _COUNTS["en" if lang == "en" else "zh"]
    return words[n] if 0 <= n < len(words) else str(n)
