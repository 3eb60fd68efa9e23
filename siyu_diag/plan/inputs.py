"""The validated plan: every driver by name, with its range and where its value came from.

:class:`PlanInputs` is what every computation of the planning chapter takes. It is frozen;
:func:`with_drivers` returns a copy with some driver values changed (a slider move, a scenario,
calibrated defaults), checked against each driver's limits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.checks import did_you_mean
from ..core.errors import InputError, Problem
from . import drivers as drv

#: Where a driver's value came from.
Source = Literal[
    "plan", "last_year", "default", "channels_file", "calibrated", "scenario", "override"
]

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Driver(_Frozen):
    """One driver: its value (the likely value), its optional range and its source.

    Attributes
    ----------
    value
        The value the plan uses (the *likely* value of a range); None when not given yet (a
        calibration may still fill it).
    low, high
        The stated range, or None when none was given.
    source
        Where ``value`` came from.
    """

    value: float | None
    low: float | None = None
    high: float | None = None
    source: Source = "plan"

    @property
    def has_range(self) -> bool:
        """Whether a range with some width was stated."""
        return self.low is not None and self.high is not None and self.high > self.low


class Channel(_Frozen):
    """An acquisition channel (its numbers are the drivers ``<driver>.<id>``)."""

    id: str
    name: str
    start_month: int = Field(default=1, ge=1)


class Role(_Frozen):
    """A role of the private-domain team (drivers ``headcount.<id>``, ``monthly_cost.<id>``)."""

    id: str
    name: str
    start_month: int = Field(default=1, ge=1)


class FixedCost(_Frozen):
    """A fixed cost amortised evenly: ``amount / months`` CNY a month from ``start_month``."""

    id: str
    name: str
    amount: float = Field(ge=0)
    months: int = Field(ge=1)
    start_month: int = Field(default=1, ge=1)


class LastYear(_Frozen):
    """Last year's private-domain figures (the base of the plan and of the top-down target).

    Attributes
    ----------
    users
        Private-domain users at the end of last year (people): the plan's starting base, and
        last year's average existing base in the driver-tree bridge.
    gmv
        Last year's private-domain GMV, CNY.
    returning_conversion, aov, repurchase_frequency, monthly_churn
        Last year's values of these drivers (units as the drivers').
    new_users
        New private-domain users added last year (people), if known.
    first_order_conversion, first_order_aov
        Last year's values, if known.
    """

    users: float = Field(ge=0)
    gmv: float = Field(ge=0)
    returning_conversion: float
    aov: float
    repurchase_frequency: float
    monthly_churn: float
    new_users: float | None = None
    first_order_conversion: float | None = None
    first_order_aov: float | None = None


class Target(_Frozen):
    """The top-down GMV target for plan year 1 (months 1–12): an amount or a growth rate."""

    gmv: float | None = None
    growth: float | None = None

    def amount(self, last_year_gmv: float) -> float:
        """The target in CNY: ``gmv``, or last year's GMV × (1 + ``growth``)."""
        if self.gmv is not None:
            return float(self.gmv)
        return float(last_year_gmv) * (1.0 + float(self.growth or 0.0))


class Campaign(_Frozen):
    """One campaign for the campaign calculator (amounts in CNY, rates 0–1)."""

    id: str
    name: str
    month: int | None = None
    traffic: float = Field(ge=0)
    conversion: float = Field(ge=0, le=1)
    aov: float = Field(ge=0)
    marketing_cost: float = Field(default=0.0, ge=0)
    organisation_cost: float = Field(default=0.0, ge=0)
    gross_margin: float = Field(default=1.0, ge=0, le=1)
    target_gmv: float | None = Field(default=None, ge=0)


class MonteCarloSettings(_Frozen):
    """Monte Carlo settings: number of draws and the seed of the random generator."""

    draws: int = Field(default=10_000, ge=100, le=200_000)
    seed: int = Field(default=20260101, ge=0)


class PlanInputs(_Frozen):
    """Everything the plan computations need, validated.

    Attributes
    ----------
    file
        The plan file's name as written in ``client.yaml`` (for messages and provenance).
    channels_file
        The channel table's name, when channels came from a CSV/XLSX file.
    scenario
        The name of the scenario applied, if any.
    horizon_months
        Months projected, 12–36.
    start_month
        The calendar month of plan month 1 (``YYYY-MM``), used for labels only.
    drivers
        Every driver by name (see :mod:`siyu_diag.plan.drivers`).
    """

    file: str = "plan.yaml"
    channels_file: str | None = None
    scenario: str | None = None
    scenario_description: str | None = None
    horizon_months: int = Field(default=24, ge=12, le=36)
    start_month: str | None = None
    last_year: LastYear
    channels: tuple[Channel, ...] = ()
    roles: tuple[Role, ...] = ()
    fixed_costs: tuple[FixedCost, ...] = ()
    target: Target | None = None
    campaigns: tuple[Campaign, ...] = ()
    monte_carlo: MonteCarloSettings = MonteCarloSettings()
    drivers: dict[str, Driver]

    def value(self, name: str) -> float:
        """The value of driver ``name`` (raises KeyError for an unknown name)."""
        v = self.drivers[name].value
        if v is None:
            raise KeyError(f"driver '{name}' has no value")
        return float(v)

    def values(self) -> dict[str, float]:
        """Every driver's value by name."""
        return {k: float(d.value) for k, d in self.drivers.items() if d.value is not None}

    def month_labels(self) -> list[str]:
        """Labels of the plan months: ``YYYY-MM`` from ``start_month``, else ``M1``, ``M2``, etc."""
        n = self.horizon_months
        if not self.start_month or not _MONTH.match(self.start_month):
            return [f"M{m}" for m in range(1, n + 1)]
        year, month = (int(p) for p in self.start_month.split("-"))
        out = []
        for i in range(n):
            y, m = divmod(month - 1 + i, 12)
            out.append(f"{year + y}-{m + 1:02d}")
        return out


