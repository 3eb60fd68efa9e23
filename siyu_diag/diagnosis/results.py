"""``results.json``: every figure the report states, machine-readable, with a versioned schema.

The schema is the pydantic model :class:`Results`; ``Results.model_json_schema()`` gives it as
JSON Schema, and the README documents its fields. Bump :data:`SCHEMA_VERSION` on any change that
removes or renames a field.
"""

from __future__ import annotations

from pathlib import Path

from ..core.records import InputFile, ResultModel, json_value, records, save_model
from .chapter import Chapter
from .config import unknown_facts

SCHEMA_VERSION = "1.0"


class BankRef(ResultModel):
    """The question bank used."""

    id: str
    version: str


class Provenance(ResultModel):
    """Where the numbers came from."""

    package_version: str
    generated_at: str
    question_bank: BankRef
    rules_version: str
    inputs: list[InputFile]
    parameters: dict[str, str | int | float | bool]


class Client(ResultModel):
    """Who the report is for."""

    brand: str
    slug: str
    industry: str
    stage: str
    date: str
    consultant: str
    language: str


class DimensionResult(ResultModel):
    """One dimension's figures (scores 0–100; levels 1–5)."""

    id: str
    name: str
    score: float | None
    level: int
    target_level: int
    target_score: float
    gap_to_target: float | None
    alpha: float | None
    agreement: float | None
    subdimensions: dict[str, float | None]


class ItemResult(ResultModel):
    """One item's figures."""

    id: str
    dimension: str
    subdimension: str
    reverse: bool
    n: int
    n_na: int
    score: float | None
    agree: float | None


class GroupResult(ResultModel):
    """A department or role level shown in the report (hidden groups are never listed)."""

    group: str
    n: int
    scores: dict[str, float | None]


class GapResult(ResultModel):
    """A perception gap between two groups on one dimension."""

    dimension: str
    group_a: str
    group_b: str
    n_a: int
    n_b: int
    gap: float
    hedges_g: float | None
    p_holm: float | None
    strength: str


class FindingResult(ResultModel):
    """A fired finding rule."""

    rule: str
    dimension: str
    severity: str
    phase: str
    priority: float
    title: str
    evidence: str
    recommendation: str


class QualityNote(ResultModel):
    """A data-quality note (rows are spreadsheet rows of the export)."""

    kind: str
    rows: str
    subject: str
    value: float | None
    excluded: bool


class Diagnosis(ResultModel):
    """The diagnosis chapter's figures."""

    respondents: int
    overall_score: float
    overall_level: int
    min_group_size: int
    dimensions: list[DimensionResult]
    items: list[ItemResult]
    departments: list[GroupResult]
    role_levels: list[GroupResult]
    hidden_groups: int
    department_gaps: list[GapResult]
    role_gaps: list[GapResult]
    findings: list[FindingResult]
    data_quality: list[QualityNote]
    facts_to_confirm: list[str]  # organisation facts client.yaml does not give (dotted keys)


class Results(ResultModel):
    """The whole of ``results.json``."""

    schema_version: str
    client: Client
    provenance: Provenance
    diagnosis: Diagnosis


def build_results(chapter: Chapter) -> Results:
    """Collect the chapter's figures into a :class:`Results` (text in the chapter's language)."""
    dx, lang, cfg = chapter.dx, chapter.lang, chapter.dx.config
    subs = dx.subdimensions
    dims = [
        DimensionResult(
            id=r.dimension,
            name=dx.bank.dimension_index[r.dimension].name.get(lang),
            score=json_value(r.score),
            level=int(r.level),
            target_level=int(r.target_level),
            target_score=float(r.target_score),
            gap_to_target=json_value(r.gap_to_target),
            alpha=json_value(r.alpha),
            agreement=json_value(r.agreement),
            subdimensions={
                s.subdimension: json_value(s.score)
                for s in subs[subs["dimension"] == r.dimension].itertuples()
            },
        )
        for r in dx.dimensions.itertuples()
    ]

    def groups(frame):
        return [
            GroupResult(
                group=str(g),
                n=int(row["n"]),
                scores={k: json_value(v) for k, v in row.drop("n").items()},
            )
            for g, row in frame.iterrows()
        ]

    gap_cols = list(GapResult.model_fields)
    return Results(
        schema_version=SCHEMA_VERSION,
        client=Client(
            brand=cfg.brand,
            slug=cfg.slug,
            industry=cfg.industry,
            stage=cfg.stage,
            date=cfg.date.isoformat(),
            consultant=cfg.consultant,
            language=lang,
        ),
        provenance=Provenance(**chapter.provenance),
        diagnosis=Diagnosis(
            respondents=dx.n_respondents,
            overall_score=dx.overall,
            overall_level=dx.level,
            min_group_size=dx.min_group_size,
            dimensions=dims,
            items=records(dx.items.rename(columns={"item": "id"}), list(ItemResult.model_fields)),
            departments=groups(dx.departments),
            role_levels=groups(dx.role_levels),
            hidden_groups=len(dx.hidden),
            department_gaps=records(dx.dept_gaps, gap_cols),
            role_gaps=records(dx.role_gaps, gap_cols),
            findings=[
                FindingResult(
                    rule=f.rule,
                    dimension=f.dimension,
                    severity=f.severity,
                    phase=f.phase,
                    priority=f.priority,
                    title=getattr(f, f"title_{lang}"),
                    evidence=getattr(f, f"evidence_{lang}"),
                    recommendation=getattr(f, f"recommendation_{lang}"),
                )
                for f in dx.findings.itertuples()
            ],
            data_quality=records(dx.quality, list(QualityNote.model_fields)),
            facts_to_confirm=unknown_facts(chapter.client.config),
        ),
    )


def save_results(chapter: Chapter, path: str | Path) -> Path | None:
    """Write ``results.json`` for the chapter; does nothing when ``path`` is empty."""
    return save_model(lambda: build_results(chapter), path)
