"""Build many brands' reports at once: local processes or a Dask cluster, failures isolated.

:func:`run_batch` runs :func:`siyu_diag.core.report.build_report` for every client folder, in
parallel,
and writes the portfolio page ``OUT/index.html``. A brand that fails (unusable input, a chapter
error, an unexpected exception) is recorded with its error while the others finish. Every task
is the same module-level function, :func:`build_one`, whether it runs in a local process pool
(started with "spawn", so it behaves the same on every platform) or on the workers of an existing
Dask distributed cluster; a cluster's workers must see the client folders, the output folder and
the assessment store at the same paths.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from .._lazy import skip_unused_imports
from ..core.client import load_client
from ..core.errors import InputError, Problem, SiyuDiagError
from .store import create_store, record_assessment

if TYPE_CHECKING:
    from ..core.report import ReportPaths

log = logging.getLogger(__name__)

OK = "ok"
FAILED = "failed"
_SAMPLE_PREFIX = "sample:"
#: How long to wait for a Dask scheduler to answer.
_CONNECT_TIMEOUT = "20s"


@dataclass(frozen=True)
class BrandResult:
    """What happened to one brand of a batch.

    Attributes
    ----------
    client
        The client folder (or ``sample:<slug>``) as it was run.
    slug
        The brand's output name; the folder name when its ``client.yaml`` could not be read.
    status
        ``"ok"`` or ``"failed"``.
    error
        Why it failed: the message of the siyu-diag error, or the type and message of an
        unexpected exception; empty when it succeeded.
    paths
        Where the report is, when it succeeded.
    seconds
        Time spent on the brand.
    """

    client: str
    slug: str
    status: str
    error: str = ""
    paths: ReportPaths | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the brand's report was built."""
        return self.status == OK


@dataclass(frozen=True)
class BatchResult:
    """The outcome of :func:`run_batch`: one :class:`BrandResult` per client, in input order."""

    out_dir: Path
    brands: tuple[BrandResult, ...]
    seconds: float
    store: Path | None = None
    index: Path | None = None
    lang: str = ""
    workers: int | None = None
    scheduler: str | None = None

    @property
    def ok(self) -> list[BrandResult]:
        """The brands whose report was built."""
        return [b for b in self.brands if b.ok]

    @property
    def failed(self) -> list[BrandResult]:
        """The brands that failed."""
        return [b for b in self.brands if not b.ok]


def _fallback_slug(client: str) -> str:
    if client.startswith(_SAMPLE_PREFIX):
        return client[len(_SAMPLE_PREFIX) :]
    return Path(client).name or client


def _read_slug(client: str) -> str | None:
    try:
        return load_client(client).config.slug
    except Exception:  # noqa: BLE001 - whatever is wrong, the brand's own run reports it
        return None


def build_one(client: str, out_dir: str, lang: str = "", store: str | None = None) -> BrandResult:
    """Build one brand's report; never raises for the brand's own failure.

    This is the task every worker runs, a local process or a Dask worker alike.

    Parameters
    ----------
    client
        The client folder (absolute, for a remote worker) or ``sample:<slug>``.
    out_dir
        The output folder.
    lang
        "zh", "en" or empty for the client's language.
    store
        The assessment store, or None.

    Returns
    -------
    BrandResult
    """
    from ..core.report import build_report  # here: the process that hands out tasks never needs it

    start = time.perf_counter()
    try:
        paths = build_report(client, out_dir, lang=lang, store=store, keep_kernel=True)
        if store:  # once the report is in place: a failed report is never recorded
            results = json.loads(paths.results.read_text(encoding="utf-8"))
            record_assessment(store, results)
    except SiyuDiagError as exc:
        error = str(exc)
    except Exception as exc:  # a bug or an environment problem: record it, keep the batch going
        log.debug("unexpected error building %s", client, exc_info=True)
        error = f"{type(exc).__name__}: {exc}"
    else:
        slug = paths.folder.name
        return BrandResult(client, slug, OK, paths=paths, seconds=time.perf_counter() - start)
    slug = _read_slug(client) or _fallback_slug(client)
    return BrandResult(client, slug, FAILED, error=error, seconds=time.perf_counter() - start)


def expand_clients(clients: Iterable[str | Path]) -> list[str]:
    """The client folders named by ``clients``.

    Parameters
    ----------
    clients
        Client folders, ``sample:<slug>`` names, or folders of client folders (every sub-folder
        holding a ``client.yaml``, sorted by name).

    Returns
    -------
    list[str]
        Absolute folder paths and ``sample:`` names, each once, in the order given.

    Raises
    ------
    InputError
        When a folder holds neither a ``client.yaml`` nor client folders, or nothing is named.
    """
    expanded: list[str] = []
    problems = []
    for entry in clients:
        text = str(entry)
        if text.startswith(_SAMPLE_PREFIX):
            expanded.append(text)
            continue
        path = Path(entry).expanduser()
        if path.is_dir() and not (path / "client.yaml").is_file():
            found = sorted(p.parent for p in path.glob("*/client.yaml"))
            if not found:
                problems.append(
                    Problem(
                        "holds neither a client.yaml nor client folders with one.",
                        file=text,
                        hint="name a client folder, or a folder whose sub-folders are clients.",
                    )
                )
            expanded += [str(p.resolve()) for p in found]
        else:
            # a client folder, or a path that does not exist: its brand fails with the reason
            expanded.append(str(path.resolve()))
    if problems:
        raise InputError(problems)
    if not expanded:
        raise InputError(Problem("no client folder was named.", hint="name at least one."))
    return list(dict.fromkeys(expanded))


