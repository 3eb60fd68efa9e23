"""Where the bundled notebooks, templates and data live.

This is the one module that knows the layout: in a source checkout (or an editable install) the
folders sit beside the package; in a built wheel they are carried inside it as ``_bundled``.
Nobody else builds paths to these folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # siyu_diag/, this module being in core/


@cache
def _root() -> Path:
    bundled = _PACKAGE / "_bundled"
    if (bundled / "data").is_dir():
        return bundled
    return _PACKAGE.parent


def data_path(*parts: str) -> Path:
    """Return a path inside the bundled ``data/`` folder."""
    return _root().joinpath("data", *parts)


def template_path(*parts: str) -> Path:
    """Return a path inside the bundled ``templates/`` folder."""
    return _root().joinpath("templates", *parts)


def notebook_path(name: str) -> Path:
    """Return the path of a bundled chapter notebook, e.g. ``01_diagnosis.ipynb``."""
    return _root() / "notebooks" / name


def sample_clients_dir() -> Path:
    """Return the folder holding the bundled sample client folders."""
    return data_path("samples")


def default_bank_path() -> Path:
    """Return the path of the default question bank."""
    return data_path("banks", "siyu-org-v1.yaml")


def font_path() -> Path:
    """Return the path of the bundled CJK font used by every chart."""
    return data_path("fonts", "NotoSansSC-Regular.otf")
