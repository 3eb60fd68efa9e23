"""Where a brand stands among the other brands in the assessment store, without naming them.

The peers are the latest comparable assessment of every other brand; a percentile is the share
of them scoring below the brand, ties counted half. Below :data:`MIN_PEERS` other brands (in
all, or in the brand's industry) the comparison is withheld.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .database import (
    ASSESSMENT_COLUMNS,
    Assessment,
    bank_of,
    connect,
    is_comparable,
    load_assessment,
)

#: Fewest other brands a peer comparison needs before it is shown.
MIN_PEERS = 5


def _percentile(value: float | None, others: list[float]) -> float | None:
    """Share of ``others`` scoring below ``value``, ties counted half, in percent."""
    if value is None or not others:
        return None
    below = sum(o < value for o in others)
    ties = sum(o == value for o in others)
    return 100.0 * (below + 0.5 * ties) / len(others)


def _position(current: dict, peers: list[Assessment], min_peers: int) -> dict[str, Any] | None:
    if len(peers) < min_peers:
        return None
    dx = current["diagnosis"]
    dimensions: dict[str, float | None] = {}
    for d in dx["dimensions"]:
        scores = [p.dimensions[d["id"]] for p in peers if p.dimensions.get(d["id"]) is not None]
        enough = len(scores) >= min_peers
        dimensions[d["id"]] = _percentile(d.get("score"), scores) if enough else None
    overall = [p.overall_score for p in peers if p.overall_score is not None]
    return {
        "n": len(peers),
        "overall": _percentile(dx["overall_score"], overall) if len(overall) >= min_peers else None,
        "dimensions": dimensions,
    }


def peer_position(
    db_path: str | Path, results: dict, *, min_peers: int = MIN_PEERS
) -> dict[str, Any] | None:
    """Where a brand stands among the other brands stored, without naming any of them.

    The peers are the latest comparable assessment (same bank id and major version) of every
    other brand in the store. A percentile is the share of peers scoring below the brand, ties
    counted half (``scipy.stats.percentileofscore(kind="mean")``).

    Parameters
    ----------
    db_path
        The SQLite file; a missing file holds nothing.
    results
        The contents of the brand's ``results.json``.
    min_peers
        Fewest other brands a comparison needs; below it the comparison is withheld.

    Returns
    -------
    dict or None
        None when fewer than ``min_peers`` other brands are stored. Otherwise
        ``{"min_peers", "all": {"n", "overall", "dimensions": {id: percentile}},
        "industry": {"industry", "n", "overall", "dimensions"} or None}``; ``industry`` is
        None when fewer than ``min_peers`` other brands share the brand's industry. Counts and
        percentiles only: never another brand's name, slug or score.
    """
    slug = results["client"]["slug"]
    bank_id, bank_version = bank_of(results)
    with connect(db_path, create=False) as conn:
        if conn is None:
            return None
        rows = conn.execute(
            f"SELECT {ASSESSMENT_COLUMNS} FROM assessments WHERE slug != ? AND bank_id = ? "
            "ORDER BY slug, date DESC, id DESC",
            (slug, bank_id),
        ).fetchall()
        latest: dict[str, tuple] = {}
        for row in rows:
            if row[1] not in latest and is_comparable(bank_id, bank_version, row[6], row[7]):
                latest[row[1]] = row
        peers = [load_assessment(conn, row) for row in latest.values()]
    overall = _position(results, peers, min_peers)
    if overall is None:
        return None
    industry = results["client"]["industry"]
    same = [p for p in peers if p.industry == industry]
    by_industry = _position(results, same, min_peers)
    return {
        "min_peers": min_peers,
        "all": overall,
        "industry": None if by_industry is None else {"industry": industry, **by_industry},
    }
