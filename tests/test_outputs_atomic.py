"""Outputs under faults, run the way people type: relative paths, the installed command.

A report run that is killed at any moment, or that meets another run of the same client, never
loses the previous report; the next run cleans up and completes. ``results.json`` is strict JSON.
A batch survives brands broken in every way and lists each failure with its message.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from siyu_diag.core import assets
from siyu_diag.core.report import _recover

CLI = str(Path(sys.executable).with_name("siyu-diag"))
SLUG = "xiangwei"


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _strict_json(path: Path):
    def refuse(constant):
        raise AssertionError(f"{path.name} holds the non-JSON constant {constant}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


def _previous_report(out: Path) -> dict[str, str]:
    folder = out / SLUG
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("<p>last month</p>", encoding="utf-8")
    (folder / "results.json").write_text("{}", encoding="utf-8")
    return _digest(folder)


def _run(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=600, **kw)


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ("report.html", "results.json", "plan.xlsx"))


@pytest.fixture(scope="module")
def relative_run(tmp_path_factory):
    """`siyu-diag run sample:xiangwei` in a fresh folder, with the default (relative) --out."""
    work = tmp_path_factory.mktemp("relative")
    return work, _run("run", f"sample:{SLUG}", cwd=work)


def test_run_with_the_default_relative_out(relative_run):
    work, proc = relative_run
    assert proc.returncode == 0, proc.stderr
    folder = work / "out" / SLUG
    assert _complete(folder)
    assert str(folder / "report.html") in proc.stdout
    assert sorted(p.name for p in (work / "out").iterdir()) == [SLUG]


def test_results_json_is_strict_json(relative_run):
    work, _ = relative_run
    results = _strict_json(work / "out" / SLUG / "results.json")
    assert results["client"]["slug"] == SLUG
    for section in ("plan", "incentives", "operations"):
        assert section in results


def test_relative_client_folder_and_store(tmp_path):
    shutil.copytree(assets.sample_clients_dir() / "qiming", tmp_path / "clients" / "qiming")
    proc = _run(
        "batch",
        "clients",
        "--out",
        "reports",
        "--store",
        "db/history.sqlite",
        "--no-progress",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert _complete(tmp_path / "reports" / "qiming")
    assert (tmp_path / "db" / "history.sqlite").is_file()
    assert (tmp_path / "reports" / "index.html").is_file()


def test_a_run_that_holds_the_lock_makes_the_second_wait_its_turn(tmp_path):
    out = tmp_path / "out"
    before = _previous_report(out)
    with (out / f".{SLUG}.lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = _run("run", f"sample:{SLUG}", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 1
    assert "another run is writing the report of 'xiangwei'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert _digest(out / SLUG) == before


def test_killed_runs_never_lose_the_previous_report(tmp_path):
    """SIGKILL at several moments of a run; after each, the old report or a complete new one."""
    out = tmp_path / "out"
    before = _previous_report(out)
    outcomes = []
    for delay in (0.5, 2.0, 4.0, 7.0, 10.0):
        proc = subprocess.Popen(
            [CLI, "run", f"sample:{SLUG}", "--out", "out"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the kernel goes down with the command, as with kill -9 -PGID
        )
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        folder = out / SLUG
        if folder.is_dir() and _digest(folder) == before:
            outcomes.append("old")
        elif _complete(folder):
            outcomes.append("new")
            before = _digest(folder)
        else:  # only between the two final renames: the backup is there for the next run
            assert (out / f".{SLUG}.old").is_dir(), sorted(p.name for p in out.iterdir())
            outcomes.append("between")
    assert "old" in outcomes  # at least one kill landed mid-run
    proc = _run("run", f"sample:{SLUG}", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert _complete(out / SLUG)
    assert sorted(p.name for p in out.iterdir()) == [SLUG]


def test_an_interrupted_swap_is_undone_by_the_next_run(tmp_path):
    """Killed between the two renames: only the backup is left; it comes back."""
    previous = tmp_path / f".{SLUG}.old"
    previous.mkdir()
    (previous / "report.html").write_text("<p>last month</p>", encoding="utf-8")
    (tmp_path / f".{SLUG}.staging-abc123" / "results").mkdir(parents=True)
    _recover(tmp_path, SLUG)
    assert (tmp_path / SLUG / "report.html").read_text(encoding="utf-8") == "<p>last month</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == [SLUG]


def test_a_finished_swap_whose_clean_up_was_cut_keeps_the_new_report(tmp_path):
    (tmp_path / SLUG).mkdir()
    (tmp_path / SLUG / "report.html").write_text("new", encoding="utf-8")
    (tmp_path / f".{SLUG}.old").mkdir()
    _recover(tmp_path, SLUG)
    assert (tmp_path / SLUG / "report.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [SLUG]


# --- a batch with one brand of each broken kind -----------------------------------------------


def _broken(clients: Path, name: str, change) -> None:
    folder = clients / name
    shutil.copytree(assets.sample_clients_dir() / SLUG, folder)
    text = (folder / "client.yaml").read_text(encoding="utf-8")
    (folder / "client.yaml").write_text(text.replace("slug: xiangwei", f"slug: {name}"), "utf-8")
    change(folder)


def _replace(name, old, new):
    def change(folder: Path) -> None:
        text = (folder / name).read_text(encoding="utf-8")
        assert old in text
        (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


BROKEN = {
    "bad-date": (
        _replace("client.yaml", "date: 2026-03-20", "date: 2026-13-45"),
        "not a real date",
    ),
    "dup-key": (
        _replace("client.yaml", "stage: launch", "stage: launch\nstage: mature"),
        "written twice",
    ),
    "ctrl-char": (
        _replace("client.yaml", "brand: 湘味小馆", "brand: 湘\x01味"),
        "control character",
    ),
    "plan-inf": (_replace("plan.yaml", "amount: 48000", "amount: .inf"), "finite number"),
    "bomb": (
        lambda f: (f / "plan.yaml").write_text(
            "a: &a [1,1,1,1,1,1,1,1,1,1]\n"
            + "".join(
                f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, n in zip("abcdefg", "bcdefgh", strict=True)
            ),
            encoding="utf-8",
        ),
        "expands to more than",
    ),
    "no-survey": (lambda f: (f / "wjx-export-20260316.csv").unlink(), "does not exist"),
    "not-yaml": (lambda f: (f / "client.yaml").write_bytes(b"\x00\xff\xfe garbage"), "client.yaml"),
}


def test_batch_isolates_every_kind_of_broken_brand(tmp_path):
    clients = tmp_path / "clients"
    shutil.copytree(assets.sample_clients_dir() / "qiming", clients / "a-good")
    for name, (change, _) in BROKEN.items():
        _broken(clients, name, change)
    proc = _run("batch", "clients", "--out", "out", "--no-progress", "--workers", "2", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert _complete(tmp_path / "out" / "qiming")
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    for name, (_, reason) in BROKEN.items():
        line = next(ln for ln in proc.stdout.splitlines() if ln.startswith(name))
        assert "FAILED" in line, line
        assert reason in proc.stderr, (name, proc.stderr)
        assert name in index
    assert f"1 of {len(BROKEN) + 1} brands" in proc.stdout
