"""The assessment store: every report's scores in one embedded SQLite database.

Each run records the brand, the assessment date, the question bank (id and version) and the scores
by dimension, department and item (:func:`record_assessment`). A report reads the store to show
the change since the brand's previous comparable assessment (:func:`previous_assessment`,
:func:`compare_history`) and its position among the other brands stored
(:func:`peer_position`), which never names them and is withheld below a minimum number of peers.

Two assessments are *comparable* when they used the same question bank id with the same major
version (``1.0`` and ``1.2`` are comparable, ``1.x`` and ``2.0`` are not). A brand has at most one
assessment per date: recording it again (a re-run after a change) replaces the earlier record.

The schema is created on first use and versioned in the table ``schema_version``. Reading a store
that does not exist yet is not an error: it simply holds nothing.

This is the store's public module: the SQLite layout, connections and reading an assessment back
are in :mod:`~.database`, the peer comparison in :mod:`~.peers`; every public name of the store
is importable from here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .. import __version__
from .database import (
    ASSESSMENT_COLUMNS,
    SCHEMA_VERSION,
    Assessment,
    bank_of,
    connect,
    is_comparable,
    load_assessment,
)
from .peers import MIN_PEERS, peer_position

__all__ = [
    "MIN_PEERS",
    "SCHEMA_VERSION",
    "Assessment",
    "compare_history",
    "create_store",
    "is_comparable",
    "peer_position",
    "previous_assessment",
    "record_assessment",
]


def create_store(db_path: str | Path) -> Path:
    """Create the store and its schema when missing (an existing store is checked, not changed).

    Returns
    -------
    pathlib.Path
        The path of the store.

    Raises
    ------
    InputError
        When the file is not a store this version of siyu-diag can use.
    """
    with connect(db_path, create=True):
        pass
    return Path(db_path)


def record_assessment(db_path: str | Path, results: dict) -> int:
    """Record a report's scores; replace the brand's earlier record of the same date.

    Parameters
    ----------
    db_path
        The SQLite file; it and its schema are created when missing.
    results
        The contents of a ``results.json`` (sections ``client``, ``provenance`` and
        ``diagnosis``).

    Returns
    -------
    int
        The id of the stored assessment.
    """
    client, dx = results["client"], results["diagnosis"]
    prov = results.get("provenance", {})
    bank_id, bank_version = bank_of(results)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    with connect(db_path, create=True) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "DELETE FROM assessments WHERE slug = ? AND date = ?",
                (client["slug"], client["date"]),
            )
            cursor = conn.execute(
                "INSERT INTO assessments (slug, brand, industry, stage, date, bank_id, "
                "bank_version, respondents, overall_score, overall_level, generated_at, "
                "recorded_at, package_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    client["slug"],
                    client["brand"],
                    client["industry"],
                    client["stage"],
                    client["date"],
                    bank_id,
                    bank_version,
                    dx.get("respondents"),
                    dx.get("overall_score"),
                    dx.get("overall_level"),
                    prov.get("generated_at"),
                    now,
                    __version__,
                ),
            )
            key = cursor.lastrowid
            conn.executemany(
                "INSERT INTO dimension_scores VALUES (?, ?, ?, ?)",
                [(key, d["id"], d.get("score"), d.get("level")) for d in dx["dimensions"]],
            )
            conn.executemany(
                "INSERT INTO department_scores VALUES (?, ?, ?, ?, ?)",
                [
                    (key, g["group"], dim, g["n"], score)
                    for g in dx.get("departments", [])
                    for dim, score in g["scores"].items()
                ],
            )
            conn.executemany(
                "INSERT INTO item_scores VALUES (?, ?, ?, ?, ?)",
                [
                    (key, i["id"], i["dimension"], i["n"], i.get("score"))
                    for i in dx.get("items", [])
                ],
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return int(key)


def previous_assessment(
    db_path: str | Path,
    slug: str,
    before_date: str,
    bank_id: str | None,
    bank_version: str | None,
) -> Assessment | None:
    """The brand's latest assessment dated before ``before_date``.

    Parameters
    ----------
    db_path
        The SQLite file; a missing file holds nothing.
    slug
        The brand.
    before_date
        ISO date (``YYYY-MM-DD``); only assessments strictly earlier count, so a re-run of the
        same assessment never finds itself.
    bank_id, bank_version
        Only assessments comparable with this question bank count (same id, same major
        version); ``None`` for both means any bank.

    Returns
    -------
    Assessment or None
    """
    with connect(db_path, create=False) as conn:
        if conn is None:
            return None
        rows = conn.execute(
            f"SELECT {ASSESSMENT_COLUMNS} FROM assessments WHERE slug = ? AND date < ? "
            "ORDER BY date DESC, id DESC",
            (slug, str(before_date)),
        ).fetchall()
        for row in rows:
            if bank_id is None or is_comparable(bank_id, bank_version or "", row[6], row[7]):
                return load_assessment(conn, row)
    return None


def compare_history(current: dict, previous: Assessment | None) -> pd.DataFrame | None:
    """The change of the overall score and of each dimension since a previous assessment.

    Parameters
    ----------
    current
        The contents of the current ``results.json``.
    previous
        The previous assessment, e.g. from :func:`previous_assessment`.

    Returns
    -------
    pandas.DataFrame or None
        One row for the overall score (``key`` ``"overall"``, empty ``name``) then one per
        dimension of the current assessment, with columns ``key``, ``name``, ``previous``,
        ``current``, ``delta`` (current − previous; NaN when either is missing),
        ``previous_level`` and ``current_level``. None when there is no previous assessment or
        its question bank is not comparable.
    """
    if previous is None:
        return None
    bank_id, bank_version = bank_of(current)
    if not is_comparable(bank_id, bank_version, previous.bank_id, previous.bank_version):
        return None
    dx = current["diagnosis"]
    rows = [
        ("overall", "", previous.overall_score, dx["overall_score"], previous.overall_level)
        + (dx["overall_level"],)
    ]
    rows += [
        (
            d["id"],
            d.get("name", d["id"]),
            previous.dimensions.get(d["id"]),
            d.get("score"),
            previous.levels.get(d["id"]),
            d.get("level"),
        )
        for d in dx["dimensions"]
    ]
    frame = pd.DataFrame(
        rows, columns=["key", "name", "previous", "current", "previous_level", "current_level"]
    )
    for column in ("previous", "current"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in ("previous_level", "current_level"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    frame.insert(4, "delta", frame["current"] - frame["previous"])
    return frame
