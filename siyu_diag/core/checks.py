"""Turn pydantic and YAML failures into located, fixable problems (with did-you-mean)."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .yamlfile import check_numbers


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


#: What pydantic's error types mean, in the words of this tool's messages ({…} from its context).
_EXPECTED = {
    "missing": "this key is required but missing",
    "greater_than_equal": "expected a value of {ge} or more",
    "greater_than": "expected a value above {gt}",
    "less_than_equal": "expected a value of {le} or less",
    "less_than": "expected a value below {lt}",
    "literal_error": "expected one of {expected}",
    "enum": "expected one of {expected}",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "bool_parsing": "expected true or false",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "string_too_short": "expected text of at least {min_length} character(s)",
    "string_too_long": "expected text of at most {max_length} characters",
    "too_short": "expected at least {min_length} entries",
    "too_long": "expected at most {max_length} entries",
    "dict_type": "expected a mapping of keys to values",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "list_type": "expected a list",
    "tuple_type": "expected a list",
    "set_type": "expected a list",
    "date_type": "expected a real date written YYYY-MM-DD",
    "date_parsing": "expected a real date written YYYY-MM-DD",
    "date_from_datetime_parsing": "expected a real date written YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date without a time of day, written YYYY-MM-DD",
}
_FIX = {
    "missing": "add it (see the commented example in the README).",
    "literal_error": "use one of the values listed.",
    "enum": "use one of the values listed.",
    "greater_than_equal": "write a value within that range.",
    "greater_than": "write a value within that range.",
    "less_than_equal": "write a value within that range.",
    "less_than": "write a value within that range.",
    "int_parsing": "write a whole number, e.g. 3.",
    "int_type": "write a whole number, e.g. 3.",
    "int_from_float": "write a whole number, e.g. 3.",
    "float_parsing": "write a plain number, e.g. 0.35 or 1200.",
    "float_type": "write a plain number, e.g. 0.35 or 1200.",
    "bool_parsing": "write true or false.",
    "bool_type": "write true or false.",
    "string_type": "write text (in quotes if it looks like a number or a date).",
    "dict_type": "indent the keys that belong beneath it (see the README's example).",
    "model_type": "indent the keys that belong beneath it (see the README's example).",
    "list_type": "write a list, e.g. [a, b].",
    "date_type": "write the date as YYYY-MM-DD, e.g. 2026-03-20.",
    "date_parsing": "write the date as YYYY-MM-DD, e.g. 2026-03-20.",
    "date_from_datetime_parsing": "write the date as YYYY-MM-DD, e.g. 2026-03-20.",
    "date_from_datetime_inexact": "write the date as YYYY-MM-DD, e.g. 2026-03-20.",
}
#: The fix of a failure that has no more specific one.
GENERIC_FIX = "correct the value."


def _plain(err: dict) -> tuple[str, str | None]:
    """One pydantic failure as this tool says it: what was expected and found, and its fix."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    found = err.get("input")
    shown = "" if isinstance(found, dict | list | tuple) else f"; found {found!r}"
    if kind in ("value_error", "assertion_error"):  # our validators' own words
        reason = str(ctx.get("error", err["msg"])).rstrip(".")
        return f"{reason}{shown if kind == 'value_error' and found is not None else ''}.", None
    template = _EXPECTED.get(kind)
    expected = template.format(**ctx) if template else "the value is not usable here"
    message = expected[0].upper() + expected[1:] + ("" if kind == "missing" else shown)
    hint = _FIX.get(kind)
    if kind == "literal_error" and isinstance(found, str):
        listed = str(ctx.get("expected", "")).replace(" or ", ", ")
        hint = did_you_mean(found, [c.strip(" '") for c in listed.split(",")]).strip() or hint
    return message + ".", hint


def problems_from_validation(
    exc: ValidationError,
    model: type[BaseModel],
    file: str,
    prefix: str = "",
    fix_for: typing.Callable[[tuple], str | None] | None = None,
) -> list[Problem]:
    """Convert a pydantic error into one :class:`Problem` per failure, each naming its key.

    The fix is a did-you-mean where there is one, else ``fix_for(loc)`` (the caller's fix for
    that key), else the fix of the failure's kind, else :data:`GENERIC_FIX`.
    """
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
        message, hint = _plain(err)
        own = fix_for(loc) if fix_for else None
        if err["type"] != "literal_error" or hint == _FIX["literal_error"]:
            hint = own or hint
        problems.append(Problem(message, file=file, key=key, hint=hint or GENERIC_FIX))
    return problems


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
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, model, file)) from None
    check_numbers(parsed.model_dump(), file)  # numbers that were written as text, e.g. 1e308
    return parsed
