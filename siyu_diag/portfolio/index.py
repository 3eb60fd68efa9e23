"""The portfolio page ``OUT/index.html``: every brand of a batch at a glance.

Compute, then structure, then render: :func:`portfolio_table` and :func:`dimension_spread` turn
the brands' ``results.json`` into plain tables; :func:`render_index` arranges them (links, level
badges, a brand × dimension heatmap, the spread per dimension, the failures with their reasons)
and fills ``templates/portfolio/index.html.j2``. The page inlines the report stylesheet and makes
no network request, like the reports.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pandas as pd

from .. import __version__
from ..core import assets, fmt, vocab
from ..core.atomic import write_text_atomic
from ..core.fragments import label as fragment_label
from ..core.fragments import template_env
from ..core.palette import SCORE_STOPS, heat_scale, score_cell
from ..core.yamlfile import read_yaml

if TYPE_CHECKING:
    from .batch import BatchResult

log = logging.getLogger(__name__)

_LANGS = ("zh", "en")
_HTML_LANG = {"zh": "zh-CN", "en": "en"}
#: Columns of :func:`portfolio_table` before the dimension scores.
BRAND_COLUMNS = (
    "slug",
    "brand",
    "industry",
    "stage",
    "date",
    "language",
    "respondents",
    "overall_score",
    "overall_level",
)


@cache
def _strings() -> dict[str, dict[str, str]]:
    return read_yaml(assets.template_path("portfolio", "strings.yaml"))


def label(key: str, lang: str, **values: Any) -> str:
    """A localised label of the portfolio page (or, failing that, of the report fragments)."""
    entry = _strings().get(key)
    if entry is None:
        return fragment_label(key, lang, **values)
    return entry[lang].format(**values) if values else entry[lang]


def portfolio_table(results: list[dict]) -> tuple[pd.DataFrame, dict[str, dict[str, str]]]:
    """One row per brand: who it is, its overall score and level, and its dimension scores.

    Parameters
    ----------
    results
        The brands' ``results.json`` contents.

    Returns
    -------
    tuple of DataFrame and dict
        The table (columns :data:`BRAND_COLUMNS`, then one column per dimension id, in order of
        first appearance) and the dimensions' display names ``{id: {language: name}}``.
    """
    rows = []
    names: dict[str, dict[str, str]] = {}
    for r in results:
        client, dx = r["client"], r["diagnosis"]
        row = {c: client.get(c) for c in BRAND_COLUMNS if c in client}
        row |= {
            "respondents": dx.get("respondents"),
            "overall_score": dx.get("overall_score"),
            "overall_level": dx.get("overall_level"),
        }
        for d in dx["dimensions"]:
            row[d["id"]] = d.get("score")
            names.setdefault(d["id"], {}).setdefault(client.get("language", "zh"), d["name"])
        rows.append(row)
    columns = [*BRAND_COLUMNS, *names]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("overall_score", *names):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype(float)
    return table, names


def dimension_spread(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Lowest, median and highest score of each column across the brands.

    Parameters
    ----------
    table
        A :func:`portfolio_table`.
    columns
        The score columns, e.g. ``["overall_score", "goals", ...]``.

    Returns
    -------
    pandas.DataFrame
        Indexed by column, with ``n`` (brands with a score), ``min``, ``median``, ``max`` and
        ``range`` (max − min).
    """
    scores = table[columns]
    spread = pd.DataFrame(
        {
            "n": scores.count(),
            "min": scores.min(),
            "median": scores.median(),
            "max": scores.max(),
        }
    )
    spread["range"] = spread["max"] - spread["min"]
    return spread


def _name(names: dict[str, str], lang: str, fallback: str) -> str:
    return names.get(lang) or next(iter(names.values()), fallback)


def _level_name(level: Any, lang: str) -> str:
    if pd.isna(level):
        return fmt.MISSING
    levels = vocab.maturity_levels(lang).set_index("level")["name"]
    return f"L{int(level)} {levels.get(int(level), '')}".strip()


def _choose_lang(batch_lang: str, results: list[dict]) -> str:
    if batch_lang in _LANGS:
        return batch_lang
    counts = Counter(r["client"].get("language", "zh") for r in results)
    common = [lang for lang, _ in counts.most_common() if lang in _LANGS]
    return common[0] if common else "zh"


