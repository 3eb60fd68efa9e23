"""What the planning dashboard shows, without the widgets: slider ranges, KPI cards, charts.

:mod:`~.widgets` wires these to ipywidgets; everything here is plain values, HTML and PNG bytes,
so it is tested and reused without a widget.
"""

from __future__ import annotations

import html
import io
import math
from typing import Any

from ..core.fmt import MISSING, fmt_money, fmt_num, fmt_value
from ..core.fragments import label, strings
from ..core.style import house_style, new_figure
from . import charts
from . import drivers as drv
from .calibration import apply_calibration
from .chapter import PlanChapter
from .inputs import PlanInputs
from .planfile import load_plan_inputs
from .projection import Projection
from .render_common import signed_pct

#: Global drivers shown as sliders, in this order (the bonus and commission rates have none).
KEY_DRIVERS: tuple[str, ...] = tuple(
    d for d in drv.GLOBAL_DRIVERS if d not in ("bonus_rate", "commission_rate")
)
#: Channel drivers shown as sliders and in the channel table, in this order.
CHANNEL_FIELDS: tuple[str, ...] = ("traffic", "add_rate", "cost_per_user")
#: Slider positions between the ends of its range.
_STEPS = 200
_CHART_DPI = 100


def dash_label(key: str, lang: str, **values: Any) -> str:
    """A dashboard label (``dash_<key>`` in the plan's strings.yaml) or a chapter label."""
    dashboard = f"dash_{key}"
    return label(dashboard if dashboard in strings() else key, lang, **values)


def plan_as_written(chapter: PlanChapter) -> PlanInputs:
    """The chapter's inputs without its saved scenario: the base every scenario applies to.

    A report run reads plan.yaml, fills the drivers it leaves out from operating data and
    applies the scenario; the dashboard applies scenarios to the same base, so its numbers
    match the report's. The drivers calibrated from operating data take the chapter's
    calibration again (values and ranges), those the scenario replaced included.
    """
    inputs = chapter.inputs
    if not inputs.scenario:
        return inputs
    client = chapter.client
    base = load_plan_inputs(client.folder, client.config.plan.file)
    return apply_calibration(base, chapter.calibration) if chapter.calibration else base


def _nice_step(raw: float) -> float:
    """The largest 1, 2 or 5 × 10^k that is at most ``raw``."""
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return max(m * power for m in (1, 2, 5) if m * power <= raw * (1 + 1e-9))


def slider_range(inputs: PlanInputs, name: str) -> tuple[float, float, float]:
    """The ``(min, max, step)`` of a driver's slider.

    The slider covers the driver's stated range and half to one and a half times its value,
    clipped to the driver's limits (a rate stays within 0–1), in about 200 steps.
    """
    d = inputs.drivers[name]
    value = float(d.value or 0.0)
    limits = drv.bounds(name)
    low, high = value * 0.5, value * 1.5
    if d.has_range:
        low, high = min(low, float(d.low)), max(high, float(d.high))
    low, high = max(low, limits.low), min(high, limits.high)
    if high <= low:
        high = min(low + (1.0 if limits.high == 1.0 else max(1.0, abs(low))), limits.high)
    step = _nice_step((high - low) / _STEPS)
    low = max(round(math.floor(low / step) * step, 12), limits.low)
    high = min(round(math.ceil(high / step) * step, 12), limits.high)
    return low, high, step


def readout_text(name: str, value: float, lang: str) -> str:
    """A driver's value beside its slider, exactly as the report shows it (``5.2%``, ``4``).

    Both use :func:`~siyu_diag.core.fmt.fmt_value` with the driver's kind, so the dashboard
    never shows a value the report rounds differently (``5.25%`` against ``5.2%``).
    """
    return fmt_value(value, drv.value_format(name), lang)


