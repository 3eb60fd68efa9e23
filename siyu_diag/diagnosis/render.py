"""Render the diagnosis chapter as HTML fragments for the notebook and the report.

Structure, then render: :mod:`siyu_diag.diagnosis.rows` arranges the computed figures (localised
names, rows for tables, data for charts); this module hands them to the Jinja templates in
``templates/fragments/``, which place values and do no arithmetic. Each ``render_*`` returns a
:class:`Fragment`, which a notebook displays as HTML; its table-of-contents entries travel in the
output's metadata.
"""

from __future__ import annotations

from typing import Any

from ..core.fragments import Fragment, label, render_fragment
from ..core.rules import PHASES
from ..core.style import fig_to_data_uri
from . import charts, gaps, rows, wording
from .chapter import Chapter
from .compute import roadmap
from .config import unknown_facts
from .levels import level_bands, level_name

#: Findings shown as full cards; the rest are listed in a compact table.
CARD_LIMIT = 10


def _render(
    template: str,
    ch: Chapter,
    toc: list[dict[str, Any]] | None = None,
    placement: str = "body",
    **context: Any,
) -> Fragment:
    return render_fragment(template, ch.lang, toc, placement=placement, **context)


def render_summary(ch: Chapter) -> Fragment:
    """The executive summary: level, each dimension, top findings, first actions, biggest gap."""
    dx = ch.dx
    first_actions = dx.findings[dx.findings["phase"] == PHASES[0]].head(3)
    return _render(
        "summary.html.j2",
        ch,
        placement="summary",
        toc=[{"id": "summary", "title": label("summary", ch.lang), "level": 1}],
        overall=dx.overall,
        level=dx.level,
        level_name=level_name(dx.level, ch.lang),
        level_description=level_bands(ch.lang).set_index("level")["description"].get(dx.level, ""),
        dimensions=rows.dimension_rows(ch),
        respondents=dx.n_respondents,
        stage=dx.config.stage,
        n_departments=len(dx.departments),
        findings=rows.finding_rows(dx.findings.head(3), ch),
        actions=rows.finding_rows(first_actions, ch),
        gap=max(rows.counted_gaps(ch), key=lambda g: abs(g["gap"]), default=None),
    )


def render_overview(ch: Chapter) -> Fragment:
    """Chapter opening: radar of current vs target, level strip and the dimension table."""
    dx, lang = ch.dx, ch.lang
    dims = rows.dimension_rows(ch)
    radar = charts.plot_radar(rows.radar_data(ch, dims), lang=lang)
    return _render(
        "overview.html.j2",
        ch,
        toc=[
            {"id": "diagnosis", "title": label("chapter_diagnosis", lang), "level": 1},
            {"id": "overview", "title": label("sec_overview", lang), "level": 2},
        ],
        dimensions=dims,
        n_dimensions=len(dims),
        count=wording.count_word(len(dims), lang),
        overall=dx.overall,
        level_name=level_name(dx.level, lang),
        radar=fig_to_data_uri(radar.figure),
        strip=rows.level_strip(ch, dims),
    )


def render_subdimensions(ch: Chapter) -> Fragment:
    """Sub-dimension scores: a table with each score drawn as a bar in its level's colour."""
    return _render(
        "subdimensions.html.j2",
        ch,
        toc=[{"id": "subdimensions", "title": label("sec_subdims", ch.lang), "level": 2}],
        rows=rows.subdimension_rows(ch),
    )


def render_groups(ch: Chapter) -> Fragment:
    """Department and role-level breakdowns, perception gaps and the rule that judges them."""
    dx, lang = ch.dx, ch.lang
    return _render(
        "groups.html.j2",
        ch,
        toc=[{"id": "groups", "title": label("sec_groups", lang), "level": 2}],
        dept_heat=rows.group_heat_table(dx.departments, ch, "department"),
        role_heat=rows.group_heat_table(dx.role_levels, ch, "role_level"),
        dept_gaps=rows.gap_rows(dx.dept_gaps[dx.dept_gaps["counts"]], ch, "department"),
        role_gaps=rows.gap_rows(dx.role_gaps, ch, "role_level"),
        dept_note=rows.dept_gap_note(ch),
        hidden=rows.hidden_groups(ch),
        min_group=dx.min_group_size,
        rule=rows.gap_rule(),
        words=wording.rule_words(lang),
        dims=rows.dimension_rows(ch),
    )


def render_items(ch: Chapter) -> Fragment:
    """Diverging answer distributions per dimension (drawn in HTML) and the lowest/highest items.

    Items answered by fewer than the minimum group size have no distribution and no score
    (:func:`siyu_diag.diagnosis.gaps.withhold_items`); the template gets their ids as ``withheld``
    and the minimum as ``min_group``.
    """
    dx, lang = ch.dx, ch.lang
    ranked = dx.items.dropna(subset=["score"]).sort_values(["score", "item"])
    return _render(
        "items.html.j2",
        ch,
        toc=[{"id": "items", "title": label("sec_items", lang), "level": 2}],
        distributions=rows.distributions(ch),
        withheld=gaps.too_few_answers(dx.items, min_size=dx.min_group_size),
        min_group=dx.min_group_size,
        legend=rows.answer_legend(ch),
        lowest=rows.item_rows(ranked.head(5), ch),
        highest=rows.item_rows(ranked.tail(5).iloc[::-1], ch),
    )


def render_findings(ch: Chapter) -> Fragment:
    """The fired findings, ranked (the first :data:`CARD_LIMIT` in full), then the roadmap."""
    lang = ch.lang
    findings = rows.finding_rows(ch.dx.findings, ch)
    phases = [
        {"id": p, "label": label(f"phase_{p}", lang), "findings": rows.finding_rows(f, ch)}
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


def render_appendix(ch: Chapter) -> Fragment:
    """Method, levels, data quality, the question bank and provenance."""
    dx, lang = ch.dx, ch.lang
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
        levels=level_bands(lang).to_dict("records"),
        quality=rows.quality_rows(ch),
        to_confirm=[
            label(f"fact_{key.split('.')[-1]}", lang) for key in unknown_facts(ch.client.config)
        ],
        items=rows.bank_rows(ch),
        bank=dx.bank,
        prov=ch.provenance,
        min_group=dx.min_group_size,
        rule=rows.gap_rule(),
        words=wording.rule_words(lang),
        scale_min=dx.bank.scale.min,
        scale_max=dx.bank.scale.max,
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
