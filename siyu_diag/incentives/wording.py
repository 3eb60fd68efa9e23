"""Indicator values, scoring rules and commissions in words, for the report and the XLSX."""

from __future__ import annotations

import pandas as pd

from ..core import fmt
from ..core.fragments import label
from .library import Kpi, KpiLibrary
from .scheme import Indicator, SchemeUnit


def value_text(value: float | None, unit: str, lang: str) -> str:
    """A value in an indicator's unit: shares as %, CNY as money, counts as integers."""
    if value is None or pd.isna(value):
        return fmt.MISSING
    if unit == "share":
        return fmt.fmt_pct(value)
    if unit == "cny":
        return fmt.fmt_money(value, lang)
    if unit in ("people", "count"):
        return fmt.fmt_int(value)
    return f"{float(value):g}" if float(value) == round(float(value), 2) else fmt.fmt_num(value)


def rule_text(ind: Indicator, kpi: Kpi, lang: str) -> str:
    """The scoring rule in words, e.g. "线性计分，封顶120%"."""
    rule = ind.rule
    if rule.type == "linear":
        text = label("incentives_rule_linear", lang, cap=fmt.fmt_pct(rule.cap, 0))
        if rule.floor:
            text += label("incentives_rule_floor", lang, floor=fmt.fmt_pct(rule.floor, 0))
        return text
    if rule.type == "threshold":
        return label("incentives_rule_threshold", lang, at=fmt.fmt_pct(rule.at, 0))
    if rule.type == "step":
        steps = label("comma", lang).join(
            label("incentives_rule_step_item", lang, at=fmt.fmt_pct(s.at, 0), score=f"{s.score:g}")
            for s in rule.steps
        )
        return label("incentives_rule_step", lang, steps=steps)
    key = "incentives_rule_veto_lower" if kpi.better == "lower" else "incentives_rule_veto_higher"
    text = label(key, lang, limit=value_text(rule.limit, kpi.unit, lang))
    return text + label(f"incentives_forfeit_{rule.forfeit}", lang)


def commission_text(unit: SchemeUnit, library: KpiLibrary, lang: str) -> str:
    """A unit's commission in words, e.g. "社群GMV：1.0%（分段累进）"; "—" without one."""
    c = unit.commission
    if c is None:
        return fmt.MISSING
    parts = []
    for tier in c.tiers:
        rate = (
            fmt.fmt_pct(tier.rate, 1)
            if tier.rate is not None
            else (label("incentives_per_unit", lang, amount=fmt.fmt_money(tier.per_unit, lang)))
        )
        start = value_text(tier.start, library.index[c.basis].unit, lang)
        parts.append(f"≥{start} {rate}" if tier.start else rate)
    method = label("incentives_paren", lang, text=label(f"incentives_method_{c.method}", lang))
    name = library.index[c.basis].name.get(lang)
    return f"{name}{label('colon', lang)}{' / '.join(parts)}{method}"
