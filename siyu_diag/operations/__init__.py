"""The operating-data chapter: friends, orders, pushes, KPI tracking → dashboards, plan drivers.

``open_operations`` loads and validates a client's exported data and computes every metric;
the ``render_operations_*`` functions make the report's fragments; ``calibrate_plan`` gives the
planning model its monthly drivers from the history; ``save_operations_results`` writes the
chapter's figures as JSON. The pure computations live in the submodules (``growth``, ``sales``,
``customers``, ``churn``, ``tracking``, ``calibration``, ``notes``) and take and return
DataFrames.
"""

from .._lazy import lazy_exports

#: Public name → the module that defines it (imported on first use).
_EXPORTS = {
    "OperationsChapter": "chapter",
    "calibrate_plan": "chapter",
    "load_operations_inputs": "chapter",
    "open_operations": "chapter",
    "Operations": "compute",
    "OperationsInputs": "compute",
    "OperationsSettings": "compute",
    "compute_operations": "compute",
    "SECTIONS": "render",
    "render_operations_calibration": "render",
    "render_operations_customers": "render",
    "render_operations_definitions": "render",
    "render_operations_growth": "render",
    "render_operations_overview": "render",
    "render_operations_sales": "render",
    "render_operations_tracking": "render",
    "OperationsResults": "results",
    "build_operations_results": "results",
    "save_operations_results": "results",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
