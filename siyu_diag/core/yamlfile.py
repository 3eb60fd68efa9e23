"""Read YAML inputs defensively: one loader for every YAML file a user gives.

``client.yaml``, ``plan.yaml``, scenarios, incentive schemes and question banks all go through
:func:`read_yaml`, which turns every way a file can be wrong into located problems:

- syntax errors and control characters, with the line;
- a key written twice in one mapping (YAML would silently keep the second value);
- aliases that expand to more than :data:`MAX_NODES` values (a "billion laughs" file would take
  minutes and gigabytes to validate), refused before anything is built;
- dates that do not exist (``2026-13-45``);
- numbers that are not finite (``.inf``, ``.nan``) or larger than :data:`MAX_ABS_NUMBER`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import InputError, Problem
from .numbers import MAX_ABS_NUMBER, usable_number

#: The most values (scalars, lists and mappings, counting every alias expansion) a file may hold.
MAX_NODES = 200_000

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~10× faster


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader with real dates and a check of the whole document before it is built."""

    def get_single_data(self) -> Any:  # noqa: D102 (PyYAML's API)
        node = self.get_single_node()
        if node is None:
            return None
        self.siyu_problems = _check_nodes(node)
        if self.siyu_problems:
            return None
        return self.construct_document(node)


def _construct_timestamp(loader: SafeConstructor, node: ScalarNode) -> Any:
    try:
        return SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise ConstructorError(
            None, None, f"'{node.value}' is not a real date ({exc})", node.start_mark
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _key_text(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else "?"


def _check_nodes(root: Node) -> list[Problem]:
    """Duplicate keys (with their lines) and the expanded size, before anything is built."""
    problems: list[Problem] = []
    stack: list[tuple[Node, str]] = [(root, "")]
    seen = 0
    while stack:
        node, path = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            return [
                Problem(
                    f"expands to more than {MAX_NODES:,} values (through anchors '&' and "
                    "aliases '*'); no input of this tool is that large.",
                    hint="write the values out instead of repeating aliases.",
                )
            ]
        if isinstance(node, MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = _key_text(key_node)
                dotted = f"{path}.{key}" if path else key
                line = key_node.start_mark.line + 1
                if key in first and key != "<<":
                    problems.append(
                        Problem(
                            f"the key is written twice (lines {first[key]} and {line}); "
                            "YAML would silently keep the second value.",
                            key=dotted,
                            row=line,
                            hint="keep one of the two lines.",
                        )
                    )
                first.setdefault(key, line)
                stack.append((value_node, dotted))
        elif isinstance(node, SequenceNode):
            stack.extend((child, f"{path}.{i}") for i, child in enumerate(node.value))
    return problems


def check_numbers(data: Any, label: str) -> None:
    """Raise :class:`InputError` naming the key of every number that is not :func:`usable_number`.

    Parameters
    ----------
    data
        Values as read (mappings, lists, scalars).
    label
        The file they were read from, as the user names it.
    """
    problems: list[Problem] = []
    _check_numbers(data, "", problems)
    if problems:
        raise InputError([_in_file(p, label) for p in problems])


def _check_numbers(data: Any, path: str, problems: list[Problem]) -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            _check_numbers(value, f"{path}.{key}" if path else str(key), problems)
    elif isinstance(data, list | tuple):
        for i, value in enumerate(data):
            _check_numbers(value, f"{path}.{i}", problems)
    elif isinstance(data, int | float) and not isinstance(data, bool) and not usable_number(data):
        problems.append(
            Problem(
                f"expected a finite number of at most {MAX_ABS_NUMBER:,.0f} in absolute "
                f"value, found {data!r}.",
                key=path or None,
                hint="write the real figure (rates as decimals, money in CNY).",
            )
        )


def _line_of(text: str, position: int) -> int:
    """The line of a reader error: libyaml counts bytes of UTF-8, Python's reader characters."""
    if _Base is not yaml.SafeLoader:
        return text.encode("utf-8")[: max(position, 0)].count(b"\n") + 1
    return text.count("\n", 0, max(position, 0)) + 1


def read_yaml(path: Path, label: str | None = None) -> Any:
    """Read a YAML file, raising :class:`InputError` naming the file, line or key of each problem.

    Parameters
    ----------
    path
        The file.
    label
        The name the user knows the file by (default: its name).

    Raises
    ------
    InputError
        When the file is missing, not UTF-8, not valid YAML, has a duplicate key, expands
        beyond :data:`MAX_NODES` values, or holds an impossible date or an unusable number.
    """
    label = label or path.name
    if not path.is_file():
        raise InputError(Problem("file not found.", file=label, hint=f"create {path}."))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            Problem("is not UTF-8 text.", file=label, hint="save the file as UTF-8.")
        ) from None
    loader = _Loader(text)
    loader.siyu_problems = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        problem = exc.problem or "not valid YAML"
        raise InputError(
            Problem(
                f"is not valid YAML: {problem}.",
                file=label,
                row=mark.line + 1 if mark is not None else None,
                hint="check the value, indentation and quoting on that line.",
            )
        ) from None
    except yaml.reader.ReaderError as exc:
        code = ord(exc.character) if isinstance(exc.character, str) else exc.character
        raise InputError(
            Problem(
                f"contains the control character U+{code:04X}, which YAML does not allow.",
                file=label,
                row=_line_of(text, exc.position),
                hint="delete it (it is invisible in most editors; retype the line).",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            Problem(f"is not valid YAML: {exc}.", file=label, hint="check the file's syntax.")
        ) from None
    finally:
        loader.dispose()
    if loader.siyu_problems:
        raise InputError([_in_file(p, label) for p in loader.siyu_problems])
    check_numbers(data, label)
    return data


def _in_file(problem: Problem, label: str) -> Problem:
    return Problem(problem.message, file=label, row=problem.row, key=problem.key, hint=problem.hint)
