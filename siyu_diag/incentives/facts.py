"""Facts named ``incentives.*`` for the finding rules in ``data/rules/incentives-v1.yaml``.

Shares are given twice: ``*_share`` as 0–1 (for rules) and ``*_pct`` as 0–100 with one decimal
(for the evidence text). Per department ``<d>`` (marketing, operations, sales, service, stores,
management) the unit shares are averaged weighted by headcount:

- ``incentives.dept.<d>.{short,medium,long,user_asset,business,process,volume,quality,
  retention,conversion,gmv,sales_link,stage_fit}_{share,pct}``, ``.headcount``,
  ``.long_term`` (any unit with a long-horizon indicator or an annual share), ``.has_veto``;
- per unit ``<id>``: ``incentives.weights_ok.<id>`` and ``incentives.weights_sum.<id>``
  (percent points);
- scheme-wide: ``incentives.stage``, ``.units``, ``.employees`` (scored), ``.weights_bad`` and
  ``.weights_bad_list``, ``.shared_indicators`` and ``.shared_indicator_list``,
  ``.short_volume_units`` and ``.short_volume_list``, ``.has_stores``, ``.double_credit``
  (every stores unit credited), ``.no_double_credit_list``, ``.frontline_headcount``,
  ``.frontline_long_term_{share,pct}``, ``.veto_units``, ``.stage_fit_{share,pct}``,
  ``.gmv_reference`` (CNY per year) and ``.gmv_source`` (``plan`` / ``scheme``),
  ``.gmv_target_vs_plan`` (ratio) and ``_pct``, ``.gmv_target_units``,
  ``.targets_out_of_reach`` and ``.targets_out_of_reach_list``, ``.cost_share_gmv`` (0–1) and
  ``.cost_share_gmv_pct``.

Lists are the client's own unit names joined with " / "; lists that name indicators come in
Chinese (``*_list``) and English (``*_list_en``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core.rules import RuleSet, evaluate_rules
from .alignment import MEASURES, shared_indicators
from .library import DEPARTMENTS, FAMILIES, HORIZONS, KpiLibrary
from .scheme import Scheme

_SHARES = (*HORIZONS, *FAMILIES, *MEASURES, "stage_fit")
SEP = " / "


def _pct(value: float) -> float:
    return round(float(value) * 100, 1)


def _weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna()
    if not ok.any() or weights[ok].sum() == 0:
        return float("nan")
    return float(np.average(values[ok], weights=weights[ok]))


def _share_facts(prefix: str, name: str, value: float) -> dict[str, Any]:
    if pd.isna(value):
        return {}
    return {f"{prefix}.{name}_share": float(value), f"{prefix}.{name}_pct": _pct(value)}


def compute_facts(
    scheme: Scheme,
    library: KpiLibrary,
    *,
    stage: str,
    has_stores: bool,
    mix: pd.DataFrame,
    checks: pd.DataFrame,
    reach: pd.DataFrame | None,
    gmv: tuple[float, str] | None,
    gmv_by_dept: pd.DataFrame,
    variable_annual: float | None,
    employees: int,
) -> dict[str, Any]:
    """The flat ``incentives.*`` facts (see the module docstring).

    Parameters
    ----------
    scheme, library
        The scheme and the KPI library.
    stage
        The client's stage (launch / conversion / mature).
    has_stores
        Whether the client has stores (a stores unit or shopping guides in the profile).
    mix, checks
        From :func:`~.alignment.compute_mix` and :func:`~.alignment.compute_checks`.
    reach
        From :func:`~.alignment.target_reach`, or None without actuals.
    gmv
        ``(annual GMV in CNY, source)`` or None when unknown.
    gmv_by_dept
        From :func:`~.alignment.gmv_targets`.
    variable_annual
        Annual variable pay (CNY) from actuals or at target.
    employees
        People scored (0 without actuals).
    """
    names = {u.id: u.label for u in scheme.units}
    facts: dict[str, Any] = {
        "incentives.stage": stage,
        "incentives.units": len(scheme.units),
        "incentives.employees": int(employees),
        "incentives.has_stores": bool(has_stores),
    }
    for m in mix.itertuples(index=False):
        facts[f"incentives.weights_sum.{m.unit}"] = round(float(m.weight_sum), 1)
    flagged = checks.set_index("unit")
    for unit_id, ok in (~flagged["weights_off"].astype(bool)).items():
        facts[f"incentives.weights_ok.{unit_id}"] = bool(ok)
    bad = mix[flagged["weights_off"].astype(bool).to_numpy()]
    facts["incentives.weights_bad"] = int(len(bad))
    facts["incentives.weights_bad_list"] = SEP.join(
        f"{r.name} {r.weight_sum:g}%" for r in bad.itertuples(index=False)
    )
    for dept in DEPARTMENTS:
        sub = mix[mix["department"] == dept]
        if sub.empty:
            continue
        prefix = f"incentives.dept.{dept}"
        for name in _SHARES:
            facts.update(_share_facts(prefix, name, _weighted_mean(sub[name], sub["headcount"])))
        facts[f"{prefix}.headcount"] = int(sub["headcount"].sum())
        facts[f"{prefix}.long_term"] = bool(((sub["long"] > 0) | (sub["annual_share"] > 0)).any())
        facts[f"{prefix}.has_veto"] = bool(sub["has_veto"].any())

    shared = shared_indicators(scheme)
    facts["incentives.shared_indicators"] = len(shared)
    for lang, suffix in (("zh", ""), ("en", "_en")):
        facts[f"incentives.shared_indicator_list{suffix}"] = SEP.join(
            library.index[k].name.get(lang) for k in shared
        )
    short = checks[checks["short_volume_only"].astype(bool)]["unit"]
    facts["incentives.short_volume_units"] = int(len(short))
    facts["incentives.short_volume_list"] = SEP.join(names[u] for u in short)

    stores = mix[mix["department"] == "stores"]
    facts["incentives.double_credit"] = bool(len(stores) and stores["double_credit"].all())
    facts["incentives.no_double_credit_list"] = SEP.join(
        names[u] for u in stores.loc[~stores["double_credit"], "unit"]
    )
    front = mix[mix["level"] == "frontline"]
    facts["incentives.frontline_headcount"] = int(front["headcount"].sum())
    if len(front):
        long_term = ((front["long"] > 0) | (front["annual_share"] > 0)).astype(float)
        facts.update(
            _share_facts(
                "incentives", "frontline_long_term", _weighted_mean(long_term, front["headcount"])
            )
        )
    facts["incentives.veto_units"] = int(mix["has_veto"].sum())
    facts.update(_share_facts("incentives", "stage_fit", float(mix["stage_fit"].mean())))

    if gmv is not None:
        reference, source = gmv
        facts["incentives.gmv_reference"] = float(reference)
        facts["incentives.gmv_source"] = source
        if len(gmv_by_dept):
            top = gmv_by_dept.sort_values("annual_gmv", ascending=False).iloc[0]
            ratio = float(top["annual_gmv"]) / reference
            facts["incentives.gmv_target_vs_plan"] = ratio
            facts["incentives.gmv_target_vs_plan_pct"] = _pct(ratio)
            facts["incentives.gmv_target_units"] = top["units"]
        if variable_annual is not None:
            facts["incentives.cost_share_gmv"] = variable_annual / reference
            facts["incentives.cost_share_gmv_pct"] = _pct(variable_annual / reference)
    if reach is not None:
        out = reach[reach["out_of_reach"].astype(bool)]
        facts["incentives.targets_out_of_reach"] = int(len(out))
        for lang, suffix in (("zh", ""), ("en", "_en")):
            facts[f"incentives.targets_out_of_reach_list{suffix}"] = SEP.join(
                f"{names[r.unit]}·{library.index[r.kpi].name.get(lang)}"
                for r in out.itertuples(index=False)
            )
    return facts


def evaluate_incentive_rules(rules: RuleSet, facts: dict[str, Any]) -> pd.DataFrame:
    """Fire the incentive rules on ``facts`` (same columns as the diagnosis findings)."""
    return evaluate_rules(rules, facts)
