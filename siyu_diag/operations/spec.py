"""The operating-data chapter as the framework sees it (see :mod:`siyu_diag.core.chapters`)."""

from __future__ import annotations

from typing import Any

from ..core.chapters import ChapterSpec, Context

CHAPTER = ChapterSpec(
    key="operations",
    notebook="04_operations.ipynb",
    order=40,
    sections="siyu_diag.operations.config:sections",
    enabled_by="operations",
    check="siyu_diag.operations.spec:check",
    files="siyu_diag.operations.config:files",
    offers={"calibration": "siyu_diag.operations.spec:calibration"},
)


def check(context: Context) -> Any:
    """Read and validate every operating-data file (rows after the assessment date are errors)."""
    from .chapter import load_operations_inputs

    return load_operations_inputs(context.client)


def calibration(context: Context) -> dict[str, dict[str, float | str]]:
    """The plan's drivers as the client's history gives them ({} without operating data).

    ``{driver: {"value": v, "low": lo, "high": hi, "period": "YYYY-MM/YYYY-MM"}}`` for each
    driver the history gives with enough behind it (see
    :mod:`siyu_diag.operations.calibration`); ``low`` and ``high`` are its lowest and highest
    month. A driver resting on too little, or not derivable, is left
    out: the plan keeps plan.yaml's value or last year's.
    """
    if context.client.config.operations is None:
        return {}
    from .calibration import offered_drivers
    from .chapter import calibrate_plan, open_operations

    return offered_drivers(calibrate_plan(open_operations(context.client.folder)))
