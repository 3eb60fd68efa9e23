"""Execute chapter notebooks: papermill parameters, one kernel shared by a report's chapters.

A report pays for one kernel start and one import of the package, however many chapters it has:
every chapter notebook is parameterised with papermill and executed by nbclient on the same
kernel, whose namespace is reset between chapters. Kernels talk over private IPC sockets.
"""

from __future__ import annotations

import atexit
import functools
import logging
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
from jupyter_client.client import KernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
from traitlets import default

from . import assets
from .errors import ChapterError, Problem

log = logging.getLogger(__name__)

#: How long one cell may run before the chapter is failed (seconds).
CELL_TIMEOUT = 600
_RESET_TAG = "siyu-reset"
#: Run before every chapter but a fresh kernel's first: an empty namespace, then what survives
#: (imported modules, their caches) is frozen out of the garbage collector's scans, so the next
#: reset's collections take milliseconds instead of a third of a second.
_RESET_CODE = '%reset -f\n__import__("gc").freeze()'


class IPCKernelManager(AsyncKernelManager):
    """A kernel manager that talks to its kernel over local IPC sockets, not plain TCP."""

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


def _chapter_error(name: str, ename: str, evalue: str) -> ChapterError:
    return ChapterError(
        Problem(
            f"chapter {name} failed: {ename}: {evalue}",
            file=name,
            hint="run `siyu-diag validate` on the client folder; if it is clean, this is a "
            "bug: send the executed notebook to the developers.",
        )
    )


def execute_notebook(
    name: str, staging: Path, parameters: dict, kernel_name: str = "python3"
) -> Path:
    """Run the bundled notebook ``name`` with papermill into ``staging/notebooks/``.

    One kernel for this notebook alone; :func:`execute_chapters` shares one across several.

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
            kernel_manager_class=IPCKernelManager,
        )
    except papermill.PapermillExecutionError as exc:
        raise _chapter_error(name, exc.ename, exc.evalue) from None
    return executed


@dataclass
class _Kernel:
    """A kernel and the client that talks to it, both kept across the chapters of a report.

    One client for all chapters: starting a client waits for the kernel's output channel to fall
    quiet, a fifth of a second each time.
    """

    km: IPCKernelManager
    kc: KernelClient | None = None

    def shutdown(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km.has_kernel:
            run_sync(self.km.shutdown_kernel)(now=True)


#: Kernels kept alive for the life of this process (batch workers), by kernel name and thread.
_KEPT: dict[tuple[str, int], _Kernel] = {}


def _shutdown_kept() -> None:
    while _KEPT:
        _KEPT.popitem()[1].shutdown()


def _kept_key(kernel_name: str) -> tuple[str, int]:
    return kernel_name, threading.get_ident()


def _kept_kernel(kernel_name: str) -> _Kernel:
    if not _KEPT:
        atexit.register(_shutdown_kept)
    key = _kept_key(kernel_name)
    if key not in _KEPT:
        _KEPT[key] = _Kernel(IPCKernelManager(kernel_name=kernel_name))
    return _KEPT[key]


def execute_chapters(
    chapters: list[tuple[str, dict]],
    staging: Path,
    kernel_name: str = "python3",
    *,
    keep_kernel: bool = False,
) -> list[Path]:
    """Run several bundled notebooks, in order, on one kernel; save each executed notebook.

    Parameters
    ----------
    chapters
        ``(notebook name, parameters)`` pairs.
    staging
        Working folder; executed notebooks go to ``staging/notebooks/``.
    kernel_name
        The Jupyter kernel to start.
    keep_kernel
        Keep the kernel alive after this call and use it for the next one in this process (a
        batch worker pays for one kernel start and one import of the package for all its
        brands); its namespace is reset before every chapter. It is shut down at exit, or at
        once when a chapter fails.

    Returns
    -------
    list[pathlib.Path]
        The executed notebooks, in order.

    Raises
    ------
    ChapterError
        For the first chapter that fails; the kernel is shut down.
    """
    out_dir = staging / "notebooks"
    out_dir.mkdir(parents=True, exist_ok=True)
    kernel = (
        _kept_kernel(kernel_name)
        if keep_kernel
        else _Kernel(IPCKernelManager(kernel_name=kernel_name))
    )
    cwd = _ipc_dir().name if keep_kernel else str(staging)  # a kept kernel outlives staging
    paths = []
    failed = True
    try:
        for i, (name, parameters) in enumerate(chapters):
            nb = load_notebook_node(str(assets.notebook_path(name)))
            nb = parameterize_notebook(nb, parameters, kernel_name=kernel_name)
            if i or kernel.km.has_kernel:
                reset = nbformat.v4.new_code_cell(_RESET_CODE, metadata={"tags": [_RESET_TAG]})
                nb.cells.insert(0, reset)
            client = NotebookClient(
                nb,
                km=kernel.km,
                timeout=CELL_TIMEOUT,
                kernel_name=kernel_name,
                resources={"metadata": {"path": str(staging)}},
            )
            client.kc = kernel.kc  # None at first: the client starts one, kept for the next
            try:
                client.execute(cwd=cwd)
            except CellExecutionError as exc:
                raise _chapter_error(name, exc.ename, exc.evalue) from None
            finally:
                kernel.kc = client.kc
            nb.cells = [c for c in nb.cells if _RESET_TAG not in c.metadata.get("tags", [])]
            path = out_dir / name
            nbformat.write(nb, path)
            paths.append(path)
            log.info("executed %s", name)
        failed = False
    finally:
        if failed or not keep_kernel:
            kernel.shutdown()
            if keep_kernel:
                _KEPT.pop(_kept_key(kernel_name), None)
    return paths
