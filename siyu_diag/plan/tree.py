"""The annual driver tree: the domain formula for plan year 1, and how each factor moved GMV.

``GMV = user-months × returning_conversion × aov × repurchase_frequency + new users ×
first_order_conversion × first_order_aov`` holds exactly for every plan year (see
:mod:`siyu_diag.plan.projection`). Each factor's *contribution* is its share of the change from
last year's GMV to year-1 GMV, split with the logarithmic mean Divisia index (LMDI-I): within a
branch ``V = x₁ × x₂ × …``, factor *i* contributes ``L(V₁, V₀) × ln(xᵢ₁ / xᵢ₀)`` with
``L(a, b) = (a − b) / (ln a − ln b)``; the contributions add up exactly to the branch's change
and do not depend on the order of the factors.

Last year's side of the formula: user-months = 12 × last year's users (last year's users stand
for its average base); returning conversion, AOV and frequency as stated in ``last_year``. The
new-user branch uses ``last_year.new_users`` with last year's first-order conversion and AOV
(the plan's values when not stated); without ``new_users`` it is last year's GMV minus the
returning branch, attributed wholly to new users. Whatever of last year's stated GMV the formula
does not reproduce is a separate *reconciliation* step (the formula's last-year GMV minus the
stated one), so the bridge starts at the GMV last year really had.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .inputs import PlanInputs
from .projection import Projection

RETURNING = ("user_months", "returning_conversion", "aov", "repurchase_frequency")
NEW = ("new_users", "first_order_conversion", "first_order_aov")
#: Tree nodes in display order, with their parent.
NODES = (
    ("gmv", None),
    ("gmv_returning", "gmv"),
    *((f, "gmv_returning") for f in RETURNING),
    ("gmv_new", "gmv"),
    *((f, "gmv_new") for f in NEW),
)


@dataclass(frozen=True)
class DriverTree:
    """Year-1 driver tree and the bridge from last year's GMV.

    Attributes
    ----------
    nodes
        One row per node (:data:`NODES`): ``node``, ``parent``, ``plan`` (year-1 value),
        ``last_year`` (NaN when unknown) and ``contribution`` (CNY of GMV change; NaN for
        branch totals).
    bridge
        ``step`` and ``gmv``: ``last_year`` (last year's stated GMV), ``reconciliation``, one
        step per factor, and ``plan`` (year-1 GMV). The middle steps add up to the difference.
    """

    nodes: pd.DataFrame
    bridge: pd.DataFrame


def log_mean(a: float, b: float) -> float:
    """The logarithmic mean ``(a − b) / (ln a − ln b)`` (``a`` when equal)."""
    if a == b:
        return a
    return (a - b) / (math.log(a) - math.log(b))


def lmdi(before: dict[str, float], after: dict[str, float], count: str) -> dict[str, float]:
    """LMDI-I contributions of each factor of a product to its change.

    When either product is 0 the whole change goes to the factor ``count`` (the user count).
    """
    v0 = math.prod(before.values())
    v1 = math.prod(after.values())
    out = dict.fromkeys(before, 0.0)
    if v0 <= 0 or v1 <= 0:
        out[count] = v1 - v0
        return out
    weight = log_mean(v1, v0)
    for k in before:
        out[k] = weight * math.log(after[k] / before[k]) if before[k] != after[k] else 0.0
    return out


def build_tree(inputs: PlanInputs, projection: Projection) -> DriverTree:
    """The year-1 driver tree and the bridge from last year's GMV (see the module docstring)."""
    y1 = projection.year(1)
    v = inputs.values()
    ly = inputs.last_year
    plan = {
        "user_months": float(y1["user_months"]),
        "returning_conversion": v["returning_conversion"],
        "aov": v["aov"],
        "repurchase_frequency": v["repurchase_frequency"],
        "new_users": float(y1["new_users"]),
        "first_order_conversion": v["first_order_conversion"],
        "first_order_aov": v["first_order_aov"],
    }
    last = {
        "user_months": 12.0 * ly.users,
        "returning_conversion": ly.returning_conversion,
        "aov": ly.aov,
        "repurchase_frequency": ly.repurchase_frequency,
    }
    ret0 = math.prod(last[k] for k in RETURNING)
    ret1 = math.prod(plan[k] for k in RETURNING)
    contributions = lmdi(
        {k: last[k] for k in RETURNING}, {k: plan[k] for k in RETURNING}, "user_months"
    )
    new1 = math.prod(plan[k] for k in NEW)
    if ly.new_users is not None:
        last["new_users"] = ly.new_users
        last["first_order_conversion"] = (
            ly.first_order_conversion
            if ly.first_order_conversion is not None
            else plan["first_order_conversion"]
        )
        last["first_order_aov"] = (
            ly.first_order_aov if ly.first_order_aov is not None else plan["first_order_aov"]
        )
        new0 = math.prod(last[k] for k in NEW)
        contributions |= lmdi({k: last[k] for k in NEW}, {k: plan[k] for k in NEW}, "new_users")
    else:
        new0 = max(ly.gmv - ret0, 0.0)
        contributions |= {
            "new_users": new1 - new0,
            "first_order_conversion": 0.0,
            "first_order_aov": 0.0,
        }
    reconciliation = (ret0 + new0) - ly.gmv  # the step from the stated GMV to the formula's
    totals = {
        "gmv": (ly.gmv, float(y1["gmv"])),
        "gmv_returning": (ret0, ret1),
        "gmv_new": (new0, new1),
    }
    rows = []
    for node, parent in NODES:
        if node in totals:
            before, after = totals[node]
            rows.append(
                {
                    "node": node,
                    "parent": parent,
                    "plan": after,
                    "last_year": before,
                    "contribution": float("nan"),
                }
            )
        else:
            rows.append(
                {
                    "node": node,
                    "parent": parent,
                    "plan": plan[node],
                    "last_year": last.get(node, float("nan")),
                    "contribution": contributions[node],
                }
            )
    steps = [
        {"step": "last_year", "gmv": ly.gmv},
        {"step": "reconciliation", "gmv": reconciliation},
    ]
    steps += [{"step": k, "gmv": contributions[k]} for k in (*RETURNING, *NEW)]
    steps.append({"step": "plan", "gmv": float(y1["gmv"])})
    return DriverTree(nodes=pd.DataFrame(rows), bridge=pd.DataFrame(steps))
