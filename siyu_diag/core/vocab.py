"""Canonical departments, role levels and maturity levels, read from ``data/``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from . import assets
from .text import normalise_label
from .yamlfile import read_yaml


@dataclass(frozen=True)
class Vocabulary:
    """Canonical group ids with their display names and the labels that map to them."""

    names: dict[str, dict[str, str]]
    aliases: dict[str, str]

    def canonical(self, label: str, overrides: dict[str, str] | None = None) -> str | None:
        """Return the canonical id of ``label`` (client overrides first), or None."""
        for raw, target in (overrides or {}).items():
            if normalise_label(raw) == normalise_label(label):
                return target
        key = normalise_label(label)
        if key in self.aliases:
            return self.aliases[key]
        return key if key in self.names else None

    def name(self, group: str, lang: str = "zh") -> str:
        """Display name of a canonical id; other ids are shown as they are."""
        return self.names.get(group, {}).get(lang, group)


def _vocabulary(section: str) -> Vocabulary:
    raw = read_yaml(assets.data_path("vocab.yaml"))[section]
    names = {k: v["name"] for k, v in raw.items()}
    aliases = {
        normalise_label(a): k
        for k, v in raw.items()
        for a in (*v.get("aliases", []), v["name"]["zh"], v["name"]["en"])
    }
    return Vocabulary(names=names, aliases=aliases)


@cache
def departments() -> Vocabulary:
    """The canonical departments (marketing, operations, sales, service, stores, management)."""
    return _vocabulary("departments")


@cache
def role_levels() -> Vocabulary:
    """The two role levels: management and frontline."""
    return _vocabulary("role_levels")


@cache
def _levels_file() -> dict:
    return read_yaml(assets.data_path("levels.yaml"))


def maturity_levels(lang: str = "zh") -> pd.DataFrame:
    """The five maturity levels: ``level``, ``lower``, ``upper``, ``name``, ``description``."""
    rows = [
        {
            "level": lv["level"],
            "lower": float(lv["lower"]),
            "upper": float(lv["upper"]),
            "name": lv["name"][lang],
            "description": lv["description"][lang],
        }
        for lv in _levels_file()["levels"]
    ]
    return pd.DataFrame(rows)


def stage_targets(stage: str) -> dict[str, int]:
    """Default target level per dimension for a business stage (key ``default`` for others)."""
    return dict(_levels_file()["stage_targets"][stage])
