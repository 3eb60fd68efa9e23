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

Each driver's **range** is the lowest and highest of its monthly ratios (months with a
non-zero denominator): the spread the history shows, never an assumed one.

A driver is **offered to the plan** (has a ``value``) only when it rests on enough: at least
``min_people`` people (distinct returning customers for the returning drivers, first-time
buyers for the first-order drivers, friends at an average month's opening for churn) and at
least ``min_months`` months with a non-zero denominator. Below either minimum the ratio is still
shown (``estimate``) and its basis says why it is not offered. A ratio the planning model cannot
take (a share above 100%: more returning buyers than existing friends, more first-time buyers
than friends added, more deletions than friends) is not offered either. The plan uses an
offered value only where plan.yaml gives none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C
from .calibration_text import DEFS, IMPOSSIBLE, MISSING, PEOPLE, PEOPLE_OF
from .purchases import (
    CUSTOMER,
    MONTH_NO,
    NET,
    USER_TYPE,
    VALID,
    last_complete_month,
    to_period,
    valid_only,
)

#: Columns of the calibration table (the planning model reads ``driver``, ``value``, ``low``
#: and ``high`` through the fact ``calibration``).
CALIBRATION_COLUMNS = ("driver", "value", "estimate", "low", "high", "unit", "basis_zh",
                       "basis_en", "n", "people", "months", "period")  # fmt: skip

#: The least people (customers, or friends for churn) a driver offered to the plan rests on.
MIN_PEOPLE = 30
#: The least months (with a non-zero denominator) a driver offered to the plan rests on.
MIN_MONTHS = 3

UNITS = {
    "returning_conversion": "share",
    "aov": "CNY",
    "repurchase_frequency": "orders per buyer",
    "monthly_churn": "share",
    "first_order_conversion": "share",
    "first_order_aov": "CNY",
}

_NEEDS = {
    "returning_conversion": ("friends", "orders"),
    "aov": ("orders",),
    "repurchase_frequency": ("orders",),
    "monthly_churn": ("friends",),
    "first_order_conversion": ("friends", "orders"),
    "first_order_aov": ("orders",),
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
        parts.append(_order_months(_order_frame(prepared, warmup_months)))
    if not parts:
        return pd.DataFrame(columns=["month"])
    out = parts[0] if len(parts) == 1 else parts[0].join(parts[1], how="inner")
    out.index.name = "month"
    return out.reset_index()


def _order_frame(prepared: pd.DataFrame, warmup_months: int) -> pd.DataFrame:
    """Valid orders of the calibration months: ``m``, ``c`` (customer), ``net``, ``new``.

    The frame's ``attrs["months"]`` holds every month number it covers (with or without
    orders).
    """
    valid = valid_only(prepared)
    first_m, last_m = int(valid[MONTH_NO].min()), last_complete_month(valid)
    valid = valid[valid[MONTH_NO].between(first_m + warmup_months, last_m)]
    frame = pd.DataFrame(
        {"m": valid[MONTH_NO].to_numpy(), "c": valid[CUSTOMER].to_numpy(),
         "net": valid[NET].to_numpy(), "new": (valid[USER_TYPE] == "new").to_numpy()}
    )  # fmt: skip
    frame.attrs["months"] = np.arange(first_m + warmup_months, last_m + 1)
    return frame


def _order_months(frame: pd.DataFrame) -> pd.DataFrame:
    new = frame["new"].to_numpy(bool)
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
    ).reindex(frame.attrs["months"])
    out = out.fillna(0.0)
    out.index = to_period(out.index)
    return out


def _people(frame: pd.DataFrame | None, used: pd.DataFrame) -> dict[str, float]:
    """The people of :data:`~.calibration_text.PEOPLE` over the months ``used``."""
    out = {"returning": 0.0, "first": 0.0, "friends": 0.0}
    if used.empty:
        return out
    if "opening" in used:
        out["friends"] = float(used["opening"].to_numpy(float).mean())
    if frame is not None and "first_buyers" in used:
        months = used["month"]
        numbers = np.asarray(months.dt.year * 12 + months.dt.month - 1, dtype="int64")
        inside = frame[np.isin(frame["m"].to_numpy(), numbers)]
        out["returning"] = float(inside.loc[~inside["new"].to_numpy(bool), "c"].nunique())
        out["first"] = float(used["first_buyers"].sum())
    return out


def _fmt(value: float, kind: str) -> str:
    if kind == "share":
        return f"{value * 100:.2f}%"
    return f"{value:,.2f}"


def _ratio(
    frame: pd.DataFrame, num: str, den: str
) -> tuple[float, float, float, float, float, int]:
    """Σnum ÷ Σden, both sums, the lowest and highest monthly ratio, months with den > 0."""
    if frame.empty or num not in frame or den not in frame:
        return (np.nan, 0.0, 0.0, np.nan, np.nan, 0)
    n, d = frame[num].to_numpy(float), frame[den].to_numpy(float)
    total_n, total_d = float(n.sum()), float(d.sum())
    value = total_n / total_d if total_d > 0 else np.nan
    months = int((d > 0).sum())
    if not months:
        return value, total_n, total_d, np.nan, np.nan, 0
    monthly = n[d > 0] / d[d > 0]
    return value, total_n, total_d, float(monthly.min()), float(monthly.max()), months


def _row(driver: str, *, zh: str, en: str, **facts) -> dict:
    """A row of the calibration table; numbers not given are NaN (counts 0, period "")."""
    nan = float("nan")
    value, estimate = facts.get("value", nan), facts.get("estimate", nan)
    low, high = facts.get("low", nan), facts.get("high", nan)
    n, people = facts.get("n", 0.0), facts.get("people", 0.0)
    months, period = facts.get("months", 0), facts.get("period", "")
    return {"driver": driver, "value": value, "estimate": estimate, "low": low, "high": high,
            "unit": UNITS[driver], "basis_zh": zh, "basis_en": en, "n": int(round(n)),
            "people": int(round(people)), "months": months, "period": period}  # fmt: skip


def compute_calibration(
    monthly_growth: pd.DataFrame | None,
    prepared: pd.DataFrame | None,
    *,
    warmup_months: int = 3,
    min_people: int = MIN_PEOPLE,
    min_months: int = MIN_MONTHS,
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
    min_people, min_months
        The least people and months a driver offered to the plan rests on (see the module).

    Returns
    -------
    pandas.DataFrame
        One row per driver in :data:`~siyu_diag.operations.columns.DRIVERS`: ``driver``,
        ``value`` (offered to the plan; NaN when the history cannot give it or gives too little),
        ``estimate`` (the ratio, also when it rests on too little; NaN when there is none or it
        is impossible), ``low`` and ``high`` (the lowest and highest month), ``unit``,
        ``basis_zh``, ``basis_en``, ``n`` (observations in the denominator), ``people`` (what it
        rests on, see the module), ``months`` (months with a non-zero denominator) and
        ``period`` (``YYYY-MM/YYYY-MM``).
    """
    has = {"friends": monthly_growth is not None, "orders": prepared is not None}
    months = compute_calibration_months(monthly_growth, prepared, warmup_months=warmup_months)
    orders = None
    if prepared is not None and prepared[VALID].to_numpy(bool).any():
        orders = _order_frame(prepared, warmup_months)
    rows = []
    for driver in C.DRIVERS:
        num, den, zn, zd, en_n, en_d = DEFS[driver]
        unit = UNITS[driver]
        missing = [k for k in _NEEDS[driver] if not has[k]]
        use = months if not missing else months.iloc[0:0]
        value, tn, td, low, high, k = _ratio(use, num, den)
        if missing:
            rows.append(_row(driver, zh=MISSING[missing[0]][0], en=MISSING[missing[0]][1]))
            continue
        if use.empty or not td:
            zh, en = (t.format(w=warmup_months) for t in MISSING["months"])
            rows.append(_row(driver, zh=zh, en=en))
            continue
        first, last = use["month"].iloc[0], use["month"].iloc[-1]
        people = _people(orders, use)[PEOPLE_OF[driver]]
        people_zh, people_en = (t.format(n=f"{people:,.0f}") for t in PEOPLE[PEOPLE_OF[driver]])
        span = len(use)
        rng_zh = rng_en = ""
        if k > 1:
            rng_zh = f"；各月在 {_fmt(low, unit)}–{_fmt(high, unit)} 之间"
            rng_en = f"; monthly values from {_fmt(low, unit)} to {_fmt(high, unit)}"
        zh = (f"{first} 至 {last}（{span} 个月）：{zn} {tn:,.0f} ÷ {zd} {td:,.0f} = "
              f"{_fmt(value, unit)}{rng_zh}；{people_zh}。")  # fmt: skip
        months_en = f"{span} months" if span > 1 else "1 month"
        en = (f"{first} to {last} ({months_en}): {en_n} {tn:,.0f} ÷ {en_d} {td:,.0f} = "
              f"{_fmt(value, unit)}{rng_en}; {people_en}.")  # fmt: skip
        facts = {"n": td, "people": people, "months": k, "period": f"{first}/{last}"}
        if driver in IMPOSSIBLE and not 0 <= value <= 1:  # each of them is a share
            why_zh, why_en = IMPOSSIBLE[driver]
            impossible_zh, impossible_en = MISSING["impossible"]
            zh += impossible_zh.format(why_zh=why_zh)
            en += " " + impossible_en.format(why_en=why_en)
            rows.append(_row(driver, zh=zh, en=en, people=people, months=k))
            continue
        short = []
        if people < min_people:
            short.append(tuple(t.format(people=p, min=min_people)
                               for t, p in zip(MISSING["few_people"], (people_zh, people_en),
                                               strict=True)))  # fmt: skip
        if k < min_months:
            k_en = f"{k} month" if k == 1 else f"{k} months"
            short.append((MISSING["few_months"][0].format(k=k, min=min_months),
                          MISSING["few_months"][1].format(k=k_en, min=min_months)))  # fmt: skip
        if short:
            zh += MISSING["withheld"][0].format(why="；".join(s[0] for s in short))
            en += " " + MISSING["withheld"][1].format(why="; ".join(s[1] for s in short))
            rows.append(_row(driver, estimate=value, low=low, high=high, zh=zh, en=en, **facts))
            continue
        zh += MISSING["offered"][0]
        en += " " + MISSING["offered"][1]
        rows.append(_row(driver, value=value, estimate=value, low=low, high=high, zh=zh, en=en,
                         **facts))  # fmt: skip
    return pd.DataFrame(rows, columns=list(CALIBRATION_COLUMNS))


def offered_drivers(calibration: pd.DataFrame) -> dict[str, dict[str, float | str]]:
    """What the calibration offers the plan: ``{driver: {"value", "low", "high", "period"}}``.

    Only drivers with a value (see :func:`compute_calibration`); ``low`` and ``high`` are the
    lowest and highest month, left out when not finite; ``period`` is ``YYYY-MM/YYYY-MM``.
    """
    out = {}
    for row in calibration.itertuples(index=False):
        if not np.isfinite(row.value):
            continue
        offer: dict[str, float | str] = {"value": float(row.value), "period": row.period}
        if np.isfinite(row.low) and np.isfinite(row.high):
            offer |= {"low": float(row.low), "high": float(row.high)}
        out[row.driver] = offer
    return out