def effective_range(inputs: PlanInputs, name: str) -> tuple[float, float]:
    """The stated range of a driver, or ±:data:`~.drivers.DEFAULT_SPREAD` of its value.

    The default range is clipped to the driver's hard limits (a rate stays within 0–1).
    """
    d = inputs.drivers[name]
    if d.has_range:
        return float(d.low), float(d.high)
    v = float(d.value or 0.0)
    b = drv.bounds(name)
    low, high = v * (1 - drv.DEFAULT_SPREAD), v * (1 + drv.DEFAULT_SPREAD)
    return max(min(low, high), b.low), min(max(low, high), b.high)


def check_driver_name(
    inputs: PlanInputs, name: str, *, file: str | None, key: str
) -> Problem | None:
    """A :class:`Problem` when ``name`` is not a driver of this plan, with a did-you-mean."""
    if name in inputs.drivers:
        return None
    hint = did_you_mean(name, inputs.drivers).strip()
    return Problem(
        f"'{name}' is not a driver of this plan.",
        file=file,
        key=key,
        hint=hint
        or "use a global driver (e.g. aov) or '<driver>.<channel or role id>' "
        "(e.g. traffic.douyin, headcount.community).",
    )


def check_driver_value(name: str, value: object, *, file: str | None, key: str) -> Problem | None:
    """A :class:`Problem` when ``value`` is not a number within the driver's limits."""
    b = drv.bounds(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return Problem(
            f"'{value}' is not a number; expected {b.describe()}.",
            file=file,
            key=key,
            hint="write a plain number, e.g. 0.12 for 12%.",
        )
    if not b.contains(float(value)):
        hint = "write rates as shares of 1 (12% is 0.12)." if b.high == 1 else None
        return Problem(
            f"{value:g} is outside the possible values of {name}; expected {b.describe()}.",
            file=file,
            key=key,
            hint=hint or "correct the value.",
        )
    return None


def with_drivers(
    inputs: PlanInputs,
    values: Mapping[str, float],
    *,
    source: Source = "override",
    file: str | None = None,
    key_prefix: str = "",
) -> PlanInputs:
    """A copy of ``inputs`` with some drivers set to new values.

    A driver with a stated range keeps its relative spread: the range is scaled by
    ``new / old`` (and clipped to the driver's limits), so the new value stays its likely
    value. A range around a value of 0 collapses to the new value.

    Parameters
    ----------
    inputs
        The plan; not modified.
    values
        New values by driver name.
    source
        Recorded as the source of each changed driver.
    file, key_prefix
        Where the values came from, for error messages (e.g. a scenario file and
        ``"overrides"``).

    Returns
    -------
    PlanInputs

    Raises
    ------
    InputError
        Listing every unknown driver name (with a did-you-mean) and every impossible value.
    """
    problems: list[Problem] = []
    new = dict(inputs.drivers)
    for name, value in values.items():
        key = f"{key_prefix}.{name}" if key_prefix else name
        problem = check_driver_name(inputs, name, file=file, key=key) or check_driver_value(
            name, value, file=file, key=key
        )
        if problem:
            problems.append(problem)
            continue
        old = inputs.drivers[name]
        value = float(value)
        low = high = None
        if old.has_range:
            b = drv.bounds(name)
            if old.value:
                ratio = value / float(old.value)
                low = min(max(float(old.low) * ratio, b.low), value)
                high = max(min(float(old.high) * ratio, b.high), value)
            else:
                low = high = value
        new[name] = Driver(value=value, low=low, high=high, source=source)
    if problems:
        raise InputError(problems)
    return inputs.model_copy(update={"drivers": new})


def missing_drivers(inputs: PlanInputs) -> list[str]:
    """Names of the drivers that still have no value."""
    return [name for name, d in inputs.drivers.items() if d.value is None]


def require_complete(inputs: PlanInputs) -> None:
    """Raise :class:`InputError` naming every driver that still has no value."""
    problems = [
        Problem(
            f"driver '{name}' has no value.",
            file=inputs.file,
            key=plan_key(name),
            hint=f"add it to {inputs.file} (see the commented sample plan.yaml).",
        )
        for name in missing_drivers(inputs)
    ]
    if problems:
        raise InputError(problems)


def plan_key(name: str) -> str:
    """The key in plan.yaml where the driver ``name`` is written."""
    kind, entity = drv.split_name(name)
    if kind in drv.CHANNEL_DRIVERS:
        return f"channels.{entity}.{kind}"
    if kind in drv.ROLE_DRIVERS:
        return f"organisation.roles.{entity}.{kind}"
    if kind in ("bonus_rate", "commission_rate"):
        return f"organisation.{kind}"
    return f"drivers.{kind}"
