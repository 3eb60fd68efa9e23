"""The planning dashboard as a web app for clients: ``siyu-diag app CLIENT`` runs Voilà.

A client who never saw a notebook gets the what-if dashboard of the planning chapter in the
browser, without code. :func:`launch_app` validates the client folder, writes a parameterised
copy of the bundled ``02_targets.ipynb`` (``client_dir`` as an absolute path, ``interactive``
on) into a working folder and starts Voilà on it, bound to the loopback interface.

The copy keeps the notebook's code cells up to the one that opens the plan, then the dashboard
cell: the page is the dashboard alone, without the notebook's narrative (written for
consultants) and without static report figures that the sliders would not change.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO

import nbformat
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from .core import assets
from .core.client import CLIENT_FILE, load_client
from .core.errors import InputError, Problem
from .plan.planfile import load_plan_inputs
from .plan.scenario import apply_scenario, load_scenario

logger = logging.getLogger(__name__)

#: The bundled notebook the app serves.
NOTEBOOK = "02_targets.ipynb"
#: Voilà's default port.
DEFAULT_PORT = 8866
#: Seconds after which the kernel of a page nobody is connected to any more is shut down.
_CULL_AFTER = 900
#: Source text of the cell that opens the plan, and of the one that shows the dashboard.
_OPEN_CALL = "open_plan("
_SHOW_CALL = "show_plan_dashboard("


def app_url(port: int = DEFAULT_PORT) -> str:
    """The address of the app on this machine."""
    return f"http://127.0.0.1:{port}/"


def check_app_client(client_dir: str | Path, *, scenario: str = "") -> Path:
    """Check that a client folder can be served: it loads, has a plan, and the scenario exists.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>``.
    scenario
        A saved scenario to start from; empty for the plan as written.

    Returns
    -------
    Path
        The client folder as an absolute path.

    Raises
    ------
    InputError
        For a broken client folder or plan file, a missing ``plan`` section, or an unknown or
        invalid scenario.
    """
    client = load_client(client_dir)
    files = client.config.plan
    if files is None:
        raise InputError(
            Problem(
                "client.yaml has no plan section, so there is no plan to explore.",
                file=CLIENT_FILE,
                key="plan",
                hint="add 'plan: {file: plan.yaml}' to client.yaml and provide plan.yaml.",
            )
        )
    inputs = load_plan_inputs(client.folder, files.file)
    if scenario:
        apply_scenario(inputs, load_scenario(client, scenario))
    return client.folder.resolve()


def _app_cells(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Keep the code cells up to the one that opens the plan, then the dashboard cell."""
    cells = nb.cells
    opened = next(
        (i for i, c in enumerate(cells) if c.cell_type == "code" and _OPEN_CALL in c.source),
        None,
    )
    shown = next(
        (i for i, c in enumerate(cells) if c.cell_type == "code" and _SHOW_CALL in c.source),
        None,
    )
    if opened is None or shown is None or shown < opened:
        logger.warning("%s: dashboard cell not found after the plan is opened", NOTEBOOK)
        return nb
    kept = [c for c in cells[: opened + 1] if c.cell_type == "code"]
    nb.cells = [*kept, cells[shown]]
    return nb


def write_app_notebook(client_dir: str | Path, folder: str | Path, *, scenario: str = "") -> Path:
    """Write the parameterised notebook the app serves into ``folder``.

    Parameters
    ----------
    client_dir
        The client folder (written into the notebook as an absolute path).
    folder
        Where to write the notebook.
    scenario
        The saved scenario to start from; empty for the plan as written.

    Returns
    -------
    Path
        The notebook written.
    """
    nb = load_notebook_node(str(assets.notebook_path(NOTEBOOK)))
    parameters: dict[str, object] = {
        "client_dir": str(Path(client_dir).resolve()),
        "interactive": True,
    }
    if scenario:
        parameters["scenario"] = scenario
    nb = _app_cells(parameterize_notebook(nb, parameters, kernel_name="python3"))
    path = Path(folder) / NOTEBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def voila_command(notebook: str | Path, *, port: int, open_browser: bool = False) -> list[str]:
    """The command that serves ``notebook`` with Voilà on ``127.0.0.1:port``."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--theme=light",
        # every page load starts a kernel; shut down those of closed pages after 15 minutes
        f"--MappingKernelManager.cull_idle_timeout={_CULL_AFTER}",
        "--MappingKernelManager.cull_interval=60",
    ]
    if not open_browser:
        command.insert(4, "--no-browser")
    return command


def launch_app(
    client_dir: str | Path,
    *,
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    scenario: str = "",
    workdir: str | Path | None = None,
    output: int | IO | None = None,
) -> subprocess.Popen:
    """Validate the client folder and start Voilà on its planning dashboard.

    Parameters
    ----------
    client_dir
        The client folder, or ``sample:<slug>`` (saving scenarios is then refused).
    port
        The port on 127.0.0.1; Voilà exits when it is taken.
    open_browser
        Open the page in the default browser.
    scenario
        A saved scenario to start from; empty for the plan as written (or ``client.yaml``'s
        ``plan.scenario``).
    workdir
        Where to write the served notebook; a new temporary folder when omitted (the caller
        removes it after the process ends; :func:`serve_app` does).
    output
        Where Voilà's log goes (``stdout`` and ``stderr``); the console when omitted.

    Returns
    -------
    subprocess.Popen
        The Voilà process; the app is at :func:`app_url` once it answers.

    Raises
    ------
    InputError
        When the client folder cannot be served (see :func:`check_app_client`).
    """
    folder = check_app_client(client_dir, scenario=scenario)
    if workdir is None:
        workdir = tempfile.mkdtemp(prefix="siyu-app-")
    notebook = write_app_notebook(folder, workdir, scenario=scenario)
    command = voila_command(notebook, port=port, open_browser=open_browser)
    logger.info("starting %s", " ".join(command))
    stderr = subprocess.STDOUT if output is not None else None
    return subprocess.Popen(command, cwd=str(workdir), stdout=output, stderr=stderr)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_app(
    client_dir: str | Path,
    *,
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    scenario: str = "",
    announce: Callable[[str], object] | None = None,
) -> int:
    """Run the app until Voilà exits, Ctrl+C or SIGTERM; return Voilà's status (0 when stopped).

    Voilà and its kernels are stopped and the served notebook removed on the way out.

    Parameters
    ----------
    client_dir, port, open_browser, scenario
        As :func:`launch_app`.
    announce
        Called once with a line giving the address (the CLI passes ``print``).
    """
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        with tempfile.TemporaryDirectory(prefix="siyu-app-") as workdir:
            process = launch_app(
                client_dir,
                port=port,
                open_browser=open_browser,
                scenario=scenario,
                workdir=workdir,
            )
            (announce or logger.info)(f"Planning app: {app_url(port)}  (Ctrl+C stops it)")
            try:
                return process.wait()
            except KeyboardInterrupt:
                return 0
            finally:
                _stop(process)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
