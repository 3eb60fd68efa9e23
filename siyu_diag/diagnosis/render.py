"""Render the diagnosis chapter as HTML fragments for the notebook and the report.

Structure, then render: this module arranges the computed figures (localised names, rows for
tables, data for charts) and hands them to the Jinja templates in ``templates/fragments/``, which
place values and do no arithmetic. Each ``render_*`` returns a :class:`Fragment`, which a notebook
displays as HTML; its table-of-contents entries travel in the output's metadata.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core import vocab
from ..core.fmt import MISSING
from ..core.fragments import Fragment, heat_table, label, render_fragment
from ..core.palette import (
    LEVEL_COLORS,
    SCORE_STOPS,
    heat_scale,
    score_cell,
    score_color,
    text_color,
)
from ..core.rules import PHASES
from ..core.style import diverging_palette, fig_to_data_uri
from . import charts, gaps
from .chapter import Chapter
from .compute import roadmap


def _render(
    template: str,
    ch: Chapter,
    toc: list[dict[str, Any]] | None = None,
    placement: str = "body",
    **context: Any,
) -> Fragment:
    return render_fragment(template, ch.lang, toc, placement=placement, **context)


def _dim_name(ch: Chapter, dim: str) -> str:
    return ch.dx.bank.dimension_index[dim].name.get(ch.lang)


def _group_name(group: str, kind: str, lang: str) -> str:
    table = vocab.departments() if kind == "department" else vocab.role_levels()
    return table.name(group, lang)


def _levels(lang: str) -> pd.DataFrame:
    return vocab.maturity_levels(lang)


def _level_name(level: int, lang: str) -> str:
    names = _levels(lang).set_index("level")["name"]
    return f"L{level} {names.get(level, '')}".strip()


def _dimension_rows(ch: Chapter) -> list[dict[str, Any]]:
    return [
        {
            "id": r.dimension,
            "name": _dim_name(ch, r.dimension),
            "score": r.score,
            "level": int(r.level),
            "level_name": _level_name(int(r.level), ch.lang),
            "target_level": int(r.target_level),
            "target_name": _level_name(int(r.target_level), ch.lang),
            "gap": r.gap_to_target,
            "alpha": r.alpha,
            "agreement": r.agreement,
        }
        for r in ch.dx.dimensions.itertuples()
    ]


def _finding_rows(findings: pd.DataFrame, ch: Chapter) -> list[dict[str, Any]]:
    lang = ch.lang
    return [
        {
            "rule": f.rule,
            "dimension": _dim_name(ch, f.dimension)
            if f.dimension in ch.dx.bank.dimension_index
            else f.dimension,
            "severity": f.severity,
            "severity_label": label(f"severity_{f.severity}", lang),
            "phase": f.phase,
            "phase_label": label(f"phase_{f.phase}", lang),
            "title": getattr(f, f"title_{lang}"),
            "evidence": getattr(f, f"evidence_{lang}"),
            "recommendation": getattr(f, f"recommendation_{lang}"),
        }
        for f in findings.itertuples()
    ]


def _gap_rule() -> dict[str, float]:
    return {
        "points": gaps.MIN_POINTS,
        "effect": gaps.MIN_EFFECT,
        "n": gaps.MIN_TEST_N,
        "p": gaps.P_LEVEL,
    }


def _gap_rows(frame: pd.DataFrame, ch: Chapter, kind: str) -> list[dict[str, Any]]:
    return [
        {
            "dimension": _dim_name(ch, g.dimension),
            "a": _group_name(g.group_a, kind, ch.lang),
            "b": _group_name(g.group_b, kind, ch.lang),
            "n_a": g.n_a,
            "n_b": g.n_b,
            "mean_a": g.mean_a,
            "mean_b": g.mean_b,
            "gap": g.gap,
            "g": g.hedges_g,
            "p": g.p_holm,
            "strength": g.strength,
            "strength_label": label(f"strength_{g.strength}", ch.lang),
        }
        for g in frame.itertuples()
    ]


def render_summary(ch: Chapter) -> Fragment:
    """The executive summary: level, four dimensions, top findings, first actions, biggest gap."""
    dx = ch.dx
    counted = [
        *_gap_rows(dx.dept_gaps[dx.dept_gaps["counts"]], ch, "department"),
        *_gap_rows(dx.role_gaps[dx.role_gaps["counts"]], ch, "role_level"),
    ]
    first_actions = dx.findings[dx.findings["phase"] == PHASES[0]].head(3)
    return _render(
        "summary.html.j2",
        ch,
        placement="summary",
        toc=[{"id": "summary", "title": label("summary", ch.lang), "level": 1}],
        overall=dx.overall,
        level=dx.level,
        level_name=_level_name(dx.level, ch.lang),
        level_description=_levels(ch.lang).set_index("level")["description"].get(dx.level, ""),
        dimensions=_dimension_rows(ch),
        respondents=dx.n_respondents,
        stage=dx.config.stage,
        n_departments=len(dx.departments),
        findings=_finding_rows(dx.findings.head(3), ch),
        actions=_finding_rows(first_actions, ch),
        gap=max(counted, key=lambda g: abs(g["gap"]), default=None),
    )


def score_level_color(score: float, bands: pd.DataFrame) -> str:
    """The colour of the maturity level ``score`` falls in (a band's upper bound is the next's)."""
    edges = bands["upper"].to_numpy(float)[:-1]
    level = int(bands["level"].to_numpy()[np.searchsorted(edges, score, side="right")])
    return LEVEL_COLORS[level]


def render_overview(ch: Chapter) -> Fragment:
    """Chapter opening: radar of current vs target, level strip and the dimension table."""
    dx, lang = ch.dx, ch.lang
    dims = _dimension_rows(ch)
    radar = pd.DataFrame(
        {
            "dimension": [d["name"] for d in dims],
            "current": [d["score"] for d in dims],
            "target": dx.dimensions["target_score"].tolist(),
        }
    )
    bands = _levels(lang).sort_values("level")
    points = [(label("overall_score", lang), dx.overall)] + [(d["name"], d["score"]) for d in dims]
    strip = {
        "bands": [
            {
                "name": f"L{int(b.level)} {b.name}",
                "left": b.lower,
                "width": b.upper - b.lower,
                "color": LEVEL_COLORS[int(b.level)],
                "ink": text_color(LEVEL_COLORS[int(b.level)]),
            }
            for b in bands.itertuples()
        ],
        "edges": bands["upper"].tolist()[:-1],
        "rows": [
            {"label": name, "score": score, "color": score_level_color(score, bands)}
            for name, score in points
        ],
    }
    return _render(
        "overview.html.j2",
        ch,
        toc=[
            {"id": "diagnosis", "title": label("chapter_diagnosis", lang), "level": 1},
            {"id": "overview", "title": label("sec_overview", lang), "level": 2},
        ],
        dimensions=dims,
        overall=dx.overall,
        level_name=_level_name(dx.level, lang),
        radar=fig_to_data_uri(charts.plot_radar(radar, lang=lang).figure),
        strip=strip,
    )


def render_subdimensions(ch: Chapter) -> Fragment:
    """Sub-dimension scores: a table with each score drawn as a bar in its level's colour."""
    dx, lang = ch.dx, ch.lang
    subs = dx.subdimensions
    spans = subs["dimension"].value_counts()
    rows = [
        {
            "dimension": _dim_name(ch, r.dimension),
            "first": r.dimension != previous,
            "span": int(spans[r.dimension]),
            "subdimension": dx.bank.subdimension_name(r.dimension, r.subdimension, lang),
            "score": r.score,
            "color": None if pd.isna(r.score) else score_color(r.score),
        }
        for r, previous in zip(subs.itertuples(), subs["dimension"].shift(), strict=True)
    ]
    return _render(
        "subdimensions.html.j2",
        ch,
        toc=[{"id": "subdimensions", "title": label("sec_subdims", lang), "level": 2}],
        rows=rows,
    )


