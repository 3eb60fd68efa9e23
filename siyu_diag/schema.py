"""The whole ``results.json`` of a report: the diagnosis plus every chapter's section.

:class:`ReportResults` is the documented schema (``ReportResults.model_json_schema()``); each
chapter owns the model of its section.
"""

from __future__ import annotations

from .diagnosis.results import Results
from .incentives.results import IncentivesResults
from .operations.results import OperationsResults
from .plan.results import PlanResults


class ReportResults(Results):
    """``results.json``: the diagnosis results with the optional chapter sections."""

    plan: PlanResults | None = None
    incentives: IncentivesResults | None = None
    operations: OperationsResults | None = None
