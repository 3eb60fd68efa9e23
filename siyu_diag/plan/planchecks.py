"""The checks of single ``plan.yaml`` values, collecting every problem instead of raising.

:class:`_Collector` turns a raw number or ``{low, likely, high}`` range into a
:class:`~.inputs.Driver` within the driver's bounds (rates as shares of 1, no negative amounts),
and records a :class:`~siyu_diag.core.errors.Problem` naming the key for each invalid one; the
small checks beside it cover ids, start months and a channel's add rate. Used by
:mod:`~.planfile`, which reports all problems at once.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel

from ..core.checks import did_you_mean
from ..core.errors import Problem
from . import drivers as drv
from .channels import ID_PATTERN as _ID
from .inputs import Driver

_RANGE_KEYS = ("low", "likely", "high")


class _Collector:
    """Collects problems while turning raw values into :class:`Driver` objects."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, message: str, key: str, hint: str | None = None) -> None:
        self.problems.append(Problem(message, file=self.file, key=key, hint=hint))

    def driver(self, name: str, raw: Any, key: str, source: str = "plan") -> Driver | None:
        """Parse a number or ``{low, likely, high}``; None (and a problem) when invalid."""
        if raw is None:
            return Driver(value=None, source=source)
        if isinstance(raw, dict):
            unknown = [k for k in raw if k not in _RANGE_KEYS]
            for k in unknown:
                self.add(
                    f"unknown key '{k}' in a range; a range has the keys low, likely, high.",
                    f"{key}.{k}",
                    did_you_mean(k, _RANGE_KEYS).strip() or "remove it.",
                )
            missing = [k for k in _RANGE_KEYS if k not in raw]
            if missing:
                self.add(
                    f"a range needs low, likely and high; missing {', '.join(missing)}.",
                    key,
                    "write e.g. {low: 0.08, likely: 0.10, high: 0.13}.",
                )
            if unknown or missing:
                return None
            values = [self._number(name, raw[k], f"{key}.{k}") for k in _RANGE_KEYS]
            if any(v is None for v in values):
                return None
            low, likely, high = values
            if not low <= likely <= high:
                self.add(
                    f"a range must satisfy low ≤ likely ≤ high; found {low:g}, {likely:g}, "
                    f"{high:g}.",
                    key,
                    "reorder the three values.",
                )
                return None
            return Driver(value=likely, low=low, high=high, source=source)
        value = self._number(name, raw, key)
        if value is None:
            return None
        return Driver(value=value, source=source)

    def _number(self, name: str, raw: Any, key: str) -> float | None:
        b = drv.bounds(name)
        if isinstance(raw, bool) or not isinstance(raw, int | float) or math.isnan(raw):
            self.add(
                f"'{raw}' is not a number; expected {b.describe()}.",
                key,
                "write a plain number (rates as shares: 12% is 0.12).",
            )
            return None
        if not b.contains(float(raw)):
            if b.high == 1 and raw > 1:
                hint = f"write rates as shares of 1: {raw:g}% is {raw / 100:g}."
            elif raw < 0:
                hint = "amounts and counts cannot be negative."
            else:
                hint = "correct the value."
            self.add(f"{raw:g} is outside the possible values; expected {b.describe()}.", key, hint)
            return None
        return float(raw)


def _source(model: BaseModel, field: str) -> str:
    """``plan`` for a value written in the file, ``default`` for one left out."""
    return "plan" if field in model.model_fields_set else "default"


def _check_id(kind: str, ident: str, key: str, col: _Collector) -> bool:
    if _ID.match(str(ident)):
        return True
    col.add(
        f"the {kind} id '{ident}' may not contain dots or spaces (it is used in driver names).",
        key,
        "use letters, digits, hyphens or underscores, e.g. douyin or mini_program.",
    )
    return False


def _check_start(value: int, key: str, col: _Collector) -> None:
    if value < 1:
        col.add(
            f"start_month must be 1 or more; found {value}.", key, "1 is the plan's first month."
        )


def _channel_problem(traffic: Driver | None, add_rate: Driver | None) -> bool:
    """True when a channel has traffic but no (or a zero) add rate."""
    return bool(traffic and traffic.value) and (add_rate is None or not add_rate.value)
