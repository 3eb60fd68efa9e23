"""The KPI library: every indicator a scheme may use, as versioned, validated data.

The bundled library is ``data/kpis/kpi-library-v1.yaml``; :func:`load_kpi_library` reads and
validates it (or a consultant's own file) into a frozen :class:`KpiLibrary`.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..core import assets
from ..core.checks import did_you_mean, parse_model
from ..core.text import Text, normalise_label
from ..core.yamlfile import read_yaml

Family = Literal["user_asset", "business", "process"]
Horizon = Literal["short", "medium", "long"]
StageName = Literal["launch", "conversion", "mature"]
Unit = Literal["people", "count", "share", "cny", "hours", "times", "score", "ratio"]
Tag = Literal["volume", "quality", "retention", "conversion", "cost", "gmv", "health"]
Department = Literal["marketing", "operations", "sales", "service", "stores", "management"]

FAMILIES: tuple[str, ...] = ("user_asset", "business", "process")
HORIZONS: tuple[str, ...] = ("short", "medium", "long")
STAGES: tuple[str, ...] = ("launch", "conversion", "mature")
DEPARTMENTS: tuple[str, ...] = (
    "marketing",
    "operations",
    "sales",
    "service",
    "stores",
    "management",
)

#: The bundled library file, under ``data/kpis/``.
LIBRARY_FILE = "kpi-library-v1.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kpi(_Strict):
    """One indicator: names, definition, formula, unit and where it belongs.

    Attributes
    ----------
    id
        Stable identifier used in schemes and actuals (``follower_adds``).
    unit
        ``share`` values are fractions 0–1 (shown as %); ``cny`` are yuan.
    better
        ``higher`` or ``lower``: which direction is good; achievement is inverted for ``lower``.
    annual
        Measured over a year whatever the scheme's scoring period (annual GMV, LTV growth).
    tags
        ``volume``, ``quality``, ``retention``, ``conversion``, ``cost``, ``gmv``, ``health``:
        what the alignment checks look for.
    roles
        Departments the indicator suits (used by the recommendation).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    definition: Text
    formula: Text
    unit: Unit
    family: Family
    horizon: Horizon
    stages: tuple[StageName, ...] = Field(min_length=1)
    better: Literal["higher", "lower"] = "higher"
    annual: bool = False
    tags: tuple[Tag, ...] = ()
    roles: tuple[Department, ...] = Field(min_length=1)

    def has(self, tag: str) -> bool:
        """Whether the indicator carries ``tag``."""
        return tag in self.tags


class KpiLibrary(_Strict):
    """A versioned set of indicators with unique ids."""

    id: str
    version: str
    kpis: tuple[Kpi, ...]

    @model_validator(mode="after")
    def _unique(self) -> KpiLibrary:
        if not self.kpis:
            raise ValueError("a library needs at least one indicator")
        ids = [k.id for k in self.kpis]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"indicator ids must be unique; repeated: {dupes}")
        return self

    @cached_property
    def index(self) -> dict[str, Kpi]:
        """Indicators by id."""
        return {k.id: k for k in self.kpis}

    @cached_property
    def _aliases(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for k in self.kpis:
            for name in (k.id, k.name.zh, k.name.en):
                out[normalise_label(name)] = k.id
        return out

    @property
    def label(self) -> str:
        """``id@version``, for provenance."""
        return f"{self.id}@{self.version}"

    def resolve(self, name: str) -> str | None:
        """The id of the indicator named ``name`` (its id, Chinese or English name), or None."""
        return self._aliases.get(normalise_label(str(name)))

    def suggest(self, name: str) -> str:
        """A did-you-mean hint for an unknown indicator name (may be empty)."""
        choices = [*self.index, *(k.name.zh for k in self.kpis), *(k.name.en for k in self.kpis)]
        return did_you_mean(name, choices).strip()

    def frame(self, lang: str = "zh") -> pd.DataFrame:
        """The library as a table: one row per indicator, texts in ``lang``."""
        return pd.DataFrame(
            [
                {
                    "id": k.id,
                    "name": k.name.get(lang),
                    "definition": k.definition.get(lang),
                    "formula": k.formula.get(lang),
                    "unit": k.unit,
                    "family": k.family,
                    "horizon": k.horizon,
                    "stages": list(k.stages),
                    "better": k.better,
                    "tags": list(k.tags),
                    "roles": list(k.roles),
                }
                for k in self.kpis
            ]
        )


def load_kpi_library(path: str | Path | None = None) -> KpiLibrary:
    """Load and validate a KPI library (the bundled one by default).

    Parameters
    ----------
    path
        A library YAML file; ``None`` means ``data/kpis/kpi-library-v1.yaml``.

    Returns
    -------
    KpiLibrary

    Raises
    ------
    InputError
        Listing every problem, each with its key.
    """
    path = Path(path) if path else assets.data_path("kpis", LIBRARY_FILE)
    return parse_model(KpiLibrary, read_yaml(path), path.name)