def _heat_table(frame: pd.DataFrame, ch: Chapter, kind: str) -> dict[str, Any] | None:
    """Groups × dimensions as a heat table (HTML): each score coloured on the 0–100 scale."""
    if frame.empty:
        return None
    dims = [d for d in frame.columns if d != "n"]
    rows = [
        {
            "name": _group_name(group, kind, ch.lang),
            "n": int(row["n"]),
            "cells": [score_cell(row[d]) for d in dims],
        }
        for group, row in frame.iterrows()
    ]
    scale = heat_scale(SCORE_STOPS, "0", "100")
    return heat_table([_dim_name(ch, d) for d in dims], rows, scale, blank=MISSING)


def render_groups(ch: Chapter) -> Fragment:
    """Department and role-level breakdowns, perception gaps and the rule that judges them."""
    dx, lang = ch.dx, ch.lang
    hidden = [
        f"{_group_name(h.group, h.kind, lang)}（n={h.n}）"
        if lang == "zh"
        else f"{_group_name(h.group, h.kind, lang)} (n={h.n})"
        for h in dx.hidden.itertuples()
    ]
    return _render(
        "groups.html.j2",
        ch,
        toc=[{"id": "groups", "title": label("sec_groups", lang), "level": 2}],
        dept_heat=_heat_table(dx.departments, ch, "department"),
        role_heat=_heat_table(dx.role_levels, ch, "role_level"),
        dept_gaps=_gap_rows(dx.dept_gaps[dx.dept_gaps["counts"]], ch, "department"),
        role_gaps=_gap_rows(dx.role_gaps, ch, "role_level"),
        hidden=hidden,
        min_group=dx.min_group_size,
        rule=_gap_rule(),
        dims=_dimension_rows(ch),
    )


