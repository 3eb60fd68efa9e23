"""Check a whole client folder before anything runs: every chapter's inputs.

``siyu-diag validate`` and the report builder call :func:`validate_client`, so that every user
mistake in any input file is reported at once, with its location, before a notebook starts.
What each chapter checks is its own (:class:`~siyu_diag.core.chapters.ChapterSpec` ``check``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .chapters import Context, check_chapters
from .client import Client, load_client


@dataclass(frozen=True)
class CheckedClient:
    """A client folder whose inputs all loaded, with the run's context and facts."""

    client: Client
    context: Context  # holds what each chapter's check returned (``context.checked``)
    checked: tuple[str, ...]  # the chapters whose inputs were checked


def validate_client(
    client_dir: str | Path, *, scenario: str = "", min_group_size: int = 0, lang: str = ""
) -> CheckedClient:
    """Load every input of a client folder, collecting all problems into one error.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>``.
    scenario
        A saved planning scenario to check as well (``scenarios/<name>.yaml``).
    min_group_size
        The run's smallest group shown (0: the client's); the survey must have at least that
        many scored responses.
    lang
        The report's language (empty: the client's), for the facts worked out on the way.

    Raises
    ------
    InputError
        Listing every problem of every file.
    """
    client = load_client(client_dir)
    context = Context(client, lang=lang, scenario=scenario, min_group_size=min_group_size)
    checked = check_chapters(context)
    return CheckedClient(client, context, checked)
