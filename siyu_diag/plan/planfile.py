"""Read and check ``plan.yaml`` into the plan's inputs (every key and unit: :mod:`~.planschema`).

Unknown keys are errors with a did-you-mean; rates outside 0–1, negative amounts, an
amortisation of 0 months and a channel with traffic but no add rate are errors naming the key
(or the file, row and column of the channel table); every problem is reported at once.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel

from ..core.checks import did_you_mean, parse_model
from ..core.errors import InputError, Problem
from ..core.yamlfile import read_yaml
from . import drivers as drv
from .channels import ID_PATTERN as _ID
from .channels import load_channel_table
from .inputs import (
    Campaign,
    Channel,
    Driver,
    FixedCost,
    LastYear,
    MonteCarloSettings,
    PlanInputs,
    Role,
    Target,
)
from .planschema import CampaignIn, DriversIn, PlanFile

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


_RANGE_KEYS = ("low", "likely", "high")


class _Collector:
    """Collects problems while turning raw values into :class:`Driver` objects."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, message: str, key: str, hint: str | None = None) -> None:
        self.problems.append(Problem(message, file=self.file, key=key, hint=hint))

    def driver(self, name: str, raw: Any, key: str, source: str = "plan") -> Driver | None:
        """Parse a number or ``{low, likely, high}``; None (and a problem) when invalid."""
        if raw is None:
            return Driver(value=None, source=source)
        if isinstance(raw, dict):
            unknown = [k for k in raw if k not in _RANGE_KEYS]
            for k in unknown:
                self.add(
                    f"unknown key '{k}' in a range; a range has the keys low, likely, high.",
                    f"{key}.{k}",
                    did_you_mean(k, _RANGE_KEYS).strip() or "remove it.",
                )
            missing = [k for k in _RANGE_KEYS if k not in raw]
            if missing:
                self.add(
                    f"a range needs low, likely and high; missing {', '.join(missing)}.",
                    key,
                    "write e.g. {low: 0.08, likely: 0.10, high: 0.13}.",
                )
            if unknown or missing:
                return None
            values = [self._number(name, raw[k], f"{key}.{k}") for k in _RANGE_KEYS]
            if any(v is None for v in values):
                return None
            low, likely, high = values
            if not low <= likely <= high:
                self.add(
                    f"a range must satisfy low ≤ likely ≤ high; found {low:g}, {likely:g}, "
                    f"{high:g}.",
                    key,
                    "reorder the three values.",
                )
                return None
            return Driver(value=likely, low=low, high=high, source=source)
        value = self._number(name, raw, key)
        if value is None:
            return None
        return Driver(value=value, source=source)

    def _number(self, name: str, raw: Any, key: str) -> float | None:
        b = drv.bounds(name)
        if isinstance(raw, bool) or not isinstance(raw, int | float) or math.isnan(raw):
            self.add(
                f"'{raw}' is not a number; expected {b.describe()}.",
                key,
                "write a plain number (rates as shares: 12% is 0.12).",
            )
            return None
        if not b.contains(float(raw)):
            if b.high == 1 and raw > 1:
                hint = f"write rates as shares of 1: {raw:g}% is {raw / 100:g}."
            elif raw < 0:
                hint = "amounts and counts cannot be negative."
            else:
                hint = "correct the value."
            self.add(f"{raw:g} is outside the possible values; expected {b.describe()}.", key, hint)
            return None
        return float(raw)


def _source(model: BaseModel, field: str) -> str:
    """``plan`` for a value written in the file, ``default`` for one left out."""
    return "plan" if field in model.model_fields_set else "default"


def _check_id(kind: str, ident: str, key: str, col: _Collector) -> bool:
    if _ID.match(str(ident)):
        return True
    col.add(
        f"the {kind} id '{ident}' may not contain dots or spaces (it is used in driver names).",
        key,
        "use letters, digits, hyphens or underscores, e.g. douyin or mini_program.",
    )
    return False


def _check_start(value: int, key: str, col: _Collector) -> None:
    if value < 1:
        col.add(
            f"start_month must be 1 or more; found {value}.", key, "1 is the plan's first month."
        )


def _channel_problem(traffic: Driver | None, add_rate: Driver | None) -> bool:
    """True when a channel has traffic but no (or a zero) add rate."""
    return bool(traffic and traffic.value) and (add_rate is None or not add_rate.value)


