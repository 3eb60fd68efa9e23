"""Packages whose public names are imported on first use (PEP 562).

A process pays only for the modules it touches: a batch worker validating a client never imports
matplotlib, a chapter's kernel never imports nbformat. The processes siyu-diag starts itself
(the command line, local batch workers) also skip optional modules that a library would import
but they never use (:func:`skip_unused_imports`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any

#: Optional modules that libraries we use import when installed, but whose features no process
#: of ours uses. jsonschema (imported by nbformat) loads every installed format checker; this one
#: compiles an IRI grammar on import, 1.3–2 s per process, for "iri" formats no notebook schema
#: has.
UNUSED_OPTIONAL_MODULES = ("rfc3987_syntax",)


def lazy_exports(
    package: str, exports: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose ``exports`` map name → submodule.

    Examples
    --------
    In a package's ``__init__.py``::

        _EXPORTS = {"open_plan": "chapter"}
        __all__ = sorted(_EXPORTS)
        __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
    """

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{exports[name]}", package), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exports})

    return __getattr__, __dir__


def skip_unused_imports() -> None:
    """Make :data:`UNUSED_OPTIONAL_MODULES` unimportable in this process, unless already imported.

    Libraries import them inside ``try: ... except ImportError``, so they carry on without the
    feature. Call it only at the start of a process siyu-diag owns (the command line, a local
    batch worker), never on import: a user's own process may need the feature.
    """
    for name in UNUSED_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: "import fails"
