"""The package's shape: layers that import only downwards, no cycles, small modules.

Layers, bottom up: ``core`` (the framework), the four chapter packages, ``portfolio``, and the
top (``cli``, ``app``, ``scaffold``, ``schema``). The framework imports no chapter; a chapter
imports only the framework and itself; nothing imports upwards; no module imports itself back
through others.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "siyu_diag"
CHAPTERS = {"diagnosis", "plan", "incentives", "operations"}
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str) -> bool:
    path = PACKAGE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _runtime_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def _imports(path: Path) -> set[str]:
    """The siyu_diag modules ``path`` imports when it runs, at any depth of its code."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("siyu_diag"):
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if _is_module(sub) else target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("siyu_diag")}
    return found


GRAPH = {_module(p): _imports(p) for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts}


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("_lazy",):
        return "root"
    return parts[1] if parts[1] in CHAPTERS | {"core", "portfolio"} else "top"


def test_the_graph_is_read():
    assert "siyu_diag.core.report" in GRAPH
    assert "siyu_diag.core.chapters" in GRAPH["siyu_diag.core.client"]


def test_the_framework_imports_no_chapter_and_nothing_above_it():
    wrong = {
        (a, b)
        for a, targets in GRAPH.items()
        if _layer(a) == "core"
        for b in targets
        if _layer(b) not in ("core", "root")
    }
    assert not wrong


def test_chapters_import_only_the_framework_and_themselves():
    wrong = {
        (a, b)
        for a, targets in GRAPH.items()
        if _layer(a) in CHAPTERS
        for b in targets
        if _layer(b) not in ("core", "root", _layer(a))
    }
    assert not wrong


def test_the_portfolio_layer_imports_nothing_from_the_top():
    wrong = {
        (a, b)
        for a, targets in GRAPH.items()
        if _layer(a) == "portfolio"
        for b in targets
        if _layer(b) == "top"
    }
    assert not wrong


def test_no_import_cycle():
    """Depth-first search over module → imported modules (packages included)."""
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        if module in path:
            cycle = " → ".join(path[path.index(module) :] + (module,))
            pytest.fail(f"import cycle: {cycle}")
        if module in done:
            return
        for target in sorted(GRAPH.get(module, ())):
            if target != "siyu_diag":  # the root package only holds the version
                visit(target, (*path, module))
        done.add(module)

    for module in sorted(GRAPH):
        visit(module, ())


def test_a_cycle_would_be_found(monkeypatch):
    """The search is not vacuous: a planted cycle fails it."""
    monkeypatch.setitem(GRAPH, "siyu_diag.core.fmt", {"siyu_diag.core.palette"})
    monkeypatch.setitem(GRAPH, "siyu_diag.core.palette", {"siyu_diag.core.fmt"})
    with pytest.raises(pytest.fail.Exception, match="import cycle"):
        test_no_import_cycle()


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_modules_stay_small(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{lines} lines: split it by concern"


def test_every_chapter_is_registered():
    from siyu_diag.core.chapters import registry

    specs = registry()
    assert [s.key for s in specs] == ["diagnosis", "plan", "incentives", "operations"]
    offered = {fact for s in specs for fact in s.offers}
    assert {fact for s in specs for fact in s.needs} <= offered
