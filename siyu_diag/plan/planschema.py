"""The shape of ``plan.yaml`` (the file named by ``client.yaml`` ``plan.file``): keys and units.

Every key, with its unit (any driver value may be a number or ``{low, likely, high}``)::

    horizon_months: 24            # months to project, 12–36
    start_month: 2026-04          # optional: calendar month of plan month 1 (labels only)
    last_year:                    # last year's private-domain figures
      users: 60000                #   users at year end (people): the plan's starting base
      gmv: 3600000                #   GMV, CNY; the base of target.growth
      returning_conversion: 0.06  #   share of existing users who bought in a month, 0–1
      aov: 85                     #   returning users' average order value, CNY
      repurchase_frequency: 1.1   #   orders per buying user per month, ≥ 1
      monthly_churn: 0.06         #   share of users lost per month, 0–1
      new_users: 50000            #   optional: new users added last year (people)
      first_order_conversion: 0.1 #   optional: last year's value, 0–1
      first_order_aov: 60         #   optional: last year's value, CNY
    drivers:                      # the plan's values; an omitted one takes last year's value
      returning_conversion: {low: 0.05, likely: 0.07, high: 0.09}
      aov: 88                     #   CNY
      repurchase_frequency: 1.1
      monthly_churn: 0.05
      first_order_conversion: 0.15  # share of new users ordering in their first month
      first_order_aov: 68         #   CNY
      gross_margin: 0.6           #   0–1
    channels:                     # any number; the id is used in driver names (traffic.<id>)
      stores:
        name: 门店扫码             #   shown in the report (default: the id)
        traffic: 220000           #   people reached per month
        touches: 1                #   touches per person (default 1)
        add_rate: 0.05            #   share of touches that become private-domain users, 0–1
        cost_per_user: 4          #   CNY per new user (default 0)
        monthly_spend: 0          #   fixed channel spend, CNY per month (default 0)
        start_month: 1            #   plan month the channel starts (default 1)
    channels_file: channels.xlsx  # optional: more channels from a CSV/XLSX table, one row per
    channels_sheet: 渠道           #   channel, columns id, name, traffic, touches, add_rate,
                                  #   cost_per_user, monthly_spend, start_month and optional
                                  #   <driver>_low / <driver>_high
    organisation:
      bonus_rate: 0.01            # team bonus, share of GMV
      commission_rate: 0.02       # sales commission, share of GMV
      roles:
        community: {name: 社群运营, headcount: 2, monthly_cost: 12000, start_month: 1}
    fixed_costs:                  # amortised evenly over `months` from `start_month`
      scrm: {name: SCRM 系统, amount: 36000, months: 12, start_month: 1}   # CNY, months ≥ 1
    target: {growth: 0.5}         # top-down year-1 GMV: last year × (1 + growth), or {gmv: CNY}
    monte_carlo: {draws: 10000, seed: 20260320}
    campaigns:                    # optional: the campaign calculator
      july:
        name: 暑期新课
        month: 4                  #   optional plan month
        traffic: 40000            #   people reached
        conversion: 0.025         #   0–1
        aov: 200                  #   CNY
        marketing_cost: 30000     #   CNY
        organisation_cost: 20000  #   CNY
        gross_margin: 1           #   optional, default 1 (the source's profit = GMV − cost)
        target_gmv: 200000        #   optional: breaks the target into OKR key results

:class:`PlanFile` parses the file as written (unknown keys are errors with a did-you-mean);
:mod:`~.planfile` checks the values and builds the plan's inputs.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LastYearIn(_Strict):
    """``last_year``: last year's private-domain figures."""

    users: float
    gmv: float
    returning_conversion: float
    aov: float
    repurchase_frequency: float
    monthly_churn: float
    new_users: float | None = None
    first_order_conversion: float | None = None
    first_order_aov: float | None = None


class DriversIn(_Strict):
    """``drivers``: the plan's values (a number or ``{low, likely, high}``; None: last year's)."""

    returning_conversion: Any = None
    aov: Any = None
    repurchase_frequency: Any = None
    monthly_churn: Any = None
    first_order_conversion: Any = None
    first_order_aov: Any = None
    gross_margin: Any = None


class ChannelIn(_Strict):
    """One entry of ``channels``."""

    name: str | None = None
    traffic: Any = None
    touches: Any = 1.0
    add_rate: Any = None
    cost_per_user: Any = 0.0
    monthly_spend: Any = 0.0
    start_month: int = 1


class RoleIn(_Strict):
    """One entry of ``organisation.roles``."""

    name: str | None = None
    headcount: Any = None
    monthly_cost: Any = None
    start_month: int = 1


class OrganisationIn(_Strict):
    """``organisation``: bonus and commission rates, roles."""

    bonus_rate: Any = 0.0
    commission_rate: Any = 0.0
    roles: dict[str, RoleIn] = Field(default_factory=dict)


class FixedCostIn(_Strict):
    """One entry of ``fixed_costs``, amortised evenly over ``months``."""

    name: str | None = None
    amount: float
    months: int
    start_month: int = 1


class TargetIn(_Strict):
    """``target``: year-1 GMV as an amount or as growth on last year's."""

    gmv: float | None = None
    growth: float | None = None


class CampaignIn(_Strict):
    """One entry of ``campaigns`` (the campaign calculator)."""

    name: str | None = None
    month: int | None = None
    traffic: float
    conversion: float
    aov: float
    marketing_cost: float = 0.0
    organisation_cost: float = 0.0
    gross_margin: float = 1.0
    target_gmv: float | None = None


class MonteCarloIn(_Strict):
    """``monte_carlo``: number of draws and the seed."""

    draws: int = 10_000
    seed: int = 20260101


class PlanFile(_Strict):
    """The raw schema of ``plan.yaml`` (see the module docstring for every key and unit)."""

    horizon_months: int = 24
    start_month: str | None = None
    last_year: LastYearIn
    drivers: DriversIn = DriversIn()
    channels: dict[str, ChannelIn] = Field(default_factory=dict)
    channels_file: str | None = None
    channels_sheet: str | None = None
    organisation: OrganisationIn = OrganisationIn()
    fixed_costs: dict[str, FixedCostIn] = Field(default_factory=dict)
    target: TargetIn | None = None
    monte_carlo: MonteCarloIn = MonteCarloIn()
    campaigns: dict[str, CampaignIn] = Field(default_factory=dict)
