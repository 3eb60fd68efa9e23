"""The chapter protocol, the registry of chapters, and the facts chapters offer each other.

A chapter is a package with a notebook and a :class:`ChapterSpec`, registered as an entry point
in the group ``siyu_diag.chapters`` (``pyproject.toml``). The framework knows chapters only
through their specs: which ``client.yaml`` section belongs to each, how its inputs are checked,
what it offers other chapters (a *fact*, e.g. the plan's year-1 GMV) and what it needs from
them, and the notebook parameters of a report run. Chapters never import each other: a fact is
worked out once per report by the chapter that offers it and handed to the ones that need it.

A spec names its functions as ``"module:function"`` strings, imported only when called, so that
reading the registry imports no chapter's code.

Adding a chapter: its package (with a ``spec.py``), its notebook, and one line in the entry
point group.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, Problem

if TYPE_CHECKING:
    from .client import Client

#: The entry point group chapters register in.
ENTRY_POINTS = "siyu_diag.chapters"


@dataclass(frozen=True)
class ChapterSpec:
    """What the framework knows of a chapter.

    Parameters
    ----------
    key
        The chapter's key: its section of ``results.json`` (``results/<key>.json`` in a run).
    notebook
        The bundled notebook that renders it.
    order
        Its place in the report (lower first).
    sections
        ``"module:function"`` returning the chapter's ``client.yaml`` keys as pydantic fields
        ``{key: (annotation, default)}``.
    enabled_by
        The ``client.yaml`` key that turns the chapter's inputs on; empty: always on. A chapter
        without its inputs still runs and says in the report that it was skipped.
    check
        ``"module:function"`` taking a :class:`Context`: loads and checks the chapter's inputs
        (raising :class:`~siyu_diag.core.errors.InputError`); its return value is kept in
        ``Context.checked``.
    files
        ``"module:function"`` taking the client configuration: the input files it names,
        ``{label: path relative to the client folder}``.
    offers
        Fact name → ``"module:function"`` taking a :class:`Context` and returning a plain,
        JSON-able value.
    needs
        The facts its notebook takes (parameter ``facts``).
    parameters
        ``"module:function"`` taking a :class:`Context` and a :class:`RunPaths`: the notebook's
        own parameters in a report run.
    merge_at_root
        Its results are the root of ``results.json`` (the diagnosis), not a section.
    cover
        ``"module:function"`` taking the merged results: what the report's cover and footer
        show beyond the client's name: ``footer_note`` (e.g. ``"bank@1.0"``) and ``subtitle``.
    """

    key: str
    notebook: str
    order: int
    sections: str
    enabled_by: str = ""
    check: str = ""
    files: str = ""
    offers: Mapping[str, str] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    parameters: str = ""
    merge_at_root: bool = False
    cover: str = ""

    def call(self, name: str, *args: Any) -> Any:
        """Call the function the spec names in ``name`` (one of its ``"module:function"``)."""
        return resolve(getattr(self, name))(*args)

    def enabled(self, config: Any) -> bool:
        """Whether the client gave this chapter's inputs."""
        return not self.enabled_by or getattr(config, self.enabled_by, None) is not None


def resolve(reference: str) -> Callable[..., Any]:
    """The function named ``"package.module:function"``."""
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


@cache
def registry() -> tuple[ChapterSpec, ...]:
    """Every registered chapter, in report order."""
    specs = [ep.load() for ep in entry_points(group=ENTRY_POINTS)]
    return tuple(sorted(specs, key=lambda s: s.order))


def spec(key: str) -> ChapterSpec:
    """The registered chapter ``key``."""
    for s in registry():
        if s.key == key:
            return s
    raise KeyError(key)


@dataclass(frozen=True)
class RunPaths:
    """Where a report run writes: its staging folder and the assessment store (or None)."""

    staging: Path
    store: Path | None


class Context:
    """One report's client, options and facts; each fact is worked out once, when first asked.

    Parameters
    ----------
    client
        The loaded client folder.
    lang
        The report's language ("" means the client's).
    scenario
        The planning scenario of the run ("" means ``client.yaml``'s, else none).
    min_group_size
        The run's smallest group shown (0 means the client's).
    facts
        Facts already known (a notebook run by the report builder is handed them).
    """

    def __init__(
        self,
        client: Client,
        *,
        lang: str = "",
        scenario: str = "",
        min_group_size: int = 0,
        facts: Mapping[str, Any] | None = None,
    ):
        self.client = client
        self.lang = lang or client.config.language
        self.scenario = scenario
        self.min_group_size = min_group_size
        self.checked: dict[str, Any] = {}
        self.warnings: list[Problem] = []  # what the checks want confirmed (``--strict``: errors)
        self._facts: dict[str, Any] = dict(facts or {})

    def fact(self, name: str) -> Any:
        """The fact ``name``, from the chapter that offers it (worked out on first use)."""
        if name not in self._facts:
            offering = [s for s in registry() if name in s.offers]
            if not offering:
                raise KeyError(f"no registered chapter offers the fact {name!r}")
            self._facts[name] = resolve(offering[0].offers[name])(self)
        return self._facts[name]

    def facts(self, names: tuple[str, ...]) -> dict[str, Any]:
        """The facts ``names``, as a notebook parameter."""
        return {name: self.fact(name) for name in names}


def check_chapters(context: Context) -> tuple[str, ...]:
    """Check the inputs of every chapter the client has, collecting all problems into one error.

    Returns
    -------
    tuple of str
        The keys of the chapters whose inputs were checked, in report order.

    Raises
    ------
    InputError
        Listing every problem of every file, each once.
    """
    problems: list[Problem] = []
    checked = []
    for s in registry():
        if not s.check or not s.enabled(context.client.config):
            continue
        checked.append(s.key)
        try:
            context.checked[s.key] = s.call("check", context)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:  # a fact read twice (the plan's calibration reads the operating data) says it once
        raise InputError(list(dict.fromkeys(problems)))
    return tuple(checked)
