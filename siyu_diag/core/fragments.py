"""HTML fragments: the unit every chapter's notebook displays and the report template places.

A :class:`Fragment` is HTML plus the table-of-contents entries it starts; a notebook shows it as
HTML and the entries travel in the output's metadata. :func:`render_fragment` fills a Jinja
template from ``templates/fragments/`` (autoescaped; formatting filters from
:mod:`siyu_diag.core.fmt`;
``t(key)`` for localised labels). Labels live in ``strings.yaml`` files under
``templates/fragments/`` (one per chapter folder); a key may be defined only once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from . import assets, fmt
from .text import fill
from .yamlfile import read_yaml


@dataclass(frozen=True)
class Fragment:
    """A piece of the report: HTML plus the table-of-contents entries it starts."""

    html: str
    toc: list[dict[str, Any]] = field(default_factory=list)
    placement: str = "body"  # where the report puts it: "summary", "body" or "appendix"

    def __repr__(self) -> str:
        # short: a notebook stores this as the output's text/plain beside the HTML
        return f"Fragment({len(self.html):,} characters of HTML, placement={self.placement!r})"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html}, {"siyu": {"toc": self.toc, "placement": self.placement}}


@cache
def strings() -> dict[str, dict[str, str]]:
    """Every label of every fragment, ``{key: {"zh": ..., "en": ...}}``."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(assets.template_path("fragments").rglob("strings.yaml")):
        for key, value in read_yaml(path).items():
            if key in merged:
                raise ValueError(f"label '{key}' is defined twice ({path})")
            merged[key] = value
    return merged


def label(key: str, lang: str, **values: Any) -> str:
    """A localised label, with ``{name}`` placeholders filled from ``values``.

    A placeholder ``{n:form for one|form for many}`` picks by the value of ``n`` (English
    plurals: ``"{n} {n:indicator is|indicators are} shared"``); see
    :class:`~siyu_diag.core.text.TextFormatter`.
    """
    text = strings()[key][lang]
    return fill(text, **values) if values else text


@cache
def template_env(folder: str) -> jinja2.Environment:
    """The Jinja environment of ``templates/<folder>``: autoescaped, strict, fmt filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(assets.template_path(folder))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(fmt.FILTERS)
    return env


def render_fragment(
    template: str,
    lang: str,
    toc: list[dict[str, Any]] | None = None,
    *,
    placement: str = "body",
    **context: Any,
) -> Fragment:
    """Render ``templates/fragments/<template>`` in ``lang`` with ``context``.

    Parameters
    ----------
    template
        Path under ``templates/fragments/``, e.g. ``"summary.html.j2"`` or
        ``"plan/monthly.html.j2"``.
    lang
        "zh" or "en"; the template gets it as ``lang`` and ``t(key, **values)`` for labels.
    toc
        Table-of-contents entries (``id``, ``title``, ``level``) the fragment starts.
    placement
        Where the report puts the fragment: "summary" (after the cover and contents),
        "body" (in chapter order) or "appendix" (at the end).
    """

    def t(key: str, **values: Any) -> str:
        return label(key, lang, **values)

    html = template_env("fragments").get_template(template).render(t=t, lang=lang, **context)
    return Fragment(html=html, toc=toc or [], placement=placement)


def heat_table(
    dims: list[str],
    rows: list[dict[str, Any]],
    scale: dict[str, str],
    *,
    split: int | None = None,
    blank: str = "",
    corner: str = "",
) -> dict[str, Any]:
    """What the ``heat_table`` macro of ``_macros.html.j2`` draws.

    Parameters
    ----------
    dims
        Column headers.
    rows
        ``{"name": ..., "cells": [cell or None, ...]}`` (optionally ``"n"``), cells from
        :func:`siyu_diag.core.palette.heat_cell`.
    scale
        The legend, from :func:`siyu_diag.core.palette.heat_scale`.
    split
        Draw a dividing line before this column.
    blank
        Text of a missing cell.
    corner
        A caption over the columns.
    """
    return {"dims": dims, "rows": rows, "scale": scale, "split": split, "blank": blank,
            "corner": corner}  # fmt: skip
