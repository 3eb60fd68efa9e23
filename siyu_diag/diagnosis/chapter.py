"""Open a client for the diagnosis chapter: the I/O around the pure computation.

The notebook calls :func:`open_diagnosis` once; it validates the folder, loads the answers and
rules, computes the diagnosis and records the provenance of every input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..core import assets
from ..core.chapters import Context
from ..core.checks import check_lang
from ..core.client import Client, load_client
from ..core.errors import InputError, Problem
from ..core.provenance import sha256
from ..core.rules import FINDING_COLUMNS, SEVERITY_WEIGHT, load_rules
from .compute import Diagnosis, diagnose
from .config import bank_file, client_bank
from .survey import load_responses


@dataclass(frozen=True)
class Chapter:
    """A computed diagnosis with the language to show it in and where its inputs came from."""

    client: Client
    dx: Diagnosis
    lang: str
    provenance: dict[str, Any]


def _with_other_findings(dx: Diagnosis, records: list[dict[str, Any]]) -> Diagnosis:
    """Add the findings other chapters offer (the incentive scheme's), ranked with the rest."""
    if not records:
        return dx
    extra = pd.DataFrame(records, columns=[c for c in FINDING_COLUMNS if c != "priority"])
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


def _inputs(client: Client) -> list[dict[str, str]]:
    """Every input file with its digest; the default question bank after the survey export."""
    files = dict(client.input_files)
    if not client.config.survey.bank:
        default = bank_file(client)
        at = list(files).index(client.config.survey.file) + 1
        items = list(files.items())
        files = dict([*items[:at], (f"(default bank) {default.name}", default), *items[at:]])
    return [{"file": name, "sha256": sha256(path)} for name, path in files.items()]


def open_diagnosis(
    client_dir: str | Path,
    *,
    lang: str = "",
    min_group_size: int = 0,
    facts: Mapping[str, Any] | None = None,
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
    facts
        What other chapters offer this one (:data:`~siyu_diag.diagnosis.spec.CHAPTER` ``needs``:
        the incentive scheme's findings); the report builder passes them, and what is missing
        is worked out here by the chapter that offers it.

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
    bank = client_bank(client)
    rules = load_rules(assets.data_path("rules", "findings-v1.yaml"))
    dx = diagnose(client.config, bank, responses, rules, min_group_size=min_group_size or None)
    context = Context(client, lang=lang, min_group_size=min_group_size, facts=facts)
    dx = _with_other_findings(dx, context.fact("incentive_findings"))
    provenance = {
        "package_version": __version__,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "question_bank": {"id": bank.id, "version": bank.version},
        "rules_version": rules.version,
        "inputs": _inputs(client),
        "parameters": {"lang": lang or client.config.language, "min_group_size": dx.min_group_size},
    }
    return Chapter(client=client, dx=dx, lang=lang or client.config.language, provenance=provenance)
