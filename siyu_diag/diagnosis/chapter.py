"""Open a client for the diagnosis chapter: the I/O around the pure computation.

The notebook calls :func:`open_diagnosis` once; it validates the folder, loads the answers and
rules, computes the diagnosis and records the provenance of every input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..core import assets
from ..core.checks import check_lang
from ..core.client import Client, load_client
from ..core.errors import InputError, Problem
from ..core.provenance import sha256
from ..core.rules import SEVERITY_WEIGHT, load_rules
from .compute import Diagnosis, diagnose
from .survey import load_responses


@dataclass(frozen=True)
class Chapter:
    """A computed diagnosis with the language to show it in and where its inputs came from."""

    client: Client
    dx: Diagnosis
    lang: str
    provenance: dict[str, Any]


def _with_incentive_findings(dx: Diagnosis, client: Client, plan_gmv: float) -> Diagnosis:
    """Add the incentive scheme's alignment findings (when the client has a scheme), re-ranked.

    The scheme is measured against the plan's year-1 GMV, as in the incentive chapter: the one
    given, else the client's plan's (computed), else the scheme's own.
    """
    if client.config.incentives is None:
        return dx
    from ..incentives import incentive_findings, open_incentives
    from ..plan.chapter import plan_gmv as year1_gmv

    gmv = plan_gmv or year1_gmv(client)
    extra = incentive_findings(open_incentives(client.folder, plan_gmv=gmv))
    if extra.empty:
        return dx
    gaps = dict(zip(dx.dimensions["dimension"], dx.dimensions["gap_to_target"], strict=True))
    extra = extra.assign(
        priority=[
            round(SEVERITY_WEIGHT[f.severity] * (1 + gaps.get(f.dimension, 0) / 20), 3)
            for f in extra.itertuples()
        ]
    )
    merged = pd.concat([dx.findings, extra], ignore_index=True)
    merged = merged.sort_values("priority", ascending=False, kind="stable").reset_index(drop=True)
    return replace(dx, findings=merged)


def open_diagnosis(
    client_dir: str | Path, *, lang: str = "", min_group_size: int = 0, plan_gmv: float = 0.0
) -> Chapter:
    """Load, validate and diagnose a client folder.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>`` for a bundled sample.
    lang
        "zh" or "en"; empty means the client's configured language.
    min_group_size
        Smallest group shown; 0 means the client's ``survey.min_group_size``.
    plan_gmv
        Year-1 GMV (CNY) of the plan, against which the incentive scheme's findings are judged;
        0 means computed from the client's plan when it has one (the report builder passes the
        value it has already computed).

    Returns
    -------
    Chapter
    """
    check_lang(lang)
    if min_group_size < 0:
        raise InputError(
            Problem(
                f"min_group_size must be 0 or more, but {min_group_size} was passed.",
                key="min_group_size",
            )
        )
    client = load_client(client_dir)
    responses = load_responses(client, min_group_size=min_group_size)
    rules_file = assets.data_path("rules", "findings-v1.yaml")
    rules = load_rules(rules_file)
    dx = diagnose(
        client.config, client.bank, responses, rules, min_group_size=min_group_size or None
    )
    dx = _with_incentive_findings(dx, client, plan_gmv)
    provenance = {
        "package_version": __version__,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "question_bank": {"id": client.bank.id, "version": client.bank.version},
        "rules_version": rules.version,
        "inputs": [
            {"file": name, "sha256": sha256(path)} for name, path in client.input_files.items()
        ],
        "parameters": {"lang": lang or client.config.language, "min_group_size": dx.min_group_size},
    }
    return Chapter(client=client, dx=dx, lang=lang or client.config.language, provenance=provenance)
