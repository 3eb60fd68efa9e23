"""Which capabilities each plan assumption depends on, and how they stand in the diagnosis.

The links live in ``data/rules/capabilities-v1.yaml`` (a driver → sub-dimensions of the question
bank, each with its reason); a client folder's own ``capabilities.yaml`` replaces them. The
bundled links name the default bank's sub-dimensions: with another bank and no file of the
client's own, there are no links and the report says so.

Read together with the diagnosis (the fact ``capabilities``: every sub-dimension's score and
level, and the fired findings with the sub-dimensions their conditions read), a link gives an
assumption its capabilities and the findings that stand in its way: those resting on one of its
sub-dimensions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..core import assets
from ..core.checks import did_you_mean, parse_model
from ..core.client import Client
from ..core.errors import InputError, Problem
from ..core.text import Text
from ..core.yamlfile import read_yaml
from .drivers import split_name
from .reality import HISTORY_DRIVERS

#: A client's own links, in its folder.
CAPABILITY_FILE = "capabilities.yaml"
#: The bundled links (``data/rules/``), for the default question bank.
BUNDLED_FILE = "capabilities-v1.yaml"
#: What a link may name: a customer driver, or ``add_rate`` for every channel's.
LINKED_DRIVERS = (*HISTORY_DRIVERS, "add_rate")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Strict):
    """A sub-dimension (``<dimension>.<sub-dimension>``) a driver depends on, and why."""

    sub: str
    why: Text


class CapabilityMap(_Strict):
    """The links of one question bank."""

    version: str
    bank: str
    drivers: dict[str, tuple[Link, ...]] = Field(min_length=1)

    def links(self, driver: str) -> tuple[Link, ...]:
        """The links of a driver name (``add_rate.douyin`` takes those of ``add_rate``)."""
        kind, _ = split_name(driver)
        return self.drivers.get(driver) or self.drivers.get(kind, ())


def links_file(client: Client) -> str:
    """The file the client's links come from, as the report names it."""
    return CAPABILITY_FILE if (client.folder / CAPABILITY_FILE).is_file() else BUNDLED_FILE


def load_capability_map(client: Client, bank: Mapping[str, Any]) -> CapabilityMap | None:
    """The client's links (its own file, else the bundled one for the default bank), or None.

    Parameters
    ----------
    client
        The client folder.
    bank
        The fact ``bank_subdimensions``: the bank's ``bank`` id and its ``subdimensions``.

    Raises
    ------
    InputError
        Naming every unknown driver and sub-dimension (with a did-you-mean), and a client file
        written for another bank.
    """
    own = client.folder / CAPABILITY_FILE
    path = own if own.is_file() else assets.data_path("rules", BUNDLED_FILE)
    label = links_file(client)
    links = parse_model(CapabilityMap, read_yaml(path, label), label)
    if links.bank != bank["bank"]:
        if not own.is_file():
            return None
        raise InputError(
            Problem(
                f"is written for question bank '{links.bank}', but the survey uses "
                f"'{bank['bank']}'.",
                file=label,
                key="bank",
                hint=f"write bank: {bank['bank']} and link that bank's sub-dimensions.",
            )
        )
    problems = []
    subs = bank["subdimensions"]
    for driver, driver_links in links.drivers.items():
        if driver not in LINKED_DRIVERS:
            problems.append(
                Problem(
                    f"'{driver}' is not a driver a capability can be linked to "
                    f"({', '.join(LINKED_DRIVERS)}).",
                    file=label,
                    key=f"drivers.{driver}",
                    hint=did_you_mean(driver, LINKED_DRIVERS).strip() or None,
                )
            )
        for i, link in enumerate(driver_links):
            if link.sub not in subs:
                problems.append(
                    Problem(
                        f"'{link.sub}' is not a sub-dimension of question bank "
                        f"'{bank['bank']}' (write <dimension>.<sub-dimension>).",
                        file=label,
                        key=f"drivers.{driver}.{i}.sub",
                        hint=did_you_mean(link.sub, subs).strip() or None,
                    )
                )
    if problems:
        raise InputError(problems)
    return links


def assumption_capabilities(
    links: CapabilityMap, driver: str, diagnosis: Mapping[str, Any], lang: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A driver's capabilities as the diagnosis scores them and the findings in its way.

    Returns
    -------
    capabilities
        Per linked sub-dimension the diagnosis scores: ``id``, ``name``, ``score``, ``level``
        (int), ``level_name`` and ``why``, in the links' order.
    findings
        The fired findings resting on one of them: ``rule``, ``title``, in the diagnosis's
        ranked order.
    """
    scored = diagnosis["subdimensions"]
    capabilities = [
        {"id": link.sub, "name": scored[link.sub][f"name_{lang}"],
         "score": scored[link.sub]["score"], "level": scored[link.sub]["level"],
         "level_name": scored[link.sub][f"level_{lang}"], "why": link.why.get(lang)}
        for link in links.links(driver)
        if link.sub in scored
    ]  # fmt: skip
    ids = {c["id"] for c in capabilities}
    findings = [
        {"rule": f["rule"], "title": f[f"title_{lang}"]}
        for f in diagnosis["findings"]
        if ids.intersection(f["subdimensions"])
    ]
    return capabilities, findings
