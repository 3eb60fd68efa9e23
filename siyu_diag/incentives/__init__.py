"""The incentive and KPI design chapter (激励): KPI library, scheme scoring, pay, alignment.

A consultant shows a client, with numbers, why its departments pull in different directions,
and hands HR a KPI scheme that fixes it. The notebook ``03_incentives.ipynb`` calls
:func:`open_incentives` and the ``render_incentives_*`` functions; the diagnosis can merge
:func:`incentive_facts` and :func:`incentive_findings` into its own findings.
"""

from .analysis import IncentiveAnalysis, analyse_incentives
from .chapter import (
    IncentivesChapter,
    incentive_facts,
    incentive_findings,
    load_scheme,
    open_incentives,
)
from .export import export_kpi_sheets_xlsx
from .guides import derive_guide_kpis
from .library import KpiLibrary, load_kpi_library
from .render import (
    render_incentives_alignment,
    render_incentives_glossary,
    render_incentives_guides,
    render_incentives_overview,
    render_incentives_payouts,
    render_incentives_recommendation,
)
from .results import IncentivesResults, build_incentives_results, save_incentives_results
from .template import write_scheme_template

__all__ = [
    "IncentiveAnalysis",
    "IncentivesChapter",
    "IncentivesResults",
    "KpiLibrary",
    "analyse_incentives",
    "build_incentives_results",
    "derive_guide_kpis",
    "export_kpi_sheets_xlsx",
    "incentive_facts",
    "incentive_findings",
    "load_kpi_library",
    "load_scheme",
    "open_incentives",
    "render_incentives_alignment",
    "render_incentives_glossary",
    "render_incentives_guides",
    "render_incentives_overview",
    "render_incentives_payouts",
    "render_incentives_recommendation",
    "save_incentives_results",
    "write_scheme_template",
]
