"""Read and check ``plan.yaml`` into the plan's inputs (every key and unit: :mod:`~.planschema`).

Unknown keys are errors with a did-you-mean; rates outside 0–1, negative amounts, an
amortisation of 0 months and a channel with traffic but no add rate are errors naming the key
(or the file, row and column of the channel table); every problem is reported at once. Single
values (numbers, ranges, ids, start months) are checked by :mod:`~.planchecks`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from ..core.checks import parse_model
from ..core.errors import InputError, Problem
from ..core.yamlfile import read_yaml
from . import drivers as drv
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
from .planchecks import _channel_problem, _check_id, _check_start, _Collector, _source
from .planschema import CampaignIn, DriversIn, PlanFile

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


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
