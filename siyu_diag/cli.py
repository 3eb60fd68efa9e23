"""The ``siyu-diag`` command: ``new``, ``validate``, ``run``, ``demo``.

Exit status: 0 when all went well, 1 for a user error (printed with its location and fix, never a
traceback), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import __version__, assets
from .client import load_client
from .errors import SiyuDiagError
from .report import build_report
from .scaffold import new_client
from .survey import load_responses


def _cmd_new(args: argparse.Namespace) -> int:
    folder = new_client(args.folder, brand=args.brand, slug=args.slug, force=args.force)
    print(f"Created {folder}/client.yaml and {folder}/questionnaire.xlsx.")
    print(
        "Next: fill in client.yaml, send questionnaire.xlsx to respondents, put the answers "
        f"in the folder, then run `siyu-diag validate {folder}`."
    )
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    client = load_client(args.folder)
    responses = load_responses(client)
    people = responses.respondents
    print(f"{client.config.brand} ({client.config.slug}): OK")
    print(f"  question bank  {client.bank.label}, {len(client.bank.items)} items")
    print(f"  responses      {len(people)} from {client.config.survey.file}")
    counts = people["department_label"].value_counts()
    print("  departments    " + ", ".join(f"{d} {n}" for d, n in counts.items()))
    for q in responses.quality.itertuples():
        detail = q.subject or f"rows {q.rows}"
        print(f"  note           {q.kind}: {detail}")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    paths = build_report(
        args.folder, args.out, lang=args.lang or "", min_group_size=args.min_group_size
    )
    print(f"Report:  {paths.report}")
    print(f"Results: {paths.results}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    samples = sorted(p.parent.name for p in assets.sample_clients_dir().glob("*/client.yaml"))
    failed = 0
    for slug in samples:
        try:
            paths = build_report(f"sample:{slug}", args.out, lang=args.lang or "")
        except SiyuDiagError as exc:
            failed += 1
            print(f"{slug}: FAILED\n{exc}", file=sys.stderr)
            continue
        print(f"{slug:<10} {paths.report}")
    return 1 if failed else 0


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
    p.add_argument("--slug", help="output name (default: from the folder name)")
    p.add_argument("--force", action="store_true", help="overwrite an existing client.yaml")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("validate", help="check a client folder and its answers")
    p.add_argument("folder", help="the client folder, or sample:<slug>")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("run", help="build OUT/<slug>/report.html and results.json")
    p.add_argument("folder", help="the client folder, or sample:<slug>")
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--lang", choices=["zh", "en"], help="report language (default: client.yaml)")
    p.add_argument(
        "--min-group-size",
        type=int,
        default=0,
        metavar="N",
        help="smallest group shown (default: client.yaml, usually 3)",
    )
    p.set_defaults(func=_cmd_run)

    p = sub.add_parser("demo", help="build the reports of the bundled sample brands")
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--lang", choices=["zh", "en"], help="report language (default: each brand's)")
    p.set_defaults(func=_cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
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
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
