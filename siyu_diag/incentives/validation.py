"""Validate a raw scheme (from YAML or a workbook) into a :class:`~.scheme.Scheme`.

Structural problems come from pydantic; checks that need the KPI library (unknown indicators
with a did-you-mean, missing weights or targets, unknown units) are made here. Every problem is
reported at once, located by YAML key or, for a workbook, by sheet, row and column.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ..core.checks import did_you_mean, problems_from_validation
from ..core.errors import InputError, Problem
from ..core.yamlfile import check_numbers
from .library import KpiLibrary
from .scheme import RULE_TYPES, Locator, Scheme

_HINTS = {
    "weight": "write the weight in percent as a plain number, e.g. 40.",
    "target": "write the target as a number in the indicator's unit (shares as 0.25 or 25%).",
    "headcount": "write the number of people in the unit, e.g. 6.",
    "department": "use one of marketing, operations, sales, service, stores, management "
    "(or 市场部, 私域运营, 销售部, 客服部, 门店, 管理层).",
    "period": "use month, quarter or year.",
    "type": f"use one of {', '.join(RULE_TYPES)}.",
    "steps": "write the steps as achievement:points pairs, e.g. 0.8:60; 1:100; 1.2:120.",
}


def _hint(loc: tuple) -> str | None:
    for part in reversed(loc):
        if isinstance(part, str) and part in _HINTS:
            return _HINTS[part]
    return None


def _located(problem: Problem, loc: tuple, locate: Locator | None) -> Problem:
    where = locate(loc) if locate else None
    hint = problem.hint or _hint(loc)
    if where is None:
        return Problem(problem.message, file=problem.file, key=problem.key, hint=hint)
    sheet, row, column = where
    return Problem(
        f"sheet '{sheet}': {problem.message}", file=problem.file, row=row, column=column, hint=hint
    )


def _semantic_problems(scheme: Scheme, library: KpiLibrary) -> list[tuple[tuple, str, str]]:
    """Checks that need the library: ``(loc, message, hint)`` per problem."""
    out: list[tuple[tuple, str, str]] = []

    def known(name: str, loc: tuple) -> None:
        if library.resolve(name) is None:
            hint = library.suggest(name) or "use an indicator id or name from the KPI library."
            out.append(
                (loc, f"'{name}' is not an indicator of the KPI library {library.label}.", hint)
            )

    unit_ids = [u.id for u in scheme.units]
    for ui, unit in enumerate(scheme.units):
        seen: dict[str, int] = {}
        for ii, ind in enumerate(unit.indicators):
            loc = ("units", ui, "indicators", ii)
            known(ind.kpi, (*loc, "kpi"))
            kpi = library.resolve(ind.kpi)
            if kpi in seen:
                out.append(
                    (
                        (*loc, "kpi"),
                        f"indicator '{ind.kpi}' appears twice in unit '{unit.id}'.",
                        "keep one line per indicator and unit.",
                    )
                )
            seen[kpi or ind.kpi] = ii
            if ind.is_veto:
                if ind.weight:
                    out.append(
                        (
                            (*loc, "weight"),
                            "a veto indicator carries no weight.",
                            "leave the weight empty (or 0) for a veto indicator.",
                        )
                    )
                continue
            if ind.weight is None:
                out.append(((*loc, "weight"), "the weight is missing.", _HINTS["weight"]))
            if ind.target is None:
                out.append(((*loc, "target"), "the target is missing.", _HINTS["target"]))
            elif ind.target <= 0:
                out.append(
                    (
                        (*loc, "target"),
                        f"the target must be a number above 0, found {ind.target}.",
                        _HINTS["target"],
                    )
                )
        if not unit.weighted:
            out.append(
                (
                    ("units", ui, "indicators"),
                    f"unit '{unit.id}' has no weighted indicator.",
                    "give the unit at least one indicator with a weight and a target.",
                )
            )
        if unit.commission is not None:
            known(unit.commission.basis, ("units", ui, "commission", "basis"))
        if unit.double_credit is not None:
            known(unit.double_credit.source, ("units", ui, "double_credit", "source"))
            known(unit.double_credit.into, ("units", ui, "double_credit", "into"))
    for ai, award in enumerate(scheme.awards):
        if award.unit not in unit_ids:
            hint = did_you_mean(award.unit, unit_ids).strip() or f"use one of {unit_ids}."
            out.append((("awards", ai, "unit"), f"there is no unit '{award.unit}'.", hint))
    guides = scheme.shopping_guides
    if guides is not None and guides.unit is not None and guides.unit not in unit_ids:
        hint = did_you_mean(guides.unit, unit_ids).strip() or f"use one of {unit_ids}."
        out.append((("shopping_guides", "unit"), f"there is no unit '{guides.unit}'.", hint))
    return out


def _raw_kpi_problems(raw: dict, library: KpiLibrary) -> list[tuple[tuple, str, str]]:
    """Unknown indicator names in a raw scheme that did not validate (reported alongside)."""
    out = []

    def check(name: Any, loc: tuple) -> None:
        if isinstance(name, str) and name and library.resolve(name) is None:
            hint = library.suggest(name) or "use an indicator id or name from the KPI library."
            out.append(
                (loc, f"'{name}' is not an indicator of the KPI library {library.label}.", hint)
            )

    units = raw.get("units")
    for ui, unit in enumerate(units if isinstance(units, list) else []):
        if not isinstance(unit, dict):
            continue
        inds = unit.get("indicators")
        for ii, ind in enumerate(inds if isinstance(inds, list) else []):
            if isinstance(ind, dict):
                check(ind.get("kpi"), ("units", ui, "indicators", ii, "kpi"))
        for section, keys in (("commission", ("basis",)), ("double_credit", ("source", "into"))):
            value = unit.get(section)
            if isinstance(value, dict):
                for key in keys:
                    check(value.get(key), ("units", ui, section, key))
    return out


def _resolved(scheme: Scheme, library: KpiLibrary) -> Scheme:
    """The same scheme with every indicator name replaced by its library id."""
    raw = scheme.model_dump(by_alias=True)
    for unit in raw["units"]:
        for ind in unit["indicators"]:
            ind["kpi"] = library.resolve(ind["kpi"])
        if unit["commission"]:
            unit["commission"]["basis"] = library.resolve(unit["commission"]["basis"])
        if unit["double_credit"]:
            for key in ("source", "into"):
                unit["double_credit"][key] = library.resolve(unit["double_credit"][key])
    return Scheme.model_validate(raw)


def parse_scheme(
    raw: Any, *, label: str, library: KpiLibrary, locate: Locator | None = None
) -> Scheme:
    """Validate a raw scheme (from YAML or a workbook) against the models and the library.

    Parameters
    ----------
    raw
        The scheme as plain data.
    label
        The file name as written in ``client.yaml``.
    library
        The KPI library indicator names are resolved against.
    locate
        For a workbook: maps a key path to its ``(sheet, row, column)``.

    Returns
    -------
    Scheme
        With indicator names resolved to library ids and grades sorted from the top.

    Raises
    ------
    InputError
        Listing every problem, each located by key or by sheet, row and column, with a fix.
    """
    if not isinstance(raw, dict):
        raise InputError(
            Problem(
                "must be a mapping with 'units' (and optionally 'period', 'grades', ...).",
                file=label,
                hint="start from the example in the README or write_scheme_template().",
            )
        )
    try:
        scheme = Scheme.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_validation(exc, Scheme, label, fix_for=_hint)
        locs = [tuple(e["loc"]) for e in exc.errors()]
        found = [_located(p, loc, locate) for p, loc in zip(problems, locs, strict=True)]
        for loc, msg, hint in _raw_kpi_problems(raw, library):
            key = ".".join(str(p) for p in loc)
            found.append(_located(Problem(msg, file=label, key=key, hint=hint), loc, locate))
        raise InputError(found) from None
    check_numbers(scheme.model_dump(), label)  # e.g. 1e400 in a workbook cell
    found = _semantic_problems(scheme, library)
    if found:
        raise InputError(
            [
                _located(
                    Problem(msg, file=label, key=".".join(str(p) for p in loc), hint=hint),
                    loc,
                    locate,
                )
                for loc, msg, hint in found
            ]
        )
    return _resolved(scheme, library)
