"""The shopping-guide (导购) KPI, derived top down from each store's revenue target.

For each store, with the assumptions of :class:`~.scheme.ShoppingGuides`:

1. private-domain revenue R = store annual revenue target × ``private_share`` (the part of the
   store's revenue expected through its WeCom friends);
2. orders O = R ÷ ``aov``;
3. buying friends B = O ÷ ``orders_per_buyer`` (repeat orders per buying friend per year);
4. friends to manage F = B ÷ ``conversion`` (share of managed friends who buy in a year);
5. per guide: F_g = F ÷ guides, and the friends each guide holds now F0_g = current ÷ guides;
6. monthly adds per guide a: friends evolve as f(m) = f(m−1) × (1 − c) + a with monthly churn
   c; reaching F_g after n = ``months`` months from F0_g needs
   a = (F_g − F0_g × (1 − c)^n) × c ÷ (1 − (1 − c)^n), which for c = 0 is (F_g − F0_g) ÷ n;
   a is 0 when the current friends already suffice.

The year-end stock F_g is taken as the friends needed to deliver the year's orders (a
conservative reading: friends added during the year also buy).
"""

from __future__ import annotations

import pandas as pd

from .scheme import ShoppingGuides

#: Columns of :func:`derive_guide_kpis`.
GUIDE_COLUMNS = (
    "store",
    "revenue_target",
    "private_revenue",
    "orders",
    "buyers",
    "friends",
    "guides",
    "friends_per_guide",
    "current_per_guide",
    "monthly_adds_per_guide",
)


def monthly_adds(target: float, current: float, churn: float, months: int) -> float:
    """Monthly adds that take ``current`` friends to ``target`` in ``months`` under ``churn``.

    Parameters
    ----------
    target, current
        Friends wanted at the end and held now.
    churn
        Share of friends lost per month (0–1).
    months
        Months to get there.

    Returns
    -------
    float
        Adds per month, never negative.
    """
    if churn == 0:
        adds = (target - current) / months
    else:
        keep = (1 - churn) ** months
        adds = (target - current * keep) * churn / (1 - keep)
    return max(adds, 0.0)


def derive_guide_kpis(guides: ShoppingGuides) -> pd.DataFrame:
    """The per-store table of the top-down derivation (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        One row per store with :data:`GUIDE_COLUMNS`: CNY per year for revenue, counts per
        year for orders and buyers, friends at year end, adds per guide per month.
    """
    rows = []
    for s in guides.stores:
        private = s.revenue_target * guides.private_share
        orders = private / guides.aov
        buyers = orders / guides.orders_per_buyer
        friends = buyers / guides.conversion
        per_guide = friends / s.guides
        current = s.current_friends / s.guides
        rows.append(
            {
                "store": s.store,
                "revenue_target": s.revenue_target,
                "private_revenue": private,
                "orders": orders,
                "buyers": buyers,
                "friends": friends,
                "guides": s.guides,
                "friends_per_guide": per_guide,
                "current_per_guide": current,
                "monthly_adds_per_guide": monthly_adds(
                    per_guide, current, guides.churn_monthly, guides.months
                ),
            }
        )
    return pd.DataFrame(rows, columns=list(GUIDE_COLUMNS))


def summarise_guides(table: pd.DataFrame) -> dict[str, float]:
    """Totals and spread of the derivation: stores, guides, friends, median and max adds."""
    adds = table["monthly_adds_per_guide"]
    return {
        "stores": int(len(table)),
        "guides": int(table["guides"].sum()),
        "private_revenue": float(table["private_revenue"].sum()),
        "orders": float(table["orders"].sum()),
        "friends": float(table["friends"].sum()),
        "median_adds": float(adds.median()),
        "min_adds": float(adds.min()),
        "max_adds": float(adds.max()),
    }
