"""The diagnosis chapter as the framework sees it (see :mod:`siyu_diag.core.chapters`)."""

from __future__ import annotations

from typing import Any

from ..core.chapters import ChapterSpec, Context, RunPaths
from ..core.client import CLIENT_FILE
from ..core.errors import Problem

CHAPTER = ChapterSpec(
    key="diagnosis",
    notebook="01_diagnosis.ipynb",
    order=10,
    sections="siyu_diag.diagnosis.config:sections",
    check="siyu_diag.diagnosis.spec:check",
    files="siyu_diag.diagnosis.config:files",
    offers={
        "bank_subdimensions": "siyu_diag.diagnosis.spec:bank_subdimensions",
        "capabilities": "siyu_diag.diagnosis.spec:capabilities",
    },
    needs=("incentive_findings",),
    parameters="siyu_diag.diagnosis.spec:parameters",
    merge_at_root=True,
    cover="siyu_diag.diagnosis.spec:cover",
)


def check(context: Context) -> Any:
    """The question bank, the targets and the answers load, with enough respondents.

    Organisation facts ``client.yaml`` does not give are warnings: the findings that need
    them are not made, and the report lists them as facts to confirm.
    """
    from .config import unknown_facts
    from .survey import load_responses

    responses = load_responses(context.client, min_group_size=context.min_group_size)
    context.warnings.extend(
        Problem(
            "not given, so no finding rests on it; the report lists it as a fact to confirm.",
            file=CLIENT_FILE,
            key=key,
            hint="ask the client and write it in client.yaml (see the commented choices).",
        )
        for key in unknown_facts(context.client.config)
    )
    return responses


def parameters(context: Context, paths: RunPaths) -> dict:
    """A report run: the run's minimum group size and the assessment store for history."""
    return {
        "min_group_size": context.min_group_size,
        "store_path": str(paths.store) if paths.store else "",
    }


def cover(results: dict) -> dict[str, str]:
    """The question bank the report rests on: its dimensions (subtitle) and its id (footer).

    The subtitle names the bank's own dimensions in the report's language (``目标 · 协同 · 激励 ·
    成长`` for the default bank), so a custom bank's report speaks of its own.
    """
    bank = results["provenance"]["question_bank"]
    names = [d["name"] for d in results["diagnosis"]["dimensions"]]
    return {"footer_note": f"{bank['id']}@{bank['version']}", "subtitle": " · ".join(names)}


def bank_subdimensions(context: Context) -> dict[str, Any]:
    """The question bank's id and sub-dimensions (reads the bank only, not the answers).

    ``{"bank": id, "subdimensions": {"goals.cascade": {"zh": name, "en": name}, …}}``.
    """
    from .config import client_bank

    bank = client_bank(context.client)
    return {
        "bank": bank.id,
        "subdimensions": {
            f"{d.id}.{s.id}": {"zh": s.name.zh, "en": s.name.en}
            for d in bank.dimensions
            for s in d.subdimensions
        },
    }


def capabilities(context: Context) -> dict[str, Any]:
    """What the diagnosis says of each sub-dimension and which findings rest on which.

    ``{"bank": id, "subdimensions": {"collaboration.data": {"score", "level", "name_zh",
    "name_en", "level_zh", "level_en"}}, "findings": [{"rule", "severity", "title_zh",
    "title_en", "subdimensions": [...]}]}``: a finding rests on a sub-dimension when its
    condition reads the sub-dimension's score or one of its items. Findings in ranked order.
    """
    from .capabilities import diagnosis_capabilities

    return diagnosis_capabilities(context.client, context.checked.get("diagnosis"),
                                  min_group_size=context.min_group_size)  # fmt: skip
