"""The samples' operating data: reproducible, small, and loadable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from siyu_diag.operations.tables import load_table

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
GENERATOR = SAMPLES / "generate_operations.py"
FILES = {
    "xiangwei": {"friends.csv": "friends", "orders.csv": "orders", "kpi.csv": "kpi_tracking"},
    "qingyang": {"friends.csv": "friends", "orders.csv": "orders", "pushes.csv": "pushes",
                 "kpi.csv": "kpi_tracking"},
    "qiming": {"friends.csv": "friends", "orders.csv": "orders", "pushes.csv": "pushes",
               "kpi.csv": "kpi_tracking"},
}  # fmt: skip


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ops-samples")
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], check=True,
                   capture_output=True)  # fmt: skip
    return out


@pytest.mark.parametrize("slug", sorted(FILES))
def test_regenerating_gives_byte_identical_files(regenerated, slug):
    fresh = sorted(p.name for p in (regenerated / slug / "ops").iterdir())
    assert fresh == sorted(FILES[slug])
    for name in fresh:
        committed = SAMPLES / slug / "ops" / name
        assert (regenerated / slug / "ops" / name).read_bytes() == committed.read_bytes(), (
            f"{slug}/ops/{name} differs from a fresh run of generate_operations.py"
        )


def test_sample_operating_data_stays_small():
    total = sum(p.stat().st_size for p in SAMPLES.glob("*/ops/*"))
    assert total < 4_000_000


@pytest.mark.parametrize("slug", sorted(FILES))
def test_every_sample_file_validates(slug):
    for name, key in FILES[slug].items():
        validated = load_table(SAMPLES / slug / "ops" / name, key, label=f"ops/{name}")
        assert len(validated.table) > 0
        assert not [n for n in validated.notes if n["kind"] == "ignored_column"]