def kpis(p: Projection, base: PlanInputs) -> dict[str, Any]:
    """The numbers on the KPI cards (year 1 unless named otherwise; money in CNY).

    Keys: ``gmv``, ``profit``, ``total_cost``, ``roi``, ``roas``, ``source_ratio``,
    ``break_even_month`` (None when not within the plan), ``cumulative_profit`` (over the
    whole plan), ``target_gmv`` and ``gap`` (None without a target, which ``base`` holds).
    """
    y1 = p.year(1)
    target = base.target
    target_gmv = target.amount(base.last_year.gmv) if target is not None else None
    gmv = float(y1["gmv"])
    return {
        "gmv": gmv,
        "profit": float(y1["profit"]),
        "total_cost": float(y1["total_cost"]),
        "roi": float(y1["roi"]),
        "roas": float(y1["roas"]),
        "source_ratio": float(y1["source_ratio"]),
        "break_even_month": p.break_even_month,
        "cumulative_profit": float(p.monthly["cumulative_profit"].iloc[-1]),
        "target_gmv": target_gmv,
        "gap": None if target_gmv is None else target_gmv - gmv,
    }


def kpi_cards(k: dict[str, Any], base: PlanInputs, lang: str) -> str:
    """The KPI cards as HTML, from :func:`kpis` (growth is against ``base``'s last year)."""
    esc = html.escape
    last_year = base.last_year.gmv
    growth = (
        dash_label("plan_vs_last_year", lang, growth=signed_pct(k["gmv"] / last_year - 1))
        if last_year
        else ""
    )
    be = k["break_even_month"]
    be_text = dash_label("plan_month_n", lang, m=be) if be else dash_label("plan_never", lang)
    ratios = "<br>".join(
        f"{esc(name)} {fmt_num(k[key])} · {esc(dash_label(definition, lang))}"
        for name, key, definition in (
            ("ROAS", "roas", "plan_roas_def"),
            (dash_label("plan_source_ratio", lang), "source_ratio", "plan_source_ratio_def"),
        )
    )
    if k["gap"] is None:
        gap_value, gap_note, gap_class = MISSING, dash_label("no_target", lang), ""
    elif k["gap"] > 0:
        gap_value = fmt_money(k["gap"], lang)
        gap_note, gap_class = (
            dash_label("target_of", lang, v=fmt_money(k["target_gmv"], lang)),
            "bad",
        )
    else:
        gap_value = dash_label("plan_met", lang)
        gap_note = dash_label("over", lang, v=fmt_money(-k["gap"], lang))
        gap_note += " · " + dash_label("target_of", lang, v=fmt_money(k["target_gmv"], lang))
        gap_class = "good"
    profit_note = dash_label("horizon_profit", lang, v=fmt_money(k["cumulative_profit"], lang))
    cards = [
        (dash_label("plan_kpi_gmv", lang), fmt_money(k["gmv"], lang), esc(growth), ""),
        (
            dash_label("plan_kpi_profit", lang),
            fmt_money(k["profit"], lang),
            esc(profit_note),
            "bad" if k["profit"] < 0 else "",
        ),
        (dash_label("roi", lang), fmt_num(k["roi"]), ratios, "bad" if k["roi"] < 0 else ""),
        (
            dash_label("plan_break_even", lang),
            be_text,
            esc(dash_label("be_note", lang)),
            "" if be else "bad",
        ),
        (dash_label("plan_kpi_gap", lang), gap_value, esc(gap_note), gap_class),
    ]
    body = "".join(
        f"<div class='siyu-card'><div class='k'>{esc(title)}</div>"
        f"<div class='v {cls}'>{esc(value)}</div><div class='n'>{note}</div></div>"
        for title, value, note, cls in cards
    )
    return f"<div class='siyu-cards'>{body}</div>"


def live_charts(p: Projection, inputs: PlanInputs, lang: str) -> tuple[bytes, bytes]:
    """The dashboard's two charts as PNG: GMV, cost and cumulative profit; users by origin."""
    _, ax = new_figure(6.4, 3.0)
    charts.plot_gmv_cost(
        p.monthly[["gmv", "total_cost", "cumulative_profit"]],
        break_even=p.break_even_month,
        ax=ax,
        lang=lang,
        title=dash_label("plan_fig_money", lang),
    )
    money = _png(ax.figure)
    names = {"base": dash_label("plan_origin_base", lang)} | {c.id: c.name for c in inputs.channels}
    _, ax = new_figure(6.4, 3.0)
    charts.plot_users_by_origin(
        p.users_by_origin.rename(columns=names),
        ax=ax,
        lang=lang,
        title=dash_label("plan_fig_users", lang),
    )
    return money, _png(ax.figure)


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    with house_style():
        fig.savefig(buffer, format="png", dpi=_CHART_DPI)
    return buffer.getvalue()
