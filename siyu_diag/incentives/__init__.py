"""The incentive and KPI design chapter (激励): KPI library, scheme scoring, pay, alignment.

A consultant shows a client, with numbers, why its departments pull in different directions,
and hands HR a KPI scheme that fixes it. The notebook ``03_incentives.ipynb`` calls
:func:`open_incentives` and the ``render_incentives_*`` functions; the diagnosis can merge
:func:`incentive_facts` and :func:`incentive_findings` into its own findings.
"""

from .._lazy import lazy_exports

#: Public name → the module that defines it (imported on first use).
_EXPORTS = {
    "IncentiveAnalysis": "analysis",
    "analyse_incentives": "analysis",
    "IncentivesChapter": "chapter",
    "incentive_facts": "chapter",
    "incentive_findings": "chapter",
    "load_scheme": "chapter",
    "open_incentives": "chapter",
    "export_kpi_sheets_xlsx": "export",
    "derive_guide_kpis": "guides",
    "KpiLibrary": "library",
    "load_kpi_library": "library",
    "render_incentives_alignment": "render",
    "render_incentives_glossary": "render",
    "render_incentives_guides": "render",
    "render_incentives_overview": "render",
    "render_incentives_payouts": "render",
    "render_incentives_recommendation": "render",
    "IncentivesResults": "results",
    "build_incentives_results": "results",
    "save_incentives_results": "results",
    "write_scheme_template": "template",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
