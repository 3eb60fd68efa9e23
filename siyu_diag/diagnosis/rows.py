"""Rows of the diagnosis fragments: what each table, strip, bar and list shows, localised.

The structuring half of "structure, then render": every function here turns the computed
diagnosis into plain rows (names in the report's language, values as numbers, colours as hex)
that :mod:`siyu_diag.diagnosis.render` hands to the templates, which only place them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core import vocab
from ..core.fmt import MISSING
from ..core.fragments import heat_table, label
from ..core.palette import (
    LEVEL_COLORS,
    SCORE_STOPS,
    heat_scale,
    score_cell,
    score_color,
    text_color,
)
from ..core.style import diverging_palette
from . import gaps, wording
from .chapter import Chapter
from .charts import diverging_starts
from .levels import band_label, level_bands, level_name, score_level_color

#: Shares below this are drawn without their percentage (the segment is too narrow for it).
_LABELLED_SHARE = 0.1


def dimension_name(ch: Chapter, dim: str) -> str:
    """A dimension's name in the chapter's language."""
    return ch.dx.bank.dimension_index[dim].name.get(ch.lang)


def group_name(group: str, kind: str, lang: str) -> str:
    """A department's or role level's name (``kind``: ``department`` or ``role_level``)."""
    table = vocab.departments() if kind == "department" else vocab.role_levels()
    return table.name(group, lang)


def dimension_rows(ch: Chapter) -> list[dict[str, Any]]:
    """One row per dimension: score, level, target level, gap, reliability and agreement."""
    return [
        {
            "id": r.dimension,
            "name": dimension_name(ch, r.dimension),
            "score": r.score,
            "level": int(r.level),
            "level_name": level_name(int(r.level), ch.lang),
            "target_level": int(r.target_level),
            "target_name": level_name(int(r.target_level), ch.lang),
            "gap": r.gap_to_target,
            "alpha": r.alpha,
            "agreement": r.agreement,
        }
        for r in ch.dx.dimensions.itertuples()
    ]


def finding_rows(findings: pd.DataFrame, ch: Chapter) -> list[dict[str, Any]]:
    """One row per finding, in the chapter's language, in the order given."""
    lang = ch.lang
    return [
        {
            "rule": f.rule,
            "dimension": dimension_name(ch, f.dimension)
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


def gap_rule() -> dict[str, float]:
    """The thresholds a perception gap must pass to count (points, effect size, n, p)."""
    return {
        "points": gaps.MIN_POINTS,
        "effect": gaps.MIN_EFFECT,
        "n": gaps.MIN_TEST_N,
        "p": gaps.P_LEVEL,
    }


def gap_rows(frame: pd.DataFrame, ch: Chapter, kind: str) -> list[dict[str, Any]]:
    """One row per gap between two groups of ``kind`` on a dimension."""
    return [
        {
            "dimension": dimension_name(ch, g.dimension),
            "a": group_name(g.group_a, kind, ch.lang),
            "b": group_name(g.group_b, kind, ch.lang),
            "n_a": g.n_a,
            "n_b": g.n_b,
            "mean_a": g.mean_a,
            "mean_b": g.mean_b,
            "gap": g.gap,
            "g": g.hedges_g,
            "p": g.p_holm,
            "strength": g.strength,
            "strength_label": wording.strength_verdict(g.strength, ch.lang),
        }
        for g in frame.itertuples()
    ]


def dept_gap_note(ch: Chapter) -> str:
    """What the report says when no gap between departments counts (and why)."""
    return label("no_gap_dept" if len(ch.dx.departments) >= 2 else "no_dept_pairs", ch.lang)


def counted_gaps(ch: Chapter) -> list[dict[str, Any]]:
    """The department and role-level gaps that pass the rule, as rows."""
    dx = ch.dx
    return [
        *gap_rows(dx.dept_gaps[dx.dept_gaps["counts"]], ch, "department"),
        *gap_rows(dx.role_gaps[dx.role_gaps["counts"]], ch, "role_level"),
    ]


def radar_data(ch: Chapter, dims: list[dict[str, Any]]) -> pd.DataFrame:
    """The radar's data: each dimension's name, current and target score."""
    return pd.DataFrame(
        {
            "dimension": [d["name"] for d in dims],
            "current": [d["score"] for d in dims],
            "target": ch.dx.dimensions["target_score"].tolist(),
        }
    )


def level_strip(ch: Chapter, dims: list[dict[str, Any]]) -> dict[str, Any]:
    """The level strip drawn in HTML: the bands, their edges, the overall and dimension scores."""
    lang = ch.lang
    bands = level_bands(lang).sort_values("level")
    points = [
        (label("overall_score", lang), ch.dx.overall),
        *((d["name"], d["score"]) for d in dims),
    ]
    return {
        "bands": [
            {
                "name": band_label(b.level, b.name),
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


def subdimension_rows(ch: Chapter) -> list[dict[str, Any]]:
    """One row per sub-dimension, its dimension named on the first (spanning the others)."""
    dx, lang = ch.dx, ch.lang
    subs = dx.subdimensions
    spans = subs["dimension"].value_counts()
    return [
        {
            "dimension": dimension_name(ch, r.dimension),
            "first": r.dimension != previous,
            "span": int(spans[r.dimension]),
            "subdimension": dx.bank.subdimension_name(r.dimension, r.subdimension, lang),
            "score": r.score,
            "color": None if pd.isna(r.score) else score_color(r.score),
        }
        for r, previous in zip(subs.itertuples(), subs["dimension"].shift(), strict=True)
    ]


def group_heat_table(frame: pd.DataFrame, ch: Chapter, kind: str) -> dict[str, Any] | None:
    """Groups × dimensions as a heat table (HTML): each score coloured on the 0–100 scale."""
    if frame.empty:
        return None
    dims = [d for d in frame.columns if d != "n"]
    rows = [
        {
            "name": group_name(group, kind, ch.lang),
            "n": int(row["n"]),
            "cells": [score_cell(row[d]) for d in dims],
        }
        for group, row in frame.iterrows()
    ]
    scale = heat_scale(SCORE_STOPS, "0", "100")
    return heat_table([dimension_name(ch, d) for d in dims], rows, scale, blank=MISSING)


def hidden_groups(ch: Chapter) -> list[str]:
    """The groups too small to be shown, with their size, e.g. ``门店（n=3）``."""
    lang = ch.lang
    return [
        f"{group_name(h.group, h.kind, lang)}（n={h.n}）"
        if lang == "zh"
        else f"{group_name(h.group, h.kind, lang)} (n={h.n})"
        for h in ch.dx.hidden.itertuples()
    ]


def distribution_rows(dist: pd.DataFrame, ch: Chapter) -> list[dict[str, Any]]:
    """One row per item: its label and a positioned segment per answer category.

    ``left`` and ``width`` are percentages of the bar, whose middle is the neutral point.
    """
    bank, lang = ch.dx.bank, ch.lang
    shares = dist.fillna(0.0).to_numpy(float)
    starts = diverging_starts(shares)
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


def distributions(ch: Chapter) -> list[dict[str, Any]]:
    """The answer distributions of each dimension's items that have answers."""
    dx, lang = ch.dx, ch.lang
    out = []
    for d in dx.bank.dimensions:
        ids = [i.id for i in dx.bank.items if i.dimension == d.id and i.id in dx.distribution.index]
        dist = dx.distribution.loc[ids].dropna(how="all")
        if not dist.empty:
            out.append(
                {
                    "title": d.name.get(lang),
                    "caption": label("fig_items", lang, dim=d.name.get(lang)),
                    "rows": distribution_rows(dist, ch),
                }
            )
    return out


def answer_legend(ch: Chapter) -> list[dict[str, str]]:
    """The answer categories of the scale, each with its colour in the distributions."""
    dx, lang = ch.dx, ch.lang
    categories = [dx.bank.scale.label(v, lang) for v in dx.distribution.columns]
    return [
        {"label": name, "color": color}
        for name, color in zip(categories, diverging_palette(len(categories)), strict=True)
    ]


def item_rows(frame: pd.DataFrame, ch: Chapter) -> list[dict[str, Any]]:
    """One row per scored item: wording, dimension, score, answers, share agreeing."""
    bank = ch.dx.bank
    return [
        {
            "id": r.item,
            "text": bank.item_index[r.item].text.get(ch.lang),
            "dimension": dimension_name(ch, r.dimension),
            "score": r.score,
            "n": r.n,
            "agree": r.agree,
            "reverse": r.reverse,
        }
        for r in frame.itertuples()
    ]


def quality_rows(ch: Chapter) -> list[str]:
    """One sentence per data-quality check, saying whether the rows were excluded."""
    out = []
    for q in ch.dx.quality.itertuples():
        value = "" if pd.isna(q.value) else int(q.value)
        subject = q.subject
        if q.kind == "small_group":  # a canonical department id shows as its name
            subject = group_name(q.subject, "department", ch.lang)
        text = label(f"q_{q.kind}", ch.lang, subject=subject, value=value, rows=q.rows)
        if q.kind in ("straight_lining", "speeding"):
            text += label("q_excluded" if q.excluded else "q_kept", ch.lang)
        out.append(text)
    return out


def bank_rows(ch: Chapter) -> list[dict[str, Any]]:
    """The question bank, one row per item, with its score and number of answers."""
    dx, lang = ch.dx, ch.lang
    bank = dx.bank
    scores = dx.items.set_index("item")
    return [
        {
            "id": i.id,
            "dimension": dimension_name(ch, i.dimension),
            "subdimension": bank.subdimension_name(i.dimension, i.subdimension, lang),
            "text": i.text.get(lang),
            "reverse": i.reverse,
            "audience": label(f"audience_{i.audience}", lang),
            "score": scores["score"].get(i.id),
            "n": scores["n"].get(i.id),
        }
        for i in bank.items
    ]
