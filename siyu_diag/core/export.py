"""Render executed chapter notebooks into the one self-contained HTML report.

The layout lives in the nbconvert template ``templates/report``, found through
:mod:`siyu_diag.core.assets`; this module only prepares what the template reads: a copy of the
notebook
reduced to the outputs of code cells, and ``resources["siyu"]`` holding the cover (brand, title,
date, consultant, ...).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from siyu_diag.core import assets

__all__ = ["render_html"]

_TEMPLATE_NAME = "report"
_REQUIRED_KEYS = ("brand", "title", "date", "consultant")
_OPTIONAL_KEYS = ("subtitle", "confidential_note", "footer", "labels", "lang")
_HTML_LANG = {"zh": "zh-CN", "zh-cn": "zh-CN", "en": "en"}
_DEFAULT_LABELS = {
    "zh-CN": {"contents": "目录", "prepared_by": "顾问", "date": "日期", "figure": "图表"},
    "en": {"contents": "Contents", "prepared_by": "Prepared by", "date": "Date", "figure": "Chart"},
}
# What a report shows, best first; other mimetypes never reach the template.
_DISPLAY_PRIORITY = ["text/html", "image/png", "image/jpeg"]


class _ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its final accessibility pass.

    That pass parses the finished document again with BeautifulSoup to give an ``<img>`` without
    alt text a placeholder and notebook cells a ``tabindex``; the report template writes alt text
    on every image and has no notebook cells, and the pass cost half a second per report.
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            ),
        )
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


def render_html(nb: nbformat.NotebookNode, *, cover: Mapping[str, Any]) -> str:
    """Render an executed notebook as the self-contained HTML report.

    Parameters
    ----------
    nb
        The executed chapter notebook (or several chapters merged into one). It is not modified.
    cover
        The cover and frame of the report: ``brand``, ``title``, ``date`` and ``consultant`` are
        required; ``subtitle``, ``confidential_note``, ``footer``, ``lang`` (``"zh"``, the default,
        or ``"en"``) and ``labels`` (localised strings ``contents``, ``prepared_by``, ``date``,
        ``figure``, overriding the defaults of the language) are optional.

    Returns
    -------
    str
        One HTML5 document that makes no network request: cover, table of contents built from
        the ``siyu.toc`` metadata of the outputs, every HTML fragment and PNG image in order, and
        the footer. Values from ``cover`` are escaped; fragments are placed as they are.

    Raises
    ------
    ValueError
        If ``cover`` misses a required key, has an unknown key or names an unsupported language.
    """
    exporter = _ReportExporter(
        template_name=_TEMPLATE_NAME,
        extra_template_basedirs=[str(assets.template_path())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_markdown=True,
        exclude_raw=True,
        exclude_unknown=True,
        config=Config({"NbConvertBase": {"display_data_priority": _DISPLAY_PRIORITY}}),
    )
    body, _ = exporter.from_notebook_node(_report_only(nb), resources={"siyu": _cover(cover)})
    return body


def _cover(cover: Mapping[str, Any]) -> dict[str, Any]:
    """Check the cover keys and fill in the language tag, default labels and empty optionals."""
    missing = [key for key in _REQUIRED_KEYS if key not in cover]
    if missing:
        raise ValueError(
            f"The `cover` is missing the key(s) {missing}; it needs {list(_REQUIRED_KEYS)}."
        )
    unknown = sorted(set(cover) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS))
    if unknown:
        allowed = list(_REQUIRED_KEYS + _OPTIONAL_KEYS)
        raise ValueError(f"The `cover` has unknown key(s) {unknown}; allowed keys are {allowed}.")
    lang = str(cover.get("lang") or "zh")
    html_lang = _HTML_LANG.get(lang.lower())
    if html_lang is None:
        raise ValueError(
            f"The value for `lang` must be one of {sorted(_HTML_LANG)}, but {lang!r} was passed."
        )
    resources: dict[str, Any] = {
        key: "" if cover.get(key) is None else str(cover[key])
        for key in (*_REQUIRED_KEYS, "subtitle", "confidential_note", "footer")
    }
    resources["lang"] = html_lang
    resources["labels"] = {**_DEFAULT_LABELS[html_lang], **dict(cover.get("labels") or {})}
    return resources


def _report_only(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` keeping only what a report may show.

    Code cells lose their source and keep only rich outputs with a mimetype the report shows;
    markdown and raw cells, streams, errors, plain-text and widget outputs go. The template drops
    all of this too; removing it here as well means none of it can reach the document through a
    template change, and nbconvert never warns about an output it cannot represent.
    """
    clean = copy.deepcopy(nb)
    clean.metadata.pop("widgets", None)
    kept = []
    for cell in clean.cells:
        if cell.cell_type != "code":
            continue
        cell.source = ""
        cell.outputs = [
            out
            for out in cell.get("outputs", [])
            if out.output_type in ("display_data", "execute_result")
            and any(mime in out.get("data", {}) for mime in _DISPLAY_PRIORITY)
        ]
        kept.append(cell)
    clean.cells = kept
    return clean
