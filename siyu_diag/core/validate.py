"""Check a whole client folder before anything runs: the survey and every chapter's inputs.

``siyu-diag validate`` and the report builder call :func:`validate_client`, so that every user
mistake in any input file is reported at once, with its location, before a notebook starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnosis.survey import Responses, load_responses
from .client import Client, load_client
from .errors import InputError, Problem


@dataclass(frozen=True)
class CheckedClient:
    """A client folder whose inputs all loaded, with what the builder needs from them."""

    client: Client
    responses: Responses
    plan_gmv: float | None  # year-1 GMV of the plan (CNY), None without a plan
    checked: tuple[str, ...]  # the chapters whose inputs were checked


def _attempt(problems: list[Problem], load: Callable[[], Any]) -> Any:
    try:
        return load()
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def validate_client(
    client_dir: str | Path, *, scenario: str = "", min_group_size: int = 0
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

    Raises
    ------
    InputError
        Listing every problem of every file.
    """
    from ..incentives.chapter import load_incentive_inputs
    from ..operations import load_operations_inputs
    from ..plan.chapter import plan_gmv as year1_gmv

    client = load_client(client_dir)
    config = client.config
    problems: list[Problem] = []
    checked = ["survey"]
    responses = _attempt(problems, lambda: load_responses(client, min_group_size=min_group_size))
    if config.operations is not None:
        checked.append("operations")
        _attempt(problems, lambda: load_operations_inputs(client))
    plan_gmv = None
    if config.plan is not None:
        checked.append("plan")
        plan_gmv = _attempt(problems, lambda: year1_gmv(client, scenario=scenario))
    if config.incentives is not None:
        checked.append("incentives")
        _attempt(problems, lambda: load_incentive_inputs(client))
    if problems:  # the plan's calibration reads the operating data again: say each problem once
        raise InputError(list(dict.fromkeys(problems)))
    return CheckedClient(client, responses, plan_gmv, tuple(checked))
