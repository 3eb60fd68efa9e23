"""The operating-data chapter's part of ``client.yaml``: the exported tables, each optional."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class OperationsFiles(BaseModel):
    """The client's exported operating data; any may be missing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    friends: str | None = None
    orders: str | None = None
    pushes: str | None = None
    kpi_tracking: str | None = None


def sections() -> dict[str, tuple[Any, Any]]:
    """The chapter's keys of ``client.yaml``: ``{key: (annotation, default)}``."""
    return {"operations": (OperationsFiles | None, None)}


def files(config: Any) -> dict[str, str]:
    """The input files the chapter's keys name: ``{key: path}``."""
    section = config.operations
    if section is None:
        return {}
    return {f"operations.{k}": v for k, v in section.model_dump().items() if v}
