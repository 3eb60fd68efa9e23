"""The plan against the client's history, in the chapter and in the executive summary."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.fmt import fmt_money, fmt_num, fmt_pct, fmt_value
from ..core.fragments import Fragment
from . import drivers as drv
from .capabilities import assumption_capabilities, links_file
from .chapter import PlanChapter
from .reality import LOWER_IS_BETTER, MULTIPLE
from .render_common import _render, _sub, _t, driver_label


def _verdict(ch: PlanChapter, r: Any) -> str:
    if pd.isna(r.verdict):
        return _t(ch, "plan_verdict_none")
    if r.verdict == "beyond_best" and r.history_source == "last_year":
        return _t(ch, "plan_verdict_beyond_best_last_year")
    if r.verdict == "beyond_multiple" and r.driver in LOWER_IS_BETTER:
        return _t(ch, "plan_ratio_lower", ratio=fmt_pct(r.plan_value / r.history_value, 0))
    if r.verdict == "beyond_multiple":  # a history of 0 is beyond any multiple: no ratio
        ratio = fmt_num(r.plan_value / r.history_value, 1) if r.history_value else "∞"
        return _t(ch, "plan_ratio", ratio=ratio)
    return _t(ch, f"plan_verdict_{r.verdict}")


def _money(value: float, lang: str) -> str | None:
    return None if pd.isna(value) else fmt_money(value, lang)


def reality_rows(ch: PlanChapter, table: pd.DataFrame) -> list[dict[str, Any]]:
    """The reality check's rows as the report shows them (labels, formatted values)."""
    lang, rows = ch.lang, []
    for r in table.itertuples():
        kind = drv.value_format(r.driver)
        extra = 1 if kind == "pct" else 0  # 0.52%, not 0.5%
        known = not pd.isna(r.verdict)
        rows.append(
            {
                "label": driver_label(ch.inputs, r.driver, lang),
                "plan": fmt_value(r.plan_value, kind, lang, extra),
                "history": fmt_value(r.history_value, kind, lang, extra) if known else "—",
                "range": (
                    f"{fmt_value(r.history_low, kind, lang, extra)} – "
                    f"{fmt_value(r.history_high, kind, lang, extra)}"
                    if known and r.history_source == "operations"
                    else "—"
                ),
                "source": _t(ch, f"plan_hist_{r.history_source}") if known else "—",
                "verdict": _verdict(ch, r),
                "bold": r.verdict in ("beyond_best", "beyond_multiple"),
                "gmv_at_stake": _money(r.gmv_at_stake, lang),
                "profit_at_stake": _money(r.profit_at_stake, lang),
                "gmv_share": _money(r.gmv_share, lang),
                **_dependencies(ch, r.driver),
            }
        )
    return rows


#: Findings named in a line before it says how many more stand in the way.
FINDINGS_NAMED = 2


def _dependencies(ch: PlanChapter, driver: str) -> dict[str, Any]:
    """What an assumption depends on and what stands in its way, as text ("" without links)."""
    if ch.links is None:
        return {"depends": "", "blocked": "", "capabilities": [], "findings": []}
    caps, findings = assumption_capabilities(ch.links, driver, ch.diagnosis, ch.lang)
    sep = _t(ch, "plan_list_sep")
    depends = sep.join(
        _t(ch, "plan_capability", name=c["name"], level=c["level"], score=fmt_num(c["score"], 1))
        for c in caps
    )
    titles = sep.join(
        _t(ch, "plan_finding_title", title=f["title"]) for f in findings[:FINDINGS_NAMED]
    )
    more = len(findings) - FINDINGS_NAMED
    if more > 0:
        titles = _t(ch, "plan_blocked_more", titles=titles, n=len(findings), more=more)
    return {"depends": depends, "blocked": titles, "capabilities": caps, "findings": findings}


def at_history_text(ch: PlanChapter) -> str:
    """One sentence: the plan at history beside the plan, and its gap to the target."""
    rc, lang = ch.analysis.reality, ch.lang
    h = rc.at_history
    be = (
        _t(ch, "plan_be_never")
        if h.break_even_month is None
        else _t(ch, "plan_be_month", m=h.break_even_month)
    )
    text = _t(
        ch,
        "plan_at_history",
        gmv=fmt_money(h.gmv, lang),
        plan=fmt_money(rc.plan_gmv, lang),
        profit=fmt_money(h.profit, lang),
        plan_profit=fmt_money(rc.plan_profit, lang),
        be=be,
    )
    if h.gap_to_target is not None and h.gap_to_target > 0:
        target, gap = fmt_money(h.gap_to_target + h.gmv, lang), fmt_money(h.gap_to_target, lang)
        text += _t(ch, "plan_at_history_gap", target=target, gap=gap)
    return text


def bet_lines(ch: PlanChapter) -> list[str]:
    """One line per assumption better than its best history, the most GMV resting on it first."""

    def mid(text: str) -> str:  # a label inside an English sentence starts in lower case
        return text[:1].lower() + text[1:] if ch.lang == "en" else text

    lines = []
    for row in reality_rows(ch, ch.analysis.reality.bets):
        line = _t(ch, "plan_bet_line", driver=row["label"], plan=row["plan"],
                  history=row["history"], source=mid(row["source"]), verdict=mid(row["verdict"]),
                  gmv=row["gmv_at_stake"])  # fmt: skip
        if row["depends"]:
            line += _t(ch, "plan_bet_depends", capabilities=row["depends"])
        if row["blocked"]:
            line += _t(ch, "plan_bet_blocked", findings=row["blocked"])
        lines.append(line + _t(ch, "plan_bet_end"))
    return lines


def render_plan_reality(ch: PlanChapter) -> Fragment:
    """Each customer driver beside its history, the plan at history and what each bet is worth."""
    if not ch.available:
        return Fragment(html="")
    table = ch.analysis.reality.table
    has_history = table["verdict"].notna().any()
    operations = (table["history_source"] == "operations").any()
    periods = table.loc[table["history_source"] == "operations", "history_period"]
    period = periods.iloc[0].replace("/", " – ") if operations else ""
    intro = _t(
        ch,
        "plan_reality_intro_operations" if operations else "plan_reality_intro_last_year",
        file=ch.inputs.file,
        period=period,
    )
    return _render(
        ch,
        "reality.html.j2",
        toc=_sub(ch, "reality", "plan_sec_reality"),
        intro=intro,
        rows=reality_rows(ch, table),
        has_history=has_history,
        at_history=at_history_text(ch) if has_history else "",
        bets=reality_rows(ch, ch.analysis.reality.bets),
        links_file=links_file(ch.client),
        links=ch.links is not None,
        multiple=fmt_num(MULTIPLE, 0),
    )
