"""siyu-diag: diagnose and plan a company's private-domain (私域) organisation."""

__version__ = "0.1.0"

from .bank import QuestionBank, load_bank  # noqa: E402
from .chapter import Chapter, open_diagnosis  # noqa: E402
from .client import load_client  # noqa: E402
from .diagnosis import Diagnosis, diagnose  # noqa: E402
from .errors import InputError, SiyuDiagError  # noqa: E402
from .findings import load_rules  # noqa: E402
from .history import render_history  # noqa: E402
from .render import (  # noqa: E402
    render_appendix,
    render_findings,
    render_groups,
    render_items,
    render_overview,
    render_subdimensions,
    render_summary,
)
from .report import build_report  # noqa: E402
from .results import save_results  # noqa: E402
from .survey import load_responses  # noqa: E402

__all__ = [
    "Chapter",
    "Diagnosis",
    "InputError",
    "QuestionBank",
    "SiyuDiagError",
    "build_report",
    "diagnose",
    "load_bank",
    "load_client",
    "load_responses",
    "load_rules",
    "open_diagnosis",
    "render_appendix",
    "render_findings",
    "render_groups",
    "render_history",
    "render_items",
    "render_overview",
    "render_subdimensions",
    "render_summary",
    "save_results",
]
