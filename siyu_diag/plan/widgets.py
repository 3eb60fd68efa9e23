"""The planning chapter's what-if dashboard: sliders, a channel table and saved scenarios.

Only a person running the notebook (JupyterLab, or Voilà through ``siyu-diag app``) sees it; a
report never depends on widget state. Each change runs one :func:`~.chapter.project_what_if`
on the plan as written with the drivers on screen, updates the KPI cards and redraws two charts.
"Save scenario" writes exactly those driver values (full float precision) to
``scenarios/<name>.yaml``, so a report run with that scenario shows the same numbers. What the
cards, charts and slider ranges show is worked out in :mod:`~.dashboard`, the widgets
themselves are built in :mod:`~.controls`; this module holds the dashboard's state and wires
the widgets to it.

The pieces a test needs are public: :meth:`PlanDashboard.set_value` runs the callback of a
slider, :meth:`PlanDashboard.current_overrides` is what would be saved, and
:meth:`PlanDashboard.kpis` returns the numbers on the KPI cards.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import ipywidgets as w
from pydantic import ValidationError

from ..core import assets
from ..core.errors import InputError, SiyuDiagError
from . import controls
from . import drivers as drv
from .chapter import PlanChapter, project_what_if
from .dashboard import (
    CHANNEL_FIELDS,
    KEY_DRIVERS,
    dash_label,
    kpi_cards,
    kpis,
    live_charts,
    plan_as_written,
)
from .projection import Projection
from .render_common import driver_label
from .scenario import SCENARIO_DIR, Scenario, apply_scenario, load_scenario, save_scenario

logger = logging.getLogger(__name__)

#: The picker's value for "the plan as written" (no scenario).
PLAN_AS_WRITTEN = ""


class PlanDashboard(w.VBox):
    """The what-if dashboard of one client's plan (an ipywidgets ``VBox``).

    Parameters
    ----------
    chapter
        An available :class:`~.chapter.PlanChapter` (``open_plan``); when it was opened with a
        scenario, the dashboard starts from that scenario.

    Attributes
    ----------
    sliders
        Slider per driver name (the key drivers and each channel's traffic, add rate and cost
        per new user).
    table
        FloatText per channel driver name: the channel table.
    picker
        The scenario picker; value ``""`` is the plan as written.
    name_text, description_text, save_button, status
        Saving a scenario and the status line.
    """

    def __init__(self, chapter: PlanChapter, **kwargs: Any):
        if not chapter.available:
            raise InputError(chapter.reason)
        self.chapter = chapter
        self.lang = chapter.lang
        self._base = plan_as_written(chapter)
        self._values = chapter.inputs.values()
        self._muted = False
        self._shown_scenario = chapter.inputs.scenario or PLAN_AS_WRITTEN
        self._error: SiyuDiagError | None = None
        self._projection: Projection | None = None
        self.timings: dict[str, float] = {}
        self.sliders: dict[str, w.FloatSlider] = {}
        self.table: dict[str, w.FloatText] = {}
        self._build()
        super().__init__(children=self._layout(), **kwargs)
        self.add_class("siyu-dash")
        self._recompute()
        self._show_ready()

    # --- public -----------------------------------------------------------------------------
    def set_value(self, driver: str, value: float) -> None:
        """Set a driver as its slider or table cell does: update every control, recompute."""
        self._values[driver] = float(value)
        self._show(driver)
        self._recompute()
        if self._error is None:
            self._show_ready()

    def current_overrides(self) -> dict[str, float]:
        """The drivers on screen that differ from the plan as written (what "save" writes)."""
        base = self._base.drivers
        return {k: v for k, v in self._values.items() if k not in base or base[k].value != v}

    def kpis(self) -> dict[str, Any]:
        """The numbers on the KPI cards (year 1 unless named otherwise; money in CNY).

        Keys: ``gmv``, ``profit``, ``total_cost``, ``roi``, ``roas``, ``source_ratio``,
        ``break_even_month`` (None when not within the plan), ``cumulative_profit`` (over the
        whole plan), ``target_gmv`` and ``gap`` (None without a target). After an invalid
        entry they stay those of the last valid input, as on screen.
        """
        return kpis(self._projection, self._base)

    @property
    def projection(self) -> Projection:
        """The projection on screen."""
        return self._projection

    @property
    def error(self) -> SiyuDiagError | None:
        """The error of the last entry, or None when it was valid."""
        return self._error

    def select_scenario(self, name: str) -> None:
        """Load a saved scenario (``""``: the plan as written) as the picker does."""
        try:
            inputs = self._base
            if name != PLAN_AS_WRITTEN:
                scenario = load_scenario(self.chapter.client, name)
                inputs = apply_scenario(inputs, scenario)
        except SiyuDiagError as exc:  # the screen keeps what it showed
            self._set_quietly(self.picker, self._shown_scenario)
            self._say(
                dash_label("bad_scenario", self.lang, name=name), "error", self._problems(exc)
            )
            return
        if name != PLAN_AS_WRITTEN:
            self._set_quietly(self.name_text, scenario.name)
            self._set_quietly(self.description_text, scenario.description)
        self._values = inputs.values()
        self._shown_scenario = name
        self._set_quietly(self.picker, name)
        for driver in self._controls:
            self._show(driver)
        self._recompute()
        if self._error is None:
            self._show_ready(dash_label("loaded", self.lang, name=name) if name else "")

    def save(self, name: str | None = None, description: str | None = None) -> Path | None:
        """Save the drivers on screen as ``scenarios/<name>.yaml`` (the button's action).

        Returns the file written, or None when nothing was saved (the status line says why).
        """
        name = (self.name_text.value if name is None else name).strip()
        description = self.description_text.value if description is None else description
        folder = self.chapter.client.folder
        refusal = None
        if self._error is not None:
            refusal = dash_label("fix_first", self.lang)
        elif folder.resolve().is_relative_to(assets.sample_clients_dir().resolve()):
            refusal = dash_label("sample", self.lang)
        overrides = self.current_overrides()
        try:
            scenario = Scenario(name=name, description=description.strip(), overrides=overrides)
            path = None if refusal else save_scenario(folder, scenario)
        except ValidationError:
            refusal = dash_label("bad_name", self.lang, name=name)
        except OSError as exc:
            refusal = str(exc)
        if refusal or path is None:
            self._say(refusal, "error")
            return None
        logger.info("saved scenario %s (%d overrides)", path, len(overrides))
        self._set_quietly(self.name_text, name)
        self._muted = True
        try:
            self.picker.options = self._scenario_options()
            self.picker.value = name
        finally:
            self._muted = False
        file = f"{SCENARIO_DIR}/{path.name}"
        self._shown_scenario = name
        self._say(dash_label("saved", self.lang, file=file, n=len(overrides)), "ok")
        return path

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        lang, inputs = self.lang, self.chapter.inputs
        self._controls: dict[str, list[w.ValueWidget]] = {}
        for name in KEY_DRIVERS:
            self._slider(name)
        for channel in inputs.channels:
            for kind in CHANNEL_FIELDS:
                name = drv.driver_name(kind, channel.id)
                self._slider(name, short=True)
                cell = controls.table_cell(self._values[name])
                cell.observe(self._on_change(name), names="value")
                self.table[name] = cell
                self._controls[name].append(cell)
        self.picker, self.name_text, self.description_text, self.save_button = (
            controls.scenario_bar(
                inputs, self._scenario_options(), inputs.scenario or PLAN_AS_WRITTEN, lang
            )
        )
        self.picker.observe(self._on_pick, names="value")
        self.save_button.on_click(lambda _: self.save())
        self.status = w.HTML()
        self._cards = w.HTML()
        self._money_chart, self._users_chart = controls.chart_images()

    def _slider(self, name: str, *, short: bool = False) -> None:
        slider = controls.driver_slider(
            self.chapter.inputs, name, self._values[name], self.lang, short=short
        )
        slider.observe(self._on_change(name), names="value")
        self.sliders[name] = slider
        self._controls[name] = [slider]

    def _layout(self) -> list[w.Widget]:
        lang, inputs = self.lang, self.chapter.inputs
        head = controls.header(self.chapter.client.config.brand, inputs.horizon_months, lang)
        bar = w.HBox(
            [self.picker, self.name_text, self.description_text, self.save_button],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        tabs = controls.control_tabs(inputs, self.sliders, self.table, lang)
        chart_box = w.VBox(
            [self._money_chart, self._users_chart], layout=w.Layout(flex="1 1 520px")
        )
        body = w.HBox(
            [tabs, chart_box],
            layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
        )
        return [head, bar, self.status, self._cards, body]

    def _scenario_options(self) -> list[tuple[str, str]]:
        folder = self.chapter.client.folder / SCENARIO_DIR
        names = sorted(p.stem for p in folder.glob("*.yaml"))
        current = self.chapter.inputs.scenario
        if current and current not in names:
            names.append(current)
        return [(dash_label("as_written", self.lang), PLAN_AS_WRITTEN), *((n, n) for n in names)]

    # --- callbacks --------------------------------------------------------------------------
    def _on_change(self, name: str):
        def handler(change: dict[str, Any]) -> None:
            if not self._muted:
                self.set_value(name, change["new"])

        return handler

    def _on_pick(self, change: dict[str, Any]) -> None:
        if not self._muted:
            self.select_scenario(change["new"])

    def _set_quietly(self, widget: w.ValueWidget, value: Any) -> None:
        self._muted = True
        try:
            widget.value = value
        finally:
            self._muted = False

    def _show(self, name: str) -> None:
        """Put a driver's value into all its controls (a slider widens to hold a valid value)."""
        value = self._values[name]
        self._muted = True
        try:
            for control in self._controls.get(name, ()):
                if isinstance(control, w.FloatSlider):
                    if not drv.bounds(name).contains(value):
                        continue
                    control.min, control.max = min(control.min, value), max(control.max, value)
                control.value = value
        finally:
            self._muted = False

    def _recompute(self) -> None:
        started = time.perf_counter()
        try:
            projection = project_what_if(self._base, self.current_overrides())
        except SiyuDiagError as exc:
            self._fail(exc)
            return
        projected = time.perf_counter()
        self._error = None
        self._projection = projection
        self._cards.value = kpi_cards(self.kpis(), self._base, self.lang)
        self._money_chart.value, self._users_chart.value = live_charts(
            projection, self.chapter.inputs, self.lang
        )
        done = time.perf_counter()
        self.timings = {
            "projection_ms": (projected - started) * 1e3,
            "total_ms": (done - started) * 1e3,
        }
        logger.debug("what-if recomputed: %s", self.timings)

    # --- output -----------------------------------------------------------------------------
    def _fail(self, exc: SiyuDiagError) -> None:
        self._error = exc
        self._say(dash_label("invalid", self.lang), "error", self._problems(exc))

    def _problems(self, exc: SiyuDiagError) -> list[str]:
        lines = []
        for p in exc.problems:
            if p.key in self._values:
                where = driver_label(self._base, p.key, self.lang)
                fix = f" {dash_label('fix', self.lang)}{p.hint}" if p.hint else ""
                lines.append(f"{where}{'：' if self.lang == 'zh' else ': '}{p.message}{fix}")
            else:
                lines.append(str(p))
        return lines

    def _say(self, text: str, kind: str = "info", lines: list[str] | None = None) -> None:
        self.status.value = controls.status_html(text, kind, lines)

    def _show_ready(self, prefix: str = "") -> None:
        name = self.picker.value
        what = name if name else dash_label("as_written", self.lang)
        text = dash_label("ready", self.lang, what=what, n=len(self.current_overrides()))
        self._say(f"{prefix} {text}".strip())


def build_dashboard(chapter: PlanChapter) -> PlanDashboard:
    """The what-if dashboard of an opened plan chapter (see :class:`PlanDashboard`)."""
    return PlanDashboard(chapter)


def show_plan_dashboard(chapter: PlanChapter, interactive: bool) -> None:
    """Display the dashboard when a person runs the notebook; do nothing in a report run.

    Parameters
    ----------
    chapter
        The opened plan chapter.
    interactive
        The notebook's ``interactive`` parameter; report runs set it to False, so the report
        has no widget output and never depends on widget state.
    """
    if not interactive or not chapter.available:
        return None
    from IPython.display import display

    display(build_dashboard(chapter))
    return None
