"""A client's incentive scheme: units (departments or roles), their indicators and pay.

The scheme comes as YAML (``incentives.yaml``) or as the XLSX template filled in by HR (see
:mod:`siyu_diag.incentives.workbook`); both are validated by the same models here, through
:func:`siyu_diag.incentives.validation.parse_scheme`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..core import vocab
from .library import Department

Period = Literal["month", "quarter", "year"]
Level = Literal["frontline", "management"]

#: Months in each scoring period.
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}

#: Where an XLSX cell is: ``(sheet, row, column)``; ``None`` for a YAML key.
Locator = Callable[[tuple], tuple[str, int, str] | None]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _not_empty(items: tuple, name: str) -> None:
    """Lists are checked after their items (pydantic's length check repeats item errors)."""
    if not items:
        raise ValueError(f"'{name}' needs at least one entry")


# ------------------------------------------------------------------------------ scoring rules


class LinearRule(_Strict):
    """Score = 100 × achievement, up to ``cap`` × 100; 0 below ``floor``.

    Achievement is actual ÷ target (target ÷ actual for lower-is-better indicators).
    """

    type: Literal["linear"] = "linear"
    cap: float = Field(default=1.2, ge=1.0)
    floor: float = Field(default=0.0, ge=0.0, lt=1.0)


class ThresholdRule(_Strict):
    """100 points when achievement reaches ``at`` (1.0 = the target), else 0."""

    type: Literal["threshold"]
    at: float = Field(default=1.0, gt=0)


class Step(_Strict):
    """From achievement ``at`` on, the indicator scores ``score`` points."""

    at: float = Field(gt=0)
    score: float = Field(ge=0)


class StepRule(_Strict):
    """Points by steps of achievement; below the first step, 0."""

    type: Literal["step"]
    steps: tuple[Step, ...]

    @field_validator("steps")
    @classmethod
    def _increasing(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        _not_empty(steps, "steps")
        ats = [s.at for s in steps]
        if ats != sorted(set(ats)):
            raise ValueError(f"steps must have strictly increasing 'at' values, found {ats}")
        return steps


class VetoRule(_Strict):
    """一票否决: breaching ``limit`` voids the period's bonus (``forfeit: all``: commission too).

    The limit is breached when the actual is above it for a lower-is-better indicator
    (complaints) and below it for a higher-is-better one (satisfaction).
    """

    type: Literal["veto"]
    limit: float
    forfeit: Literal["bonus", "all"] = "bonus"


Rule = Annotated[LinearRule | ThresholdRule | StepRule | VetoRule, Field(discriminator="type")]
RULE_TYPES: tuple[str, ...] = ("linear", "threshold", "step", "veto")


# ------------------------------------------------------------------------------ the scheme


class Indicator(_Strict):
    """One indicator of a unit: weight in percent points, target per person and period."""

    kpi: str = Field(min_length=1)
    weight: float | None = Field(default=None, ge=0)
    target: float | None = None
    target_per: Literal["person", "unit"] = "person"
    rule: Rule = LinearRule()

    @property
    def is_veto(self) -> bool:
        """Whether the indicator is a veto (it carries no weight)."""
        return self.rule.type == "veto"


class Pay(_Strict):
    """Pay structure per person, in CNY: base + bonus per period + annual share."""

    base_monthly: float = Field(default=0.0, ge=0)
    bonus_target: float = Field(default=0.0, ge=0)
    annual_share: float = Field(default=0.0, ge=0)


class Tier(_Strict):
    """A commission tier from ``from`` on: a ``rate`` of the amount or ``per_unit`` CNY each."""

    start: float = Field(alias="from", ge=0)
    rate: float | None = Field(default=None, ge=0, le=1)
    per_unit: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_kind(self) -> Tier:
        if (self.rate is None) == (self.per_unit is None):
            raise ValueError(
                "a tier needs exactly one of 'rate' (share of the amount) or 'per_unit'"
            )
        return self


class Commission(_Strict):
    """量化提点: commission on the actual of ``basis`` by tiers (marginal or whole-amount)."""

    basis: str = Field(min_length=1)
    method: Literal["marginal", "whole"] = "marginal"
    tiers: tuple[Tier, ...]

    @field_validator("tiers")
    @classmethod
    def _ordered(cls, tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
        _not_empty(tiers, "tiers")
        starts = [t.start for t in tiers]
        if starts[0] != 0 or starts != sorted(set(starts)):
            raise ValueError(f"tiers must start 'from' 0 and increase strictly, found {starts}")
        if len({t.rate is None for t in tiers}) > 1:
            raise ValueError("use either 'rate' or 'per_unit' in every tier, not both kinds")
        return tiers


class DoubleCredit(_Strict):
    """业绩双算: ``share`` of ``source`` (private-domain sales) also counts towards ``into``."""

    source: str = "private_sales"
    into: str = "store_sales"
    share: float = Field(default=1.0, gt=0, le=1)


class SchemeUnit(_Strict):
    """A department or role with its indicators and pay."""

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    name: str | None = None
    department: Department
    level: Level = "frontline"
    headcount: int = Field(ge=1)
    pay: Pay = Pay()
    indicators: tuple[Indicator, ...]
    commission: Commission | None = None
    double_credit: DoubleCredit | None = None

    @field_validator("indicators")
    @classmethod
    def _some(cls, indicators: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
        _not_empty(indicators, "indicators")
        return indicators

    @field_validator("department", mode="before")
    @classmethod
    def _canonical(cls, value: Any) -> Any:
        if isinstance(value, str):
            return vocab.departments().canonical(value) or value
        return value

    @property
    def label(self) -> str:
        """The unit's display name (its id when no name is given)."""
        return self.name or self.id

    @property
    def weighted(self) -> tuple[Indicator, ...]:
        """The indicators that carry weight (vetoes left out)."""
        return tuple(i for i in self.indicators if not i.is_veto)

    @property
    def vetoes(self) -> tuple[Indicator, ...]:
        """The veto indicators."""
        return tuple(i for i in self.indicators if i.is_veto)


class GradeBand(_Strict):
    """A grade from ``min`` score points on, paying ``multiplier`` × the target bonus."""

    grade: str = Field(min_length=1)
    min: float
    multiplier: float = Field(ge=0)


#: Bands used when a scheme gives none.
DEFAULT_GRADES: tuple[GradeBand, ...] = (
    GradeBand(grade="S", min=110, multiplier=1.5),
    GradeBand(grade="A", min=100, multiplier=1.2),
    GradeBand(grade="B", min=85, multiplier=1.0),
    GradeBand(grade="C", min=70, multiplier=0.6),
    GradeBand(grade="D", min=0, multiplier=0.0),
)


class Award(_Strict):
    """A one-off award per period to the best-scoring ``winners`` of a unit."""

    unit: str
    name: str = Field(min_length=1)
    amount: float = Field(gt=0)
    winners: int = Field(default=1, ge=1)


class GuideStore(_Strict):
    """A store: annual revenue target (CNY), guides and the friends they hold now."""

    store: str = Field(min_length=1)
    revenue_target: float = Field(gt=0)
    guides: int = Field(ge=1)
    current_friends: float = Field(default=0.0, ge=0)


class ShoppingGuides(_Strict):
    """Assumptions of the top-down shopping-guide KPI (see :mod:`.guides`)."""

    unit: str | None = None
    aov: float = Field(gt=0)
    conversion: float = Field(gt=0, le=1)
    orders_per_buyer: float = Field(default=1.0, ge=1)
    private_share: float = Field(default=1.0, gt=0, le=1)
    churn_monthly: float = Field(default=0.0, ge=0, lt=1)
    months: int = Field(default=12, ge=1, le=36)
    stores: tuple[GuideStore, ...]

    @field_validator("stores")
    @classmethod
    def _unique(cls, stores: tuple[GuideStore, ...]) -> tuple[GuideStore, ...]:
        _not_empty(stores, "stores")
        names = [s.store for s in stores]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"store names must be unique; repeated: {dupes}")
        return stores


class Scheme(_Strict):
    """A client's incentive scheme (validated; indicator names resolved to library ids)."""

    name: str = ""
    period: Period = "month"
    gmv: float | None = Field(default=None, gt=0)
    grades: tuple[GradeBand, ...] = DEFAULT_GRADES
    units: tuple[SchemeUnit, ...]
    awards: tuple[Award, ...] = ()
    shopping_guides: ShoppingGuides | None = None

    @field_validator("grades")
    @classmethod
    def _bands(cls, grades: tuple[GradeBand, ...]) -> tuple[GradeBand, ...]:
        names = [g.grade for g in grades]
        mins = [g.min for g in grades]
        if len(set(names)) != len(names) or len(set(mins)) != len(mins):
            raise ValueError("grades and their 'min' scores must be unique")
        if not grades or min(mins) > 0:
            raise ValueError("the lowest grade must start at 'min: 0' so that every score has one")
        return tuple(sorted(grades, key=lambda g: -g.min))

    @field_validator("units")
    @classmethod
    def _unique_units(cls, units: tuple[SchemeUnit, ...]) -> tuple[SchemeUnit, ...]:
        _not_empty(units, "units")
        ids = [u.id for u in units]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"unit ids must be unique; repeated: {dupes}")
        return units

    @property
    def months(self) -> int:
        """Months in the scoring period."""
        return PERIOD_MONTHS[self.period]

    @property
    def unit_index(self) -> dict[str, SchemeUnit]:
        """Units by id."""
        return {u.id: u for u in self.units}
