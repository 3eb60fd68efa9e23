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
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..core.errors import InputError, Problem

#: Version of the database layout; bump on any change and migrate in :func:`_ensure_schema`.
SCHEMA_VERSION = 1
#: Fewest other brands a peer comparison needs before it is shown.
MIN_PEERS = 5
#: Seconds a writer waits for another process to release the database.
_BUSY_TIMEOUT = 60.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS assessments (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    brand TEXT NOT NULL,
    industry TEXT NOT NULL,
    stage TEXT NOT NULL,
    date TEXT NOT NULL,
    bank_id TEXT NOT NULL,
    bank_version TEXT NOT NULL,
    respondents INTEGER,
    overall_score REAL,
    overall_level INTEGER,
    generated_at TEXT,
    recorded_at TEXT NOT NULL,
    package_version TEXT NOT NULL,
    UNIQUE (slug, date)
);
CREATE INDEX IF NOT EXISTS assessments_bank ON assessments (bank_id, slug, date);
CREATE TABLE IF NOT EXISTS dimension_scores (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    dimension TEXT NOT NULL,
    score REAL,
    level INTEGER,
    PRIMARY KEY (assessment_id, dimension)
);
CREATE TABLE IF NOT EXISTS department_scores (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    department TEXT NOT NULL,
    dimension TEXT NOT NULL,
    n INTEGER NOT NULL,
    score REAL,
    PRIMARY KEY (assessment_id, department, dimension)
);
CREATE TABLE IF NOT EXISTS item_scores (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    dimension TEXT NOT NULL,
    n INTEGER NOT NULL,
    score REAL,
    PRIMARY KEY (assessment_id, item)
);
"""


@dataclass(frozen=True)
class Assessment:
    """One stored assessment of a brand.

    ``dimensions`` and ``levels`` are keyed by dimension id, ``departments`` by department id
    (``{"n": ..., "scores": {dimension: score}}``) and ``items`` by item id.
    """

    id: int
    slug: str
    brand: str
    industry: str
    stage: str
    date: str
    bank_id: str
    bank_version: str
    overall_score: float | None
    overall_level: int | None
    dimensions: dict[str, float | None] = field(default_factory=dict)
    levels: dict[str, int | None] = field(default_factory=dict)
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: dict[str, float | None] = field(default_factory=dict)


def _major(version: str) -> str:
    return str(version).strip().split(".")[0]


def is_comparable(bank_id: str, bank_version: str, other_id: str, other_version: str) -> bool:
    """Whether two assessments' scores can be compared: same bank id and same major version."""
    return bank_id == other_id and _major(bank_version) == _major(other_version)


def _bank(results: dict) -> tuple[str, str]:
    bank = results["provenance"]["question_bank"]
    return str(bank["id"]), str(bank["version"])


def _store_error(db_path: Path, message: str, hint: str) -> InputError:
    return InputError(Problem(message, file=str(db_path), hint=hint))


@contextmanager
def _connect(db_path: str | Path, *, create: bool) -> Iterator[sqlite3.Connection | None]:
    """Open the store (creating it and its schema when ``create``); None when it does not exist."""
    path = Path(db_path)
    if not create and not path.is_file():
        yield None
        return
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as exc:
        raise _store_error(
            path, f"cannot open the assessment store: {exc}.", "check the path and permissions."
        ) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not create and not _has_schema(conn):
            # created by another process that has not committed its schema yet: still empty
            yield None
            return
        _ensure_schema(conn, path, create=create)
        yield conn
    except sqlite3.DatabaseError as exc:
        raise _store_error(
            path,
            f"is not a usable assessment store: {exc}.",
            "point --store at a new file, or at a store siyu-diag wrote.",
        ) from None
    finally:
        conn.close()


def _has_schema(conn: sqlite3.Connection) -> bool:
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    return found is not None


def _ensure_schema(conn: sqlite3.Connection, path: Path, *, create: bool) -> None:
    if create:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    version = row[0] if row else None
    if version != SCHEMA_VERSION:
        raise _store_error(
            path,
            f"the assessment store has schema version {version}, but this siyu-diag reads "
            f"version {SCHEMA_VERSION}.",
            "use the siyu-diag version that wrote it, or start a new store.",
        )


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
    with _connect(db_path, create=True):
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
    bank_id, bank_version = _bank(results)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    with _connect(db_path, create=True) as conn:
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


_COLUMNS = (
    "id, slug, brand, industry, stage, date, bank_id, bank_version, overall_score, overall_level"
)


def _load(conn: sqlite3.Connection, row: tuple) -> Assessment:
    key = row[0]
    dims = conn.execute(
        "SELECT dimension, score, level FROM dimension_scores WHERE assessment_id = ? "
        "ORDER BY rowid",
        (key,),
    ).fetchall()
    departments: dict[str, dict[str, Any]] = {}
    for dept, dim, n, score in conn.execute(
        "SELECT department, dimension, n, score FROM department_scores WHERE assessment_id = ? "
        "ORDER BY rowid",
        (key,),
    ):
        departments.setdefault(dept, {"n": n, "scores": {}})["scores"][dim] = score
    items = dict(
        conn.execute(
            "SELECT item, score FROM item_scores WHERE assessment_id = ? ORDER BY rowid", (key,)
        ).fetchall()
    )
    return Assessment(
        *row,
        dimensions={d: s for d, s, _ in dims},
        levels={d: lv for d, _, lv in dims},
        departments=departments,
        items=items,
    )


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
    with _connect(db_path, create=False) as conn:
        if conn is None:
            return None
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM assessments WHERE slug = ? AND date < ? "
            "ORDER BY date DESC, id DESC",
            (slug, str(before_date)),
        ).fetchall()
        for row in rows:
            if bank_id is None or is_comparable(bank_id, bank_version or "", row[6], row[7]):
                return _load(conn, row)
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
    bank_id, bank_version = _bank(current)
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
    bank_id, bank_version = _bank(results)
    with _connect(db_path, create=False) as conn:
        if conn is None:
            return None
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM assessments WHERE slug != ? AND bank_id = ? "
            "ORDER BY slug, date DESC, id DESC",
            (slug, bank_id),
        ).fetchall()
        latest: dict[str, tuple] = {}
        for row in rows:
            if row[1] not in latest and is_comparable(bank_id, bank_version, row[6], row[7]):
                latest[row[1]] = row
        peers = [_load(conn, row) for row in latest.values()]
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
