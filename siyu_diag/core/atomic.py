"""Atomic file writes: through a temporary file in the same folder, then one rename.

A reader never sees a half-written file, and a failed write leaves the previous file untouched.
Files get ordinary permissions (the process umask), not the private ones of temporary files.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def ordinary_mode(path: Path) -> int:
    """The permissions a new folder (0o777) or file (0o666) gets under this process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if path.is_dir() else 0o666) & ~umask


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` to fill a temporary file beside ``path``, then rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(ordinary_mode(tmp))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def write_text_atomic(text: str, path: str | Path) -> Path:
    """Write UTF-8 text atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _missing_as_null(data: Any) -> Any:
    if isinstance(data, float) and math.isnan(data):
        return None
    if isinstance(data, dict):
        return {k: _missing_as_null(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_missing_as_null(v) for v in data]
    return data


def strict_json(data: Any) -> str:
    """Strict JSON text (UTF-8, indented, Chinese kept as is): a missing value (NaN) is ``null``.

    Raises
    ------
    ValueError
        When ``data`` holds an infinite number, which JSON cannot represent (inputs are checked
        to be finite, so that is a bug, never written as the non-standard ``Infinity``).
    """
    return json.dumps(_missing_as_null(data), ensure_ascii=False, indent=2, allow_nan=False)


def write_json_atomic(data: Any, path: str | Path) -> Path:
    """Write :func:`strict_json` atomically."""
    return write_text_atomic(strict_json(data), path)


def save_workbook_atomic(workbook: Any, path: str | Path) -> Path:
    """Save an openpyxl workbook atomically."""
    return write_atomic(path, lambda tmp: workbook.save(tmp))
