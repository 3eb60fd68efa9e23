"""The report's "history and peers" section, read from the assessment store.

:func:`render_history` shows the change since the brand's previous comparable assessment and its
percentile among the other brands stored (overall and within its industry), or a one-line note
when there is nothing to compare with or too few peers to stay anonymous. The figures come from
:mod:`siyu_diag.portfolio.store`; this module arranges them and the template places them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..core import vocab
from ..core.fragments import Fragment, label, render_fragment
from ..diagnosis.chapter import Chapter
from ..diagnosis.results import build_results
from .store import MIN_PEERS, compare_history, peer_position, previous_assessment


def _level_name(level: Any, lang: str) -> str | None:
    if level is None or pd.isna(level):
        return None
    names = vocab.maturity_levels(lang).set_index("level")["name"]
    return f"L{int(level)} {names.get(int(level), '')}".strip()


def _number(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _change_rows(frame: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "name": label("history_overall", lang) if r.key == "overall" else r.name,
            "overall": r.key == "overall",
            "previous": _number(r.previous),
            "current": _number(r.current),
            "delta": _number(r.delta),
            "direction": ""
            if _number(r.delta) is None or round(r.delta, 1) == 0
            else ("up" if r.delta > 0 else "down"),
            "previous_level": None if pd.isna(r.previous_level) else int(r.previous_level),
            "previous_level_name": _level_name(r.previous_level, lang),
            "current_level": None if pd.isna(r.current_level) else int(r.current_level),
            "current_level_name": _level_name(r.current_level, lang),
        }
        for r in frame.itertuples()
    ]


def _peer_rows(current: dict, peers: dict, lang: str) -> list[dict[str, Any]]:
    dx = current["diagnosis"]
    industry = peers["industry"] or {"overall": None, "dimensions": {}}
    rows = [
        {
            "name": label("history_overall", lang),
            "overall": True,
            "score": dx["overall_score"],
            "all": peers["all"]["overall"],
            "industry": industry["overall"],
        }
    ]
    rows += [
        {
            "name": d["name"],
            "overall": False,
            "score": d["score"],
            "all": peers["all"]["dimensions"].get(d["id"]),
            "industry": industry["dimensions"].get(d["id"]),
        }
        for d in dx["dimensions"]
    ]
    return rows


def render_history(chapter: Chapter, store_path: str | Path) -> Fragment:
    """Change since the previous assessment and position among peers, from the store.

    Parameters
    ----------
    chapter
        The diagnosis chapter.
    store_path
        The SQLite assessment store; empty means no store, and the fragment is empty.

    Returns
    -------
    Fragment
        A ``<section class="sub" id="history">`` in the body of the report.
    """
    if not store_path:
        return Fragment(html="", toc=[], placement="body")
    lang = chapter.lang
    current = build_results(chapter).model_dump(mode="json")
    client = current["client"]
    bank = current["provenance"]["question_bank"]
    previous = previous_assessment(
        store_path, client["slug"], client["date"], bank["id"], bank["version"]
    )
    latest = previous or previous_assessment(store_path, client["slug"], client["date"], None, None)
    change = compare_history(current, previous)
    peers = peer_position(store_path, current, min_peers=MIN_PEERS)
    industry = label(f"history_industry_{client['industry']}", lang)
    return render_fragment(
        "history/history.html.j2",
        lang,
        toc=[{"id": "history", "title": label("history_title", lang), "level": 2}],
        placement="body",
        date=client["date"],
        bank=f"{bank['id']} {bank['version']}",
        previous=None
        if latest is None
        else {"date": latest.date, "bank": f"{latest.bank_id} {latest.bank_version}"},
        change=None if change is None else _change_rows(change, lang),
        peers=None if peers is None else _peer_rows(current, peers, lang),
        n_peers=None if peers is None else peers["all"]["n"],
        n_industry=None if peers is None or peers["industry"] is None else peers["industry"]["n"],
        industry=industry,
        min_peers=MIN_PEERS,
    )