#: Shares below this are drawn without their percentage (the segment is too narrow for it).
_LABELLED_SHARE = 0.1


def _distribution_rows(dist: pd.DataFrame, ch: Chapter) -> list[dict[str, Any]]:
    """One row per item: its label and a positioned segment per answer category.

    ``left`` and ``width`` are percentages of the bar, whose middle is the neutral point.
    """
    bank, lang = ch.dx.bank, ch.lang
    shares = dist.fillna(0.0).to_numpy(float)
    starts = charts.diverging_starts(shares)
    colors = diverging_palette(shares.shape[1])
    return [
        {
            "id": item,
            "text": bank.item_index[item].text.get(lang),
            "segments": [
                {
                    "left": (start + 1) * 50,
                    "width": share * 50,
                    "color": color,
                    "ink": text_color(color),
                    "share": share,
                    "labelled": share >= _LABELLED_SHARE,
                }
                for start, share, color in zip(starts[i], shares[i], colors, strict=True)
                if share > 0
            ],
        }
        for i, item in enumerate(dist.index)
    ]


def render_items(ch: Chapter) -> Fragment:
    """Diverging answer distributions per dimension (drawn in HTML) and the lowest/highest items.

    Items answered by fewer than the minimum group size have no distribution and no score
    (:func:`siyu_diag.diagnosis.gaps.withhold_items`); the template gets their ids as ``withheld``
    and the minimum as ``min_group``.
    """
    dx, lang = ch.dx, ch.lang
    bank = dx.bank
    categories = [bank.scale.label(v, lang) for v in dx.distribution.columns]
    legend = [
        {"label": name, "color": color}
        for name, color in zip(categories, diverging_palette(len(categories)), strict=True)
    ]
    distributions = []
    for d in bank.dimensions:
        ids = [i.id for i in bank.items if i.dimension == d.id and i.id in dx.distribution.index]
        dist = dx.distribution.loc[ids].dropna(how="all")
        if not dist.empty:
            distributions.append(
                {
                    "title": d.name.get(lang),
                    "caption": label("fig_items", lang, dim=d.name.get(lang)),
                    "rows": _distribution_rows(dist, ch),
                }
            )

    def rows(frame):
        return [
            {
                "id": r.item,
                "text": bank.item_index[r.item].text.get(lang),
                "dimension": _dim_name(ch, r.dimension),
                "score": r.score,
                "n": r.n,
                "agree": r.agree,
                "reverse": r.reverse,
            }
            for r in frame.itertuples()
        ]

    ranked = dx.items.dropna(subset=["score"]).sort_values(["score", "item"])
    return _render(
        "items.html.j2",
        ch,
        toc=[{"id": "items", "title": label("sec_items", lang), "level": 2}],
        distributions=distributions,
        withheld=gaps.too_few_answers(dx.items, min_size=dx.min_group_size),
        min_group=dx.min_group_size,
        legend=legend,
        lowest=rows(ranked.head(5)),
        highest=rows(ranked.tail(5).iloc[::-1]),
    )


