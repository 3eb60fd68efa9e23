"""Build a client's report: validate → papermill → nbconvert → ``OUT/<slug>/``.

Every chapter notebook present in the package runs, in order, on one kernel; their outputs are
combined into one document (summaries first, appendices last) and exported with the report
template; each chapter's results section is merged into ``results.json``.

Everything is written into a staging folder beside the output; only when the whole report is
ready does it replace the previous ``OUT/<slug>/`` (a failed run leaves the old outputs untouched
and no half-written file).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .. import __version__
from . import assets, export
from .atomic import ordinary_mode, strict_json
from .chapters import ChapterSpec, RunPaths, registry, resolve
from .client import ClientConfig
from .errors import InputError, Problem
from .execution import execute_chapters, execute_notebook  # noqa: F401  (re-exported)
from .fragments import label
from .validate import CheckedClient, validate_client

log = logging.getLogger(__name__)


#: Where a fragment goes in the report, by its ``placement`` metadata.
PLACEMENTS = ("summary", "body", "appendix")


@dataclass(frozen=True)
class ReportPaths:
    """Where a report's outputs are."""

    folder: Path
    report: Path
    results: Path
    notebooks: tuple[Path, ...]
    warnings: tuple[Problem, ...] = ()  # what validation asks to confirm (see validate_client)


def installed_chapters() -> list[ChapterSpec]:
    """The registered chapters whose notebooks are installed, in report order."""
    return [c for c in registry() if assets.notebook_path(c.notebook).is_file()]


