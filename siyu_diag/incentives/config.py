"""The incentive chapter's part of ``client.yaml``: the KPI scheme and last period's actuals."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class IncentiveFiles(BaseModel):
    """Where the incentive chapter's inputs are: the KPI scheme and optional actuals."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: str
    actuals: str | None = None


def sections() -> dict[str, tuple[Any, Any]]:
    """The chapter's keys of ``client.yaml``: ``{key: (annotation, default)}``."""
    return {"incentives": (IncentiveFiles | None, None)}


def files(config: Any) -> dict[str, str]:
    """The input files the chapter's keys name: ``{key: path}``."""
    section = config.incentives
    if section is None:
        return {}
    named = {"incentives.scheme": section.scheme}
    if section.actuals:
        named["incentives.actuals"] = section.actuals
    return named