def build_inputs(raw: PlanFile, file: str, channel_table: pd.DataFrame | None = None) -> PlanInputs:
    """Check a parsed ``plan.yaml`` and turn it into :class:`PlanInputs`.

    Parameters
    ----------
    raw
        The parsed file.
    file
        Its name as written in ``client.yaml``.
    channel_table
        Channels read from ``channels_file`` by :func:`load_channel_table` (columns ``id``,
        ``name``, ``start_month`` and every channel driver with ``<driver>_low/_high``).

    Raises
    ------
    InputError
        Listing every problem, each with its key.
    """
    col = _Collector(file)
    if not 12 <= raw.horizon_months <= 36:
        col.add(
            f"horizon_months must be from 12 to 36; found {raw.horizon_months}.",
            "horizon_months",
            "plan one to three years.",
        )
    if raw.start_month is not None and not _MONTH.match(str(raw.start_month)):
        col.add(
            f"start_month must be a month written YYYY-MM; found '{raw.start_month}'.",
            "start_month",
            "write e.g. 2026-04, in quotes if your editor changes it.",
        )
    ly = raw.last_year
    ly_values = {}
    for name in ("returning_conversion", "aov", "repurchase_frequency", "monthly_churn"):
        d = col.driver(name, getattr(ly, name), f"last_year.{name}")
        ly_values[name] = d.value if d else None
    for name, kind in (
        ("users", "traffic"),
        ("gmv", "aov"),
        ("new_users", "traffic"),
        ("first_order_conversion", "first_order_conversion"),
        ("first_order_aov", "first_order_aov"),
    ):
        value = getattr(ly, name)
        if value is not None:
            col.driver(kind, value, f"last_year.{name}")

    drivers: dict[str, Driver] = {}
    for name in DriversIn.model_fields:
        given = getattr(raw.drivers, name)
        d = col.driver(name, given, f"drivers.{name}")
        if d is not None and d.value is None:
            fallback = ly_values.get(name) or getattr(ly, name, None)
            if fallback is not None:
                d = Driver(value=float(fallback), source="last_year")
        drivers[name] = d or Driver(value=None)
    org = raw.organisation
    for name in ("bonus_rate", "commission_rate"):
        given = col.driver(name, getattr(org, name), f"organisation.{name}", _source(org, name))
        drivers[name] = given or Driver(value=0.0)

    channels: list[Channel] = []
    for ident, ch in raw.channels.items():
        key = f"channels.{ident}"
        if not _check_id("channel", ident, key, col):
            continue
        _check_start(ch.start_month, f"{key}.start_month", col)
        parsed = {
            k: col.driver(k, getattr(ch, k), f"{key}.{k}", _source(ch, k))
            for k in drv.CHANNEL_DRIVERS
        }
        if parsed["traffic"] is not None and parsed["traffic"].value is None:
            col.add("a channel needs its monthly traffic.", f"{key}.traffic", "add traffic: N.")
        if _channel_problem(parsed["traffic"], parsed["add_rate"]):
            col.add(
                "the channel has traffic but no add rate, so it would bring no users.",
                f"{key}.add_rate",
                "give the share of touches that become private-domain users (e.g. 0.03), "
                "or set traffic to 0.",
            )
        for k, d in parsed.items():
            drivers[drv.driver_name(k, ident)] = d or Driver(value=0.0)
        channels.append(
            Channel(id=ident, name=ch.name or ident, start_month=max(ch.start_month, 1))
        )
    if channel_table is not None:
        known = {c.id for c in channels}
        for row in channel_table.itertuples(index=False):
            if row.id in known:
                col.add(
                    f"channel '{row.id}' is defined both in {file} and in {raw.channels_file}.",
                    f"channels.{row.id}",
                    "keep one of the two.",
                )
                continue
            known.add(row.id)
            for k in drv.CHANNEL_DRIVERS:
                low, high = getattr(row, f"{k}_low"), getattr(row, f"{k}_high")
                value = float(getattr(row, k))
                has = not (pd.isna(low) or pd.isna(high))
                drivers[drv.driver_name(k, row.id)] = Driver(
                    value=value,
                    low=float(low) if has else None,
                    high=float(high) if has else None,
                    source="channels_file",
                )
            channels.append(Channel(id=row.id, name=row.name, start_month=int(row.start_month)))

    roles: list[Role] = []
    for ident, role in org.roles.items():
        key = f"organisation.roles.{ident}"
        if not _check_id("role", ident, key, col):
            continue
        _check_start(role.start_month, f"{key}.start_month", col)
        for k in drv.ROLE_DRIVERS:
            d = col.driver(k, getattr(role, k), f"{key}.{k}")
            if d is not None and d.value is None:
                col.add(f"a role needs its {k}.", f"{key}.{k}", f"add {k}: N.")
            drivers[drv.driver_name(k, ident)] = d or Driver(value=0.0)
        roles.append(Role(id=ident, name=role.name or ident, start_month=max(role.start_month, 1)))

    fixed: list[FixedCost] = []
    for ident, f in raw.fixed_costs.items():
        key = f"fixed_costs.{ident}"
        ok = True
        if f.amount < 0 or math.isnan(f.amount):
            col.add(
                f"amount cannot be negative; found {f.amount:g}.",
                f"{key}.amount",
                "write the cost as a positive number of CNY.",
            )
            ok = False
        if f.months < 1:
            col.add(
                f"an amortisation period of {f.months} months is not possible.",
                f"{key}.months",
                "spread the cost over 1 month or more (12 for a yearly licence).",
            )
            ok = False
        if f.start_month < 1:
            _check_start(f.start_month, f"{key}.start_month", col)
            ok = False
        if ok:
            fixed.append(
                FixedCost(
                    id=ident,
                    name=f.name or ident,
                    amount=f.amount,
                    months=f.months,
                    start_month=f.start_month,
                )
            )

    target = None
    if raw.target is not None:
        t = raw.target
        if (t.gmv is None) == (t.growth is None):
            col.add(
                "give either target.gmv (CNY) or target.growth (e.g. 0.3 for +30%), not both "
                "or neither.",
                "target",
                "keep one of the two keys.",
            )
        elif t.gmv is not None and t.gmv < 0:
            col.add(
                f"target.gmv cannot be negative; found {t.gmv:g}.",
                "target.gmv",
                "write the year-1 GMV target in CNY.",
            )
        elif t.growth is not None and t.growth <= -1:
            col.add(
                f"target.growth must be above -1; found {t.growth:g}.",
                "target.growth",
                "write growth as a share: +30% is 0.3.",
            )
        else:
            target = Target(gmv=t.gmv, growth=t.growth)

    campaigns = [_campaign(ident, c, col) for ident, c in raw.campaigns.items()]
    mc = raw.monte_carlo
    if not 100 <= mc.draws <= 200_000:
        col.add(
            f"monte_carlo.draws must be from 100 to 200000; found {mc.draws}.",
            "monte_carlo.draws",
            "10000 draws are enough for P10/P50/P90.",
        )
    if mc.seed < 0:
        col.add(
            f"monte_carlo.seed must be 0 or more; found {mc.seed}.",
            "monte_carlo.seed",
            "any whole number of 0 or more.",
        )
    if col.problems:
        raise InputError(col.problems)
    return PlanInputs(
        file=file,
        channels_file=raw.channels_file,
        horizon_months=raw.horizon_months,
        start_month=raw.start_month,
        last_year=LastYear(**ly.model_dump()),
        channels=tuple(channels),
        roles=tuple(roles),
        fixed_costs=tuple(fixed),
        target=target,
        campaigns=tuple(c for c in campaigns if c is not None),
        monte_carlo=MonteCarloSettings(draws=mc.draws, seed=mc.seed),
        drivers=drivers,
    )


