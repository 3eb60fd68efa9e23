"""Open a client for the incentive chapter: the I/O around :func:`~.analysis.analyse_incentives`.

The notebook calls :func:`open_incentives` once; it loads the client folder, reads and validates
the scheme (YAML or XLSX) and the optional actuals, computes everything and records the
provenance of each input. A client without an ``incentives`` section gets a chapter with
``available=False`` and the reason, so the report can say the chapter was skipped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..core import assets
from ..core.chapters import Context
from ..core.checks import check_lang
from ..core.client import Client, load_client
from ..core.errors import InputError, Problem
from ..core.fragments import label
from ..core.provenance import sha256
from ..core.rules import FINDING_COLUMNS, RuleSet, load_rules
from ..core.yamlfile import read_yaml
from .actuals import load_actuals
from .analysis import IncentiveAnalysis, analyse_incentives
from .library import KpiLibrary, load_kpi_library
from .scheme import Scheme
from .validation import parse_scheme
from .workbook import read_scheme_workbook

#: The bundled rule file of this chapter, under ``data/rules/``.
RULES_FILE = "incentives-v1.yaml"


@dataclass(frozen=True)
class IncentivesChapter:
    """The incentive chapter of one client: inputs, results and the language to show them in.

    Attributes
    ----------
    client
        The loaded client folder.
    lang
        ``"zh"`` or ``"en"``.
    available
        False when ``client.yaml`` has no ``incentives`` section; ``reason`` then says why.
    scheme, actuals
        The validated inputs (actuals may be None).
    analysis
        Everything computed (None when not available).
    plan_gmv
        Annual GMV passed in from the planning chapter (CNY), if any.
    provenance
        Package, library and rules versions, SHA-256 of the inputs, parameters.
    """

    client: Client
    lang: str
    available: bool
    reason: str = ""
    library: KpiLibrary | None = None
    scheme: Scheme | None = None
    actuals: pd.DataFrame | None = None
    analysis: IncentiveAnalysis | None = None
    plan_gmv: float | None = None
    provenance: dict[str, Any] = field(default_factory=dict)


def load_scheme(path: Path, *, label: str, library: KpiLibrary) -> Scheme:
    """Read a scheme from YAML (``.yaml``/``.yml``) or the XLSX template (``.xlsx``).

    Raises
    ------
    InputError
        For another extension, or listing every problem in the file.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return parse_scheme(read_yaml(path, label), label=label, library=library)
    if suffix in (".xlsx", ".xlsm"):
        return read_scheme_workbook(path, label=label, library=library)
    raise InputError(
        Problem(
            f"has the extension '{suffix}'; expected .yaml or .xlsx.",
            file=label,
            hint="write the scheme as incentives.yaml or fill in the XLSX template.",
        )
    )


def _check_args(lang: str, plan_gmv: float | None) -> float | None:
    check_lang(lang)
    if plan_gmv is None or plan_gmv == 0:
        return None
    if not isinstance(plan_gmv, int | float) or math.isnan(plan_gmv) or plan_gmv < 0:
        raise InputError(
            Problem(
                f"plan_gmv must be an annual GMV in CNY above 0 (or 0 for none), but "
                f"{plan_gmv!r} was passed.",
                key="plan_gmv",
            )
        )
    return float(plan_gmv)


def load_incentive_inputs(
    client: Client, library: str | Path | None = None
) -> tuple[KpiLibrary, Scheme, pd.DataFrame | None]:
    """The KPI library, the client's scheme and its actuals (None without them), validated.

    Raises
    ------
    InputError
        Listing every problem of the scheme or of the actuals.
    """
    files = client.config.incentives
    kpis = load_kpi_library(library)
    scheme = load_scheme(client.path(files.scheme), label=files.scheme, library=kpis)
    actuals = None
    if files.actuals:
        actuals = load_actuals(
            client.path(files.actuals), label=files.actuals, scheme=scheme, library=kpis
        )
    return kpis, scheme, actuals


def open_incentives(
    client_dir: str | Path,
    *,
    lang: str = "",
    plan_gmv: float | None = None,
    facts: Mapping[str, Any] | None = None,
    library: str | Path | None = None,
    rules: str | Path | None = None,
) -> IncentivesChapter:
    """Load, validate and analyse a client's incentive scheme.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>``.
    lang
        ``"zh"`` or ``"en"``; empty means the client's language.
    plan_gmv
        Annual GMV (CNY) of the plan when the planning chapter is present; None or 0 means use
        the scheme's ``gmv`` (and without it the cost share is unavailable).
    facts
        What other chapters offer this one (``plan_gmv``), as the report builder passes them;
        when given without it, the plan's GMV is worked out from the client's plan. Used when
        ``plan_gmv`` is None.
    library, rules
        Another KPI library or rule file (the bundled ones by default).

    Returns
    -------
    IncentivesChapter
    """
    check_lang(lang)
    client = load_client(client_dir)
    if plan_gmv is None and facts is not None:
        plan_gmv = Context(client, lang=lang, facts=facts).fact("plan_gmv")
    plan_gmv = _check_args(lang, plan_gmv)
    lang = lang or client.config.language
    files = client.config.incentives
    if files is None:
        return IncentivesChapter(
            client=client,
            lang=lang,
            available=False,
            reason=label("incentives_skipped", lang),
        )
    kpis, scheme, actuals = load_incentive_inputs(client, library)
    ruleset: RuleSet = load_rules(rules or assets.data_path("rules", RULES_FILE))
    config = client.config
    analysis = analyse_incentives(
        scheme,
        kpis,
        ruleset,
        stage=config.stage,
        has_stores=(config.organisation.roles or {}).get("shopping_guide", 0) > 0,
        actuals=actuals,
        plan_gmv=plan_gmv,
    )
    inputs = [files.scheme, *([files.actuals] if files.actuals else [])]
    provenance = {
        "package_version": __version__,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "kpi_library": kpis.label,
        "rules_version": ruleset.version,
        "inputs": [{"file": name, "sha256": sha256(client.path(name))} for name in inputs],
        "parameters": {"lang": lang, "plan_gmv": plan_gmv or 0.0},
    }
    return IncentivesChapter(
        client=client,
        lang=lang,
        available=True,
        library=kpis,
        scheme=scheme,
        actuals=actuals,
        analysis=analysis,
        plan_gmv=plan_gmv,
        provenance=provenance,
    )


def incentive_facts(chapter: IncentivesChapter) -> dict[str, Any]:
    """The ``incentives.*`` facts, to merge into the diagnosis facts ({} when not available)."""
    return dict(chapter.analysis.facts) if chapter.analysis is not None else {}


def incentive_findings(chapter: IncentivesChapter) -> pd.DataFrame:
    """The fired incentive rules, with the diagnosis findings' columns (empty when skipped)."""
    if chapter.analysis is None:
        return pd.DataFrame(columns=list(FINDING_COLUMNS))
    return chapter.analysis.findings.copy()