def _load_results(batch: BatchResult) -> tuple[list[dict], list[dict[str, str]]]:
    """The built brands' results.json, and the failures (unreadable results count as one)."""
    loaded, failures = [], []
    for b in batch.brands:
        if b.ok and b.paths is not None:
            try:
                loaded.append(json.loads(Path(b.paths.results).read_text(encoding="utf-8")))
                continue
            except (OSError, ValueError) as exc:
                error = f"results.json cannot be read: {exc}"
        else:
            error = b.error
        failures.append({"slug": b.slug, "client": _client_name(b.client), "error": error})
    return loaded, failures


def _client_name(client: str) -> str:
    return client if client.startswith("sample:") else Path(client).name


def _heat_rows(brands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The brand × dimension heat table: each score with its colour on the score scale."""
    return [{"name": b["brand"], "cells": [score_cell(s) for s in b["scores"]]} for b in brands]


def _spread_rows(spread: pd.DataFrame, names: list[str]) -> list[dict[str, Any]]:
    def pct(value: float) -> str:
        return f"{min(max(float(value), 0.0), 100.0):.1f}"

    return [
        {
            "name": name,
            "overall": key == "overall_score",
            "n": int(row["n"]),
            "min": row["min"],
            "median": row["median"],
            "max": row["max"],
            "range": row["range"],
            "left": pct(row["min"]),
            "width": pct(row["range"]),
            "mid": pct(row["median"]),
        }
        for (key, row), name in zip(spread.iterrows(), names, strict=True)
        if row["n"] > 0
    ]


def render_index(batch_result: BatchResult, out_dir: str | Path, *, lang: str = "") -> Path:
    """Write ``OUT/index.html`` for a batch, atomically.

    Parameters
    ----------
    batch_result
        The outcome of :func:`siyu_diag.portfolio.batch.run_batch`.
    out_dir
        The batch's output folder; report links are relative to it (``<slug>/report.html``).
    lang
        "zh" or "en"; empty means the batch's language, else the brands' most common one.

    Returns
    -------
    pathlib.Path
        The page written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results, failures = _load_results(batch_result)
    lang = lang or _choose_lang(batch_result.lang, results)
    table, dim_names = portfolio_table(results)
    table = table.sort_values(["overall_score", "slug"], ascending=[False, True], kind="stable")
    dims = list(dim_names)
    names = [_name(dim_names[d], lang, d) for d in dims]
    brands = [
        {
            "brand": r["brand"],
            "slug": r["slug"],
            "href": f"{quote(str(r['slug']))}/report.html",
            "industry": label(f"history_industry_{r['industry']}", lang),
            "stage": label(f"stage_{r['stage']}", lang),
            "date": r["date"],
            "respondents": r["respondents"],
            "overall": r["overall_score"],
            "level": None if pd.isna(r["overall_level"]) else int(r["overall_level"]),
            "level_name": _level_name(r["overall_level"], lang),
            "scores": [r[d] for d in dims],
        }
        for _, r in table.iterrows()
    ]
    spread = dimension_spread(table, ["overall_score", *dims]) if len(table) else None
    css = "\n".join(
        assets.template_path(*parts).read_text(encoding="utf-8")
        for parts in (("report", "report.css"), ("portfolio", "portfolio.css"))
    )

    def t(key: str, **values: Any) -> str:
        return label(key, lang, **values)

    html = (
        template_env("portfolio")
        .get_template("index.html.j2")
        .render(
            t=t,
            lang=lang,
            html_lang=_HTML_LANG[lang],
            css=css,
            version=__version__,
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            seconds=f"{batch_result.seconds:.0f}",
            n_brands=len(batch_result.brands),
            median=table["overall_score"].median() if len(table) else None,
            brands=brands,
            dimensions=[{"id": d, "name": n} for d, n in zip(dims, names, strict=True)],
            heat=_heat_rows(brands) if brands and dims else None,
            scale=heat_scale(SCORE_STOPS, "0", "100"),
            spread=None
            if spread is None
            else _spread_rows(spread, [label("portfolio_overall", lang), *names]),
            failures=failures,
        )
    )
    path = write_text_atomic(html, out_dir / "index.html")
    log.info("portfolio page written to %s", path)
    return path
