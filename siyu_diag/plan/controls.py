"""The widgets of the planning chapter's what-if dashboard, built from the plan's inputs.

Each function returns ipywidgets with their labels, units, ranges and layout, and nothing more:
no state and no callbacks (a slider's value label is linked to it, :func:`slider_row`).
:class:`~.widgets.PlanDashboard` builds its sliders, channel-table cells and scenario bar here,
observes them, and places them with :func:`control_tabs`, :func:`header` and
:func:`chart_images`; :func:`status_html` is the markup of its status line.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..core.fragments import label
from . import drivers as drv
from .dashboard import CHANNEL_FIELDS, KEY_DRIVERS, dash_label, readout_text, slider_range
from .inputs import PlanInputs
from .render_common import driver_label

CSS = """<style>
.siyu-dash {font-size: 13px;}
.siyu-dash .siyu-ctl .widget-label {height: auto; line-height: 1.25; white-space: normal;
  text-align: left; padding-right: 6px;}
.siyu-cards {display: flex; flex-wrap: wrap; gap: 10px; margin: 4px 0 8px;}
.siyu-card {flex: 1 1 150px; border: 1px solid #dfe3ea; border-radius: 6px; padding: 8px 12px;
  background: #f8fafc;}
.siyu-card .k {color: #5b6472; font-size: 12px;}
.siyu-card .v {font-size: 22px; font-weight: 600; color: #1f2d3d; margin: 2px 0;}
.siyu-card .n {color: #6b7480; font-size: 11.5px; line-height: 1.4;}
.siyu-card .bad {color: #c8501e;} .siyu-card .good {color: #3a8f5c;}
.siyu-group {font-weight: 600; color: #2f6db5; margin: 8px 0 2px;}
</style>"""
"""The dashboard's stylesheet (placed once, in its header)."""


def driver_slider(
    inputs: PlanInputs, name: str, value: float, lang: str, *, short: bool = False
) -> w.FloatSlider:
    """The slider of driver ``name`` at ``value``, its range widened to hold it.

    ``short`` labels it by the driver alone (under its channel's heading), not by its owner too.
    """
    lo, hi, step = slider_range(inputs, name)
    kind, _ = drv.split_name(name)
    text = label(f"plan_drv_{kind}", lang) if short else driver_label(inputs, name, lang)
    unit = label(f"plan_unit_{kind}", lang)
    slider = w.FloatSlider(
        value=value,
        min=min(lo, value),
        max=max(hi, value),
        step=step,
        readout=False,  # the value is shown by slider_row, formatted as in the report
        continuous_update=False,
        description=f"{html.escape(text)}<span class='siyu-unit' style='display:block;"
        f"color:#8a93a0;font-size:11px'>{html.escape(unit)}</span>",
        description_allow_html=True,
        tooltip=f"{text}（{unit}）" if lang == "zh" else f"{text} ({unit})",
        style={"description_width": "150px"},
        layout=w.Layout(flex="1 1 auto", width="auto", height="40px"),
    )
    slider.add_class("siyu-ctl")
    return slider


def slider_row(slider: w.FloatSlider, name: str, lang: str) -> w.HBox:
    """The slider of driver ``name`` and its value, written as the report writes it.

    The value (a label linked to the slider) follows every change of the slider's value,
    through :func:`~.dashboard.readout_text`.
    """
    readout = w.Label(
        value=readout_text(name, slider.value, lang),
        layout=w.Layout(width="80px", flex="0 0 auto"),
    )
    w.dlink((slider, "value"), (readout, "value"), transform=lambda v: readout_text(name, v, lang))
    return w.HBox([slider, readout], layout=w.Layout(width="98%", align_items="center"))


def table_cell(value: float) -> w.FloatText:
    """A cell of the channel table."""
    return w.FloatText(
        value=value,
        continuous_update=False,
        layout=w.Layout(width="auto", min_width="0", margin="0"),
    )


def scenario_bar(
    inputs: PlanInputs, options: list[tuple[str, str]], value: str, lang: str
) -> tuple[w.Dropdown, w.Text, w.Text, w.Button]:
    """The scenario picker (``options``, at ``value``), the name and description, the save button.

    The name and description start as those of the scenario the chapter was opened with.
    """
    picker = w.Dropdown(
        options=options,
        value=value,
        description=dash_label("picker", lang),
        layout=w.Layout(width="300px"),
        style={"description_width": "40px"},
    )
    name_text = w.Text(
        value=inputs.scenario or "",
        description=dash_label("name", lang),
        placeholder=dash_label("name_hint", lang),
        layout=w.Layout(width="260px"),
        style={"description_width": "40px"},
    )
    description_text = w.Text(
        value=inputs.scenario_description or "",
        description=dash_label("description", lang),
        placeholder=dash_label("description_hint", lang),
        layout=w.Layout(flex="1 1 240px"),
        style={"description_width": "40px"},
    )
    save_button = w.Button(
        description=dash_label("save", lang), button_style="primary", icon="save"
    )
    return picker, name_text, description_text, save_button


def chart_images() -> tuple[w.Image, w.Image]:
    """Two empty PNG images that fit their box, one layout shared: the GMV/cost and users charts."""
    image = {"format": "png", "layout": w.Layout(max_width="100%", height="auto")}
    return w.Image(**image), w.Image(**image)


def header(brand: str, horizon: int, lang: str) -> w.HTML:
    """The dashboard's title and subtitle, with the stylesheet."""
    return w.HTML(
        CSS + f"<h2 style='margin:4px 0 0'>{html.escape(dash_label('title', lang))}</h2>"
        "<div style='color:#6b7480;margin-bottom:4px'>"
        + html.escape(dash_label("subtitle", lang, brand=brand, n=horizon))
        + "</div>"
    )


def control_tabs(
    inputs: PlanInputs,
    sliders: dict[str, w.FloatSlider],
    table: dict[str, w.FloatText],
    lang: str,
) -> w.Tab:
    """Three tabs: the key drivers' sliders, each channel's sliders, and the channel table."""
    drivers = w.VBox([slider_row(sliders[n], n, lang) for n in KEY_DRIVERS])
    channels = []
    for c in inputs.channels:
        start = f" · {dash_label('starts', lang, m=c.start_month)}" if c.start_month > 1 else ""
        channels.append(
            w.HTML(f"<div class='siyu-group'>{html.escape(c.name)}{html.escape(start)}</div>")
        )
        names = [drv.driver_name(k, c.id) for k in CHANNEL_FIELDS]
        channels += [slider_row(sliders[n], n, lang) for n in names]
    tabs = w.Tab(
        children=[drivers, w.VBox(channels), table_grid(inputs, table, lang)],
        layout=w.Layout(width="500px", flex="0 0 auto", margin="0 16px 8px 0"),
    )
    tabs.titles = tuple(dash_label(k, lang) for k in ("tab_drivers", "tab_channels", "tab_table"))
    return tabs


def table_grid(inputs: PlanInputs, table: dict[str, w.FloatText], lang: str) -> w.Widget:
    """The channel table: a row per channel, a column per channel driver, and a note."""

    def head(text: str) -> w.HTML:
        return w.HTML(f"<b>{html.escape(text)}</b>")

    cells: list[w.Widget] = [head(dash_label("channel", lang))]
    for kind in CHANNEL_FIELDS:
        unit = label(f"plan_unit_{kind}", lang)
        cells.append(
            w.HTML(
                f"<b>{html.escape(label(f'plan_drv_{kind}', lang))}</b><br>"
                f"<span style='color:#8a93a0;font-size:11px'>{html.escape(unit)}</span>"
            )
        )
    for c in inputs.channels:
        cells.append(w.HTML(html.escape(c.name)))
        cells += [table[drv.driver_name(k, c.id)] for k in CHANNEL_FIELDS]
    grid = w.GridBox(
        cells,
        layout=w.Layout(
            grid_template_columns="96px repeat(3, minmax(0, 1fr))",
            grid_gap="4px 8px",
            overflow="hidden",
        ),
    )
    note = w.HTML(
        f"<div style='color:#6b7480;font-size:12px'>{dash_label('table_note', lang)}</div>"
    )
    return w.VBox([grid, note])


def status_html(text: str, kind: str = "info", lines: list[str] | None = None) -> str:
    """The status line: ``text`` coloured by ``kind`` (info, ok, error), then ``lines`` listed."""
    color = {"info": "#5b6472", "ok": "#3a8f5c", "error": "#c8501e"}[kind]
    items = "".join(f"<li>{html.escape(s)}</li>" for s in lines or ())
    return (
        f"<div style='color:{color};margin:2px 0'>{html.escape(text)}"
        + (f"<ul style='margin:2px 0 0 18px;padding:0'>{items}</ul>" if items else "")
        + "</div>"
    )
