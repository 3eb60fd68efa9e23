"""Open a client for the planning chapter: the I/O around the pure plan computations.

The notebook calls :func:`open_plan` once. It reads the client folder and its plan file,
applies a calibration and a saved scenario when asked, runs every analysis
(:func:`analyse_plan`) and records where the inputs came from. An interactive front end calls
:func:`project_what_if` on each slider move: one projection, no file access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..core.chapters import Context
from ..core.checks import check_lang
from ..core.client import Client, load_client
from ..core.errors import InputError, Problem
from ..core.fragments import label
from ..core.provenance import sha256
from .calibration import apply_calibration
from .campaign import CampaignResult, Okr, compute_campaign, okr_breakdown
from .capabilities import CAPABILITY_FILE, CapabilityMap, load_capability_map
from .gap import GapAnalysis, analyse_gap
from .inputs import Campaign, PlanInputs, require_complete, with_drivers
from .planfile import load_plan_inputs
from .projection import Projection, compile_plan, project_plan
from .reality import RealityCheck, check_reality
from .scenario import apply_scenario, load_scenario, scenario_file
from .tree import DriverTree, build_tree
from .uncertainty import MonteCarlo, monte_carlo, project_scenarios, tornado


@dataclass(frozen=True)
class CampaignOutcome:
    """A campaign of plan.yaml with its computed figures and, with a target, its OKR."""

    campaign: Campaign
    result: CampaignResult
    okr: Okr | None


@dataclass(frozen=True)
class PlanAnalysis:
    """Every computed figure of the planning chapter."""

    projection: Projection
    tree: DriverTree
    gap: GapAnalysis | None
    tornado: pd.DataFrame
    scenarios: pd.DataFrame
    monte_carlo: MonteCarlo
    campaigns: tuple[CampaignOutcome, ...]
    reality: RealityCheck


@dataclass(frozen=True)
class PlanChapter:
    """The planning chapter of one client.

    Attributes
    ----------
    client
        The loaded client folder.
    lang
        The report language.
    available
        False when ``client.yaml`` has no ``plan`` section; ``reason`` then says why, and
        ``inputs`` and ``analysis`` are None.
    inputs
        The plan as used (calibration and scenario applied).
    analysis
        Every computed figure.
    provenance
        Input files with their SHA-256 and the parameters of the run.
    calibration
        The driver values the operating data gave (the fact ``calibration``), applied to the
        drivers plan.yaml leaves out; the dashboard starts its scenarios from them too.
    links, diagnosis
        Which capabilities each assumption depends on (None: the bank has no links) and the
        diagnosis's scores and findings (the fact ``capabilities``; {} without links).
    """

    client: Client
    lang: str
    available: bool
    reason: str = ""
    inputs: PlanInputs | None = None
    analysis: PlanAnalysis | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    calibration: dict[str, Any] = field(default_factory=dict)
    links: CapabilityMap | None = None
    diagnosis: dict[str, Any] = field(default_factory=dict)


def analyse_campaigns(inputs: PlanInputs) -> tuple[CampaignOutcome, ...]:
    """Compute every campaign of the plan and the OKR of those with a target."""
    out = []
    for c in inputs.campaigns:
        result = compute_campaign(
            c.traffic,
            c.conversion,
            c.aov,
            c.marketing_cost,
            c.organisation_cost,
            gross_margin=c.gross_margin,
        )
        okr = None
        if c.target_gmv and min(c.traffic, c.conversion, c.aov) > 0:
            okr = okr_breakdown(
                c.target_gmv,
                traffic=c.traffic,
                conversion=c.conversion,
                aov=c.aov,
                marketing_cost=c.marketing_cost,
                organisation_cost=c.organisation_cost,
                gross_margin=c.gross_margin,
                name=c.name,
            )
        out.append(CampaignOutcome(campaign=c, result=result, okr=okr))
    return tuple(out)


def analyse_plan(
    inputs: PlanInputs,
    *,
    draws: int | None = None,
    seed: int | None = None,
    calibration: Mapping[str, Any] | None = None,
) -> PlanAnalysis:
    """Run every analysis of the chapter on complete inputs (pure: no I/O).

    Parameters
    ----------
    inputs
        The plan with every driver set.
    draws, seed
        Override the Monte Carlo settings of plan.yaml.
    calibration
        The operating data's drivers (the fact ``calibration``): the history the reality check
        holds the plan against, before ``last_year``.
    """
    require_complete(inputs)
    plan = compile_plan(inputs)
    projection = project_plan(inputs, plan)
    table = tornado(inputs, plan)
    return PlanAnalysis(
        projection=projection,
        tree=build_tree(inputs, projection),
        gap=analyse_gap(inputs, plan),
        tornado=table,
        scenarios=project_scenarios(inputs, table, plan),
        monte_carlo=monte_carlo(inputs, draws=draws, seed=seed, plan=plan),
        campaigns=analyse_campaigns(inputs),
        reality=check_reality(inputs, calibration or {}, plan),
    )


def project_what_if(inputs: PlanInputs, overrides: Mapping[str, float]) -> Projection:
    """The projection with some drivers moved: the one cheap call behind a slider.

    Parameters
    ----------
    inputs
        The plan (e.g. ``chapter.inputs``).
    overrides
        Driver values by name (e.g. ``{"first_order_conversion": 0.08}``).

    Returns
    -------
    Projection
        Exactly what a report run with a scenario holding ``overrides`` shows.
    """
    return project_plan(with_drivers(inputs, overrides, source="scenario"))


def plan_gmv(client: Client, *, scenario: str = "", calibration: Mapping[str, Any]) -> float | None:
    """Year-1 GMV (CNY) of the client's plan, or None when it has no plan.

    What the incentive scheme is measured against, in the diagnosis and in its own chapter
    (the fact ``plan_gmv`` of :data:`~siyu_diag.plan.spec.CHAPTER`).
    """
    if client.config.plan is None:
        return None
    inputs, _, _ = resolve_plan_inputs(client, scenario=scenario, calibration=calibration)
    return float(project_plan(inputs).year(1)["gmv"])


def resolve_plan_inputs(
    client: Client, *, scenario: str = "", calibration: Mapping[str, Any]
) -> tuple[PlanInputs, str, list[str]]:
    """The plan's inputs as the chapter uses them: plan.yaml, calibration, then the scenario.

    Drivers plan.yaml leaves out take the values ``calibration`` gives (the operating data's
    fact ``calibration``). Returns the inputs, the scenario's name ("" for none) and the files
    read.
    """
    files = client.config.plan
    inputs = load_plan_inputs(client.folder, files.file)
    if calibration:
        inputs = apply_calibration(inputs, calibration)
    name = scenario or files.scenario or ""
    used = [files.file]
    if inputs.channels_file:
        used.append(inputs.channels_file)
    if name:
        inputs = apply_scenario(inputs, load_scenario(client, name))
        used.append(scenario_file(name))
    return inputs, name, used


def open_plan(
    client_dir: str | Path,
    *,
    lang: str = "",
    scenario: str = "",
    draws: int = 0,
    facts: Mapping[str, Any] | None = None,
) -> PlanChapter:
    """Load a client's plan and compute the chapter.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>``.
    lang
        "zh" or "en"; empty means the client's language.
    scenario
        A saved scenario's name (``scenarios/<name>.yaml``); empty means ``client.yaml``
        ``plan.scenario`` when set, else the plan as written.
    draws
        Monte Carlo draws; 0 means plan.yaml's setting.
    facts
        What other chapters offer this one: ``calibration``, the driver values the client's
        operating data gives (for the drivers plan.yaml leaves out, and the history the plan is
        checked against); ``bank_subdimensions`` and ``capabilities``, the question bank and
        the diagnosis's scores and findings. The report builder passes them; what is missing is
        worked out here by the chapter that offers it.

    Returns
    -------
    PlanChapter
        With ``available=False`` (and a reason) when ``client.yaml`` has no ``plan`` section.

    Raises
    ------
    InputError
        For every problem in the plan file, its channel table or the scenario.
    """
    check_lang(lang)
    if draws < 0:
        raise InputError(Problem(f"draws must be 0 or more, but {draws} was passed.", key="draws"))
    client = load_client(client_dir)
    lang = lang or client.config.language
    files = client.config.plan
    if files is None:
        return PlanChapter(
            client=client, lang=lang, available=False, reason=label("plan_skipped_reason", lang)
        )
    context = Context(client, lang=lang, scenario=scenario, facts=facts)
    calibration = context.fact("calibration")
    inputs, name, used = resolve_plan_inputs(client, scenario=scenario, calibration=calibration)
    links = load_capability_map(client, context.fact("bank_subdimensions"))
    if client.path(CAPABILITY_FILE).is_file():
        used.append(CAPABILITY_FILE)
    analysis = analyse_plan(inputs, draws=draws or None, calibration=calibration)
    provenance = {
        "package_version": __version__,
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": [{"file": f, "sha256": sha256(client.path(f))} for f in used],
        "parameters": {
            "lang": lang,
            "scenario": name,
            "draws": analysis.monte_carlo.draws,
            "seed": analysis.monte_carlo.seed,
        },
    }
    return PlanChapter(
        client=client,
        lang=lang,
        available=True,
        inputs=inputs,
        analysis=analysis,
        provenance=provenance,
        calibration=dict(calibration),
        links=links,
        diagnosis=context.fact("capabilities") if links else {},
    )
