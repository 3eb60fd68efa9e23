"""Defaults from operating data: fill the drivers that plan.yaml left out.

The operating-data chapter estimates drivers (monthly churn, first-order conversion, add rates …)
from the client's exports under the same driver names. :func:`apply_calibration` uses them for
every driver the plan file does not state: a driver with no value, one that fell back to last
year's figure, or one left at its default (e.g. ``touches`` of 1). A value written in plan.yaml
(or in a channel table) always wins. Each filled driver records ``calibrated`` as its source.

A calibrated value may come with the range its history gives (``{"value", "low", "high"}``: the
lowest and highest month); the filled driver then takes that range, so that the gap analysis and
the uncertainty analyses use the spread of the data rather than an assumed one. A plain number
fills the value alone (the driver then has no stated range).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..core.errors import InputError, Problem
from . import drivers as drv
from .inputs import Driver, PlanInputs, check_driver_name, check_driver_value

#: Sources a calibrated value may replace.
REPLACEABLE = frozenset({"last_year", "default"})


def _split(given: object) -> tuple[object, float | None, float | None]:
    """A calibrated entry as ``(value, low, high)``; a plain number has no range."""
    if not isinstance(given, Mapping):
        return given, None, None
    low, high = given.get("low"), given.get("high")
    finite = all(isinstance(v, int | float) and math.isfinite(v) for v in (low, high))
    return given.get("value"), (float(low) if finite else None), (float(high) if finite else None)


def _range(name: str, value: float, low: float | None, high: float | None):
    """The history's range clipped to the driver's limits and widened to hold ``value``."""
    if low is None or high is None:
        return None, None
    b = drv.bounds(name)
    low, high = max(min(low, value), b.low), min(max(high, value), b.high)
    return (low, high) if high > low else (None, None)


def apply_calibration(
    inputs: PlanInputs,
    values: Mapping[str, float | Mapping[str, float]],
    *,
    label: str = "calibration",
) -> PlanInputs:
    """Fill the drivers plan.yaml left out with calibrated values.

    Parameters
    ----------
    inputs
        The plan as read from plan.yaml; not modified.
    values
        Calibrated drivers by name: a number (e.g. ``{"monthly_churn": 0.0257}``) or the value
        with the range the history gives (``{"monthly_churn": {"value": 0.0257, "low": 0.019,
        "high": 0.031}}``).
    label
        What to call the origin of ``values`` in error messages.

    Returns
    -------
    PlanInputs
        A copy in which every driver that was empty, taken from last year or left at its default
        takes the calibrated value (and its range, clipped to the driver's limits), with source
        ``calibrated``; explicit values are kept.

    Raises
    ------
    InputError
        Naming every unknown driver (with a did-you-mean) and every impossible value.
    """
    problems: list[Problem] = []
    new = dict(inputs.drivers)
    for name, given in values.items():
        value, low, high = _split(given)
        problem = check_driver_name(inputs, name, file=label, key=name) or check_driver_value(
            name, value, file=label, key=name
        )
        if problem:
            problems.append(problem)
            continue
        old = inputs.drivers[name]
        if old.value is None or old.source in REPLACEABLE:
            low, high = _range(name, float(value), low, high)
            new[name] = Driver(value=float(value), low=low, high=high, source="calibrated")
    if problems:
        raise InputError(problems)
    return inputs.model_copy(update={"drivers": new})
