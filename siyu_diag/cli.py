"""The ``siyu-diag`` command: ``new``, ``validate``, ``run``, ``batch``, ``demo``, ``app``.

Exit status: 0 when all went well, 1 for a user error (printed with its location and fix, never a
traceback), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from ._lazy import skip_unused_imports
from .core import assets
from .core.errors import Problem, SiyuDiagError

if TYPE_CHECKING:
    from .portfolio.batch import BatchResult

# Each command imports what it needs when it runs: `siyu-diag batch` then starts in a fraction of
# the time, and hands the report building (nbformat, nbconvert, the chapters) to its workers.


def _at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of ``minimum`` or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, found '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected {minimum} or more, found {value}")
        return value

    return parse


def _port(text: str) -> int:
    value = _at_least(1)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, found {value}")
    return value


def _slug(text: str) -> str:
    from .core.client import SLUG_RULE, is_slug

    if not is_slug(text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a slug: {SLUG_RULE}")
    return text


def _scenario_name(args: argparse.Namespace) -> str:
    """``--scenario`` as a name: a path to ``scenarios/NAME.yaml`` is accepted too."""
    given = args.scenario
    if not given or ("/" not in given and not given.endswith((".yaml", ".yml"))):
        return given
    from .core.client import resolve_client_dir

    scenarios = (resolve_client_dir(args.folder) / "scenarios").resolve()
    for path in (Path(given).resolve(), (scenarios.parent / given).resolve()):
        if path.parent == scenarios:
            return path.stem
    raise SiyuDiagError(
        Problem(
            f"--scenario '{given}' is not a file in the client folder's scenarios/ folder.",
            key="--scenario",
            hint="pass the scenario's name (scenarios/NAME.yaml → NAME).",
        )
    )


def _cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_client

    folder = new_client(args.folder, brand=args.brand, slug=args.slug, force=args.force)
    print(f"Created {folder}/client.yaml and {folder}/questionnaire.xlsx.")
    print(
        "Next: fill in client.yaml, send questionnaire.xlsx to respondents, put the answers "
        f"in the folder, then run `siyu-diag validate {folder}`."
    )
    return 0


def _print_warnings(warnings) -> None:
    """Warnings go to standard error, after the output they concern."""
    if warnings:
        print(f"\n{len(warnings)} to confirm (`--strict` makes these errors):", file=sys.stderr)
        for w in warnings:
            print(f"  warning: {w}", file=sys.stderr)


def _cmd_validate(args: argparse.Namespace) -> int:
    from .core.validate import validate_client
    from .diagnosis.config import client_bank

    checked = validate_client(args.folder, scenario=_scenario_name(args), strict=args.strict)
    client, responses = checked.client, checked.context.checked["diagnosis"]
    bank = client_bank(client)
    people = responses.respondents
    print(f"{client.config.brand} ({client.config.slug}): OK")
    print(f"  checked        {', '.join(checked.checked)}")
    print(f"  question bank  {bank.label}, {len(bank.items)} items")
    print(f"  responses      {len(people)} from {client.config.survey.file}")
    counts = people["department_label"].value_counts()
    print("  departments    " + ", ".join(f"{d} {n}" for d, n in counts.items()))
    for q in responses.quality.itertuples():
        detail = q.subject or f"rows {q.rows}"
        print(f"  note           {q.kind}: {detail}")
    _print_warnings(checked.warnings)
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    from .core.report import build_report

    paths = build_report(
        args.folder,
        args.out,
        lang=args.lang or "",
        min_group_size=args.min_group_size or 0,
        scenario=_scenario_name(args),
        strict=args.strict,
    )
    _print_warnings(paths.warnings)
    print(f"Report:  {paths.report}")
    print(f"Results: {paths.results}")
    return 0


def _cmd_app(args: argparse.Namespace) -> int:
    from .app import serve_app

    return serve_app(args.folder, port=args.port, scenario=_scenario_name(args), announce=print)


def _first_line(text: str, width: int = 90) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def _print_summary(result: BatchResult) -> None:
    """The table of brands, the failures in full, and where the outputs are."""
    width = max([len(b.slug) for b in result.brands] + [5])
    print(f"{'brand':<{width}}  {'status':<6}  {'time':>6}  report / error")
    for b in result.brands:
        where = str(b.paths.report) if b.paths else _first_line(b.error)
        status = "ok" if b.ok else "FAILED"
        print(f"{b.slug:<{width}}  {status:<6}  {b.seconds:>5.1f}s  {where}")
    for b in result.failed:
        print(f"\n{b.slug} ({b.client}) failed:\n{b.error}", file=sys.stderr)
    for b in result.ok:
        if b.paths.warnings:
            print(f"\n{b.slug}:", end="", file=sys.stderr)
            _print_warnings(b.paths.warnings)
    ran = f"{len(result.brands)} brands in {result.seconds:.1f}s"
    ran += f" on {result.scheduler}" if result.scheduler else f" on {result.workers} processes"
    print(f"\n{len(result.ok)} of {ran}; {len(result.failed)} failed.")
    print(f"Index:   {result.index}")
    if result.store:
        print(f"Store:   {result.store}")


def _cmd_batch(args: argparse.Namespace) -> int:
    from .portfolio.batch import run_batch

    result = run_batch(
        args.clients,
        args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        lang=args.lang or "",
        store=(args.store or args.out / "assessments.sqlite").resolve(),
        progress=not args.no_progress,
    )
    _print_summary(result)
    return 1 if result.failed else 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from .portfolio.batch import run_batch

    samples = sorted(p.parent.name for p in assets.sample_clients_dir().glob("*/client.yaml"))
    result = run_batch(
        [f"sample:{slug}" for slug in samples],
        args.out,
        lang=args.lang or "",
        store=args.out / "assessments.sqlite",
        progress=not args.no_progress,
    )
    _print_summary(result)
    print(f"\nOpen {result.index} to see the sample brands and their reports.")
    return 1 if result.failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="siyu-diag",
        description="Diagnose a company's private-domain organisation and render its report.",
    )
    parser.add_argument("--version", action="version", version=f"siyu-diag {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("new", help="scaffold a client folder with a blank questionnaire")
    p.add_argument("folder", type=Path, help="the client folder to create")
    p.add_argument("--brand", help="brand name (default: the folder name)")
    p.add_argument("--slug", type=_slug, help="output name (default: from the folder name)")
    p.add_argument("--force", action="store_true", help="overwrite an existing client.yaml")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("validate", help="check a client folder and every input it names")
    p.add_argument("folder", help="the client folder, or sample:<slug>")
    p.add_argument(
        "--scenario",
        default="",
        metavar="NAME",
        help="a saved planning scenario, scenarios/NAME.yaml (default: client.yaml plan.scenario)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("run", help="build OUT/<slug>/report.html and results.json")
    p.add_argument("folder", help="the client folder, or sample:<slug>")
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--lang", choices=["zh", "en"], help="report language (default: client.yaml)")
    p.add_argument(
        "--min-group-size",
        type=_at_least(1),
        metavar="N",
        help="smallest group shown, 1 or more (default: client.yaml, usually 3)",
    )
    p.add_argument(
        "--scenario",
        default="",
        metavar="NAME",
        help="a saved planning scenario, scenarios/NAME.yaml (default: client.yaml plan.scenario)",
    )
    p.add_argument("--strict", action="store_true", help="refuse to build while there are warnings")
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser(
        "batch",
        help="build many brands' reports in parallel, with a portfolio page OUT/index.html",
        description="Build every brand's report in parallel. A brand that fails is recorded "
        "with its reason and skipped while the others finish; the exit status is 1 if any "
        "brand failed.",
    )
    p.add_argument(
        "clients",
        nargs="+",
        metavar="CLIENTS_DIR|CLIENT",
        help="client folders, sample:<slug>, or folders whose sub-folders are client folders",
    )
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument(
        "--workers",
        type=_at_least(1),
        metavar="N",
        help="local processes (default: the number of cores)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on an existing Dask cluster instead, e.g. tcp://10.0.0.5:8786 (its workers "
        "must see the same paths)",
    )
    p.add_argument(
        "--store",
        type=Path,
        metavar="PATH",
        help="SQLite assessment store for history and peers (default: OUT/assessments.sqlite)",
    )
    p.add_argument("--lang", choices=["zh", "en"], help="report language (default: each brand's)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("demo", help="build the reports of the bundled sample brands")
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--lang", choices=["zh", "en"], help="report language (default: each brand's)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_demo)
    p = sub.add_parser("app", help="open the planning dashboard in the browser (Voilà)")
    p.add_argument("folder", help="the client folder (it needs a plan section)")
    p.add_argument("--port", type=_port, default=8866, help="local port (default: 8866)")
    p.add_argument(
        "--scenario",
        default="",
        metavar="NAME",
        help="a saved planning scenario, scenarios/NAME.yaml (default: client.yaml plan.scenario)",
    )
    p.set_defaults(func=_cmd_app)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    skip_unused_imports()
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except SiyuDiagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # the disk or the permissions, not a bug: say which file and why
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}.", file=sys.stderr)
        print("Fix: check that the folder exists, is writable and has free space.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
