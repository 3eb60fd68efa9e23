"""The incentive chapter as the framework sees it (see :mod:`siyu_diag.core.chapters`)."""

from __future__ import annotations

from typing import Any

from ..core.chapters import ChapterSpec, Context, RunPaths

CHAPTER = ChapterSpec(
    key="incentives",
    notebook="03_incentives.ipynb",
    order=30,
    sections="siyu_diag.incentives.config:sections",
    enabled_by="incentives",
    check="siyu_diag.incentives.spec:check",
    files="siyu_diag.incentives.config:files",
    offers={"incentive_findings": "siyu_diag.incentives.spec:findings"},
    needs=("plan_gmv",),
    parameters="siyu_diag.incentives.spec:parameters",
)


def check(context: Context) -> Any:
    """The KPI library, the scheme and the actuals load and validate."""
    from .chapter import load_incentive_inputs

    return load_incentive_inputs(context.client)


def findings(context: Context) -> list[dict[str, Any]]:
    """The scheme's alignment findings in the report's language, judged against the plan's GMV.

    Records with the columns of a diagnosis finding (without a priority, which the diagnosis
    gives them); empty without a scheme.
    """
    if context.client.config.incentives is None:
        return []
    from .chapter import incentive_findings, open_incentives

    chapter = open_incentives(
        context.client.folder, lang=context.lang, plan_gmv=context.fact("plan_gmv")
    )
    return incentive_findings(chapter).to_dict("records")


def parameters(context: Context, paths: RunPaths) -> dict:
    """A report run: the KPI sheets for HR."""
    if context.client.config.incentives is None:
        return {}
    return {"kpi_xlsx_path": str(paths.staging / "kpi-sheets.xlsx")}
