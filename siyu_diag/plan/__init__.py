"""The planning chapter: targets, the monthly plan, the gap to the top-down target, uncertainty.

``open_plan`` reads a client's plan and computes everything; ``project_what_if`` is the one
cheap call behind a slider; ``render_plan_*`` give the report's fragments; scenarios are saved
and loaded by name.
"""

from .._lazy import lazy_exports

#: Public name → the module that defines it (imported on first use).
_EXPORTS = {
    "apply_calibration": "calibration",
    "compute_campaign": "campaign",
    "okr_breakdown": "campaign",
    "PlanChapter": "chapter",
    "analyse_plan": "chapter",
    "open_plan": "chapter",
    "project_what_if": "chapter",
    "PlanInputs": "inputs",
    "with_drivers": "inputs",
    "load_plan_inputs": "planfile",
    "Projection": "projection",
    "project_plan": "projection",
    "check_reality": "reality",
    "render_plan_assumptions": "render",
    "render_plan_campaigns": "render",
    "render_plan_gap": "render_bridge",
    "render_plan_method": "render",
    "render_plan_monthly": "render",
    "render_plan_overview": "render",
    "render_plan_reality": "render_reality",
    "render_plan_scenarios": "render_risk",
    "render_plan_tree": "render_bridge",
    "render_plan_uncertainty": "render_risk",
    "PlanResults": "results",
    "build_plan_results": "results_builder",
    "save_plan_results": "results_builder",
    "Scenario": "scenario",
    "apply_scenario": "scenario",
    "load_scenario": "scenario",
    "save_scenario": "scenario",
    "plan_summary": "summary",
    "render_plan_summary": "summary",
    "export_plan_xlsx": "workbook",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
