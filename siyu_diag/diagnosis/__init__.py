"""The organisational diagnosis chapter: the survey scored on the bank's dimensions.

``open_diagnosis`` loads a client's answers and computes the diagnosis; ``render_*`` give the
report's fragments; ``save_results`` writes the chapter's ``results.json`` section.
"""

from .._lazy import lazy_exports

#: Public name → the module that defines it (imported on first use).
_EXPORTS = {
    "QuestionBank": "bank",
    "load_bank": "bank",
    "Chapter": "chapter",
    "open_diagnosis": "chapter",
    "Diagnosis": "compute",
    "diagnose": "compute",
    "render_appendix": "render",
    "render_findings": "render",
    "render_groups": "render",
    "render_items": "render",
    "render_overview": "render",
    "render_subdimensions": "render",
    "render_summary": "render",
    "save_results": "results",
    "load_responses": "survey",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