def _duplicates(clients: Sequence[str]) -> dict[str, str]:
    """Clients whose slug an earlier client already uses, with the reason they are skipped."""
    seen: dict[str, str] = {}
    skipped = {}
    for client in clients:
        slug = _read_slug(client)
        if slug is None:
            continue
        if slug in seen:
            skipped[client] = (
                f"slug '{slug}' is also used by {seen[slug]}; both would write {slug}/. "
                "Fix: give every brand its own slug in client.yaml."
            )
        else:
            seen[slug] = client
    return skipped


def _default_workers() -> int:
    counter = getattr(os, "process_cpu_count", os.cpu_count)
    return counter() or 1


def _crashed(client: str, exc: BaseException) -> BrandResult:
    return BrandResult(client, _fallback_slug(client), FAILED, error=f"{type(exc).__name__}: {exc}")


def _run_local(
    tasks: list[tuple[str, str, str, str | None]], workers: int, bar: tqdm
) -> dict[str, BrandResult]:
    done: dict[str, BrandResult] = {}
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=skip_unused_imports)
    with pool:
        futures: dict[Future, str] = {pool.submit(build_one, *task): task[0] for task in tasks}
        try:
            for future in as_completed(futures):
                client = futures[future]
                try:
                    done[client] = future.result()
                except Exception as exc:  # the worker process died (e.g. out of memory)
                    done[client] = _crashed(client, exc)
                _advance(bar, done[client])
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return done


def _run_dask(
    tasks: list[tuple[str, str, str, str | None]], scheduler: str, bar: tqdm
) -> dict[str, BrandResult]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    try:
        client = Client(scheduler, timeout=_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError(
            Problem(
                f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                key="--scheduler",
                hint="start the cluster first, or check the address (e.g. tcp://host:8786).",
            )
        ) from None
    done: dict[str, BrandResult] = {}
    with client:
        futures = {
            client.submit(
                build_one,
                *task,
                key=f"siyu-build-{_fallback_slug(task[0])}-{uuid.uuid4().hex[:8]}",
                pure=False,
            ): task[0]
            for task in tasks
        }
        try:
            for future in dask_completed(list(futures), loop=client.loop):
                name = futures[future]
                try:
                    done[name] = future.result()
                except Exception as exc:  # the worker died or could not run the task
                    done[name] = _crashed(name, exc)
                _advance(bar, done[name])
        except BaseException:
            client.cancel(list(futures))
            raise
    return done


def _advance(bar: tqdm, result: BrandResult) -> None:
    bar.set_postfix_str(f"{result.slug} {result.status}", refresh=False)
    bar.update(1)


def run_batch(
    clients: Sequence[str | Path],
    out_dir: str | Path = "out",
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    lang: str = "",
    store: str | Path | None = None,
    progress: bool = True,
) -> BatchResult:
    """Build every brand's report in parallel and write the portfolio page ``OUT/index.html``.

    Parameters
    ----------
    clients
        Client folders, ``sample:<slug>`` names, or folders of client folders
        (see :func:`expand_clients`).
    out_dir
        Receives ``<slug>/`` for every brand and ``index.html``.
    workers
        Local processes; default the number of cores (never more than the brands). Ignored with
        ``scheduler``.
    scheduler
        Address of a running Dask distributed scheduler (e.g. ``tcp://10.0.0.5:8786``); the
        brands then run on its workers instead of local processes.
    lang
        "zh" or "en" for every report; empty means each brand's own language.
    store
        The SQLite assessment store each report reads its history and peers from and is
        recorded in; None means no store.
    progress
        Show a progress bar on standard error.

    Returns
    -------
    BatchResult
        One result per brand, in the order of ``clients``; a failed brand carries its error.

    Raises
    ------
    InputError
        When nothing usable is named, ``workers`` is below 1, the store is unusable or the
        scheduler cannot be reached. A single brand's failure never raises.
    """
    from .index import render_index

    if workers is not None and workers < 1:
        raise InputError(
            Problem(
                f"--workers must be 1 or more, but {workers} was passed.",
                key="workers",
                hint="leave it out to use one process per core.",
            )
        )
    start = time.perf_counter()
    names = expand_clients(clients)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    store_path = str(create_store(Path(store).resolve())) if store else None
    skipped = _duplicates(names)
    tasks = [(c, str(out), lang, store_path) for c in names if c not in skipped]
    done = {c: BrandResult(c, _read_slug(c) or "", FAILED, error=e) for c, e in skipped.items()}
    n_workers = min(workers or _default_workers(), max(len(tasks), 1))
    where = f"Dask scheduler {scheduler}" if scheduler else f"{n_workers} local processes"
    log.info("building %d reports on %s", len(tasks), where)
    with tqdm(
        total=len(names), unit="brand", desc="siyu-diag", disable=not progress, leave=True
    ) as bar:
        bar.update(len(skipped))
        if tasks and scheduler:
            done |= _run_dask(tasks, scheduler, bar)
        elif tasks:
            done |= _run_local(tasks, n_workers, bar)
    result = BatchResult(
        out_dir=out,
        brands=tuple(done[c] for c in names),
        seconds=time.perf_counter() - start,
        store=Path(store_path) if store_path else None,
        lang=lang,
        workers=None if scheduler else n_workers,
        scheduler=scheduler,
    )
    return replace(result, index=render_index(result, out))
