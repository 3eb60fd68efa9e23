"""Golden outputs: every sample's ``results.json`` and the report's visible text, as committed.

A change that moves a number or a sentence of a sample report fails here and shows the
difference; when the change is intended, regenerate the files and commit them with it:

    SIYU_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

When a report was generated and the package version are masked (they change with every run or
release).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from siyu_diag import __version__
from siyu_diag.core.report import build_report

GOLDEN = Path(__file__).parent / "golden"
SLUGS = ("xiangwei", "qingyang", "qiming")
UPDATE = os.environ.get("SIYU_UPDATE_GOLDEN") == "1"


class _Text(HTMLParser):
    """The text a reader sees: no scripts, styles or tags; one line per block of text."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


#: When a report was made (UTC, to the second), wherever it is printed.
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")


def _timeless(text: str) -> str:
    return _STAMP.sub("<generated_at>", text).replace(__version__, "<version>")


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return _timeless("\n".join(parser.parts)) + "\n"


def comparable_results(path: Path) -> str:
    results = json.loads(path.read_text(encoding="utf-8"))
    return _timeless(json.dumps(results, ensure_ascii=False, indent=1)) + "\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("golden")
    return {slug: build_report(f"sample:{slug}", out, keep_kernel=True).folder for slug in SLUGS}


def _check(expected_path: Path, actual: str) -> None:
    if UPDATE:
        expected_path.parent.mkdir(exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), "golden", "now", lineterm="", n=1
        )
        shown = "\n".join(list(diff)[:80])
        pytest.fail(f"{expected_path.name} changed (SIYU_UPDATE_GOLDEN=1 to accept):\n{shown}")


@pytest.mark.parametrize("slug", SLUGS)
def test_results_json_is_unchanged(built, slug):
    _check(GOLDEN / f"{slug}.results.json", comparable_results(built[slug] / "results.json"))


@pytest.mark.parametrize("slug", SLUGS)
def test_report_text_is_unchanged(built, slug):
    html = (built[slug] / "report.html").read_text(encoding="utf-8")
    text = visible_text(html)
    assert not re.search(r"\b(nan|None|NaN)\b", text), "a missing value reached the report"
    _check(GOLDEN / f"{slug}.report.txt", text)