def combine_notebooks(notebooks: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """One notebook holding every displayed output, summaries first and appendices last."""
    buckets: dict[str, list] = {p: [] for p in PLACEMENTS}
    for nb in notebooks:
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                meta = output.get("metadata", {}).get("siyu", {})
                buckets[meta.get("placement", "body")].append(output)
    combined = nbformat.v4.new_notebook(metadata=notebooks[0].metadata if notebooks else {})
    combined.cells = [
        nbformat.v4.new_code_cell(outputs=[output])
        for placement in PLACEMENTS
        for output in buckets[placement]
    ]
    return combined


def merge_results(staging: Path, chapters: list[ChapterSpec]) -> dict:
    """``results.json``: the root chapter's results with every other chapter's as a section."""
    results: dict[str, Any] = {}
    for chapter in sorted(chapters, key=lambda c: not c.merge_at_root):
        path = staging / "results" / f"{chapter.key}.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if chapter.merge_at_root:
            results.update(data)
        else:
            results[chapter.key] = data
    return results


def _make_readable(folder: Path) -> None:
    """Give the staged outputs ordinary permissions (temporary files are created private)."""
    for path in (folder, *folder.rglob("*")):
        path.chmod(ordinary_mode(path))


def _swap_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging`` by renames, keeping the old folder until the end.

    Between the two renames only the backup ``.<slug>.old`` exists; :func:`_recover` puts it
    back if the process dies there.
    """
    backup = _backup_of(final)
    if final.exists():
        os.replace(final, backup)
    try:
        os.replace(staging, final)
    except BaseException:
        if backup.exists() and not final.exists():
            os.replace(backup, final)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _backup_of(final: Path) -> Path:
    return final.with_name(f".{final.name}.old")


def _recover(out_dir: Path, slug: str) -> None:
    """Undo what an interrupted run left: its staging folders, and a swap cut in the middle.

    Called with the output lock held, so no other run is using these folders.
    """
    final, backup = out_dir / slug, _backup_of(out_dir / slug)
    if backup.exists():
        if final.exists():  # the new report was in place; only the clean-up was missed
            shutil.rmtree(backup)
        else:  # killed between the two renames: the previous report comes back
            os.replace(backup, final)
            log.warning("restored the previous report of %s after an interrupted run", slug)
    for stale in out_dir.glob(f".{slug}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def _output_lock(out_dir: Path, slug: str) -> Iterator[None]:
    """Hold ``OUT/.<slug>.lock`` for the run: two runs of one client into one OUT take turns.

    The lock is the operating system's (``flock``), so it is released when its process ends,
    however it ends. The file is removed when the run ends; a run that locked a file another
    run had just removed (its inode is no longer the path's) tries again on the new one.
    """
    path = out_dir / f".{slug}.lock"
    while True:
        fh = path.open("a")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise InputError(
                Problem(
                    f"another run is writing the report of '{slug}' into {out_dir} right now.",
                    file=str(path),
                    hint="wait for it to finish, or give this run another --out.",
                )
            ) from None
        if path.exists() and os.stat(path).st_ino == os.fstat(fh.fileno()).st_ino:
            break
        fh.close()
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        fh.close()


def _cover(config: ClientConfig, results: dict, chapters: list[ChapterSpec]) -> dict[str, Any]:
    """What the report template's cover, contents and footer show.

    A chapter's ``cover`` may give the ``subtitle`` (the first one given is used; the label
    ``report_subtitle`` otherwise) and a ``footer_note``.
    """
    lang = results["client"]["language"]
    covers = [resolve(c.cover)(results) for c in chapters if c.cover]
    notes = [c.get("footer_note", "") for c in covers]
    subtitles = [c["subtitle"] for c in covers if c.get("subtitle")]
    return {
        "lang": lang,
        "brand": config.brand,
        "title": label("report_title", lang),
        "subtitle": subtitles[0] if subtitles else label("report_subtitle", lang),
        "date": config.date.isoformat(),
        "consultant": config.consultant,
        "confidential_note": label("confidential", lang),
        "footer": " · ".join([f"{label('footer', lang)} {__version__}", *filter(None, notes)]),
        "labels": {k: label(k, lang) for k in ("contents", "prepared_by", "date")},
    }


def _parameters(chapter: ChapterSpec, checked: CheckedClient, paths: RunPaths) -> dict:
    """The papermill parameters of one chapter in a report run: the framework's and its own."""
    context = checked.context
    parameters = {
        "client_dir": str(checked.client.folder.resolve()),
        "lang": context.lang,
        "results_path": str(paths.staging / "results" / f"{chapter.key}.json"),
    }
    if chapter.needs:
        parameters["facts"] = context.facts(chapter.needs)
    if chapter.parameters:
        parameters |= chapter.call("parameters", context, paths)
    return parameters


def _build_into(
    final: Path,
    checked: CheckedClient,
    chapters: list[ChapterSpec],
    store: Path | None,
    kernel_name: str,
    keep_kernel: bool,
) -> dict:
    """Build the report in a staging folder beside ``final``, then swap it in; the results."""
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.staging-", dir=final.parent))
    try:
        (staging / "results").mkdir()
        paths = RunPaths(staging=staging, store=store)
        runs = [(c.notebook, _parameters(c, checked, paths)) for c in chapters]
        executed = execute_chapters(runs, staging, kernel_name, keep_kernel=keep_kernel)
        results = merge_results(staging, chapters)
        shutil.rmtree(staging / "results")
        (staging / "results.json").write_text(strict_json(results), encoding="utf-8")
        combined = combine_notebooks([nbformat.read(p, as_version=4) for p in executed])
        cover = _cover(checked.client.config, results, chapters)
        html = export.render_html(combined, cover=cover)
        (staging / "report.html").write_text(html, encoding="utf-8")
        _make_readable(staging)
        _swap_into_place(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return results


def build_report(
    client_dir: str | Path,
    out_dir: str | Path = "out",
    *,
    lang: str = "",
    min_group_size: int = 0,
    scenario: str = "",
    kernel_name: str = "python3",
    store: str | Path | None = None,
    keep_kernel: bool = False,
    strict: bool = False,
) -> ReportPaths:
    """Validate a client folder, run its chapters and write ``OUT/<slug>/``.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>``.
    out_dir
        The folder that receives ``<slug>/report.html``, ``results.json`` and ``notebooks/``.
    lang
        "zh" or "en"; empty means the client's language.
    min_group_size
        Smallest group shown; 0 means the client's setting.
    scenario
        A saved planning scenario (``scenarios/<name>.yaml``); empty means the plan as written.
    kernel_name
        The Jupyter kernel that runs the notebooks.
    keep_kernel
        Keep the kernel for the next report built by this process (batch workers).
    strict
        Refuse to build while validation has warnings (placeholders, facts to confirm).
    store
        The SQLite assessment store, handed to the chapters that read it (the diagnosis shows
        the change since the brand's previous assessment and its position among peers); None
        means no store. Recording the new assessment is the caller's (the batch does it).

    Returns
    -------
    ReportPaths

    Raises
    ------
    InputError
        When the client folder or its answers are not usable (before any notebook runs).
    ChapterError
        When a chapter notebook fails.
    """
    checked = validate_client(
        client_dir, scenario=scenario, min_group_size=min_group_size, lang=lang, strict=strict
    )
    client = checked.client
    out_dir = Path(out_dir).resolve()  # the kernels run elsewhere: every path they get is absolute
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            Problem(
                f"the output folder cannot be created ({exc.strerror}).",
                file=str(out_dir),
                hint="choose another --out, or check the permissions of its parent folder.",
            )
        ) from None
    slug = client.config.slug
    chapters = installed_chapters()
    with _output_lock(out_dir, slug):
        _recover(out_dir, slug)
        final = out_dir / slug
        _build_into(
            final,
            checked,
            chapters,
            Path(store).resolve() if store else None,
            kernel_name,
            keep_kernel,
        )
    log.info("report for %s written to %s", slug, final)
    return ReportPaths(
        folder=final,
        report=final / "report.html",
        results=final / "results.json",
        notebooks=tuple(final / "notebooks" / c.notebook for c in chapters),
        warnings=tuple(checked.warnings),
    )
