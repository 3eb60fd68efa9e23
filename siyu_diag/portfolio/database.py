"""The assessment store's SQLite file: its schema, connections, and assessments read back.

:func:`connect` opens the file (creating it and its schema when asked), checks that the schema is
version :data:`SCHEMA_VERSION` and turns SQLite's errors into
:class:`~siyu_diag.core.errors.InputError`; :func:`load_assessment` reads one stored assessment
with its scores as an :class:`Assessment`. :func:`is_comparable` is the rule every query of the
store applies: same question bank id, same major version. :mod:`~.store` records and queries
assessments through these, :mod:`~.peers` compares a brand with the others.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import InputError, Problem

#: Version of the database layout; bump on any change and migrate in :func:`_ensure_schema`.
SCHEMA_VERSION = 1
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


def bank_of(results: dict) -> tuple[str, str]:
    """The question bank (id, version) a ``results.json`` was scored with."""
    bank = results["provenance"]["question_bank"]
    return str(bank["id"]), str(bank["version"])


def store_error(db_path: Path, message: str, hint: str) -> InputError:
    """The problem with the store file ``db_path``, as an :class:`InputError`."""
    return InputError(Problem(message, file=str(db_path), hint=hint))


@contextmanager
def connect(db_path: str | Path, *, create: bool) -> Iterator[sqlite3.Connection | None]:
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
        raise store_error(
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
        raise store_error(
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
        raise store_error(
            path,
            f"the assessment store has schema version {version}, but this siyu-diag reads "
            f"version {SCHEMA_VERSION}.",
            "use the siyu-diag version that wrote it, or start a new store.",
        )


#: The columns of ``assessments`` an :class:`Assessment` is read from, in its field order.
ASSESSMENT_COLUMNS = (
    "id, slug, brand, industry, stage, date, bank_id, bank_version, overall_score, overall_level"
)


def load_assessment(conn: sqlite3.Connection, row: tuple) -> Assessment:
    """The assessment of a row of :data:`ASSESSMENT_COLUMNS`, with its scores."""
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
