"""Question banks: versioned YAML describing dimensions, sub-dimensions, items and the scale.

Nothing here is specific to the default bank: a consultant may supply a bank with other dimensions
and another scale (1–6, 1–7, 0–10). Scoring reads everything it needs from the bank.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..core import assets
from ..core.checks import parse_model
from ..core.text import Text, normalise_label
from ..core.yamlfile import read_yaml

Audience = Literal["management", "frontline", "all"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScalePoint(_Strict):
    """One answer on the scale, with the labels respondents may have ticked."""

    value: int
    zh: str | None = None
    en: str | None = None
    aliases: tuple[str, ...] = ()


class NotApplicable(_Strict):
    """The "not applicable" answer: its labels. It is never scored."""

    zh: str = "不适用"
    en: str = "Not applicable"
    aliases: tuple[str, ...] = ("N/A", "NA", "不适用/不清楚")


class Scale(_Strict):
    """An answer scale from ``min`` to ``max`` (integers) with optional labels per point."""

    min: int
    max: int
    points: tuple[ScalePoint, ...] = ()
    not_applicable: NotApplicable = NotApplicable()

    @model_validator(mode="after")
    def _check(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale.max ({self.max}) must be greater than scale.min ({self.min})")
        for p in self.points:
            if not self.min <= p.value <= self.max:
                raise ValueError(
                    f"scale point {p.value} lies outside the scale {self.min}–{self.max}"
                )
        return self

    @property
    def n_points(self) -> int:
        """Number of answer options (e.g. 5 for a 1–5 scale, 11 for 0–10)."""
        return self.max - self.min + 1

    def label_map(self) -> dict[str, int | None]:
        """Map every accepted label (normalised) to its value; N/A labels map to ``None``."""
        out: dict[str, int | None] = {}
        for p in self.points:
            for label in (p.zh, p.en, *p.aliases):
                if label:
                    out[normalise_label(label)] = p.value
        na = self.not_applicable
        for label in (na.zh, na.en, *na.aliases):
            out[normalise_label(label)] = None
        return out

    def label(self, value: int, lang: str = "zh") -> str:
        """Return the label of ``value`` in ``lang``, or the number when the point has none."""
        for p in self.points:
            if p.value == value:
                text = p.en if lang == "en" else p.zh
                if text:
                    return text
        return str(value)


class Subdimension(_Strict):
    """A sub-dimension: a practice area within a dimension."""

    id: str
    name: Text


class Dimension(_Strict):
    """A dimension of organisational strength, with its sub-dimensions."""

    id: str
    name: Text
    description: Text | None = None
    subdimensions: tuple[Subdimension, ...] = Field(min_length=1)


class Item(_Strict):
    """One statement respondents rate on the scale."""

    id: str
    dimension: str
    subdimension: str
    text: Text
    reverse: bool = False
    audience: Audience = "all"
    allow_na: bool = False


class QuestionBank(_Strict):
    """A versioned question bank."""

    id: str
    version: str
    title: Text
    scale: Scale
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _check_references(self) -> QuestionBank:
        problems = []
        dims = {d.id: {s.id for s in d.subdimensions} for d in self.dimensions}
        if len(dims) != len(self.dimensions):
            problems.append("dimension ids must be unique")
        seen: set[str] = set()
        for i, item in enumerate(self.items):
            if item.id in seen:
                problems.append(f"items.{i}: item id '{item.id}' is used twice")
            seen.add(item.id)
            if item.dimension not in dims:
                problems.append(
                    f"items.{i} ({item.id}): dimension '{item.dimension}' is not one of "
                    f"{sorted(dims)}"
                )
            elif item.subdimension not in dims[item.dimension]:
                problems.append(
                    f"items.{i} ({item.id}): sub-dimension '{item.subdimension}' is not one of "
                    f"{sorted(dims[item.dimension])}"
                )
        for d in self.dimensions:
            for s in d.subdimensions:
                if not any(it.subdimension == s.id and it.dimension == d.id for it in self.items):
                    problems.append(f"sub-dimension '{d.id}.{s.id}' has no items")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @cached_property
    def item_index(self) -> dict[str, Item]:
        """Items by id."""
        return {it.id: it for it in self.items}

    @cached_property
    def dimension_index(self) -> dict[str, Dimension]:
        """Dimensions by id."""
        return {d.id: d for d in self.dimensions}

    def subdimension_name(self, dimension: str, sub: str, lang: str = "zh") -> str:
        """Return the display name of a sub-dimension."""
        for s in self.dimension_index[dimension].subdimensions:
            if s.id == sub:
                return s.name.get(lang)
        return sub

    @property
    def label(self) -> str:
        """``id@version``, as shown in provenance."""
        return f"{self.id}@{self.version}"


def load_bank(path: str | Path | None = None, *, label: str | None = None) -> QuestionBank:
    """Load and validate a question bank (the default bank when ``path`` is None).

    Parameters
    ----------
    path
        A YAML file; ``None`` loads the bundled default bank.
    label
        How to name the file in error messages (defaults to its file name).

    Returns
    -------
    QuestionBank
        The validated bank.
    """
    path = Path(path) if path is not None else assets.default_bank_path()
    raw = read_yaml(path, label)
    return parse_model(QuestionBank, raw, label or path.name)
