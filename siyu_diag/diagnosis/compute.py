"""The diagnosis chapter's computation: from validated inputs to every figure the report states.

:func:`diagnose` is pure: the client configuration, the responses and the rules in, a frozen
:class:`Diagnosis` out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..core import vocab
from ..core.client import ClientConfig
from ..core.rules import PHASES, RuleSet, evaluate_rules
from . import gaps, scoring, wording
from .bank import QuestionBank
from .config import CORE_ROLES, TOP_REPORTING_LINES
from .survey import Responses


@dataclass(frozen=True)
class Diagnosis:
    """Everything the diagnosis chapter computes.

    Attributes
    ----------
    config, bank
        The client's configuration and question bank.
    items
        Per item: score, counts, agree/disagree shares (:data:`scoring.ITEM_COLUMNS`); an item
        answered by fewer than ``min_group_size`` people keeps only its counts
        (:func:`gaps.withhold_items`).
    subdimensions, dimensions
        Scores per sub-dimension and per dimension (with ``level``, ``target_level``,
        ``target_score``, ``gap_to_target``, ``alpha``, ``agreement``).
    overall, level
        The overall score and maturity level.
    departments, role_levels
        Group × dimension scores with ``n``; groups below the minimum size are left out.
    hidden
        Groups not shown, with their sizes (``kind``, ``group``, ``n``).
    dept_gaps, role_gaps
        Perception gaps (:data:`gaps.GAP_COLUMNS`).
    distribution
        Item × scale point shares (NaN for withheld items).
    findings
        Fired rules, ranked.
    facts
        The flat facts the rules were evaluated on.
    quality
        Data-quality notes from loading.
    n_respondents
        Respondents scored.
    """

    config: ClientConfig
    bank: QuestionBank
    items: pd.DataFrame
    subdimensions: pd.DataFrame
    dimensions: pd.DataFrame
    overall: float
    level: int
    departments: pd.DataFrame
    role_levels: pd.DataFrame
    hidden: pd.DataFrame
    dept_gaps: pd.DataFrame
    role_gaps: pd.DataFrame
    distribution: pd.DataFrame
    findings: pd.DataFrame
    facts: dict[str, Any] = field(repr=False)
    quality: pd.DataFrame = field(repr=False)
    n_respondents: int = 0
    min_group_size: int = 3


def target_levels(config: ClientConfig, bank: QuestionBank) -> dict[str, int]:
    """Target level per dimension: the stage's default unless ``client.yaml`` overrides it."""
    defaults = vocab.stage_targets(config.stage)
    return {
        d.id: int(config.targets.get(d.id, defaults.get(d.id, defaults["default"])))
        for d in bank.dimensions
    }


# the customer systems of ``organisation.data_connected``, as the findings name them
SYSTEM_NAMES = {
    "crm": {"zh": "CRM", "en": "the CRM"},
    "scrm": {"zh": "SCRM", "en": "the SCRM"},
    "member": {"zh": "会员系统", "en": "the member system"},
}


def profile_facts(config: ClientConfig) -> dict[str, Any]:
    """Facts about the organisation profile, keyed ``profile.*``; unknown facts are left out.

    A rule whose condition reads a fact that is left out does not fire (its condition is
    false), so no finding rests on a fact the consultant did not give.
    """
    org = config.organisation
    facts: dict[str, Any] = {"profile.stage": config.stage, "profile.industry": config.industry}
    if org.lead_reports_to is not None:
        facts["profile.lead_reports_to"] = org.lead_reports_to
        facts["profile.lead_reports_to_top"] = org.lead_reports_to in TOP_REPORTING_LINES
    for key in ("team_model", "org_form", "sub_brands"):
        if getattr(org, key) is not None:
            facts[f"profile.{key}"] = getattr(org, key)
    if org.roles is not None:
        roles = {
            r: int(org.roles.get(r, 0)) for r in (*CORE_ROLES, "customer_service", "shopping_guide")
        }
        facts["profile.headcount"] = sum(v for r, v in roles.items() if r != "shopping_guide")
        facts["profile.core_roles_missing"] = sum(1 for r in CORE_ROLES if roles[r] == 0)
        facts["profile.has_stores"] = roles["shopping_guide"] > 0
        facts.update({f"profile.role.{r}": n for r, n in roles.items()})
    connected = org.data_connected.model_dump()
    facts.update({f"profile.data.{k}": v for k, v in connected.items() if v is not None})
    islands = [k for k, v in connected.items() if v is False]
    if any(v is not None for v in connected.values()):  # the systems given as not connected
        facts["profile.data.unconnected"] = len(islands)
        facts["profile.data.unconnected_list"] = "、".join(SYSTEM_NAMES[k]["zh"] for k in islands)
        facts["profile.data.unconnected_list_en"] = ", ".join(
            SYSTEM_NAMES[k]["en"] for k in islands
        )
    if False in connected.values():  # one known island is enough to say not all are connected
        facts["profile.data_all_connected"] = False
    elif None not in connected.values():
        facts["profile.data_all_connected"] = True
    return facts