def _campaign(ident: str, c: CampaignIn, col: _Collector) -> Campaign | None:
    key = f"campaigns.{ident}"
    checks = {
        "traffic": "traffic",
        "conversion": "first_order_conversion",
        "aov": "aov",
        "marketing_cost": "monthly_spend",
        "organisation_cost": "monthly_spend",
        "gross_margin": "gross_margin",
    }
    ok = all(col.driver(kind, getattr(c, k), f"{key}.{k}") for k, kind in checks.items())
    if c.target_gmv is not None and c.target_gmv < 0:
        col.add(
            f"target_gmv cannot be negative; found {c.target_gmv:g}.",
            f"{key}.target_gmv",
            "write the campaign's GMV target in CNY.",
        )
        ok = False
    if not ok:
        return None
    return Campaign(id=ident, name=c.name or ident, **c.model_dump(exclude={"name"}))


def load_plan_inputs(folder: Path, file: str) -> PlanInputs:
    """Read, validate and resolve a client's plan file (and its channel table).

    Parameters
    ----------
    folder
        The client folder.
    file
        The plan file's path relative to the folder, as written in ``client.yaml``.

    Returns
    -------
    PlanInputs
        Drivers the file leaves out take last year's value where there is one; others stay
        empty for :func:`~siyu_diag.plan.calibration.apply_calibration` to fill.

    Raises
    ------
    InputError
        Every problem in the plan file or its channel table.
    """
    raw = parse_model(PlanFile, read_yaml(folder / file, label=file), file)
    table = None
    if raw.channels_file:
        path = folder / raw.channels_file
        inside = path.resolve().is_relative_to(folder.resolve())
        if not inside or not path.is_file():
            raise InputError(
                Problem(
                    f"the channel table '{raw.channels_file}' "
                    + ("leaves the client folder." if not inside else "does not exist."),
                    file=file,
                    key="channels_file",
                    hint="put it in the client folder and give its path relative to it.",
                )
            )
        table = load_channel_table(path, label=raw.channels_file, sheet=raw.channels_sheet)
    return build_inputs(raw, file, table)
