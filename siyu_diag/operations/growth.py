"""Friend growth: daily new, cumulative and current friends, retention and monthly churn.

Definitions:

- **Cumulative friends** on a day = friends ever added up to that day; **current friends** =
  friends at the end of that day, after deletions. Exported totals are used as they are (summed
  over channels and staff, the last known value carried over days without a row). A total that
  is not exported is derived from the flows: cumulative = current + deletions so far, or
  current = cumulative − deletions so far, or both from zero at the start of the export.
  Deletions before the first day of the export are unknown and taken as zero.
- **Retention** = current / cumulative friends.
- **Monthly churn** = friends deleted in the month / current friends at the end of the previous
  month (the month's opening); months above the threshold (default 5%) are flagged.
- **Existing users** of a month = opening − deletions in the month, at least 0 (the planning
  model's "last month's total − users lost this month"); **new users** = friends added in the
  month.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C

#: How each total was obtained: ``exported`` or ``derived``.
BASIS = "basis"


def _totals(friends: pd.DataFrame, column: str, days: pd.DatetimeIndex) -> pd.Series:
    keys = [c for c in (C.CHANNEL, C.STAFF) if c in friends]
    if not keys:
        return friends.groupby(C.DATE)[column].sum().reindex(days).ffill().fillna(0)
    wide = friends.pivot_table(index=C.DATE, columns=keys, values=column, aggfunc="sum")
    return wide.reindex(days).ffill().fillna(0).sum(axis=1)


def compute_daily_growth(friends: pd.DataFrame) -> pd.DataFrame:
    """Daily friends over the whole export, one row per calendar day.

    Parameters
    ----------
    friends
        Validated friends table (:func:`~siyu_diag.operations.tables.validate_friends`).

    Returns
    -------
    pandas.DataFrame
        ``date``, ``new_friends``, ``deletions``, ``cumulative_friends``, ``current_friends``,
        ``retention`` (0–1) and ``basis`` (``"exported"``/``"derived"`` per total, e.g.
        ``"cumulative: exported; current: derived"``). Days without a row count 0 flows.
    """
    if friends.empty:
        cols = [C.DATE, C.NEW_FRIENDS, C.DELETIONS, C.CUMULATIVE, C.CURRENT, "retention", BASIS]
        return pd.DataFrame(columns=cols)
    days = pd.date_range(friends[C.DATE].min(), friends[C.DATE].max(), freq="D", name=C.DATE)
    flows = friends.groupby(C.DATE)[[C.NEW_FRIENDS, C.DELETIONS]].sum().reindex(days).fillna(0)
    out = flows.astype("int64").reset_index()
    added = out[C.NEW_FRIENDS].cumsum().to_numpy(float)
    deleted = out[C.DELETIONS].cumsum().to_numpy(float)
    has_cum, has_cur = C.CUMULATIVE in friends, C.CURRENT in friends
    cum = _totals(friends, C.CUMULATIVE, days).to_numpy(float) if has_cum else None
    cur = _totals(friends, C.CURRENT, days).to_numpy(float) if has_cur else None
    if cum is None and cur is None:
        cum, cur = added, added - deleted
    elif cum is None:
        cum = cur + deleted
    elif cur is None:
        cur = cum - deleted
    out[C.CUMULATIVE] = cum
    out[C.CURRENT] = cur
    with np.errstate(divide="ignore", invalid="ignore"):
        out["retention"] = np.where(cum > 0, cur / np.where(cum > 0, cum, 1), np.nan)
    basis = [f"cumulative: {'exported' if has_cum else 'derived'}",
             f"current: {'exported' if has_cur else 'derived'}"]  # fmt: skip
    out[BASIS] = "; ".join(basis)
    return out


def compute_monthly_growth(daily: pd.DataFrame, *, threshold: float = 0.05) -> pd.DataFrame:
    """Monthly adds, deletions, opening/closing friends, retention and churn against a threshold.

    Parameters
    ----------
    daily
        Output of :func:`compute_daily_growth`.
    threshold
        Monthly churn above which a month is flagged (0–1; the sources use 5%).

    Returns
    -------
    pandas.DataFrame
        ``month`` (Period), ``days`` (days with data), ``complete`` (the whole month is
        covered), ``new_friends``, ``deletions``, ``opening`` (current friends at the end of
        the previous month), ``existing`` (opening − deletions), ``closing``, ``cumulative``,
        ``retention`` (at month end), ``churn`` (deletions / opening) and ``above_threshold``.
    """
    cols = ["month", "days", "complete", C.NEW_FRIENDS, C.DELETIONS, "opening", "existing",
            "closing", "cumulative", "retention", "churn", "above_threshold"]  # fmt: skip
    if daily.empty:
        return pd.DataFrame(columns=cols)
    month = daily[C.DATE].dt.to_period("M")
    grouped = daily.groupby(month)
    out = grouped[[C.NEW_FRIENDS, C.DELETIONS]].sum()
    out["days"] = grouped.size()
    out["complete"] = out["days"].to_numpy() == out.index.days_in_month.to_numpy()
    out["closing"] = grouped[C.CURRENT].last()
    out["cumulative"] = grouped[C.CUMULATIVE].last()
    out["retention"] = grouped["retention"].last()
    first = daily.iloc[0]
    before = first[C.CURRENT] - first[C.NEW_FRIENDS] + first[C.DELETIONS]
    out["opening"] = out["closing"].shift(1)
    out.iloc[0, out.columns.get_loc("opening")] = before
    out["existing"] = (out["opening"] - out[C.DELETIONS]).clip(lower=0)
    opening = out["opening"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["churn"] = np.where(opening > 0, out[C.DELETIONS] / np.where(opening > 0, opening, 1),
                                np.nan)  # fmt: skip
    out["above_threshold"] = out["churn"] > threshold
    out.index.name = "month"
    return out.reset_index()[cols]


def compute_channel_growth(friends: pd.DataFrame, *, by: str = C.CHANNEL) -> pd.DataFrame:
    """Adds, deletions and net growth per channel (or staff member) over the export.

    Returns
    -------
    pandas.DataFrame
        ``by``, ``new_friends``, ``deletions``, ``net`` (adds − deletions), ``kept`` (net /
        adds: the share of this channel's adds still there, assuming deletions concern friends
        added in the export) and ``share`` of all adds; sorted by adds, largest first. Empty
        when the export has no such column.
    """
    if by not in friends:
        return pd.DataFrame(columns=[by, C.NEW_FRIENDS, C.DELETIONS, "net", "kept", "share"])
    out = friends.groupby(by)[[C.NEW_FRIENDS, C.DELETIONS]].sum()
    out["net"] = out[C.NEW_FRIENDS] - out[C.DELETIONS]
    adds = out[C.NEW_FRIENDS].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["kept"] = np.where(adds > 0, out["net"] / np.where(adds > 0, adds, 1), np.nan)
    total = adds.sum()
    out["share"] = adds / total if total > 0 else np.nan
    return out.sort_values(C.NEW_FRIENDS, ascending=False).reset_index()
