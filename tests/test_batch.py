"""Batch runs: many brands in parallel, a broken one isolated, the Dask path identical."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from siyu_diag.cli import main
from siyu_diag.core import assets
from siyu_diag.core.errors import InputError
from siyu_diag.portfolio import batch as batch_module
from siyu_diag.portfolio.batch import BatchResult, build_one, expand_clients, run_batch

GOOD = ("qiming", "qingyang")


def _copy_sample(slug, dest, new_slug=None):
    shutil.copytree(assets.sample_clients_dir() / slug, dest)
    if new_slug:
        config = dest / "client.yaml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace(f"slug: {slug}", f"slug: {new_slug}"), encoding="utf-8")
    return dest


def _break_answers(folder):
    """Put an answer that is not on the scale into the first respondent's first item."""
    path = folder / "survey-merged.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    first_item = next(i for i, h in enumerate(header) if h.startswith("G01"))
    cells = lines[1].split(",")
    cells[first_item] = "非常好吧"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    root = tmp_path_factory.mktemp("clients")
    for slug in GOOD:
        _copy_sample(slug, root / slug)
    _break_answers(_copy_sample("qiming", root / "a-broken", new_slug="broken"))
    _copy_sample("qiming", root / "z-twin")  # same slug as qiming: skipped, never overwrites
    return root


@pytest.fixture(scope="module")
def local_run(clients, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    status = main(["batch", str(clients), "--out", str(out), "--workers", "2", "--no-progress"])
    return status, out


def test_batch_builds_the_good_brands_and_exits_1(local_run, capfd):
    status, out = local_run
    assert status == 1
    for slug in GOOD:
        assert (out / slug / "report.html").is_file()
        results = json.loads((out / slug / "results.json").read_text(encoding="utf-8"))
        assert results["client"]["slug"] == slug
    assert not (out / "broken").exists()


def test_broken_brand_is_in_the_index_with_its_reason(local_run):
    _, out = local_run
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "broken" in html and "非常好吧" in html and "is not an answer on the scale" in html
    assert "z-twin" in html and "also used by" in html
    for slug in GOOD:
        assert f'href="{slug}/report.html"' in html


def test_the_store_records_the_built_brands(local_run):
    _, out = local_run
    con = sqlite3.connect(out / "assessments.sqlite")
    slugs = sorted(s for (s,) in con.execute("SELECT slug FROM assessments"))
    assert slugs == sorted(GOOD)
    for slug in GOOD:
        html = (out / slug / "report.html").read_text(encoding="utf-8")
        assert 'id="history"' in html


def test_summary_lists_every_brand(clients, tmp_path, capsys, monkeypatch):
    """The summary table and the failure reasons, printed by the CLI (brands built elsewhere)."""
    calls = []

    def fake_build_report(client, out_dir, *, lang="", store=None, keep_kernel=False):
        calls.append(client)
        if "broken" in client:
            raise InputError("survey-merged.csv, row 2: not an answer.")
        raise RuntimeError("boom")

    monkeypatch.setattr("siyu_diag.core.report.build_report", fake_build_report)
    monkeypatch.setattr(batch_module, "_run_local", _run_in_process)
    status = main(["batch", str(clients), "--out", str(tmp_path), "--no-progress"])
    captured = capsys.readouterr()
    assert status == 1
    lines = captured.out.splitlines()
    assert lines[0].split() == ["brand", "status", "time", "report", "/", "error"]
    slugs = [line.split()[0] for line in lines[1:5]]
    assert slugs == ["broken", "qiming", "qingyang", "qiming"]  # folder order
    assert "also used by" in lines[4]
    assert "RuntimeError: boom" in captured.out
    assert "survey-merged.csv, row 2: not an answer." in captured.err
    assert "0 of 4 brands" in captured.out and "4 failed" in captured.out
    assert (tmp_path / "index.html").is_file()


def _run_in_process(tasks, workers, bar):
    return {task[0]: build_one(*task) for task in tasks}


def test_unexpected_error_is_recorded_with_its_type(monkeypatch, tmp_path):
    def boom(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr("siyu_diag.core.report.build_report", boom)
    result = build_one("sample:qiming", str(tmp_path))
    assert result.status == "failed" and result.slug == "qiming"
    assert result.error == "KeyError: 'oops'"


def test_expand_clients(clients, tmp_path):
    found = expand_clients([clients])
    names = [p.rsplit("/", 1)[-1] for p in found]
    assert names == ["a-broken", "qiming", "qingyang", "z-twin"]
    assert expand_clients(["sample:qiming", clients / "qiming"])[0] == "sample:qiming"
    with pytest.raises(InputError, match="neither a client.yaml"):
        expand_clients([tmp_path])


def test_workers_must_be_positive(clients, tmp_path):
    with pytest.raises(InputError, match="--workers must be 1 or more"):
        run_batch([clients], tmp_path, workers=0)


def test_demo_runs_the_samples_as_a_batch(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake_run_batch(clients, out_dir, **kwargs):
        seen.update(clients=clients, out_dir=out_dir, **kwargs)
        return BatchResult(out_dir=tmp_path, brands=(), seconds=0.0, index=tmp_path / "index.html")

    monkeypatch.setattr("siyu_diag.portfolio.batch.run_batch", fake_run_batch)
    assert main(["demo", "--out", str(tmp_path), "--no-progress"]) == 0
    assert seen["clients"] == ["sample:qiming", "sample:qingyang", "sample:xiangwei"]
    assert seen["store"] == tmp_path / "assessments.sqlite"
    assert "index.html" in capsys.readouterr().out


def test_dask_cluster_gives_the_same_numbers(local_run, clients, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, local_out = local_run
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        result = run_batch(
            [clients / slug for slug in GOOD],
            tmp_path,
            scheduler=cluster.scheduler_address,
            store=tmp_path / "assessments.sqlite",
            progress=False,
        )
    assert [b.status for b in result.brands] == ["ok", "ok"]
    assert result.scheduler == cluster.scheduler_address
    for slug in GOOD:
        ours = json.loads((tmp_path / slug / "results.json").read_text(encoding="utf-8"))
        local = json.loads((local_out / slug / "results.json").read_text(encoding="utf-8"))
        assert ours["diagnosis"] == local["diagnosis"]
        assert ours["client"] == local["client"]
    assert (tmp_path / "index.html").is_file()


def test_unreachable_scheduler_is_a_user_error(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(batch_module, "_CONNECT_TIMEOUT", "2s")
    with pytest.raises(InputError, match="cannot reach the Dask scheduler"):
        run_batch(["sample:qiming"], tmp_path, scheduler="tcp://127.0.0.1:9", progress=False)