def _score_facts(dx_parts: dict[str, Any]) -> dict[str, Any]:
    facts: dict[str, Any] = {"overall": dx_parts["overall"], "level": dx_parts["level"]}
    for row in dx_parts["dimensions"].itertuples():
        d = row.dimension
        facts.update(
            {
                f"dim.{d}": row.score,
                f"level.{d}": row.level,
                f"target.{d}": row.target_level,
                f"gap_to_target.{d}": row.gap_to_target,
                f"agreement.{d}": row.agreement,
                f"alpha.{d}": row.alpha,
            }
        )
    for row in dx_parts["subdimensions"].itertuples():
        facts[f"sub.{row.dimension}.{row.subdimension}"] = row.score
    for row in dx_parts["items"].itertuples():
        facts[f"item.{row.item}"] = row.score
        facts[f"agree.{row.item}"] = row.agree
    for group, row in dx_parts["departments"].drop(columns="n").iterrows():
        for d, value in row.items():
            facts[f"dept.{group}.{d}"] = value
    facts.update(gaps.gap_facts(dx_parts["dept_gaps"], dx_parts["role_gaps"]))
    clean = {}
    for k, v in facts.items():
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, float) and np.isnan(v):
            continue
        clean[k] = v
    return clean


def diagnose(
    config: ClientConfig,
    bank: QuestionBank,
    responses: Responses,
    rules: RuleSet,
    *,
    min_group_size: int | None = None,
) -> Diagnosis:
    """Score the questionnaire, compare groups and fire the finding rules.

    Parameters
    ----------
    config
        The client's validated configuration.
    bank
        The question bank the responses answer.
    responses
        Validated responses (:func:`siyu_diag.diagnosis.survey.load_responses`).
    rules
        Finding rules (:func:`siyu_diag.core.rules.load_rules`).
    min_group_size
        Smallest group shown; ``client.yaml``'s ``survey.min_group_size`` when None.

    Returns
    -------
    Diagnosis

    Raises
    ------
    InputError
        When too few responses are left to report anonymously (:func:`gaps.check_anonymity`).
    """
    min_size = gaps.check_anonymity(responses, config.survey.min_group_size, min_group_size or 0)
    levels = vocab.maturity_levels()
    scores = scoring.score_answers(responses.answers, bank)
    every_item = scoring.score_items(responses.answers, responses.not_applicable, bank)
    subs = scoring.score_subdimensions(every_item)
    items, distribution = gaps.withhold_items(
        every_item, scoring.item_distribution(responses.answers, bank), min_size=min_size
    )
    dims = scoring.score_dimensions(subs, bank)
    overall = scoring.score_overall(dims)
    targets = target_levels(config, bank)
    lower = levels.set_index("level")["lower"]
    dims["level"] = [scoring.assign_level(s, levels) for s in dims["score"]]
    dims["target_level"] = dims["dimension"].map(targets)
    dims["target_score"] = dims["target_level"].map(lower)
    dims["gap_to_target"] = (dims["target_score"] - dims["score"]).clip(lower=0)
    dims = dims.merge(scoring.reliability(scores, bank), on="dimension")
    dims = dims.merge(scoring.agreement_index(responses.answers, bank), on="dimension")

    per_person = scoring.respondent_dimension_scores(scores, bank)
    dept = responses.respondents["department"]
    role = responses.respondents["role_level"]
    hidden = pd.concat(
        [
            gaps.hidden_groups(dept, min_size=min_size)
            .rename_axis("group")
            .reset_index(name="n")
            .assign(kind="department"),
            gaps.hidden_groups(role, min_size=min_size)
            .rename_axis("group")
            .reset_index(name="n")
            .assign(kind="role_level"),
        ]
    )[["kind", "group", "n"]].reset_index(drop=True)
    parts = {
        "items": items,
        "subdimensions": subs,
        "dimensions": dims,
        "overall": overall,
        "level": scoring.assign_level(overall, levels),
        "departments": gaps.group_scores(per_person, dept, min_size=min_size),
        "role_levels": gaps.group_scores(per_person, role, min_size=min_size),
        "dept_gaps": gaps.perception_gaps(per_person, dept, min_size=min_size),
        "role_gaps": gaps.perception_gaps(
            per_person, role, min_size=min_size, pairs=[("management", "frontline")]
        ),
    }
    facts = {
        **_score_facts(parts),
        **profile_facts(config),
        "quality.respondents": len(responses.answers),
    }
    findings = evaluate_rules(
        rules,
        facts,
        dict(zip(dims["dimension"], dims["gap_to_target"], strict=True)),
        wording=wording.fact_wording,
    )
    return Diagnosis(
        config=config,
        bank=bank,
        hidden=hidden,
        distribution=distribution,
        findings=findings,
        facts=facts,
        quality=responses.quality,
        n_respondents=len(responses.answers),
        min_group_size=min_size,
        **parts,
    )


def roadmap(findings: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Findings grouped by roadmap phase ("0-3", "3-6", "6-12" months), ranked within each."""
    return {p: findings[findings["phase"] == p] for p in PHASES}
