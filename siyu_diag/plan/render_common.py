"""What every render module of the planning chapter shares: labels, skipping and templates.

:mod:`~.render`, :mod:`~.render_bridge` and :mod:`~.render_risk` build the chapter's fragments
with these helpers: localised labels (``_t``, :func:`driver_label`), signed percentages, the
table-of-contents entries of a section, the "chapter skipped" fragment and the call that fills
a template of ``templates/fragments/plan/``. Other plan modules (the workbook, the summary, the
dashboard) name drivers with :func:`driver_label` too.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..core.fmt import fmt_signed
from ..core.fragments import Fragment, label, render_fragment
from . import drivers as drv
from .chapter import PlanChapter
from .inputs import PlanInputs


def signed_pct(share: float) -> str:
    """A signed share as a percentage with one decimal: ``0.452 → +45.2%``."""
    return f"{fmt_signed(share * 100)}%"


def _change(share: float | None) -> str:
    return "—" if share is None or pd.isna(share) else signed_pct(share)


def _t(ch: PlanChapter, key: str, **values: Any) -> str:
    return label(key, ch.lang, **values)


def driver_label(inputs: PlanInputs, name: str, lang: str) -> str:
    """A driver's display name: ``客单价``, ``抖音 · 月流量``, ``社群运营 · 人数``."""
    kind, entity = drv.split_name(name)
    text = label(f"plan_drv_{kind}", lang)
    if entity is None:
        return text
    owners = {c.id: c.name for c in inputs.channels} | {
        f"role:{r.id}": r.name for r in inputs.roles
    }
    owner = owners.get(f"role:{entity}" if kind in drv.ROLE_DRIVERS else entity, entity)
    return f"{owner} · {text}"


def _skipped(ch: PlanChapter, first: bool) -> Fragment:
    if not first:
        return Fragment(html="")
    return render_fragment(
        "plan/skipped.html.j2",
        ch.lang,
        toc=[{"id": "plan", "title": _t(ch, "plan_chapter"), "level": 1}],
        reason=ch.reason,
    )


def _render(
    ch: PlanChapter,
    template: str,
    toc: list[dict[str, Any]],
    *,
    placement: str = "body",
    **context: Any,
) -> Fragment:
    return render_fragment(f"plan/{template}", ch.lang, toc, placement=placement, **context)


def _sub(ch: PlanChapter, ident: str, key: str) -> list[dict[str, Any]]:
    return [{"id": f"plan-{ident}", "title": _t(ch, key), "level": 2}]


def _ratio_or_none(value: float) -> float | None:
    return None if pd.isna(value) else float(value)
