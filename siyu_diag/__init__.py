"""siyu-diag: diagnose and plan a company's private-domain (私域) organisation.

The names below are imported on first use, so that ``import siyu_diag`` (and every command-line
process, batch worker and kernel that imports one of its modules) pays only for what it uses:
the diagnosis needs pandas, SciPy and matplotlib; the report builder needs nbformat and nbconvert.
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._lazy import lazy_exports  # noqa: E402  (after the version, which submodules read)

#: Public name → the module that defines it.
_EXPORTS = {
    "QuestionBank": "bank",
    "load_bank": "bank",
    "Chapter": "chapter",
    "open_diagnosis": "chapter",
    "load_client": "client",
    "Diagnosis": "diagnosis",
    "diagnose": "diagnosis",
    "InputError": "errors",
    "SiyuDiagError": "errors",
    "load_rules": "findings",
    "render_history": "history",
    "render_appendix": "render",
    "render_findings": "render",
    "render_groups": "render",
    "render_items": "render",
    "render_overview": "render",
    "render_subdimensions": "render",
    "render_summary": "render",
    "build_report": "report",
    "save_results": "results",
    "load_responses": "survey",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
