"""What every fragment of the operating-data chapter uses: templates, headings, clean values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..core.fragments import Fragment, label, render_fragment
from .chapter import OperationsChapter

#: The fragment of a section with nothing to show.
EMPTY = Fragment(html="")


def render(ch: OperationsChapter, name: str, toc: list[dict[str, Any]], **context) -> Fragment:
    """Render ``templates/fragments/operations/<name>.html.j2`` in the chapter's language."""
    return render_fragment(f"operations/{name}.html.j2", ch.lang, toc, **context)


def sub(ch: OperationsChapter, key: str) -> list[dict[str, Any]]:
    """The table-of-contents entry of the section ``key``."""
    return [{"id": f"operations-{key}", "title": label(f"operations_sec_{key}", ch.lang),
             "level": 2}]  # fmt: skip


def name(prefix: str, value: str, lang: str) -> str:
    """The label ``operations_<prefix>_<value>``, or the value itself when there is none."""
    key = f"operations_{prefix}_{value}"
    try:
        return label(key, lang)
    except KeyError:
        return str(value)


def clean(value: Any) -> Any:
    """None for a missing or infinite number (templates print it as —), else the value."""
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of clean values."""
    return [{k: clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def latest_churn(ch: OperationsChapter) -> dict[str, Any] | None:
    """The churn the chapter shows for its latest month, and which churn it is.

    Friend churn (deletions ÷ opening friends) of the last month the friends export covers in
    full when there is one; otherwise customer churn from the orders of the last month that
    has one; None when neither exists.
    """
    ops = ch.ops
    if ops.churn_basis == "friends":
        months = ops.monthly[ops.monthly["complete"].astype(bool) & ops.monthly["churn"].notna()]
    elif ops.churn_basis == "orders":
        months = ops.customer_churn[ops.customer_churn["churn"].notna()]
    else:
        return None
    if months.empty:
        return None
    last = months.iloc[-1]
    return {"basis": ops.churn_basis, "month": str(last["month"]), "churn": float(last["churn"])}