#: Findings shown as full cards; the rest are listed in a compact table.
CARD_LIMIT = 10


def render_findings(ch: Chapter) -> Fragment:
    """The fired findings, ranked (the first :data:`CARD_LIMIT` in full), then the roadmap."""
    lang = ch.lang
    findings = _finding_rows(ch.dx.findings, ch)
    phases = [
        {"id": p, "label": label(f"phase_{p}", lang), "findings": _finding_rows(f, ch)}
        for p, f in roadmap(ch.dx.findings).items()
    ]
    return _render(
        "findings.html.j2",
        ch,
        toc=[
            {"id": "findings", "title": label("sec_findings", lang), "level": 2},
            {"id": "roadmap", "title": label("sec_roadmap", lang), "level": 2},
        ],
        findings=findings[:CARD_LIMIT],
        others=findings[CARD_LIMIT:],
        phases=phases,
    )


def _quality_rows(ch: Chapter) -> list[str]:
    out = []
    for q in ch.dx.quality.itertuples():
        value = "" if pd.isna(q.value) else int(q.value)
        text = label(f"q_{q.kind}", ch.lang, subject=q.subject, value=value, rows=q.rows)
        if q.kind in ("straight_lining", "speeding"):
            text += label("q_excluded" if q.excluded else "q_kept", ch.lang)
        out.append(text)
    return out


def render_appendix(ch: Chapter) -> Fragment:
    """Method, levels, data quality, the question bank and provenance."""
    dx, lang = ch.dx, ch.lang
    bank = dx.bank
    scores = dx.items.set_index("item")
    items = [
        {
            "id": i.id,
            "dimension": _dim_name(ch, i.dimension),
            "subdimension": bank.subdimension_name(i.dimension, i.subdimension, lang),
            "text": i.text.get(lang),
            "reverse": i.reverse,
            "audience": label(f"audience_{i.audience}", lang),
            "score": scores["score"].get(i.id),
            "n": scores["n"].get(i.id),
        }
        for i in bank.items
    ]
    return _render(
        "appendix.html.j2",
        ch,
        placement="appendix",
        toc=[
            {"id": "appendix", "title": label("appendix", lang), "level": 1},
            {"id": "method", "title": label("sec_method", lang), "level": 2},
            {"id": "quality", "title": label("sec_quality", lang), "level": 2},
            {"id": "bank", "title": label("sec_bank", lang), "level": 2},
            {"id": "provenance", "title": label("sec_provenance", lang), "level": 2},
        ],
        levels=_levels(lang).to_dict("records"),
        quality=_quality_rows(ch),
        items=items,
        bank=bank,
        prov=ch.provenance,
        min_group=dx.min_group_size,
        rule=_gap_rule(),
        scale_min=bank.scale.min,
        scale_max=bank.scale.max,
    )


#: The chapter's fragments in report order.
SECTIONS = (
    render_summary,
    render_overview,
    render_subdimensions,
    render_groups,
    render_items,
    render_findings,
    render_appendix,
)
