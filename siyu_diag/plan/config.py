"""The planning chapter's part of ``client.yaml``: where ``plan.yaml`` is, a default scenario."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class PlanFiles(BaseModel):
    """Where the planning chapter's inputs are (targets, channels, costs)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    scenario: str | None = None


def sections() -> dict[str, tuple[Any, Any]]:
    """The chapter's keys of ``client.yaml``: ``{key: (annotation, default)}``."""
    return {"plan": (PlanFiles | None, None)}


def files(config: Any) -> dict[str, str]:
    """The input files the chapter's keys name: ``{key: path}``."""
    return {"plan.file": config.plan.file} if config.plan is not None else {}
