"""Turn pydantic and YAML failures into located, fixable problems (with did-you-mean)."""

from __future__ import annotations

import difflib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """Walk ``loc`` through nested models, lists and dicts; return the model found there."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (list, tuple, dict):
            # the value type: X of list[X], V of dict[K, V], X of tuple[X, ...] (not the "...")
            current = [a for a in typing.get_args(current) if a is not Ellipsis][-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional``/unions down to their one model or container member."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        for m in members:
            if (isinstance(m, type) and issubclass(m, BaseModel)) or typing.get_origin(m) in (
                list,
                dict,
            ):
                return m
        return members[0] if members else annotation
    if origin is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation


def problems_from_validation(
    exc: ValidationError, model: type[BaseModel], file: str, prefix: str = ""
) -> list[Problem]:
    """Convert a pydantic error into one :class:`Problem` per failure, each naming its key."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        key = ".".join(str(p) for p in ((prefix,) if prefix else ()) + loc) or None
        if err["type"] == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = sorted(parent.model_fields) if parent else []
            hint = did_you_mean(loc[-1], allowed).strip() or None
            msg = f"unknown key '{loc[-1]}'."
            if allowed:
                msg += f" Allowed keys here: {', '.join(allowed)}."
            problems.append(
                Problem(msg, file=file, key=key, hint=hint or "remove it or correct its spelling.")
            )
            continue
        found = err.get("input")
        shown = "" if isinstance(found, dict | list) else f" Found: {found!r}."
        problems.append(Problem(f"{err['msg']}.{shown}", file=file, key=key))
    return problems


#: libyaml's safe loader when PyYAML was built with it (about ten times faster), else Python's.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: The report languages a chapter's ``lang`` parameter accepts (empty means the client's).
LANGUAGES = ("zh", "en")


def check_lang(lang: str) -> None:
    """Raise :class:`InputError` naming the ``lang`` parameter unless it is a language or empty."""
    if lang not in ("", *LANGUAGES):
        raise InputError(
            Problem(
                f"lang must be one of {list(LANGUAGES)} or empty, but '{lang}' was passed.",
                key="lang",
            )
        )


def read_yaml(path: Path, label: str | None = None) -> Any:
    """Read a YAML file, raising :class:`InputError` with the line of a syntax error."""
    label = label or path.name
    if not path.is_file():
        raise InputError(Problem("file not found.", file=label, hint=f"create {path}."))
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        row = mark.line + 1 if mark is not None else None
        raise InputError(
            Problem(
                f"is not valid YAML: {exc.problem}.",
                file=label,
                row=row,
                hint="check indentation and quoting on that line.",
            )
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            Problem("is not UTF-8 text.", file=label, hint="save the file as UTF-8.")
        ) from None


def parse_model(model: type[BaseModel], raw: Any, file: str):
    """Validate ``raw`` against ``model``; raise one :class:`InputError` listing every problem."""
    if not isinstance(raw, dict):
        raise InputError(
            Problem(
                "must be a mapping of keys to values.",
                file=file,
                hint="see the commented example in the README.",
            )
        )
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, model, file)) from None
