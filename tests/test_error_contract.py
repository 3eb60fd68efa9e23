"""The error contract, the way people type: the installed ``siyu-diag`` run as a subprocess.

Every case below is one user mistake, made in a copy of a sample client in a fresh working
folder and run with relative paths (``siyu-diag run client --out out``). Each must end with
exit status 1 (2 for a usage error), a message naming the file and the key, row or column, no
traceback and no machinery words, and leave the previous report ``out/xiangwei/`` byte for byte
as it was and nothing else new in ``out/``.

The cases run two at a time (the machine has two cores) in one fixture; each is its own test.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

from siyu_diag.core import assets

CLI = str(Path(sys.executable).with_name("siyu-diag"))
SLUG = "xiangwei"
SURVEY = "wjx-export-20260316.csv"

#: Words that only a developer should ever see.
MACHINERY = (
    "Traceback",
    "Input should",
    "Value error",
    "Field required",
    "validation error",
    "pydantic",
    "C error",
    "Error tokenizing",
    "this is a bug",
    "Errno",
    "NoneType",
    "KeyError",
)


# --- how a case changes the client folder --------------------------------------------------------


def _encoding(path: Path) -> str:
    try:
        path.read_bytes().decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def edit(name: str, old: str, new: str, count: int = 1) -> Callable[[Path], None]:
    """Replace ``old`` by ``new`` in a file of the client (in the file's own encoding)."""

    def apply(folder: Path) -> None:
        path = folder / name
        encoding = _encoding(path)
        text = path.read_text(encoding=encoding)
        assert old in text, f"case set-up: {old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding=encoding)

    return apply


def write(name: str, content: str | bytes) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return apply


def append(name: str, lines: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        encoding = _encoding(path)
        text = path.read_text(encoding=encoding)
        path.write_text(text.rstrip("\n") + "\n" + lines, encoding=encoding)

    return apply


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        for step in steps:
            step(folder)

    return apply


def survey_row(row: int, column: int, value: str) -> Callable[[Path], None]:
    """Set one cell of the survey export (``row`` as a spreadsheet numbers it, header = 1)."""

    def apply(folder: Path) -> None:
        path = folder / SURVEY
        encoding = _encoding(path)
        lines = path.read_text(encoding=encoding).splitlines()
        cells = lines[row - 1].split(",")
        cells[column - 1] = value
        lines[row - 1] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n", encoding=encoding)

    return apply


def survey_as_xlsx(folder: Path, sheet: str = "答卷") -> Path:
    """The survey export saved as a workbook, and client.yaml pointed at it."""
    path = folder / SURVEY
    lines = path.read_text(encoding=_encoding(path)).splitlines()
    book = openpyxl.Workbook()
    book.active.title = sheet
    for line in lines:
        book.active.append(line.split(","))
    xlsx = folder / "answers.xlsx"
    book.save(xlsx)
    edit("client.yaml", f"file: {SURVEY}", "file: answers.xlsx")(folder)
    return xlsx


def xlsx_survey(transform: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        transform(survey_as_xlsx(folder))

    return apply


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:700])


def encrypt(path: Path) -> None:  # what Excel writes for a password-protected workbook
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    change: Callable[[Path], None] | None
    expect: tuple[str, ...]  # every one of these appears in the message
    args: tuple[str, ...] = ()  # default: run client --out out
    code: int = 1
    extra: dict = field(default_factory=dict)


def _c(id, change, *expect, args=(), code=1):
    return Case(id, change, tuple(expect), tuple(args), code)


CLIENT_YAML = [
    _c(
        "date-impossible",
        edit("client.yaml", "date: 2026-03-20", "date: 2026-13-45"),
        "client.yaml",
        "row 9",
        "not a real date",
    ),
    _c(
        "date-with-time",
        edit("client.yaml", "date: 2026-03-20", "date: 2026-03-20 10:00:00"),
        "client.yaml",
        "key 'date'",
        "without a time",
    ),
    _c(
        "date-text",
        edit("client.yaml", "date: 2026-03-20", "date: 三月"),
        "client.yaml",
        "key 'date'",
        "YYYY-MM-DD",
    ),
    _c(
        "control-character",
        edit("client.yaml", "brand: 湘味小馆", "brand: 湘味\x07小馆"),
        "client.yaml",
        "row 5",
        "control character U+0007",
    ),
    _c(
        "duplicate-key",
        edit("client.yaml", "stage: launch", "stage: launch\nstage: mature"),
        "client.yaml",
        "key 'stage'",
        "written twice",
    ),
    _c(
        "duplicate-nested-key",
        edit("client.yaml", "    lead: 1\n", "    lead: 1\n    lead: 2\n"),
        "client.yaml",
        "key 'organisation.roles.lead'",
        "written twice",
    ),
    _c(
        "unknown-key",
        edit("client.yaml", "consultant:", "consultent:"),
        "client.yaml",
        "key 'consultent'",
        "Did you mean 'consultant'?",
    ),
    _c(
        "bad-choice",
        edit("client.yaml", "stage: launch", "stage: growth"),
        "client.yaml",
        "key 'stage'",
        "found 'growth'",
    ),
    _c(
        "bad-slug",
        edit("client.yaml", "slug: xiangwei", "slug: Bad Slug!"),
        "client.yaml",
        "key 'slug'",
        "lower-case",
    ),
    _c(
        "negative-headcount",
        edit("client.yaml", "    lead: 1\n", "    lead: -1\n"),
        "client.yaml",
        "key 'organisation.roles'",
        "0 or more",
    ),
    _c(
        "headcount-text",
        edit("client.yaml", "    lead: 1\n", "    lead: one\n"),
        "client.yaml",
        "key 'organisation.roles.lead'",
        "whole number",
    ),
    _c(
        "headcount-inf",
        edit("client.yaml", "    lead: 1\n", "    lead: .inf\n"),
        "client.yaml",
        "key 'organisation.roles.lead'",
        "finite number",
    ),
    _c(
        "sub-brands-zero",
        edit("client.yaml", "sub_brands: 1", "sub_brands: 0"),
        "client.yaml",
        "key 'organisation.sub_brands'",
        "1 or more",
    ),
    _c(
        "language",
        edit("client.yaml", "language: zh", "language: fr"),
        "client.yaml",
        "key 'language'",
        "found 'fr'",
    ),
    _c(
        "target-level",
        append("client.yaml", "targets: {goals: 7}\n"),
        "client.yaml",
        "key 'targets'",
        "between 1 and 5",
    ),
    _c(
        "target-dimension",
        append("client.yaml", "targets: {goal: 4}\n"),
        "client.yaml",
        "key 'targets.goal'",
        "Did you mean 'goals'?",
    ),
    _c(
        "min-group-zero",
        edit("client.yaml", "min_group_size: 3", "min_group_size: 0"),
        "client.yaml",
        "key 'survey.min_group_size'",
        "1 or more",
    ),
    _c(
        "path-escapes",
        edit("client.yaml", f"file: {SURVEY}", "file: ../../etc/passwd"),
        "client.yaml",
        "key 'survey.file'",
        "leaves the client folder",
    ),
    _c(
        "missing-file",
        edit("client.yaml", "file: plan.yaml", "file: plan-2026.yaml"),
        "client.yaml",
        "key 'plan.file'",
        "does not exist",
    ),
    _c(
        "consultant-missing",
        edit("client.yaml", "consultant: 周思远", ""),
        "client.yaml",
        "key 'consultant'",
        "required",
    ),
    _c(
        "yaml-syntax",
        edit("client.yaml", "stage: launch", "stage: [launch"),
        "client.yaml",
        "not valid YAML",
    ),
    _c("not-a-mapping", write("client.yaml", "- brand\n- slug\n"), "client.yaml", "mapping"),
    _c("empty", write("client.yaml", ""), "client.yaml", "mapping"),
    _c(
        "not-utf8",
        lambda f: (f / "client.yaml").write_bytes(
            (f / "client.yaml").read_text(encoding="utf-8").encode("gb18030")
        ),
        "client.yaml",
        "UTF-8",
    ),
    _c("alias-bomb", write("client.yaml", BOMB), "client.yaml", "expands to more than"),
    _c("no-client-yaml", lambda f: (f / "client.yaml").unlink(), "client.yaml", "not found"),
]

SURVEY_CASES = [
    _c("answer-off-scale", survey_row(2, 9, "9"), SURVEY, "row 2", "column '3、"),
    _c("answer-label", survey_row(3, 9, "很同意"), SURVEY, "row 3", "很同意"),
    _c("answer-half", survey_row(2, 9, "2.5"), SURVEY, "row 2", "2.5"),
    _c("answer-decimal-comma", survey_row(2, 9, '"1,0"'), SURVEY, "row 2", "1,0"),
    _c("too-many-cells", survey_row(4, 9, "一般,一般"), SURVEY, "row 4", "cells"),
    _c("empty-export", write(SURVEY, ""), SURVEY, "empty"),
    _c(
        "header-only",
        lambda f: write(SURVEY, (f / SURVEY).read_text(encoding="gb18030").splitlines()[0] + "\n")(
            f
        ),
        SURVEY,
        "no answers",
    ),
    _c("xlsx-truncated", xlsx_survey(truncate), "answers.xlsx", "damaged"),
    _c("xlsx-encrypted", xlsx_survey(encrypt), "answers.xlsx", "password"),
    _c(
        "xlsx-not-a-workbook",
        xlsx_survey(lambda p: p.write_text("序号,部门\n1,市场部\n")),
        "answers.xlsx",
        "not an XLSX workbook",
    ),
    _c(
        "xlsx-missing-sheet",
        both(
            xlsx_survey(lambda p: None),
            edit("client.yaml", "file: answers.xlsx", "file: answers.xlsx\n  sheet: Sheet1"),
        ),
        "answers.xlsx",
        "survey.sheet",
        "'Sheet1'",
        "答卷",
    ),
    _c(
        "bad-extension",
        both(
            lambda f: shutil.copy(f / SURVEY, f / "answers.txt"),
            edit("client.yaml", f"file: {SURVEY}", "file: answers.txt"),
        ),
        "answers.txt",
        ".csv or .xlsx",
    ),
]

PLAN = [
    _c(
        "plan-inf",
        edit("plan.yaml", "amount: 48000", "amount: .inf"),
        "plan.yaml",
        "key 'fixed_costs.scrm.amount'",
        "finite number",
    ),
    _c(
        "plan-huge",
        edit("plan.yaml", "amount: 48000", "amount: 1.0e+308"),
        "plan.yaml",
        "key 'fixed_costs.scrm.amount'",
        "finite number",
    ),
    _c(
        "plan-huge-as-text",
        edit("plan.yaml", "amount: 48000", "amount: 1e308"),
        "plan.yaml",
        "fixed_costs.scrm.amount",
        "1e+308",
    ),
    _c(
        "plan-nan",
        edit("plan.yaml", "aov: 95", "aov: .nan"),
        "plan.yaml",
        "key 'drivers.aov'",
        "finite number",
    ),
    _c(
        "plan-duplicate",
        edit("plan.yaml", "  aov: 95\n", "  aov: 95\n  aov: 99\n"),
        "plan.yaml",
        "key 'drivers.aov'",
        "written twice",
    ),
    _c(
        "plan-unknown-driver",
        edit("plan.yaml", "  aov: 95\n", "  aovv: 95\n"),
        "plan.yaml",
        "aovv",
        "Did you mean 'aov'?",
    ),
    _c(
        "plan-horizon",
        edit("plan.yaml", "horizon_months: 24", "horizon_months: 48"),
        "plan.yaml",
        "horizon_months",
        "36",
    ),
    _c(
        "plan-negative-traffic",
        edit("plan.yaml", "traffic: 60000", "traffic: -60000"),
        "plan.yaml",
        "channels.mini_program.traffic",
    ),
    _c(
        "plan-percent-rate",
        edit("plan.yaml", "add_rate: 0.03", "add_rate: 3"),
        "plan.yaml",
        "add_rate",
    ),
    _c(
        "plan-text-number",
        edit("plan.yaml", "aov: 95", "aov: 九十五"),
        "plan.yaml",
        "key 'drivers.aov'",
        "number",
    ),
    _c("plan-alias-bomb", write("plan.yaml", BOMB), "plan.yaml", "expands to more than"),
    _c(
        "plan-date",
        edit("plan.yaml", "start_month: 2026-04", "start_month: 2026-13"),
        "plan.yaml",
        "start_month",
    ),
    _c(
        "scenario-inf",
        edit(
            "scenarios/activate-first.yaml",
            "first_order_conversion: 0.12",
            "first_order_conversion: .inf",
        ),
        "scenarios/activate-first.yaml",
        "overrides.first_order_conversion",
        "finite",
        args=("run", "client", "--out", "out", "--scenario", "activate-first"),
    ),
    _c(
        "scenario-duplicate",
        edit(
            "scenarios/activate-first.yaml",
            "  returning_conversion: 0.042",
            "  returning_conversion: 0.042\n  returning_conversion: 0.05",
        ),
        "scenarios/activate-first.yaml",
        "written twice",
        args=("run", "client", "--out", "out", "--scenario", "activate-first"),
    ),
    _c(
        "capabilities-unknown-sub-dimension",
        write(
            "capabilities.yaml",
            "version: '1'\nbank: siyu-org\ndrivers:\n  returning_conversion:\n"
            "    - {sub: collaboration.dta, why: {zh: 原因, en: why}}\n",
        ),
        "capabilities.yaml",
        "drivers.returning_conversion.0.sub",
        "collaboration.data",
    ),
    _c(
        "capabilities-other-bank",
        write("capabilities.yaml", "version: '1'\nbank: other\ndrivers: {aov: []}\n"),
        "capabilities.yaml",
        "key 'bank'",
        "siyu-org",
    ),
]

INCENTIVES = [
    _c(
        "scheme-weight-text",
        edit("incentives.yaml", "weight: 60", "weight: 六十"),
        "incentives.yaml",
        "units.0.indicators.0.weight",
        "number",
    ),
    _c(
        "scheme-inf-target",
        edit("incentives.yaml", "target: 25000", "target: .inf"),
        "incentives.yaml",
        "units.0.indicators.0.target",
        "finite",
    ),
    _c(
        "scheme-duplicate",
        edit("incentives.yaml", "period: month", "period: month\nperiod: year"),
        "incentives.yaml",
        "key 'period'",
        "written twice",
    ),
    _c(
        "scheme-unknown-kpi",
        edit("incentives.yaml", "kpi: follower_adds", "kpi: folower_adds"),
        "incentives.yaml",
        "folower_adds",
    ),
    _c("scheme-bomb", write("incentives.yaml", BOMB), "incentives.yaml", "expands to more than"),
    _c(
        "actuals-inf",
        edit("incentive-actuals.csv", "XW-P01,私域运营组,,7202", "XW-P01,私域运营组,,inf"),
        "incentive-actuals.csv",
        "row 2",
        "inf",
    ),
    _c(
        "actuals-huge",
        edit("incentive-actuals.csv", "XW-P01,私域运营组,,7202", "XW-P01,私域运营组,,1e308"),
        "incentive-actuals.csv",
        "row 2",
        "1e308",
    ),
]

OPERATIONS = [
    _c("orders-inf", edit("ops/orders.csv", ",71.91,", ",inf,"), "ops/orders.csv", "row 2", "inf"),
    _c(
        "orders-huge",
        edit("ops/orders.csv", ",71.91,", ",1e308,"),
        "ops/orders.csv",
        "row 2",
        "1e308",
    ),
    _c("orders-nan", edit("ops/orders.csv", ",71.91,", ",NaN,"), "ops/orders.csv", "row 2", "NaN"),
    _c(
        "orders-future",
        edit("ops/orders.csv", "2025/03/02 14:24", "2099/03/02 14:24"),
        "ops/orders.csv",
        "row 2",
        "2099",
    ),
    _c(
        "orders-refund-too-large",
        append(
            "ops/orders.csv",
            "XW2503020001,X102844,2025/03/03 10:00,-7191,小程序,小程序点餐,已退款\n",
        ),
        "ops/orders.csv",
        "XW2503020001",
    ),
    _c(
        "orders-bad-date",
        edit("ops/orders.csv", "2025/03/02 14:24", "2025/02/30 14:24"),
        "ops/orders.csv",
        "row 2",
        "2025/02/30",
    ),
    _c(
        "orders-too-many-cells",
        edit("ops/orders.csv", ",71.91,", ",71,91,"),
        "ops/orders.csv",
        "row 2",
        "cells",
    ),
    _c(
        "friends-negative",
        edit("ops/friends.csv", "2025/03/01,门店扫码,6,0", "2025/03/01,门店扫码,-6,0"),
        "ops/friends.csv",
        "row 2",
        "-6",
    ),
    _c(
        "friends-inf",
        edit("ops/friends.csv", "2025/03/01,门店扫码,6,0", "2025/03/01,门店扫码,6,inf"),
        "ops/friends.csv",
        "row 2",
        "inf",
    ),
    _c(
        "kpi-huge",
        edit("ops/kpi.csv", "新增好友数,2025-03,6797", "新增好友数,2025-03,1e300"),
        "ops/kpi.csv",
        "row 2",
        "1e300",
    ),
]

COMMAND_LINE = [
    _c(
        "min-group-size-zero",
        None,
        "--min-group-size",
        "1 or more",
        args=("run", "client", "--out", "out", "--min-group-size", "0"),
        code=2,
    ),
    _c(
        "min-group-size-negative",
        None,
        "--min-group-size",
        args=("run", "client", "--out", "out", "--min-group-size", "-3"),
        code=2,
    ),
    _c(
        "min-group-size-text",
        None,
        "--min-group-size",
        "whole number",
        args=("run", "client", "--out", "out", "--min-group-size", "three"),
        code=2,
    ),
    _c(
        "workers-zero",
        None,
        "--workers",
        args=("batch", "client", "--out", "out", "--workers", "0"),
        code=2,
    ),
    _c("port-range", None, "--port", args=("app", "client", "--port", "70000"), code=2),
    _c(
        "new-bad-slug",
        None,
        "--slug",
        "Bad Slug!",
        args=("new", "fresh", "--slug", "Bad Slug!"),
        code=2,
    ),
    _c("new-existing", None, "client.yaml", "already exists", args=("new", "client")),
    _c(
        "no-such-folder", None, "nowhere", "does not exist", args=("run", "nowhere", "--out", "out")
    ),
    _c(
        "unknown-sample",
        None,
        "sample:xiangwie",
        "sample:xiangwei",
        args=("run", "sample:xiangwie", "--out", "out"),
    ),
    _c(
        "unknown-scenario",
        None,
        "scenarios/nope.yaml",
        "activate-first",
        args=("run", "client", "--out", "out", "--scenario", "nope"),
    ),
    _c(
        "scenario-outside",
        None,
        "--scenario",
        "scenarios/",
        args=("run", "client", "--out", "out", "--scenario", "../elsewhere.yaml"),
    ),
    _c(
        "out-is-a-file",
        lambda f: (f.parent / "taken").write_text("x"),
        "taken",
        args=("run", "client", "--out", "taken"),
    ),
    _c("unknown-command", None, "invalid choice", args=("frobnicate",), code=2),
]

CORPUS = CLIENT_YAML + SURVEY_CASES + PLAN + INCENTIVES + OPERATIONS + COMMAND_LINE


# --- running it --------------------------------------------------------------------------------


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class Outcome:
    code: int
    output: str  # standard error, then standard output
    before: dict[str, str]
    after: dict[str, str]
    out_entries: list[str]


def _run_case(case: Case, root: Path) -> Outcome:
    work = root / case.id
    shutil.copytree(assets.sample_clients_dir() / SLUG, work / "client")
    previous = work / "out" / SLUG  # a previous report that nothing may touch
    (previous / "notebooks").mkdir(parents=True)
    (previous / "report.html").write_text("<p>last month's report</p>", encoding="utf-8")
    (previous / "results.json").write_text('{"schema_version": "1.0"}', encoding="utf-8")
    (previous / "notebooks" / "01_diagnosis.ipynb").write_text("{}", encoding="utf-8")
    before = _tree_digest(work / "out")
    if case.change is not None:
        case.change(work / "client")
    args = case.args or ("run", "client", "--out", "out")
    proc = subprocess.run(
        [CLI, *args],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    return Outcome(
        proc.returncode,
        proc.stderr + proc.stdout,
        before,
        _tree_digest(work / "out"),
        sorted(p.name for p in (work / "out").iterdir()),
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("contract")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {c.id: pool.submit(_run_case, c, root) for c in CORPUS}
    return {k: f.result() for k, f in futures.items()}


def test_corpus_is_large_and_ids_unique():
    assert len(CORPUS) >= 60
    assert len({c.id for c in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize("case", CORPUS, ids=[c.id for c in CORPUS])
def test_bad_input_is_a_located_error(case: Case, outcomes):
    got = outcomes[case.id]
    assert got.code == case.code, got.output
    for expected in case.expect:
        assert expected in got.output, f"{expected!r} missing from:\n{got.output}"
    for word in MACHINERY:
        assert word not in got.output, got.output
    assert got.output.startswith(("error:", "usage:")), got.output
    assert got.after == got.before, "the previous report changed"
    assert got.out_entries == [SLUG], f"something new in out/: {got.out_entries}"


def test_a_flood_of_bad_cells_is_summarised(tmp_path):
    """66,000 bad cells: ten per column and a count, not 66,000 lines."""
    client = tmp_path / "client"
    shutil.copytree(assets.sample_clients_dir() / SLUG, client)
    path = client / SURVEY
    lines = path.read_text(encoding="gb18030").splitlines()
    header, rows = lines[0], lines[1:]
    n_cols = len(header.split(","))
    bad_rows = [",".join(r.split(",")[:8] + ["9"] * (n_cols - 8)) for r in rows]
    path.write_text("\n".join([header, *bad_rows]) + "\n", encoding="gb18030")
    proc = subprocess.run(
        [CLI, "validate", "client"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 1
    n_bad = len(rows) * (n_cols - 8)
    assert f"{n_bad} problems found" in proc.stderr
    listed = [line for line in proc.stderr.splitlines() if line.startswith("  - ")]
    assert len(listed) == (n_cols - 8) * 11  # per column: ten problems and "… and N more"
    assert f"… and {len(rows) - 10:,} more problems in column '3、" in proc.stderr
