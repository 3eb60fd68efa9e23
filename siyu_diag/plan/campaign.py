"""The campaign calculator and its OKR breakdown.

One campaign, as the source states it: ``GMV = traffic × conversion × AOV`` and ``profit = GMV ×
gross margin − (marketing cost + organisation cost)`` (with the default gross margin of 1 this
is the source's ``GMV − cost``). Three ratios on ``cost = marketing + organisation``, each named
and never mixed: ``ROI = profit / cost``, ``ROAS = GMV / cost`` and the source's
``(cost + GMV) / cost`` (``source_ratio``).

The OKR breakdown turns a GMV target into key results on the three levers. The uplift needed,
``target / (traffic × conversion × AOV)``, is split across the levers by weights in log space
(equal weights: each lever × uplift^(1/3)), so the key results multiply back to the target
exactly; a conversion that would pass 100 % is capped and the rest is split over the other two.
A fourth key result states the ROI the campaign reaches at the target with the given costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LEVERS = ("traffic", "conversion", "aov")


@dataclass(frozen=True)
class CampaignResult:
    """A campaign's figures (money in CNY, rates 0–1)."""

    traffic: float
    conversion: float
    aov: float
    orders: float
    gmv: float
    marketing_cost: float
    organisation_cost: float
    cost: float
    gross_margin: float
    profit: float
    roi: float | None
    roas: float | None
    source_ratio: float | None


def compute_campaign(
    traffic: float,
    conversion: float,
    aov: float,
    marketing_cost: float,
    organisation_cost: float,
    *,
    gross_margin: float = 1.0,
) -> CampaignResult:
    """GMV, profit and the three ratios of one campaign.

    Parameters
    ----------
    traffic
        People reached.
    conversion
        Share of them who buy, 0–1.
    aov
        Average order value, CNY.
    marketing_cost, organisation_cost
        CNY.
    gross_margin
        Share of GMV kept after the cost of goods (1 reproduces the source's formula).

    Returns
    -------
    CampaignResult
        Ratios are None when the cost is 0.

    Raises
    ------
    ValueError
        When a value is negative or a rate lies outside 0–1.
    """
    for name, value in (
        ("traffic", traffic),
        ("aov", aov),
        ("marketing_cost", marketing_cost),
        ("organisation_cost", organisation_cost),
    ):
        if value < 0:
            raise ValueError(f"`{name}` must be 0 or more, but {value!r} was passed.")
    for name, value in (("conversion", conversion), ("gross_margin", gross_margin)):
        if not 0 <= value <= 1:
            raise ValueError(f"`{name}` must be between 0 and 1, but {value!r} was passed.")
    orders = traffic * conversion
    gmv = orders * aov
    cost = marketing_cost + organisation_cost
    profit = gmv * gross_margin - cost
    return CampaignResult(
        traffic=float(traffic),
        conversion=float(conversion),
        aov=float(aov),
        orders=float(orders),
        gmv=float(gmv),
        marketing_cost=float(marketing_cost),
        organisation_cost=float(organisation_cost),
        cost=float(cost),
        gross_margin=float(gross_margin),
        profit=float(profit),
        roi=profit / cost if cost else None,
        roas=gmv / cost if cost else None,
        source_ratio=(cost + gmv) / cost if cost else None,
    )


@dataclass(frozen=True)
class KeyResult:
    """One key result: a metric moved from its baseline to a target.

    ``metric`` is ``traffic`` (people), ``conversion`` (0–1), ``aov`` (CNY) or ``roi``.
    """

    metric: str
    baseline: float | None
    target: float

    @property
    def change(self) -> float | None:
        """Relative change from the baseline."""
        if not self.baseline:
            return None
        return self.target / self.baseline - 1


@dataclass(frozen=True)
class Okr:
    """An objective (reach ``target_gmv``) and its key results, with numbers."""

    name: str
    target_gmv: float
    baseline_gmv: float
    key_results: tuple[KeyResult, ...]

    @property
    def uplift(self) -> float:
        """Target GMV / baseline GMV."""
        return self.target_gmv / self.baseline_gmv if self.baseline_gmv else float("nan")


def okr_breakdown(
    target_gmv: float,
    *,
    traffic: float,
    conversion: float,
    aov: float,
    marketing_cost: float = 0.0,
    organisation_cost: float = 0.0,
    gross_margin: float = 1.0,
    weights: tuple[float, float, float] = (1.0, 1.0, 1.0),
    name: str = "",
) -> Okr:
    """Break a campaign's GMV target into key results on traffic, conversion and AOV.

    Parameters
    ----------
    target_gmv
        The objective, CNY.
    traffic, conversion, aov
        The baseline levers (people, 0–1, CNY); all must be above 0.
    marketing_cost, organisation_cost, gross_margin
        For the ROI key result.
    weights
        Relative share of the uplift each lever carries (traffic, conversion, AOV), in log space.
    name
        The campaign's name, for the objective.

    Returns
    -------
    Okr
        ``traffic × conversion × aov`` of the key results equals ``target_gmv``.
    """
    if min(traffic, conversion, aov) <= 0:
        raise ValueError("`traffic`, `conversion` and `aov` must all be above 0 for an OKR.")
    if target_gmv <= 0:
        raise ValueError(f"`target_gmv` must be above 0, but {target_gmv!r} was passed.")
    if len(weights) != 3 or min(weights) < 0 or sum(weights) <= 0:
        raise ValueError(
            f"`weights` must be three non-negative numbers, but {weights!r} was passed."
        )
    baseline = {"traffic": traffic, "conversion": conversion, "aov": aov}
    uplift = math.log(target_gmv / (traffic * conversion * aov))
    share = dict(zip(LEVERS, (w / sum(weights) for w in weights), strict=True))
    target = {k: baseline[k] * math.exp(uplift * share[k]) for k in LEVERS}
    if target["conversion"] > 1:
        target["conversion"] = 1.0
        rest = uplift - math.log(1.0 / conversion)
        others = share["traffic"] + share["aov"] or 1.0
        for k in ("traffic", "aov"):
            part = share[k] / others if share["traffic"] + share["aov"] else 0.5
            target[k] = baseline[k] * math.exp(rest * part)
    result = compute_campaign(
        target["traffic"],
        target["conversion"],
        target["aov"],
        marketing_cost,
        organisation_cost,
        gross_margin=gross_margin,
    )
    key_results = [KeyResult(k, baseline[k], target[k]) for k in LEVERS]
    if result.roi is not None:
        base = compute_campaign(
            traffic, conversion, aov, marketing_cost, organisation_cost, gross_margin=gross_margin
        )
        key_results.append(KeyResult("roi", base.roi, result.roi))
    return Okr(
        name=name,
        target_gmv=float(target_gmv),
        baseline_gmv=float(traffic * conversion * aov),
        key_results=tuple(key_results),
    )
