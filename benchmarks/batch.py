"""Benchmark: regenerating every brand's report, by hand versus ``siyu-diag batch``.

Goal: ``siyu-diag batch --workers 2`` at least 10× faster than doing it by hand for 6 brands, and
each brand within 2× of the floor (one bare kernel start with the chapters' imports).

Usage::

    .venv/bin/python benchmarks/batch.py [--brands 6] [--workers 2] [--skip-naive]

The brands are the bundled samples plus copies of them under other slugs, in a temporary folder.
In one run it times, on the same brands and the chapters installed:

(a) **by hand**: for each brand and each chapter, the ``papermill`` command line with the same
    parameters the report builder passes, then ``jupyter nbconvert --to html``, one command
    after another (each pays for a Python start, a kernel start and the imports);
(b) **``siyu-diag batch``** with ``--workers`` local processes (one kernel per brand for all
    its chapters, exported in-process), from the command line;
(c) **the floor**: a bare kernel start that runs the chapters' imports, then shuts down (the
    fixed cost a brand cannot avoid on a fresh kernel).

(b) and (c) run ``--repeat`` times (default 3) and the ratios use their medians: on a shared
machine one run can be a third slower than the next. (a), minutes long, runs once.

It prints the times and the ratios; it asserts nothing. The machine's load is printed too.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

from siyu_diag.core import assets
from siyu_diag.core.execution import IPCKernelManager
from siyu_diag.core.report import installed_chapters
from siyu_diag.core.validate import validate_client

BIN = Path(sys.executable).parent


def make_brands(root: Path, n: int) -> list[Path]:
    """``n`` client folders: the samples, then copies of them under new slugs."""
    samples = sorted(p.parent for p in assets.sample_clients_dir().glob("*/client.yaml"))
    folders = []
    for i in range(n):
        source = samples[i % len(samples)]
        copy = i // len(samples)
        slug = source.name if copy == 0 else f"{source.name}-{copy + 1}"
        dest = root / slug
        shutil.copytree(source, dest)
        if copy:
            config = dest / "client.yaml"
            text = config.read_text(encoding="utf-8")
            text = re.sub(rf"^slug: {source.name}\b", f"slug: {slug}", text, flags=re.M)
            config.write_text(text, encoding="utf-8")
        folders.append(dest)
    return folders


def chapter_parameters(chapter, client: Path, results: Path, facts: dict) -> dict[str, object]:
    """What the report builder passes to a chapter (without the assessment store or workbooks)."""
    parameters: dict[str, object] = {
        "client_dir": str(client),
        "lang": "",
        "results_path": str(results),
    }
    if chapter.needs:
        parameters["facts"] = {name: facts[name] for name in chapter.needs}
    if chapter.key == "diagnosis":
        parameters["min_group_size"] = 0
    if chapter.key == "plan":
        parameters["scenario"] = ""
    return parameters


def run_by_hand(brands: list[Path], out: Path) -> tuple[float, int]:
    """(a): papermill then nbconvert, per brand and chapter, one command after another.

    Returns the time and the number of commands that failed (a user would go on to the next).
    """
    failed = 0
    # the facts the builder hands from chapter to chapter are worked out before the clock runs
    needed = {name for chapter in installed_chapters() for name in chapter.needs}
    facts = {c: validate_client(c).context.facts(tuple(needed)) for c in brands}
    start = time.perf_counter()
    for client in brands:
        folder = out / client.name
        folder.mkdir(parents=True)
        for chapter in installed_chapters():
            executed = folder / chapter.notebook
            command = [str(BIN / "papermill"), str(assets.notebook_path(chapter.notebook))]
            command += [str(executed), "--cwd", str(folder)]
            results = folder / f"{chapter.key}.json"
            params = chapter_parameters(chapter, client, results, facts[client])
            parameters_file = folder / f"{chapter.key}.parameters.yaml"
            parameters_file.write_text(yaml.safe_dump(params, allow_unicode=True), "utf-8")
            command += ["-f", str(parameters_file)]
            failed += subprocess.run(command, capture_output=True).returncode != 0
            html = [str(BIN / "jupyter"), "nbconvert", "--to", "html", str(executed)]
            failed += subprocess.run(html, capture_output=True).returncode != 0
    return time.perf_counter() - start, failed


def run_batch_cli(brands_dir: Path, out: Path, workers: int) -> tuple[float, list[float], str]:
    """(b): ``siyu-diag batch`` from the command line; wall time and each brand's time."""
    command = [str(BIN / "siyu-diag"), "batch", str(brands_dir), "--out", str(out)]
    command += ["--workers", str(workers), "--no-progress"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    per_brand = [
        float(m.group(1)) for m in re.finditer(r"^\S+\s+ok\s+([\d.]+)s\s", done.stdout, re.M)
    ]
    for line in re.findall(r"^\S+\s+FAILED\s.*$", done.stdout, re.M):
        print(f"    (b) failed: {line[:160]}")
    return seconds, per_brand, done.stdout


def import_lines() -> str:
    """The chapters' imports: each notebook's import statements, then every ``sd.<name>`` it
    uses (the package imports its modules on first use, so naming them imports them)."""
    lines = []
    for chapter in installed_chapters():
        nb = nbformat.read(assets.notebook_path(chapter.notebook), as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        lines += [line for line in code.splitlines() if line.startswith(("import ", "from "))]
        lines += [f"sd.{name}" for name in dict.fromkeys(re.findall(r"\bsd\.(\w+)", code))]
    return "\n".join(lines) or "import siyu_diag"


def time_floor(work: Path, code: str) -> float:
    """(c): start a kernel the way the report builder does, run the imports, shut it down."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    start = time.perf_counter()
    km = IPCKernelManager(kernel_name="python3")
    try:
        NotebookClient(nb, km=km, timeout=600, kernel_name="python3").execute(cwd=str(work))
    finally:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    return time.perf_counter() - start


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{s:.1f}" for s in seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--brands", type=int, default=6, help="number of brands (default 6)")
    parser.add_argument("--workers", type=int, default=2, help="batch processes (default 2)")
    parser.add_argument("--skip-naive", action="store_true", help="skip (a), the slow one")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b) and (c) (default 3)")
    args = parser.parse_args()

    chapters = [c.notebook for c in installed_chapters()]
    cores = os.cpu_count()
    print(f"machine: {platform.platform()}, {cores} cores, Python {platform.python_version()}")
    print(f"chapters: {', '.join(chapters)}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="siyu-bench-") as tmp:
        root = Path(tmp)
        brands = make_brands(root / "clients", args.brands)
        print(f"brands: {len(brands)} ({', '.join(b.name for b in brands)})\n")

        code = import_lines()
        floors = [time_floor(root, code) for _ in range(args.repeat)]
        floor = statistics.median(floors)
        print(f"(c) floor: kernel start + imports        {floor:7.1f} s  (runs: {_runs(floors)})")

        batches, per_brand = [], []
        for i in range(args.repeat):
            seconds, brand_times, _ = run_batch_cli(
                root / "clients", root / f"batch-{i}", args.workers
            )
            batches.append(seconds)
            per_brand += brand_times
        batch = statistics.median(batches)
        print(
            f"(b) siyu-diag batch --workers {args.workers}          {batch:7.1f} s  "
            f"({batch / len(brands):.1f} s per brand of wall time; runs: {_runs(batches)})"
        )
        if per_brand:
            mean = statistics.mean(per_brand)
            print(
                f"    each brand on its worker: mean {mean:.1f} s, "
                f"min {min(per_brand):.1f} s, max {max(per_brand):.1f} s"
            )

        if not args.skip_naive:
            naive, naive_failed = run_by_hand(brands, root / "naive")
            print(
                f"(a) by hand: papermill + nbconvert        {naive:7.1f} s  "
                f"({naive / len(brands):.1f} s per brand, "
                f"{len(brands) * len(chapters) * 2} commands, {naive_failed} failed)"
            )
            print(f"\nspeed-up (a)/(b): {naive / batch:.1f}×  (goal ≥ 10×)")
        print(f"wall time per brand / floor: {batch / len(brands) / floor:.2f}×  (goal ≤ 2×)")
        if per_brand:
            print(f"one brand's own time / floor: {statistics.mean(per_brand) / floor:.2f}×")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
