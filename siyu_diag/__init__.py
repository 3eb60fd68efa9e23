"""siyu-diag: diagnose and plan a company's private-domain (私域) organisation.

The names below are imported on first use, so that ``import siyu_diag`` (and every command-line
process, batch worker and kernel that imports one of its modules) pays only for what it uses:
the diagnosis needs pandas, SciPy and matplotlib; the report builder needs nbformat and nbconvert.
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._lazy import lazy_exports

#: Public name → the module that defines it.
_EXPORTS = {
    "QuestionBank": "diagnosis.bank",
    "load_bank": "diagnosis.bank",
    "Chapter": "diagnosis.chapter",
    "open_diagnosis": "diagnosis.chapter",
    "load_client": "core.client",
    "Diagnosis": "diagnosis.compute",
    "diagnose": "diagnosis.compute",
    "InputError": "core.errors",
    "SiyuDiagError": "core.errors",
    "load_rules": "core.rules",
    "render_history": "portfolio.history",
    "render_appendix": "diagnosis.render",
    "render_findings": "diagnosis.render",
    "render_groups": "diagnosis.render",
    "render_items": "diagnosis.render",
    "render_overview": "diagnosis.render",
    "render_subdimensions": "diagnosis.render",
    "render_summary": "diagnosis.render",
    "build_report": "core.report",
    "save_results": "diagnosis.results",
    "load_responses": "diagnosis.survey",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
