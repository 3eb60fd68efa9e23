"""The planning chapter's figures for ``results.json`` (merged by the report under ``plan``).

The schema is :class:`PlanResults` (``PlanResults.model_json_schema()``) with the models of its
parts; :mod:`~.results_builder` fills it from an opened chapter. Units are in the field names:
``_cny`` for money in CNY, ``users``/``new_users`` in people, rates and shares 0–1, months as
plan months (1 = the first month of the plan). Missing values are ``null``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

RESULTS_VERSION = "1.0"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DriverResult(_Model):
    """A driver as used: value, stated range and source (units: see ``unit``)."""

    name: str
    value: float | None
    low: float | None
    high: float | None
    unit: str
    source: str


class MonthResult(_Model):
    """One plan month (users in people, money in CNY)."""

    month: int
    label: str
    new_users: float
    lost_users: float
    existing_users: float
    total_users: float
    new_users_by_channel: dict[str, float]
    gmv_new_cny: float
    gmv_returning_cny: float
    gmv_cny: float
    marketing_cost_cny: float
    organisation_cost_cny: float
    fixed_cost_cny: float
    total_cost_cny: float
    contribution_cny: float
    profit_cny: float
    cumulative_profit_cny: float
    cac_cny: float | None


class YearResult(_Model):
    """One plan year (money in CNY, users in people).

    ``roi`` = profit / cost, ``roas`` = GMV / cost, ``source_ratio`` = (cost + GMV) / cost, with
    cost = marketing + organisation + fixed amortisation.
    """

    year: int
    months: int
    new_users: float
    user_months: float
    end_users: float
    gmv_cny: float
    gmv_new_cny: float
    gmv_returning_cny: float
    total_cost_cny: float
    profit_cny: float
    roi: float | None
    roas: float | None
    source_ratio: float | None
    cac_cny: float | None


class TreeNode(_Model):
    """A node of the year-1 driver tree.

    ``contribution_cny`` is its share of the GMV change from last year (LMDI), null for branch
    totals.
    """

    node: str
    parent: str | None
    plan: float
    last_year: float | None
    contribution_cny: float | None


class ClosingResult(_Model):
    """The value of one driver that alone closes the gap.

    ``status`` is ``feasible``, ``beyond_range`` or ``impossible``.
    """

    driver: str
    current: float
    closing_value: float | None
    change: float | None
    low: float
    high: float
    status: str


class SuggestionResult(_Model):
    """One driver of the suggested combination."""

    driver: str
    current: float
    suggested: float


class GapResult(_Model):
    """Top-down target vs bottom-up year-1 GMV (CNY); ``gap_cny`` = target − bottom-up."""

    basis: str
    growth: float | None
    target_gmv_cny: float
    bottom_up_gmv_cny: float
    gap_cny: float
    gap_share: float | None
    closing: list[ClosingResult]
    suggestion: list[SuggestionResult]
    suggestion_fraction: float
    suggested_gmv_cny: float
    reaches_target: bool


class ScenarioResult(_Model):
    """A three-point scenario, year 1 (``cumulative_profit_cny`` over the horizon)."""

    scenario: str
    gmv_cny: float
    profit_cny: float
    roi: float | None
    cumulative_profit_cny: float
    break_even_month: int | None


class TornadoResult(_Model):
    """One ranged driver alone at its low and high end: year-1 GMV and profit (CNY)."""

    driver: str
    low: float
    likely: float
    high: float
    gmv_low_cny: float
    gmv_high_cny: float
    profit_low_cny: float
    profit_high_cny: float


class MonteCarloResult(_Model):
    """Seeded Monte Carlo (Beta-PERT, independent drivers); P10/P50/P90 of year-1 figures."""

    draws: int
    seed: int
    distribution: str
    drivers: list[str]
    gmv_p10_cny: float
    gmv_p50_cny: float
    gmv_p90_cny: float
    profit_p10_cny: float
    profit_p50_cny: float
    profit_p90_cny: float
    break_even_p10: int | None
    break_even_p50: int | None
    break_even_p90: int | None
    prob_break_even: float
    prob_target: float | None


class KeyResultResult(_Model):
    """A key result: ``metric`` traffic (people), conversion (0–1), aov (CNY) or roi."""

    metric: str
    baseline: float | None
    target: float


class CampaignResultModel(_Model):
    """A campaign (money in CNY) and, with a target, its OKR."""

    id: str
    name: str
    month: int | None
    gmv_cny: float
    cost_cny: float
    profit_cny: float
    roi: float | None
    roas: float | None
    source_ratio: float | None
    target_gmv_cny: float | None
    key_results: list[KeyResultResult]


class CapabilityResult(_Model):
    """A bank sub-dimension an assumption depends on, as the diagnosis scores it (0–100)."""

    id: str
    score: float
    level: int


class RealityResult(_Model):
    """One driver against the client's history (units as the driver's; money in CNY).

    ``history_source`` is ``operations`` (the operating data's calibration: its value and the
    range of its months) or ``last_year`` (plan.yaml, one value), null without a history, when
    ``verdict`` is null too; otherwise ``verdict`` is ``more_cautious``, ``within``,
    ``beyond_best`` (more favourable than the best month) or ``beyond_multiple`` (at least
    ``multiple`` × the history). ``gmv_at_stake_cny`` and ``profit_at_stake_cny`` (year 1: the
    plan minus the plan with only this driver at history) are set for the two *beyond* verdicts;
    ``gmv_share_cny`` is the driver's Shapley part of the plan's year-1 GMV over the plan at
    history (the parts add up to it), null for a driver at its history. ``capabilities`` are the
    bank's sub-dimensions the assumption depends on (``data/rules/capabilities-v1.yaml`` or the
    client's ``capabilities.yaml``) with their diagnosis score and level, ``blocking_findings``
    the rule ids of the fired findings resting on them (both empty when the bank has no links).
    """

    driver: str
    plan_value: float
    history_value: float | None
    history_low: float | None
    history_high: float | None
    history_source: str | None
    verdict: str | None
    gmv_at_stake_cny: float | None
    profit_at_stake_cny: float | None
    gmv_share_cny: float | None
    capabilities: list[CapabilityResult]
    blocking_findings: list[str]


class AtHistoryResult(_Model):
    """The plan with every driver that has a history at it (channels as planned), year 1."""

    multiple: float
    year1_gmv_cny: float
    year1_profit_cny: float
    break_even_month: int | None
    gap_to_target_cny: float | None


class PlanResults(_Model):
    """Everything the planning chapter states."""

    results_version: str
    available: bool
    reason: str | None = None
    provenance: dict[str, Any] | None = None
    scenario: str | None = None
    horizon_months: int | None = None
    start_month: str | None = None
    drivers: list[DriverResult] = []
    monthly: list[MonthResult] = []
    annual: list[YearResult] = []
    break_even_month: int | None = None
    payback_months: int | None = None
    driver_tree: list[TreeNode] = []
    gap: GapResult | None = None
    scenarios: list[ScenarioResult] = []
    tornado: list[TornadoResult] = []
    monte_carlo: MonteCarloResult | None = None
    campaigns: list[CampaignResultModel] = []
    reality_check: list[RealityResult] = []
    at_history: AtHistoryResult | None = None
