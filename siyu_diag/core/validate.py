"""Check a whole client folder before anything runs: every chapter's inputs.

``siyu-diag validate`` and the report builder call :func:`validate_client`, so that every user
mistake in any input file is reported at once, with its location, before a notebook starts.
What each chapter checks is its own (:class:`~siyu_diag.core.chapters.ChapterSpec` ``check``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .chapters import Context, check_chapters
from .client import CLIENT_FILE, Client, load_client
from .errors import InputError, Problem

#: Text that marks a value as not filled in yet (the scaffold writes 请填写…).
PLACEHOLDER_MARKS = ("请填写", "待填写", "TODO", "TBD", "FILL IN")


def placeholder_warnings(client: Client) -> list[Problem]:
    """The cover's texts that are still placeholders."""
    return [
        Problem(
            f"'{value}' is a placeholder; the report would print it on its cover.",
            file=CLIENT_FILE,
            key=key,
            hint=f"write the {key} the client should see.",
        )
        for key in ("brand", "consultant")
        if any(mark in (value := getattr(client.config, key)) for mark in PLACEHOLDER_MARKS)
    ]


@dataclass(frozen=True)
class CheckedClient:
    """A client folder whose inputs all loaded, with the run's context and facts."""

    client: Client
    context: Context  # holds what each chapter's check returned (``context.checked``)
    checked: tuple[str, ...]  # the chapters whose inputs were checked

    @property
    def warnings(self) -> list[Problem]:
        """What should be confirmed before the report goes out (``--strict`` makes them errors)."""
        return self.context.warnings


def validate_client(
    client_dir: str | Path,
    *,
    scenario: str = "",
    min_group_size: int = 0,
    lang: str = "",
    strict: bool = False,
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
    strict
        Treat warnings (placeholders, facts to confirm) as errors.

    Returns
    -------
    CheckedClient
        Its ``warnings`` list what is not wrong but should be confirmed.

    Raises
    ------
    InputError
        Listing every problem of every file (and, with ``strict``, every warning).
    """
    client = load_client(client_dir)
    context = Context(client, lang=lang, scenario=scenario, min_group_size=min_group_size)
    checked = check_chapters(context)
    context.warnings[:0] = placeholder_warnings(client)
    if strict and context.warnings:
        raise InputError(context.warnings)
    return CheckedClient(client, context, checked)
