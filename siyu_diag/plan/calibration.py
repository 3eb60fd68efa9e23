"""Defaults from operating data: fill the drivers that plan.yaml left out.

The operating-data chapter estimates drivers (monthly churn, first-order conversion, add rates …)
from the client's exports under the same driver names. :func:`apply_calibration` uses them for
every driver the plan file does not state: a driver with no value, one that fell back to last
year's figure, or one left at its default (e.g. ``touches`` of 1). A value written in plan.yaml
(or in a channel table) always wins. Each filled driver records ``calibrated`` as its source.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..core.errors import InputError, Problem
from .inputs import Driver, PlanInputs, check_driver_name, check_driver_value

#: Sources a calibrated value may replace.
REPLACEABLE = frozenset({"last_year", "default"})


def apply_calibration(
    inputs: PlanInputs, values: Mapping[str, float], *, label: str = "calibration"
) -> PlanInputs:
    """Fill the drivers plan.yaml left out with calibrated values.

    Parameters
    ----------
    inputs
        The plan as read from plan.yaml; not modified.
    values
        Calibrated driver values by driver name (e.g. ``{"monthly_churn": 0.0257}``).
    label
        What to call the origin of ``values`` in error messages.

    Returns
    -------
    PlanInputs
        A copy in which every driver that was empty, taken from last year or left at its default
        takes the calibrated value, with source ``calibrated``; explicit values are kept.

    Raises
    ------
    InputError
        Naming every unknown driver (with a did-you-mean) and every impossible value.
    """
    problems: list[Problem] = []
    new = dict(inputs.drivers)
    for name, value in values.items():
        problem = check_driver_name(inputs, name, file=label, key=name) or check_driver_value(
            name, value, file=label, key=name
        )
        if problem:
            problems.append(problem)
            continue
        old = inputs.drivers[name]
        if old.value is None or old.source in REPLACEABLE:
            new[name] = Driver(value=float(value), source="calibrated")
    if problems:
        raise InputError(problems)
    return inputs.model_copy(update={"drivers": new})
