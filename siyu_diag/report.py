"""Build a client's report: validate → papermill → nbconvert → ``OUT/<slug>/``.

Everything is written into a staging folder beside the output; only when the whole report is
ready does it replace the previous ``OUT/<slug>/`` (a failed run leaves the old outputs untouched
and no half-written file).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from . import assets, export, render
from .client import load_client
from .errors import ChapterError, Problem
from .survey import load_responses

log = logging.getLogger(__name__)

#: The chapter notebooks a report runs, in order.
CHAPTERS = ("01_diagnosis.ipynb",)


@dataclass(frozen=True)
class ReportPaths:
    """Where a report's outputs are."""

    folder: Path
    report: Path
    results: Path
    notebooks: tuple[Path, ...]


class _IPCKernelManager(AsyncKernelManager):
    """Talk to the kernel over local IPC sockets instead of unencrypted TCP."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        return str(Path(_ipc_dir().name) / "kernel")


@functools.cache
def _ipc_dir() -> tempfile.TemporaryDirectory:
    """One private folder per process for the kernels' sockets, removed at exit."""
    return tempfile.TemporaryDirectory(prefix="siyu-kernel-")


def execute_notebook(
    name: str, staging: Path, parameters: dict, kernel_name: str = "python3"
) -> Path:
    """Run the bundled notebook ``name`` with papermill into ``staging/notebooks/``.

    Raises
    ------
    ChapterError
        Naming the cell that failed and its error.
    """
    executed = staging / "notebooks" / name
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(assets.notebook_path(name)),
            str(executed),
            parameters=parameters,
            kernel_name=kernel_name,
            progress_bar=False,
            log_output=False,
            cwd=str(staging),
            kernel_manager_class=_IPCKernelManager,
        )
    except papermill.PapermillExecutionError as exc:
        raise ChapterError(
            Problem(
                f"chapter {name} failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                file=name,
                hint="run `siyu-diag validate` on the client folder; if it is clean, this is a "
                "bug: send the executed notebook to the developers.",
            )
        ) from None
    return executed


def _make_readable(folder: Path) -> None:
    """Give the staged outputs ordinary permissions (temporary files are created private)."""
    umask = os.umask(0)
    os.umask(umask)
    for path in (folder, *folder.rglob("*")):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def _swap_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging`` by renames, keeping the old folder until the end."""
    backup = None
    if final.exists():
        backup = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, backup)
    try:
        os.replace(staging, final)
    except OSError:
        if backup is not None:
            os.replace(backup, final)
        raise
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


def build_report(
    client_dir: str | Path,
    out_dir: str | Path = "out",
    *,
    lang: str = "",
    min_group_size: int = 0,
    kernel_name: str = "python3",
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
    kernel_name
        The Jupyter kernel that runs the notebooks.

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
    client = load_client(client_dir)
    load_responses(client)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = client.config.slug
    staging = Path(tempfile.mkdtemp(prefix=f".{slug}.staging-", dir=out_dir))
    try:
        results = staging / "results.json"
        parameters = {
            "client_dir": str(client.folder.resolve()),
            "lang": lang,
            "min_group_size": min_group_size,
            "results_path": str(results),
        }
        executed = [execute_notebook(name, staging, parameters, kernel_name) for name in CHAPTERS]
        data = json.loads(results.read_text(encoding="utf-8"))
        cover = render.cover(client.config, data["client"]["language"], client.bank.label)
        html = export.render_html(nbformat.read(executed[0], as_version=4), cover=cover)
        (staging / "report.html").write_text(html, encoding="utf-8")
        _make_readable(staging)
        final = out_dir / slug
        _swap_into_place(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("report for %s written to %s", slug, final)
    return ReportPaths(
        folder=final,
        report=final / "report.html",
        results=final / "results.json",
        notebooks=tuple(final / "notebooks" / name for name in CHAPTERS),
    )
