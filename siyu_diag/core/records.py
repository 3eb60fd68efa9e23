"""Figures as ``results.json`` holds them: strict models, JSON-safe values, records of tables.

Every chapter's results module describes its section with :class:`ResultModel` subclasses (which
refuse unknown fields), fills them from its DataFrames with :func:`json_value`,
:func:`json_number` and :func:`records`, and writes the section with :func:`save_model`. A
section that lists the files its figures come from uses :class:`InputFile`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict

from .atomic import write_json_atomic


class ResultModel(BaseModel):
    """A part of ``results.json``: a pydantic model that refuses fields it does not declare."""

    model_config = ConfigDict(extra="forbid")


class InputFile(ResultModel):
    """An input file and its SHA-256."""

    file: str
    sha256: str


def json_value(value: Any) -> Any:
    """A value as JSON holds it: numpy scalars as Python ones, NaN and infinities as None.

    Examples
    --------
    >>> import numpy as np
    >>> json_value(np.int64(3)), json_value(float("nan")), json_value("a")
    (3, None, 'a')
    """
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    return value


def json_number(value: Any) -> float | None:
    """A number as a float; None when it is missing (None, NaN, NA) or infinite."""
    if value is None or pd.isna(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def records(
    frame: pd.DataFrame | None,
    fields: Sequence[str] | Mapping[str, str] | None = None,
    *,
    text: Collection[str] = (),
) -> list[dict[str, Any]]:
    """The rows of a table as JSON-safe dicts (values through :func:`json_value`).

    Parameters
    ----------
    frame
        The table; None gives no records.
    fields
        The names of each record: each the column of the same name, or ``{name: column}``;
        None for every column under its own name.
    text
        Columns written as text (``str`` of the value, e.g. a month as ``YYYY-MM``).

    Returns
    -------
    list of dict
        One record per row, in the table's order, with the names in the order of ``fields``.
    """
    if frame is None:
        return []
    if fields is None:
        fields = list(frame.columns)
    names = dict(fields) if isinstance(fields, Mapping) else {f: f for f in fields}
    return [
        {
            name: str(row[column]) if column in text else json_value(row[column])
            for name, column in names.items()
        }
        for row in frame.to_dict("records")
    ]


def save_model(build: Callable[[], BaseModel], path: str | Path) -> Path | None:
    """Write the model ``build()`` returns as strict JSON, atomically, to ``path``.

    Does nothing (and builds nothing) when ``path`` is empty.

    Returns
    -------
    pathlib.Path or None
        The file written, or None.
    """
    if not path:
        return None
    return write_json_atomic(build().model_dump(mode="json"), path)
