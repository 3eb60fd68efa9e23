"""Saved scenarios: named sets of driver values, stored in ``<client>/scenarios/<name>.yaml``.

A scenario is what a client saw on screen: the plan with some drivers moved. Saving writes the
values with full float precision (YAML writes Python's shortest exact representation), so a
report run with the scenario reproduces exactly the numbers that were shown::

    name: activate-first            # the file name without .yaml
    description: 先激活再拉新        # optional, shown in the report
    overrides:                      # driver values by name (see siyu_diag.plan.drivers)
      first_order_conversion: 0.2
      add_rate.stores: 0.04
      headcount.community: 4
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core.atomic import write_text_atomic
from ..core.checks import parse_model
from ..core.errors import InputError, Problem
from ..core.yamlfile import read_yaml
from .inputs import PlanInputs, with_drivers

SCENARIO_DIR = "scenarios"
_NAME = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_\-\u4e00-\u9fff]{0,63}$")


class Scenario(BaseModel):
    """A named set of driver values.

    Attributes
    ----------
    name
        Letters (Chinese too), digits, hyphens and underscores; names the file.
    description
        Free text shown in the report.
    overrides
        Driver values by driver name, e.g. ``{"first_order_conversion": 0.2}``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    overrides: dict[str, float] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if not _NAME.match(name):
            raise ValueError(
                "a scenario name may hold letters, digits, hyphens and underscores only "
                "(it names the file scenarios/<name>.yaml)"
            )
        return name


def scenario_file(name: str) -> str:
    """The scenario's path relative to the client folder: ``scenarios/<name>.yaml``."""
    return f"{SCENARIO_DIR}/{name}.yaml"


def load_scenario(client: object, name: str) -> Scenario:
    """Read ``scenarios/<name>.yaml`` of a client folder.

    Parameters
    ----------
    client
        A loaded :class:`~siyu_diag.core.client.Client`, or the client folder as a path.
    name
        The scenario's name.

    Returns
    -------
    Scenario

    Raises
    ------
    InputError
        When the file is missing (listing the scenarios that exist) or invalid.
    """
    folder = Path(getattr(client, "folder", client))
    label = scenario_file(name)
    if not _NAME.match(name):
        raise InputError(
            Problem(
                f"'{name}' is not a scenario name.",
                key="scenario",
                hint="use letters, digits, hyphens and underscores only.",
            )
        )
    path = folder / label
    if not path.is_file():
        known = sorted(p.stem for p in (folder / SCENARIO_DIR).glob("*.yaml"))
        hint = f"use one of: {', '.join(known)}." if known else "save a scenario first."
        raise InputError(Problem(f"scenario '{name}' does not exist.", file=label, hint=hint))
    scenario = parse_model(Scenario, read_yaml(path, label=label), label)
    if scenario.name != name:
        raise InputError(
            Problem(
                f"the file holds scenario '{scenario.name}', not '{name}'.",
                file=label,
                key="name",
                hint=f"rename the file to {scenario_file(scenario.name)} or correct the name.",
            )
        )
    return scenario


def save_scenario(client_folder: str | Path, scenario: Scenario) -> Path:
    """Write ``scenarios/<name>.yaml`` atomically (a temporary file, then a rename).

    Parameters
    ----------
    client_folder
        The client folder.
    scenario
        The scenario to save; an existing file of the same name is replaced.

    Returns
    -------
    Path
        The file written.
    """
    path = Path(client_folder) / scenario_file(scenario.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "name": scenario.name,
        "description": scenario.description,
        "overrides": {k: float(v) for k, v in scenario.overrides.items()},
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return write_text_atomic(text, path)


def apply_scenario(inputs: PlanInputs, scenario: Scenario | None) -> PlanInputs:
    """The plan with the scenario's driver values (``inputs`` itself when ``scenario`` is None).

    Raises
    ------
    InputError
        Naming every unknown driver (with a did-you-mean) and every impossible value, with the
        scenario file and the key ``overrides.<driver>``.
    """
    if scenario is None:
        return inputs
    out = with_drivers(
        inputs,
        scenario.overrides,
        source="scenario",
        file=scenario_file(scenario.name),
        key_prefix="overrides",
    )
    return out.model_copy(
        update={"scenario": scenario.name, "scenario_description": scenario.description or None}
    )
