"""The planning chapter as the framework sees it (see :mod:`siyu_diag.core.chapters`)."""

from __future__ import annotations

from ..core.chapters import ChapterSpec, Context, RunPaths

CHAPTER = ChapterSpec(
    key="plan",
    notebook="02_targets.ipynb",
    order=20,
    sections="siyu_diag.plan.config:sections",
    enabled_by="plan",
    check="siyu_diag.plan.spec:check",
    files="siyu_diag.plan.config:files",
    offers={"plan_gmv": "siyu_diag.plan.spec:year1_gmv"},
    needs=("calibration", "bank_subdimensions", "capabilities"),
    parameters="siyu_diag.plan.spec:parameters",
)


def year1_gmv(context: Context) -> float | None:
    """Year-1 GMV (CNY) of the plan as the run uses it, or None when the client has no plan."""
    from .chapter import plan_gmv

    return plan_gmv(
        context.client, scenario=context.scenario, calibration=context.fact("calibration")
    )


def check(context: Context) -> float | None:
    """The plan loads and projects (its year-1 GMV), and its capability links load.

    The plan file, its channel table and the run's scenario; the links of its assumptions to
    the question bank's sub-dimensions (see :mod:`~.capabilities`).
    """
    from .capabilities import load_capability_map

    gmv = context.fact("plan_gmv")
    load_capability_map(context.client, context.fact("bank_subdimensions"))
    return gmv


def parameters(context: Context, paths: RunPaths) -> dict:
    """A report run: the run's scenario, no widgets, and the workbook for finance."""
    has_plan = context.client.config.plan is not None
    return {
        "scenario": context.scenario,
        "interactive": False,
        "xlsx_path": str(paths.staging / "plan.xlsx") if has_plan else "",
    }
