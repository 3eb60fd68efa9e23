"""``siyu-diag app``: the planning dashboard served by Voilà on the loopback interface."""

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import papermill as pm
import pytest
import yaml

from siyu_diag import app
from siyu_diag.core import assets
from siyu_diag.core.errors import InputError

#: Longest wait for Voilà to accept connections, seconds.
STARTUP_LIMIT = 60
#: Longest wait for the page (Voilà runs the notebook while it answers), seconds.
PAGE_LIMIT = 180


def copy_sample(tmp_path, slug="xiangwei", *, with_plan=True):
    """A copy of a sample client whose client.yaml names plan.yaml (or, without, has no plan)."""
    folder = tmp_path / slug
    shutil.copytree(assets.sample_clients_dir() / slug, folder)
    config = folder / "client.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    if with_plan and data.get("plan") is None:
        with config.open("a", encoding="utf-8") as fh:
            fh.write("\nplan:\n  file: plan.yaml\n")
    elif not with_plan and "plan" in data:
        del data["plan"]
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture
def no_voila(monkeypatch):
    """Fail the test instead of starting Voilà (for the inputs launch_app must refuse)."""

    def popen(*args, **kwargs):
        raise AssertionError(f"Voilà was started: {args}")

    monkeypatch.setattr(app.subprocess, "Popen", popen)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_page(url, process):
    """Poll ``url`` until it answers; return (status, body). Bounded by the limits above."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while True:
        assert process.poll() is None, f"Voilà exited with status {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=PAGE_LIMIT) as response:
                return response.status, response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_app_serves_the_dashboard(tmp_path):
    client = copy_sample(tmp_path)
    port = free_port()
    log = tmp_path / "voila.log"
    with log.open("wb") as output:
        process = app.launch_app(client, port=port, workdir=tmp_path / "app", output=output)
        try:
            status, page = wait_for_page(app.app_url(port), process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    assert status == 200, log.read_text(errors="replace")
    assert "application/vnd.jupyter.widget-view+json" in page
    assert "PlanDashboard" in page
    assert "Traceback" not in page


def test_app_notebook_is_parameterised_and_shows_only_the_dashboard(tmp_path):
    client = copy_sample(tmp_path)
    path = app.write_app_notebook(client, tmp_path / "app", scenario="activate-first")
    params = pm.iorw.load_notebook_node(str(path))
    sources = [c.source for c in params.cells]
    assert all(c.cell_type == "code" for c in params.cells)
    injected = next(c for c in params.cells if "injected-parameters" in c.metadata.tags)
    assert f"client_dir = {json.dumps(str(client.resolve()))}" in injected.source
    assert "interactive = True" in injected.source
    assert 'scenario = "activate-first"' in injected.source
    assert "open_plan(" in sources[-2]
    assert "show_plan_dashboard(chapter, interactive)" in sources[-1]


def test_voila_command_binds_loopback_without_a_browser():
    command = app.voila_command("x.ipynb", port=9001)
    assert command[1:4] == ["-m", "voila", "x.ipynb"]
    for flag in ("--no-browser", "--port=9001", "--Voila.ip=127.0.0.1", "--strip_sources=True"):
        assert flag in command
    assert "--no-browser" not in app.voila_command("x.ipynb", port=9001, open_browser=True)


def test_client_without_a_plan_is_refused(tmp_path, no_voila):
    client = copy_sample(tmp_path, with_plan=False)
    with pytest.raises(InputError, match="no plan section") as info:
        app.launch_app(client, port=free_port(), workdir=tmp_path / "app")
    assert info.value.problems[0].key == "plan"
    assert not (tmp_path / "app").exists()


def test_unknown_scenario_is_refused(tmp_path, no_voila):
    client = copy_sample(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        app.launch_app(client, port=free_port(), scenario="nope", workdir=tmp_path / "app")


def test_missing_client_folder_is_refused(tmp_path, no_voila):
    with pytest.raises(InputError):
        app.launch_app(tmp_path / "missing", port=free_port(), workdir=tmp_path / "app")


def test_serve_app_stops_voila_on_ctrl_c(tmp_path, monkeypatch):
    class FakeVoila:
        returncode = None
        terminated = False

        def wait(self, timeout=None):
            if not self.terminated:
                raise KeyboardInterrupt
            return -15

        def poll(self):
            return -15 if self.terminated else None

        def terminate(self):
            self.terminated = True

    voila = FakeVoila()
    served = []

    def launch(client_dir, *, workdir, **kwargs):
        served.append(workdir)
        return voila

    monkeypatch.setattr(app, "launch_app", launch)
    lines = []
    assert app.serve_app(tmp_path, port=9002, announce=lines.append) == 0
    assert voila.terminated
    assert lines == ["Planning app: http://127.0.0.1:9002/  (Ctrl+C stops it)"]
    assert not Path(served[0]).exists()  # the served notebook is removed
