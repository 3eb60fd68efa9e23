"""Calibrate the planning model's monthly drivers from last year's friends and orders.

The planning model says: monthly GMV = existing users × returning conversion × AOV ×
repurchase frequency + new users × first-order conversion × first-order AOV, and existing users
= last month's total − users lost this month. The history gives each factor as a ratio of sums
over the calibration months, so that the drivers reproduce the history's GMV exactly.

For a month m:

- **existing users** E = friends at the end of the previous month − friends deleted in m;
  **new users** N = friends added in m (from the friends export);
- **returning buyers** R = customers with a valid order in m that is not on their first purchase
  day (a new customer's second purchase day in the same month counts here); their orders and GMV
  are the returning orders and GMV;
- **first-time buyers** F = customers whose first purchase day in the data is in m; their
  first-day orders and GMV are the first orders.

Drivers: returning conversion = ΣR / ΣE; AOV = returning GMV / returning orders; repurchase
frequency = returning orders / ΣR; monthly churn = Σ deletions / Σ opening friends; first-order
conversion = ΣF / ΣN; first-order AOV = first-day GMV / ΣF. The first ``warmup_months`` months
of orders only establish who is already a customer and are not used; neither are months that
the friends export or the orders do not cover in full.

A ratio the planning model cannot take (a share above 100%: more returning buyers than existing
friends, more first-time buyers than friends added, more deletions than friends) is not given:
its basis says why, and the plan keeps the value plan.yaml or last year gives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .purchases import CUSTOMER, DAY, MONTH_NO, NET, USER_TYPE, VALID, to_period, valid_only

#: Columns of the calibration table (the planning model reads these).
CALIBRATION_COLUMNS = ("driver", "value", "unit", "basis_zh", "basis_en", "n", "period")

UNITS = {
    "returning_conversion": "share",
    "aov": "CNY",
    "repurchase_frequency": "orders per buyer",
    "monthly_churn": "share",
    "first_order_conversion": "share",
    "first_order_aov": "CNY",
}


def compute_calibration_months(
    monthly_growth: pd.DataFrame | None, prepared: pd.DataFrame | None, *, warmup_months: int = 3
) -> pd.DataFrame:
    """The monthly figures the drivers are built from, for the months used.

    Returns
    -------
    pandas.DataFrame
        ``month`` (Period), ``opening``, ``deletions``, ``existing``, ``new_users``,
        ``returning_buyers``, ``returning_orders``, ``returning_gmv``, ``first_buyers``,
        ``first_orders``, ``first_gmv``; friends columns NaN without a friends export, order
        columns NaN without orders.
    """
    parts = []
    if monthly_growth is not None and len(monthly_growth):
        g = monthly_growth[monthly_growth["complete"].astype(bool)]
        parts.append(
            pd.DataFrame(
                {
                    "opening": g["opening"].to_numpy(float),
                    "deletions": g[C.DELETIONS].to_numpy(float),
                    "existing": g["existing"].to_numpy(float),
                    "new_users": g[C.NEW_FRIENDS].to_numpy(float),
                },
                index=pd.PeriodIndex(g["month"], freq="M"),
            )
        )
    if prepared is not None and prepared[VALID].to_numpy(bool).any():
        parts.append(_order_months(prepared, warmup_months))
    if not parts:
        return pd.DataFrame(columns=["month"])
    out = parts[0] if len(parts) == 1 else parts[0].join(parts[1], how="inner")
    out.index.name = "month"
    return out.reset_index()


def _order_months(prepared: pd.DataFrame, warmup_months: int) -> pd.DataFrame:
    valid = valid_only(prepared)[[CUSTOMER, DAY, MONTH_NO, NET, USER_TYPE]]
    first_m, last_m = int(valid[MONTH_NO].min()), int(valid[MONTH_NO].max())
    last_day = valid[DAY].max()
    if last_day.day < last_day.days_in_month - 2:  # the export stops early in its last month
        last_m -= 1
    months = np.arange(first_m + warmup_months, last_m + 1)
    valid = valid[valid[MONTH_NO].between(first_m + warmup_months, last_m)]
    new = (valid[USER_TYPE] == "new").to_numpy()
    frame = pd.DataFrame(
        {"m": valid[MONTH_NO].to_numpy(), "c": valid[CUSTOMER].to_numpy(),
         "net": valid[NET].to_numpy()}
    )  # fmt: skip
    ret, first = frame[~new].groupby("m"), frame[new].groupby("m")
    out = pd.DataFrame(
        {
            "returning_buyers": ret["c"].nunique(),
            "returning_orders": ret.size(),
            "returning_gmv": ret["net"].sum(),
            "first_buyers": first["c"].nunique(),
            "first_orders": first.size(),
            "first_gmv": first["net"].sum(),
        }
    ).reindex(months)
    out = out.fillna(0.0)
    out.index = to_period(out.index)
    return out


def _fmt(value: float, kind: str) -> str:
    if kind == "share":
        return f"{value * 100:.2f}%"
    if kind == "CNY":
        return f"{value:,.2f}"
    return f"{value:,.2f}"


def _ratio(frame: pd.DataFrame, num: str, den: str) -> tuple[float, float, float, float, float]:
    if frame.empty or num not in frame or den not in frame:
        return (np.nan, 0.0, 0.0, np.nan, np.nan)
    n, d = frame[num].to_numpy(float), frame[den].to_numpy(float)
    total_n, total_d = float(n.sum()), float(d.sum())
    value = total_n / total_d if total_d > 0 else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        monthly = np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)
    low = float(np.nanmin(monthly)) if np.isfinite(monthly).any() else np.nan
    high = float(np.nanmax(monthly)) if np.isfinite(monthly).any() else np.nan
    return value, total_n, total_d, low, high


_DEFS = {
    # driver: (numerator, denominator, zh numerator, zh denominator, en numerator, en denominator)
    "returning_conversion": ("returning_buyers", "existing", "当月复购的老客（人·月）",
                             "存量用户（上月末好友 − 当月删除，人·月）",
                             "returning buyers (buyer-months)",
                             "existing users (previous month-end friends − deletions, "
                             "user-months)"),
    "aov": ("returning_gmv", "returning_orders", "老客 GMV（元）", "老客有效订单数",
            "returning GMV (CNY)", "returning valid orders"),
    "repurchase_frequency": ("returning_orders", "returning_buyers", "老客有效订单数",
                             "当月复购的老客（人·月）", "returning valid orders",
                             "returning buyers (buyer-months)"),
    "monthly_churn": ("deletions", "opening", "当月删除好友数", "上月末好友数",
                      "friends deleted", "friends at the previous month's end"),
    "first_order_conversion": ("first_buyers", "new_users", "首购客户数", "当月新增好友数",
                               "first-time buyers", "friends added"),
    "first_order_aov": ("first_gmv", "first_buyers", "首购日 GMV（元）", "首购客户数",
                        "first-purchase-day GMV (CNY)", "first-time buyers"),
}  # fmt: skip

_MISSING = {
    "friends": ("需要好友数据（operations.friends）才能计算。",
                "Needs the friends export (operations.friends)."),
    "orders": ("需要订单数据（operations.orders）才能计算。",
               "Needs the orders export (operations.orders)."),
    "impossible": ("该比例高于 100%，而比例最多为 100%：{why_zh}。"
                   "该值不予采用，规划取 plan.yaml 或去年的数值。",
                   "The ratio is above 100%, which a share cannot be: {why_en}. It is not used; "
                   "the plan takes the value from plan.yaml or last year's figures."),
    "months": ("好友数据与订单数据没有共同的完整月份（订单前 {w} 个月只用于识别老客）。",
               "The friends and orders exports share no complete month (the first {w} months "
               "of orders only identify existing customers)."),
}  # fmt: skip

#: Why each share can come out above 100%, in the words of its basis.
_IMPOSSIBLE = {
    "returning_conversion": ("订单中的复购老客多于好友数据中的存量用户"
                             "（有老客不是好友，或好友数据漏记）",
                             "the orders hold more returning buyers than the friends export has "
                             "existing users (buyers who are not friends, or friends missing "
                             "from the export)"),
    "monthly_churn": ("删除好友数多于上月末好友数，好友数据前后矛盾",
                      "more friends were deleted than there were at the previous month's end: "
                      "the friends export contradicts itself"),
    "first_order_conversion": ("订单中的首购客户多于好友数据中的新增好友"
                               "（有新客不是好友，或新增漏记）",
                               "the orders hold more first-time buyers than friends were added "
                               "(buyers who are not friends, or adds missing from the export)"),
}  # fmt: skip

_NEEDS = {
    "returning_conversion": ("friends", "orders"),
    "aov": ("orders",),
    "repurchase_frequency": ("orders",),
    "monthly_churn": ("friends",),
    "first_order_conversion": ("friends", "orders"),
    "first_order_aov": ("orders",),
}


def compute_calibration(
    monthly_growth: pd.DataFrame | None,
    prepared: pd.DataFrame | None,
    *,
    warmup_months: int = 3,
) -> pd.DataFrame:
    """The six monthly plan drivers with the basis of each number.

    Parameters
    ----------
    monthly_growth
        :func:`~siyu_diag.operations.growth.compute_monthly_growth`, or None without friends.
    prepared
        :func:`~siyu_diag.operations.purchases.prepare_orders`, or None without orders.
    warmup_months
        Months at the start of the orders used only to recognise existing customers.

    Returns
    -------
    pandas.DataFrame
        One row per driver in :data:`~siyu_diag.operations.columns.DRIVERS`: ``driver``,
        ``value`` (NaN when the history cannot give it), ``unit``, ``basis_zh``, ``basis_en``,
        ``n`` (observations in the denominator) and ``period`` (``YYYY-MM/YYYY-MM``).
    """
    has = {"friends": monthly_growth is not None, "orders": prepared is not None}
    months = compute_calibration_months(monthly_growth, prepared, warmup_months=warmup_months)
    rows = []
    for driver in C.DRIVERS:
        num, den, zn, zd, en_n, en_d = _DEFS[driver]
        unit = UNITS[driver]
        missing = [k for k in _NEEDS[driver] if not has[k]]
        use = months if not missing else months.iloc[0:0]
        value, tn, td, low, high = _ratio(use, num, den)
        period = ""
        if missing:
            zh, en = _MISSING[missing[0]]
        elif use.empty or not td:
            zh, en = (t.format(w=warmup_months) for t in _MISSING["months"])
        else:
            first, last = use["month"].iloc[0], use["month"].iloc[-1]
            period = f"{first}/{last}"
            k = len(use)
            rng_zh = rng_en = ""
            if k > 1 and np.isfinite(low):
                rng_zh = f"；各月在 {_fmt(low, unit)}–{_fmt(high, unit)} 之间"
                rng_en = f"; monthly values from {_fmt(low, unit)} to {_fmt(high, unit)}"
            zh = (f"{first} 至 {last}（{k} 个月）：{zn} {tn:,.0f} ÷ {zd} {td:,.0f} = "
                  f"{_fmt(value, unit)}{rng_zh}。")  # fmt: skip
            months_en = f"{k} months" if k > 1 else "1 month"
            en = (f"{first} to {last} ({months_en}): {en_n} {tn:,.0f} ÷ {en_d} {td:,.0f} = "
                  f"{_fmt(value, unit)}{rng_en}.")  # fmt: skip
            if driver in _IMPOSSIBLE and not 0 <= value <= 1:  # each of them is a share
                why_zh, why_en = _IMPOSSIBLE[driver]
                impossible_zh, impossible_en = _MISSING["impossible"]
                zh += impossible_zh.format(why_zh=why_zh)
                en += " " + impossible_en.format(why_en=why_en)
                value, td, period = np.nan, 0.0, ""
        rows.append(
            {
                "driver": driver,
                "value": value,
                "unit": unit,
                "basis_zh": zh,
                "basis_en": en,
                "n": int(round(td)),
                "period": period,
            }
        )
    return pd.DataFrame(rows, columns=list(CALIBRATION_COLUMNS))
