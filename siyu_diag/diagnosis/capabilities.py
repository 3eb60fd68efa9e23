"""The diagnosis as other chapters read it (the fact ``capabilities``).

Each sub-dimension's score and level, and the fired findings that rest on each.
"""

from __future__ import annotations

import math
from typing import Any

from ..core import assets
from ..core.client import Client
from ..core.rules import load_rules
from .compute import diagnose
from .config import client_bank
from .levels import level_bands, level_name, score_levels
from .survey import Responses, load_responses


def _rests_on(facts_read: list[str], item_subdimension: dict[str, str]) -> list[str]:
    """The sub-dimensions (``dim.sub``) whose score or items a rule's condition reads."""
    out: list[str] = []
    for name in facts_read:
        kind, _, rest = name.partition(".")
        sub = (
            rest
            if kind == "sub"
            else item_subdimension.get(rest)
            if kind in ("item", "agree")
            else None
        )
        if sub and sub not in out:
            out.append(sub)
    return out


def diagnosis_capabilities(
    client: Client, responses: Responses | None = None, *, min_group_size: int = 0
) -> dict[str, Any]:
    """Each sub-dimension's score and level and the fired findings resting on each.

    Parameters
    ----------
    client
        The client folder.
    responses
        The answers when already loaded (the diagnosis check's), else read here.
    min_group_size
        The run's smallest group (0: the client's).
    """
    bank = client_bank(client)
    rules = load_rules(assets.data_path("rules", "findings-v1.yaml"))
    if responses is None:
        responses = load_responses(client, min_group_size=min_group_size)
    dx = diagnose(client.config, bank, responses, rules, min_group_size=min_group_size or None)
    bands = level_bands("zh")
    names = {f"{d.id}.{s.id}": s.name for d in bank.dimensions for s in d.subdimensions}
    subs = {}
    for r in dx.subdimensions.itertuples():
        key, score = f"{r.dimension}.{r.subdimension}", float(r.score)
        if math.isnan(score):
            continue
        level = int(score_levels(score, bands))
        subs[key] = {"score": score, "level": level, "name_zh": names[key].zh,
                     "name_en": names[key].en, "level_zh": level_name(level, "zh"),
                     "level_en": level_name(level, "en")}  # fmt: skip
    item_sub = {i.id: f"{i.dimension}.{i.subdimension}" for i in bank.items}
    by_id = {rule.id: rule for rule in rules.rules}
    findings = [
        {"rule": f.rule, "severity": f.severity, "title_zh": f.title_zh, "title_en": f.title_en,
         "subdimensions": _rests_on(by_id[f.rule].when.facts_used(), item_sub)}
        for f in dx.findings.itertuples()
    ]  # fmt: skip
    return {"bank": bank.id, "subdimensions": subs, "findings": findings}
