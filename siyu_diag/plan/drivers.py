"""The plan's drivers: their names, units, periods and the values they may take.

Every number the projection uses is a *driver* with a name. Global drivers have plain names
(``aov``); per-channel and per-role drivers are named ``<driver>.<id>`` (``traffic.douyin``,
``headcount.community``). Scenarios, calibration, the tornado and the gap analysis all address
drivers by these names.

=========================  ==========================================  ==============
driver                     meaning and unit                            allowed values
=========================  ==========================================  ==============
returning_conversion       share of existing users who buy in a month  0–1
aov                        returning users' average order value, CNY   ≥ 0
repurchase_frequency       orders per buying returning user per month  ≥ 1
monthly_churn              share of users lost per month               0–1
first_order_conversion     share of new users who order in their       0–1
                           first month
first_order_aov            new users' first-order value, CNY           ≥ 0
gross_margin               gross margin on GMV                         0–1
bonus_rate                 team bonus, share of GMV                    0–1
commission_rate            sales commission, share of GMV              0–1
traffic.<channel>          people the channel reaches per month        ≥ 0
touches.<channel>          touches per person reached                  ≥ 0
add_rate.<channel>         share of touches that become private-       0–1
                           domain users
cost_per_user.<channel>    acquisition cost per new user, CNY          ≥ 0
monthly_spend.<channel>    fixed channel spend per month, CNY          ≥ 0
headcount.<role>           people in the role                          ≥ 0
monthly_cost.<role>        cost per person per month, CNY              ≥ 0
=========================  ==========================================  ==============
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GLOBAL_DRIVERS: tuple[str, ...] = (
    "returning_conversion",
    "aov",
    "repurchase_frequency",
    "monthly_churn",
    "first_order_conversion",
    "first_order_aov",
    "gross_margin",
    "bonus_rate",
    "commission_rate",
)
CHANNEL_DRIVERS: tuple[str, ...] = (
    "traffic",
    "touches",
    "add_rate",
    "cost_per_user",
    "monthly_spend",
)
ROLE_DRIVERS: tuple[str, ...] = ("headcount", "monthly_cost")

#: Drivers whose value changes GMV (the others only change costs or margin).
GMV_DRIVERS: frozenset[str] = frozenset(
    {
        "returning_conversion",
        "aov",
        "repurchase_frequency",
        "monthly_churn",
        "first_order_conversion",
        "first_order_aov",
        "traffic",
        "touches",
        "add_rate",
    }
)

#: Drivers on which year-1 GMV depends linearly (all others held fixed); churn is not linear.
LINEAR_GMV_DRIVERS: frozenset[str] = GMV_DRIVERS - {"monthly_churn"}

#: Relative room assumed for a driver without a stated range (±10 %): gap-closing feasibility
#: and the suggested combination use it; uncertainty analyses use stated ranges only.
DEFAULT_SPREAD = 0.10


@dataclass(frozen=True)
class Bounds:
    """The hard limits of a driver's value (inclusive)."""

    low: float
    high: float = math.inf

    def contains(self, value: float) -> bool:
        """Whether ``value`` is a possible value."""
        return self.low <= value <= self.high

    def describe(self) -> str:
        """The limits in words, for error messages."""
        if math.isinf(self.high):
            return f"a number of {self.low:g} or more"
        return f"a number from {self.low:g} to {self.high:g}"


SHARE = Bounds(0.0, 1.0)
NON_NEGATIVE = Bounds(0.0)
AT_LEAST_ONE = Bounds(1.0)

_BOUNDS: dict[str, Bounds] = {
    "returning_conversion": SHARE,
    "aov": NON_NEGATIVE,
    "repurchase_frequency": AT_LEAST_ONE,
    "monthly_churn": SHARE,
    "first_order_conversion": SHARE,
    "first_order_aov": NON_NEGATIVE,
    "gross_margin": SHARE,
    "bonus_rate": SHARE,
    "commission_rate": SHARE,
    "traffic": NON_NEGATIVE,
    "touches": NON_NEGATIVE,
    "add_rate": SHARE,
    "cost_per_user": NON_NEGATIVE,
    "monthly_spend": NON_NEGATIVE,
    "headcount": NON_NEGATIVE,
    "monthly_cost": NON_NEGATIVE,
}

#: How a value is shown (by :func:`siyu_diag.core.fmt.fmt_value`, in the report and the dashboard):
#: ``pct`` (a share as a percentage), ``money`` (an amount of CNY), ``price`` (CNY per unit, two
#: decimals), ``int`` (a count), ``num`` (two decimals), ``num1`` (a headcount: ``4``, ``2.5``).
_FORMAT: dict[str, str] = {
    "returning_conversion": "pct",
    "aov": "price",
    "repurchase_frequency": "num",
    "monthly_churn": "pct",
    "first_order_conversion": "pct",
    "first_order_aov": "price",
    "gross_margin": "pct",
    "bonus_rate": "pct",
    "commission_rate": "pct",
    "traffic": "int",
    "touches": "num",
    "add_rate": "pct",
    "cost_per_user": "price",
    "monthly_spend": "money",
    "headcount": "num1",
    "monthly_cost": "money",
}


def split_name(name: str) -> tuple[str, str | None]:
    """Split a driver name into its kind and entity: ``"traffic.douyin" → ("traffic", "douyin")``.

    Parameters
    ----------
    name
        A driver name.

    Returns
    -------
    tuple of str and str or None
        The driver kind and the channel or role id (None for a global driver).
    """
    kind, _, entity = name.partition(".")
    return kind, (entity or None)


def driver_name(kind: str, entity: str | None = None) -> str:
    """The name of a driver of ``kind`` for a channel or role ``entity``."""
    return f"{kind}.{entity}" if entity else kind


def bounds(name: str) -> Bounds:
    """The hard limits of the driver ``name`` (e.g. 0–1 for every rate)."""
    return _BOUNDS[split_name(name)[0]]


def value_format(name: str) -> str:
    """How the driver's values are shown: pct, money, price, int, num or num1."""
    return _FORMAT[split_name(name)[0]]


def affects_gmv(name: str) -> bool:
    """Whether the driver changes GMV (cost and margin drivers do not)."""
    return split_name(name)[0] in GMV_DRIVERS


def is_linear_in_gmv(name: str) -> bool:
    """Whether year-1 GMV is an affine function of this driver alone."""
    return split_name(name)[0] in LINEAR_GMV_DRIVERS
