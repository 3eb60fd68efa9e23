"""The planning chapter: targets, the monthly plan, the gap to the top-down target, uncertainty.

``open_plan`` reads a client's plan and computes everything; ``project_what_if`` is the one
cheap call behind a slider; ``render_plan_*`` give the report's fragments; scenarios are saved
and loaded by name.
"""

from .calibration import apply_calibration
from .campaign import compute_campaign, okr_breakdown
from .chapter import PlanChapter, analyse_plan, open_plan, project_what_if
from .inputs import PlanInputs, with_drivers
from .planfile import load_plan_inputs
from .projection import Projection, project_plan
from .render import (
    render_plan_assumptions,
    render_plan_campaigns,
    render_plan_gap,
    render_plan_method,
    render_plan_monthly,
    render_plan_overview,
    render_plan_scenarios,
    render_plan_tree,
    render_plan_uncertainty,
)
from .results import PlanResults, build_plan_results, save_plan_results
from .scenario import Scenario, apply_scenario, load_scenario, save_scenario
from .summary import plan_summary, render_plan_summary
from .workbook import export_plan_xlsx

__all__ = [
    "PlanChapter",
    "PlanInputs",
    "PlanResults",
    "Projection",
    "Scenario",
    "analyse_plan",
    "apply_calibration",
    "apply_scenario",
    "build_plan_results",
    "compute_campaign",
    "export_plan_xlsx",
    "load_plan_inputs",
    "load_scenario",
    "okr_breakdown",
    "open_plan",
    "plan_summary",
    "render_plan_summary",
    "project_plan",
    "project_what_if",
    "render_plan_assumptions",
    "render_plan_campaigns",
    "render_plan_gap",
    "render_plan_method",
    "render_plan_monthly",
    "render_plan_overview",
    "render_plan_scenarios",
    "render_plan_tree",
    "render_plan_uncertainty",
    "save_plan_results",
    "save_scenario",
    "with_drivers",
]
