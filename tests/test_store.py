"""The assessment store: recording, history deltas, bank comparability and anonymous peers.

Expected values are worked out by hand from the crafted results below.
"""

from __future__ import annotations

import copy
import json
import sqlite3

import pandas as pd
import pytest

from siyu_diag.core.errors import InputError
from siyu_diag.portfolio.store import (
    MIN_PEERS,
    SCHEMA_VERSION,
    compare_history,
    create_store,
    is_comparable,
    peer_position,
    previous_assessment,
    record_assessment,
)

DIMS = ("goals", "collaboration", "incentives", "growth")
NAMES = {"goals": "目标", "collaboration": "协同", "incentives": "激励", "growth": "成长"}


def results(
    slug="acme",
    date="2026-03-01",
    *,
    overall=50.0,
    level=3,
    scores=(40.0, 50.0, 60.0, 50.0),
    levels=(2, 3, 3, 3),
    industry="restaurant",
    bank="siyu-org",
    version="1.0",
    brand=None,
):
    """A results.json as the report writes it, reduced to what the store reads."""
    return {
        "schema_version": "1.0",
        "client": {
            "brand": brand or f"Brand {slug}",
            "slug": slug,
            "industry": industry,
            "stage": "conversion",
            "date": date,
            "consultant": "X",
            "language": "zh",
        },
        "provenance": {
            "package_version": "0.1.0",
            "generated_at": "2026-03-02T10:00:00+00:00",
            "question_bank": {"id": bank, "version": version},
        },
        "diagnosis": {
            "respondents": 20,
            "overall_score": overall,
            "overall_level": level,
            "dimensions": [
                {"id": d, "name": NAMES[d], "score": s, "level": lv}
                for d, s, lv in zip(DIMS, scores, levels, strict=True)
            ],
            "departments": [
                {"group": "marketing", "n": 5, "scores": dict(zip(DIMS, scores, strict=True))},
                {
                    "group": "stores",
                    "n": 8,
                    "scores": {d: s - 10 for d, s in zip(DIMS, scores, strict=True)},
                },
            ],
            "items": [
                {"id": "G01", "dimension": "goals", "n": 13, "score": 42.0},
                {"id": "C01", "dimension": "collaboration", "n": 12, "score": None},
            ],
        },
    }


@pytest.fixture
def db(tmp_path):
    return tmp_path / "store" / "assessments.sqlite"


def test_schema_and_all_scores_are_stored(db):
    key = record_assessment(db, results())
    con = sqlite3.connect(db)
    assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    row = con.execute(
        "SELECT slug, brand, date, bank_id, bank_version, overall_score FROM assessments "
        "WHERE id = ?",
        (key,),
    ).fetchone()
    assert row == ("acme", "Brand acme", "2026-03-01", "siyu-org", "1.0", 50.0)
    dims = dict(con.execute("SELECT dimension, score FROM dimension_scores").fetchall())
    assert dims == {"goals": 40.0, "collaboration": 50.0, "incentives": 60.0, "growth": 50.0}
    depts = con.execute(
        "SELECT department, dimension, n, score FROM department_scores ORDER BY rowid"
    ).fetchall()
    assert len(depts) == 8 and ("stores", "goals", 8, 30.0) in depts
    items = con.execute("SELECT item, n, score FROM item_scores ORDER BY item").fetchall()
    assert items == [("C01", 12, None), ("G01", 13, 42.0)]


def test_two_assessments_give_the_right_deltas(db):
    record_assessment(
        db, results(date="2025-09-01", overall=42.0, level=3, scores=(30, 55, 60, 41))
    )
    current = results(date="2026-03-01", overall=50.0, level=3, scores=(40, 50, 60, 50.5))
    record_assessment(db, current)
    prev = previous_assessment(db, "acme", "2026-03-01", "siyu-org", "1.0")
    assert prev.date == "2025-09-01"
    table = compare_history(current, prev)
    assert list(table["key"]) == ["overall", *DIMS]
    # by hand: 50 − 42, 40 − 30, 50 − 55, 60 − 60, 50.5 − 41
    assert table["delta"].tolist() == pytest.approx([8.0, 10.0, -5.0, 0.0, 9.5])
    assert table["previous"].tolist() == pytest.approx([42.0, 30.0, 55.0, 60.0, 41.0])
    assert table["name"].tolist()[1:] == [NAMES[d] for d in DIMS]
    assert table["current_level"].tolist() == [3, 2, 3, 3, 3]


def test_previous_is_the_latest_earlier_one_never_itself(db):
    for date, overall in [("2024-01-01", 30.0), ("2025-01-01", 40.0), ("2026-01-01", 50.0)]:
        record_assessment(db, results(date=date, overall=overall))
    assert previous_assessment(db, "acme", "2026-01-01", "siyu-org", "1.0").overall_score == 40.0
    assert previous_assessment(db, "acme", "2024-01-01", "siyu-org", "1.0") is None
    assert previous_assessment(db, "other", "2027-01-01", None, None) is None


def test_rerecording_the_same_date_replaces_it(db):
    record_assessment(db, results(overall=50.0))
    record_assessment(db, results(overall=55.0))
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*), MAX(overall_score) FROM assessments").fetchone() == (1, 55)
    assert con.execute("SELECT COUNT(*) FROM dimension_scores").fetchone() == (4,)


