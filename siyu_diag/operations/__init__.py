"""The operating-data chapter: friends, orders, pushes, KPI tracking → dashboards, plan drivers.

``open_operations`` loads and validates a client's exported data and computes every metric;
the ``render_operations_*`` functions make the report's fragments; ``calibrate_plan`` gives the
planning model its monthly drivers from the history; ``save_operations_results`` writes the
chapter's figures as JSON. The pure computations live in the submodules (``growth``, ``sales``,
``customers``, ``tracking``, ``calibration``) and take and return DataFrames.
"""

from .chapter import OperationsChapter, calibrate_plan, load_operations_inputs, open_operations
from .compute import Operations, OperationsInputs, OperationsSettings, compute_operations
from .render import (
    SECTIONS,
    render_operations_calibration,
    render_operations_customers,
    render_operations_definitions,
    render_operations_growth,
    render_operations_overview,
    render_operations_sales,
    render_operations_tracking,
)
from .results import OperationsResults, build_operations_results, save_operations_results

__all__ = [
    "SECTIONS",
    "Operations",
    "OperationsChapter",
    "OperationsInputs",
    "OperationsResults",
    "OperationsSettings",
    "build_operations_results",
    "calibrate_plan",
    "compute_operations",
    "load_operations_inputs",
    "open_operations",
    "render_operations_calibration",
    "render_operations_customers",
    "render_operations_definitions",
    "render_operations_growth",
    "render_operations_overview",
    "render_operations_sales",
    "render_operations_tracking",
    "save_operations_results",
]
