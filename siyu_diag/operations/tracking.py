"""The monthly target tracking table: actual, target, completion, last month, change, light.

Definitions:

- **Completion** = actual / target for metrics where higher is better, target / actual for
  metrics where lower is better (churn, cost); undefined when the divisor is 0.
- **Last month** = the same metric's actual in the previous calendar month;
  **month-on-month change** = (actual − last month) / |last month| (relative, so 7.52% → 9.73%
  is +29.4%).
- **Traffic light**: green when the target is met (completion ≥ 100%), amber when completion is
  at least ``amber_from`` (default 80%), red below; grey (``none``) when completion is
  undefined, except that a lower-is-better metric at 0 is green.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import columns as C

#: Traffic-light values.
LIGHTS = ("green", "amber", "red", "none")


def compute_tracking(kpi: pd.DataFrame, *, amber_from: float = 0.8) -> pd.DataFrame:
    """Completion, last month, month-on-month change and a traffic light for every row.

    Parameters
    ----------
    kpi
        Validated tracking table (:func:`~siyu_diag.operations.tables.validate_kpi_tracking`).
    amber_from
        Completion (0–1) from which a missed target shows amber rather than red.

    Returns
    -------
    pandas.DataFrame
        ``metric``, ``month`` (Period), ``actual``, ``target``, ``unit``, ``direction``,
        ``completion`` (0–1 and above), ``last_month``, ``mom_change`` (relative) and ``light``;
        metrics in the order they first appear, months ascending.
    """
    frame = kpi[[C.METRIC, C.MONTH, C.ACTUAL, C.TARGET, C.UNIT, C.DIRECTION]].copy()
    order = {m: i for i, m in enumerate(pd.unique(frame[C.METRIC]))}
    frame = frame.sort_values([C.METRIC, C.MONTH], key=lambda s: s.map(order)
                              if s.name == C.METRIC else s).reset_index(drop=True)  # fmt: skip
    actual = frame[C.ACTUAL].to_numpy(float)
    target = frame[C.TARGET].to_numpy(float)
    lower = (frame[C.DIRECTION] == "lower").to_numpy()
    num = np.where(lower, target, actual)
    den = np.where(lower, actual, target)
    with np.errstate(divide="ignore", invalid="ignore"):
        completion = np.where(den != 0, num / np.where(den != 0, den, 1), np.nan)
    frame["completion"] = completion
    previous = frame[[C.METRIC, C.MONTH, C.ACTUAL]].copy()
    previous[C.MONTH] = previous[C.MONTH] + 1
    previous = previous.rename(columns={C.ACTUAL: "last_month"})
    frame = frame.merge(previous, on=[C.METRIC, C.MONTH], how="left")
    last = frame["last_month"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["mom_change"] = np.where(last != 0, (actual - last) / np.abs(last), np.nan)
    light = np.select(
        [completion >= 1 - 1e-12, completion >= amber_from, ~np.isnan(completion)],
        ["green", "amber", "red"],
        default="none",
    )
    light = np.where(lower & (actual == 0) & (target >= 0), "green", light)
    frame["light"] = light
    return frame


def latest_tracking(tracking: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest month in the table (the month the report reviews)."""
    if tracking.empty:
        return tracking
    latest = tracking[C.MONTH].max()
    return tracking[tracking[C.MONTH] == latest].reset_index(drop=True)
