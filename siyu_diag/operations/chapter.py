"""Open a client for the operating-data chapter: the I/O around the pure computation."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..core.checks import check_lang, parse_model
from ..core.client import Client, load_client
from ..core.errors import InputError, Problem
from ..core.fragments import label
from ..core.provenance import sha256
from .calibration import CALIBRATION_COLUMNS, UNITS
from .compute import (
    SILENT_DAYS,
    Operations,
    OperationsInputs,
    OperationsSettings,
    compute_operations,
)
from .tables import NOTE_COLUMNS, load_table

log = logging.getLogger(__name__)

_KEYS = ("friends", "orders", "pushes", "kpi_tracking")


@dataclass(frozen=True)
class OperationsChapter:
    """The operating-data chapter of one client.

    Attributes
    ----------
    client
        The loaded client folder.
    lang
        Language of the report ("zh" or "en").
    available
        False when the client has no operating data; then ``reason`` says why and ``inputs``
        and ``ops`` are None.
    reason
        Localised reason the chapter is skipped ("" when available).
    settings
        The chapter's parameters.
    inputs
        The validated tables.
    ops
        Every computed table.
    provenance
        Package version, time, input files with SHA-256, parameters.
    """

    client: Client
    lang: str
    available: bool
    reason: str
    settings: OperationsSettings
    inputs: OperationsInputs | None
    ops: Operations | None
    provenance: dict[str, Any]


def load_operations_inputs(client: Client) -> OperationsInputs:
    """Read and validate every operating-data file named in ``client.yaml``.

    Rows dated after the assessment date (``date`` in client.yaml) are errors.

    Raises
    ------
    InputError
        Listing the problems of every file at once.
    """
    files = client.config.operations
    tables: dict[str, pd.DataFrame | None] = dict.fromkeys(_KEYS)
    names: dict[str, str] = {}
    notes, problems = [], []
    for key in _KEYS:
        relative = getattr(files, key) if files is not None else None
        if not relative:
            continue
        names[key] = relative
        try:
            validated = load_table(
                client.path(relative), key, label=relative, as_of=client.config.date
            )
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        tables[key] = validated.table
        notes.extend(validated.notes)
    if problems:
        raise InputError(problems)
    return OperationsInputs(
        **tables,
        files=names,
        notes=pd.DataFrame(notes, columns=list(NOTE_COLUMNS)),
    )


def _settings(**values: Any) -> OperationsSettings:
    return parse_model(OperationsSettings, values, "parameters")


def open_operations(
    client_dir: str | Path,
    *,
    lang: str = "",
    churn_threshold: float = 0.05,
    silent_days: int = 0,
    amber_from: float = 0.8,
    warmup_months: int = 3,
) -> OperationsChapter:
    """Load, validate and compute the operating-data chapter of a client folder.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>`` for a bundled sample.
    lang
        "zh" or "en"; empty means the client's configured language.
    churn_threshold
        Monthly churn (0–1) above which a month is flagged.
    silent_days
        Days without a purchase after which a customer is silent; 0 means by industry
        (:data:`~siyu_diag.operations.compute.SILENT_DAYS`: restaurant 60, FMCG and retail 90,
        knowledge IP 120, education 180).
    amber_from
        Completion (0–1) from which a missed KPI target shows amber rather than red.
    warmup_months
        Months at the start of the orders that only identify existing customers.

    Returns
    -------
    OperationsChapter
        With ``available=False`` and a reason when ``client.yaml`` names no operating data.

    Raises
    ------
    InputError
        When a parameter or a file is not usable; every problem is listed.
    """
    check_lang(lang)
    if silent_days < 0:
        raise InputError(
            Problem(
                f"silent_days must be 0 (by industry) or more, but {silent_days} was passed.",
                key="silent_days",
            )
        )
    client = load_client(client_dir)
    settings = _settings(
        churn_threshold=churn_threshold,
        silent_days=silent_days or SILENT_DAYS.get(client.config.industry, 90),
        amber_from=amber_from,
        warmup_months=warmup_months,
    )
    lang = lang or client.config.language
    files = client.config.operations
    named = {k: getattr(files, k) for k in _KEYS if files is not None and getattr(files, k)}
    provenance = {
        "package_version": __version__,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": [{"file": n, "sha256": sha256(client.path(n))} for n in named.values()],
        "parameters": {"lang": lang, **settings.model_dump()},
    }
    if not named:
        reason = label("operations_skipped_reason", lang)
        log.info("operations chapter skipped for %s: no operating data", client.config.slug)
        return OperationsChapter(client, lang, False, reason, settings, None, None, provenance)
    inputs = load_operations_inputs(client)
    ops = compute_operations(inputs, settings)
    return OperationsChapter(client, lang, True, "", settings, inputs, ops, provenance)


def calibrate_plan(chapter: OperationsChapter) -> pd.DataFrame:
    """The planning model's monthly drivers derived from the client's history.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`~siyu_diag.operations.calibration.CALIBRATION_COLUMNS`, one row
        per driver (``returning_conversion``, ``aov``, ``repurchase_frequency``,
        ``monthly_churn``, ``first_order_conversion``, ``first_order_aov``). ``value`` is what
        is offered to the plan: NaN (and ``n`` 0) for a driver the history cannot give, e.g.
        every driver when the client has no operating data, and NaN for one resting on too
        few customers or months (its ``estimate`` is still given); the planning model then
        keeps plan.yaml's value or last year's.
    """
    if chapter.available and chapter.ops is not None:
        return chapter.ops.calibration.copy()
    from .columns import DRIVERS

    nan = float("nan")
    rows = [
        {
            "driver": d,
            "value": nan,
            "estimate": nan,
            "low": nan,
            "high": nan,
            "unit": UNITS[d],
            "basis_zh": label("operations_skipped_reason", "zh"),
            "basis_en": label("operations_skipped_reason", "en"),
            "n": 0,
            "people": 0,
            "months": 0,
            "period": "",
        }
        for d in DRIVERS
    ]
    return pd.DataFrame(rows, columns=list(CALIBRATION_COLUMNS))