def test_bank_version_change_suppresses_the_delta(db):
    record_assessment(db, results(date="2025-09-01", version="1.0"))
    current = results(date="2026-03-01", version="2.0")
    assert previous_assessment(db, "acme", "2026-03-01", "siyu-org", "2.0") is None
    any_bank = previous_assessment(db, "acme", "2026-03-01", None, None)
    assert any_bank.bank_version == "1.0"
    assert compare_history(current, any_bank) is None
    assert compare_history(current, None) is None


def test_comparable_means_same_bank_and_major_version():
    assert is_comparable("siyu-org", "1.0", "siyu-org", "1.3")
    assert not is_comparable("siyu-org", "1.0", "siyu-org", "2.0")
    assert not is_comparable("siyu-org", "1.0", "custom", "1.0")


def test_minor_version_change_keeps_the_delta(db):
    record_assessment(db, results(date="2025-09-01", version="1.0", overall=40.0))
    current = results(date="2026-03-01", version="1.1", overall=50.0)
    prev = previous_assessment(db, "acme", "2026-03-01", "siyu-org", "1.1")
    assert compare_history(current, prev)["delta"].iloc[0] == pytest.approx(10.0)


def _peers(db, overall_scores, industry="restaurant"):
    for i, score in enumerate(overall_scores):
        record_assessment(
            db,
            results(
                slug=f"peer{i}",
                brand=f"Secret {i}",
                overall=score,
                scores=(score, score, score, score),
                industry=industry,
            ),
        )


def test_peers_below_the_minimum_are_not_shown(db):
    current = results()
    _peers(db, [30.0, 40.0, 60.0, 70.0])  # 4 other brands
    record_assessment(db, results(date="2024-01-01"))  # the brand itself never counts
    assert MIN_PEERS == 5
    assert peer_position(db, current) is None
    _peers(db, [30.0, 40.0, 60.0, 70.0, 50.0])  # a fifth
    assert peer_position(db, current)["all"]["n"] == 5


def test_percentiles_by_hand(db):
    _peers(db, [30.0, 40.0, 50.0, 50.0, 70.0])
    current = results(overall=50.0, scores=(35.0, 50.0, 80.0, 20.0))
    position = peer_position(db, current)
    # overall 50: 2 below, 2 tied → (2 + 0.5·2) / 5 = 60 %
    assert position["all"]["overall"] == pytest.approx(60.0)
    assert position["all"]["dimensions"] == pytest.approx(
        {"goals": 20.0, "collaboration": 60.0, "incentives": 100.0, "growth": 0.0}
    )
    assert position["industry"]["industry"] == "restaurant"
    assert position["industry"]["overall"] == pytest.approx(60.0)


def test_industry_needs_its_own_minimum(db):
    _peers(db, [30.0, 40.0, 50.0], industry="restaurant")
    _peers_more = [60.0, 70.0]
    for i, score in enumerate(_peers_more):
        record_assessment(db, results(slug=f"fmcg{i}", overall=score, industry="fmcg"))
    position = peer_position(db, results(overall=55.0))
    assert position["all"]["n"] == 5
    assert position["all"]["overall"] == pytest.approx(60.0)  # 3 of 5 below
    assert position["industry"] is None


def test_peers_use_each_brands_latest_comparable_assessment(db):
    _peers(db, [30.0, 40.0, 50.0, 60.0, 70.0])
    record_assessment(db, results(slug="peer0", date="2026-06-01", overall=90.0))  # newer
    record_assessment(db, results(slug="peer1", date="2026-07-01", overall=95.0, version="2.0"))
    position = peer_position(db, results(overall=65.0))
    # peers: 90 (peer0's latest), 40 (peer1's latest v1), 50, 60, 70 → 3 below of 5
    assert position["all"]["n"] == 5
    assert position["all"]["overall"] == pytest.approx(60.0)


def test_peer_position_never_names_other_brands(db):
    _peers(db, [31.7, 42.3, 53.9, 64.1, 77.7])
    text = json.dumps(peer_position(db, results()))
    assert "Secret" not in text and not any(f"peer{i}" in text for i in range(5))
    assert not any(s in text for s in ("31.7", "42.3", "53.9", "64.1", "77.7"))  # nor scores


def test_missing_store_reads_as_empty_and_is_not_created(tmp_path):
    db = tmp_path / "none.sqlite"
    assert previous_assessment(db, "acme", "2026-01-01", None, None) is None
    assert peer_position(db, results()) is None
    assert not db.exists()
    assert create_store(db) == db and db.is_file()
    assert peer_position(db, results()) is None


def test_not_a_store_is_a_located_error(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("hello, I am not a database" * 100)
    with pytest.raises(InputError, match="bad.sqlite"):
        record_assessment(bad, results())


def test_newer_schema_is_refused(db):
    create_store(db)
    con = sqlite3.connect(db)
    con.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(InputError, match="schema version"):
        previous_assessment(db, "acme", "2026-01-01", None, None)


def test_inputs_are_not_mutated(db):
    current = results()
    before = copy.deepcopy(current)
    record_assessment(db, current)
    _peers(db, [30.0, 40.0, 50.0, 60.0, 70.0])
    peer_position(db, current)
    compare_history(current, previous_assessment(db, "acme", "2027-01-01", None, None))
    assert current == before


def test_compare_history_handles_a_dimension_new_since_last_time(db):
    old = results(date="2025-01-01")
    old["diagnosis"]["dimensions"] = old["diagnosis"]["dimensions"][:3]
    record_assessment(db, old)
    table = compare_history(results(), previous_assessment(db, "acme", "2026-03-01", None, None))
    growth = table.set_index("key").loc["growth"]
    assert pd.isna(growth["previous"]) and pd.isna(growth["delta"])
