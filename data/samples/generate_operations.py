"""Write a year of synthetic operating data for the three sample brands (``<slug>/ops/``).

Usage::

    python data/samples/generate_operations.py            # rewrite data/samples/<slug>/ops/
    python data/samples/generate_operations.py --out DIR  # the same files under DIR/<slug>/ops/

Seeded (one seed per brand) and written with fixed formatting, so a re-run gives byte-identical
files. The data are invented; each brand tells its story:

- **xiangwei** 湘味小馆 (restaurant chain, launch): WeCom goes live in the 38 stores on
  2025-03-01, so friends start at zero. Two October campaigns add about 100,000 friends in one
  month; nobody activates them, they convert at a fraction of the store-QR rate and leave at
  churn rates far above 5% in the following months. No member flag (the member system is not
  connected), no push log; status column with 已完成/已退款/已取消. Orders exported in GBK.
- **qingyang** 轻氧 (FMCG e-commerce, conversion; export of the flagship sub-brand's WeCom
  account and shop): parcel-card and Douyin volume drive the friend count, exported totals
  (cumulative/current) with English headers; cheap trial packs as first orders; refunds as
  negative rows (a few of them for orders placed before the export began); push volume rises
  from about 0.9 to 2.3 million messages a month while the push-loss rate climbs from about
  0.2% to 1%.
- **qiming** 启明教育 (education, mature): friends by course adviser, member flag, high AOV
  renewals, refunds by status with a refund amount (部分退款), a push log with revenue, and a
  KPI table that is mostly on target.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Channel:
    """A friend-add channel: daily adds, monthly churn, first-order conversion, source label."""

    name: str
    daily_adds: float
    churn: float  # monthly churn of friends from this channel
    first_conversion: float  # share of new friends who order within ~2 months
    ramp_days: int = 0  # days until the channel reaches its full rate


@dataclass(frozen=True)
class Campaign:
    """A burst of low-quality adds on one channel."""

    channel: str
    start: dt.date
    days: int
    daily_adds: float
    churn: float  # monthly churn of the campaign's friends
    first_conversion: float


@dataclass(frozen=True)
class Brand:
    """Everything that makes one brand's operating data."""

    slug: str
    seed: int
    start: dt.date
    end: dt.date
    channels: tuple[Channel, ...]
    campaigns: tuple[Campaign, ...] = ()
    opening_friends: int = 0  # friends at the start (added before the export)
    opening_cumulative: int = 0
    opening_customers: int = 0  # customers who bought before the export
    monthly_buy: float = 0.1  # a customer's base chance to buy in a month
    lapse: float = 0.06  # monthly chance that a customer stops buying for good
    first_aov: float = 60.0
    aov: float = 80.0
    aov_sd: float = 0.35
    touchpoints_new: dict[str, float] = field(default_factory=dict)
    touchpoints_ret: dict[str, float] = field(default_factory=dict)
    member_rate: float = 0.0  # share of repeat customers who join the member programme
    same_day: float = 0.0  # chance of a second order on the same day
    refund: float = 0.02
    hours: tuple[int, ...] = (12, 18)


# --------------------------------------------------------------------------- simulation


def _days(brand: Brand) -> list[dt.date]:
    n = (brand.end - brand.start).days + 1
    return [brand.start + dt.timedelta(days=i) for i in range(n)]


def _season(day: dt.date) -> float:
    """Mild weekly and yearly seasonality shared by every brand."""
    weekly = 1.15 if day.weekday() >= 5 else 0.95
    yearly = 1 + 0.12 * np.cos(2 * np.pi * (day.timetuple().tm_yday - 15) / 365)
    return weekly * yearly


@dataclass
class Simulation:
    """Daily friends per channel and every order."""

    friends: list[dict]
    orders: list[dict]


def simulate(brand: Brand, extra_deletions: np.ndarray | None = None) -> Simulation:
    """Friends day by day per channel; customers buy with a decaying, person-specific rate.

    ``extra_deletions`` (one count per day, e.g. friends lost after pushes) are spread over the
    channels in proportion to their current friends.
    """
    rng = np.random.default_rng(brand.seed)
    days = _days(brand)
    names = [c.name for c in brand.channels]
    share = np.array([c.daily_adds for c in brand.channels], float)
    current = rng.multinomial(brand.opening_friends, share / share.sum()).astype(float)
    cumulative = rng.multinomial(brand.opening_cumulative, share / share.sum()).astype(float)
    campaign_pool = np.zeros(len(names))  # friends from campaigns, who churn faster
    campaign_churn = np.zeros(len(names))
    # customers: first day, value, member, lapsed, channel
    n0 = brand.opening_customers
    value = list(rng.gamma(2.0, 0.5, n0))
    last = [-int(d) for d in rng.integers(1, 200, n0)]
    lapsed = list(rng.random(n0) < 0.15)
    purchases = [int(k) for k in rng.integers(1, 4, n0)]
    member = [bool(rng.random() < brand.member_rate and p >= 2) for p in purchases]
    source = [names[int(i)] for i in rng.choice(len(names), n0, p=share / share.sum())]
    pending: list[tuple[int, str, float]] = []  # (day index when they buy, channel, value)
    friends_rows, orders = [], []
    daily_buy = brand.monthly_buy / 30
    for t, day in enumerate(days):
        s = _season(day)
        pushed = np.zeros(len(names), dtype=int)
        if extra_deletions is not None and current.sum() > 0:
            k = int(min(extra_deletions[t], current.sum()))
            pushed = rng.multinomial(k, current / current.sum())
        for j, ch in enumerate(brand.channels):
            ramp = min(1.0, (t + 1) / ch.ramp_days) if ch.ramp_days else 1.0
            adds = int(rng.poisson(ch.daily_adds * ramp * s))
            conv = ch.first_conversion
            for camp in brand.campaigns:
                if camp.channel == ch.name and 0 <= (day - camp.start).days < camp.days:
                    extra = int(rng.poisson(camp.daily_adds))
                    campaign_pool[j] += extra
                    campaign_churn[j] = camp.churn
                    adds += extra
                    conv = (conv * (adds - extra) + camp.first_conversion * extra) / max(adds, 1)
            base_del = rng.binomial(int(max(current[j] - campaign_pool[j], 0)), ch.churn / 30)
            camp_del = rng.binomial(int(campaign_pool[j]), campaign_churn[j] / 30)
            campaign_pool[j] = max(campaign_pool[j] - camp_del, 0)
            deletions = int(min(base_del + camp_del + pushed[j], current[j] + adds))
            current[j] = max(current[j] + adds - deletions, 0)
            cumulative[j] += adds
            friends_rows.append(
                {
                    "date": day,
                    "channel": ch.name,
                    "new": adds,
                    "deleted": deletions,
                    "cumulative": int(cumulative[j]),
                    "current": int(current[j]),
                }
            )
            buyers = int(rng.binomial(adds, conv))
            for _ in range(buyers):
                delay = int(min(rng.exponential(12), 75))
                pending.append((t + delay, ch.name, float(rng.gamma(2.0, 0.5))))
        # first purchases due today
        due = [p for p in pending if p[0] == t]
        pending = [p for p in pending if p[0] != t]
        buying = []
        for _, ch_name, v in due:
            value.append(v)
            last.append(t)
            lapsed.append(False)
            purchases.append(0)
            member.append(False)
            source.append(ch_name)
            buying.append(len(value) - 1)
        # returning purchases
        n = len(value)
        if n:
            v = np.asarray(value)
            since = t - np.asarray(last)
            rate = daily_buy * v * (0.45 + 0.55 * np.exp(-since / 45.0)) * s
            alive = ~np.asarray(lapsed)
            hit = np.flatnonzero(alive & (rng.random(n) < rate) & (since > 0))
            buying.extend(int(i) for i in hit)
            stop = np.flatnonzero(alive & (rng.random(n) < brand.lapse / 30))
            for i in stop:
                lapsed[int(i)] = True
        for i in buying:
            first = purchases[i] == 0 and i >= n0
            purchases[i] += 1
            if purchases[i] >= 2 and not member[i] and rng.random() < brand.member_rate:
                member[i] = True
            last[i] = t
            k = 2 if rng.random() < brand.same_day else 1
            for _ in range(k):
                orders.append(_order(brand, rng, day, i, first, member[i], source[i]))
    return Simulation(friends_rows, orders)


def _order(brand, rng, day, customer, first, is_member, source) -> dict:
    mean = brand.first_aov if first else brand.aov * (1.25 if is_member else 1.0)
    amount = float(np.exp(rng.normal(np.log(mean) - brand.aov_sd**2 / 2, brand.aov_sd)))
    tps = brand.touchpoints_new if first else brand.touchpoints_ret
    names = list(tps)
    p = np.array([tps[k] for k in names], float)
    hour = int(rng.choice(brand.hours)) + int(rng.integers(-1, 3))
    minute, second = int(rng.integers(0, 60)), int(rng.integers(0, 60))
    return {
        "time": dt.datetime(day.year, day.month, day.day, hour % 24, minute, second),
        "customer": customer,
        "amount": round(amount, 1 if amount > 1000 else 2),
        "touchpoint": names[int(rng.choice(len(names), p=p / p.sum()))],
        "member": is_member,
        "source": source,
        "refund": rng.random() < brand.refund,
        "partial": rng.random() < 0.4,
        "first": first,  # a first purchase as the client's CRM knows it (history included)
    }


# --------------------------------------------------------------------------- writing


def _csv(header: list[str], rows: list[list], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _money(x: float) -> str:
    return f"{x:.2f}"


def _month(d: dt.date | dt.datetime) -> str:
    return f"{d.year}-{d.month:02d}"


def _monthly(rows: list[dict], key: Callable[[dict], str], value: Callable[[dict], float]):
    out: dict[str, float] = {}
    for r in rows:
        out[key(r)] = out.get(key(r), 0.0) + value(r)
    return out


# --------------------------------------------------------------------------- the brands

XIANGWEI = Brand(
    slug="xiangwei",
    seed=20250301,
    start=dt.date(2025, 3, 1),
    end=dt.date(2026, 2, 28),
    channels=(
        Channel("门店扫码", 260, 0.035, 0.050, ramp_days=60),
        Channel("外卖包裹卡", 70, 0.045, 0.030),
        Channel("大众点评", 25, 0.030, 0.040),
        Channel("小程序点餐", 40, 0.025, 0.070),
    ),
    campaigns=(
        Campaign("门店扫码", dt.date(2025, 10, 1), 7, 7800, 0.16, 0.004),
        Campaign("门店扫码", dt.date(2025, 10, 18), 7, 6000, 0.16, 0.004),
    ),
    opening_customers=0,
    monthly_buy=0.28,
    lapse=0.09,
    first_aov=62.0,
    aov=86.0,
    touchpoints_new={"小程序": 0.45, "社群": 0.30, "公众号": 0.15, "朋友圈": 0.10},
    touchpoints_ret={"社群": 0.35, "小程序": 0.28, "朋友圈": 0.15, "1V1": 0.10, "公众号": 0.12},
    refund=0.015,
    hours=(12, 18),
)

QINGYANG = Brand(
    slug="qingyang",
    seed=20250401,
    start=dt.date(2025, 4, 1),
    end=dt.date(2026, 3, 31),
    channels=(
        Channel("包裹卡", 330, 0.020, 0.035),
        Channel("抖音", 150, 0.030, 0.030),
        Channel("视频号", 60, 0.018, 0.050),
        Channel("小红书", 45, 0.015, 0.060),
    ),
    opening_friends=141_000,
    opening_cumulative=418_000,
    opening_customers=5_200,
    monthly_buy=0.19,
    lapse=0.05,
    first_aov=25.5,
    aov=118.0,
    touchpoints_new={"小程序": 0.55, "社群": 0.30, "1V1": 0.15},
    touchpoints_ret={"社群": 0.30, "1V1": 0.25, "小程序": 0.25, "朋友圈": 0.08,
                     "短信召回": 0.12},
    same_day=0.04,
    refund=0.04,
    hours=(10, 20, 21, 22),
)  # fmt: skip

QIMING = Brand(
    slug="qiming",
    seed=20250501,
    start=dt.date(2025, 5, 1),
    end=dt.date(2026, 4, 30),
    channels=tuple(Channel(f"顾问{i:02d}", 20 + 3 * (i % 5), 0.012, 0.050) for i in range(1, 13)),
    opening_friends=61_000,
    opening_cumulative=74_000,
    opening_customers=1_900,
    monthly_buy=0.085,
    lapse=0.025,
    first_aov=320.0,
    aov=3_600.0,
    aov_sd=0.45,
    touchpoints_new={"直播": 0.35, "1V1": 0.35, "社群": 0.20, "公众号": 0.10},
    touchpoints_ret={"1V1": 0.55, "社群": 0.15, "直播": 0.10, "短信召回": 0.10, "公众号": 0.10},
    member_rate=0.45,
    refund=0.05,
    hours=(13, 20),
)

BRANDS = (XIANGWEI, QINGYANG, QIMING)
QIMING_SOURCES = {"转介绍": 0.35, "公众号": 0.20, "视频号直播": 0.25, "地推": 0.10, "抖音": 0.10}


# --------------------------------------------------------------------------- pushes


def qingyang_pushes(brand: Brand) -> tuple[list[dict], np.ndarray]:
    """Daily pushes on three touchpoints; volume 0.9m → 2.3m a month, loss 0.05% → 0.25%."""
    rng = np.random.default_rng(brand.seed + 1)
    days = _days(brand)
    split = {"社群": 0.50, "1V1": 0.30, "短信召回": 0.20}
    rows, lost = [], np.zeros(len(days), dtype=int)
    for t, day in enumerate(days):
        progress = t / (len(days) - 1)
        monthly = 900_000 * (2_320_000 / 900_000) ** progress
        rate = 0.0005 * 5**progress
        for tp, w in split.items():
            messages = int(rng.poisson(monthly / 30 * w * (1.3 if day.weekday() == 4 else 0.95)))
            deletions = int(rng.binomial(messages, rate * (1.6 if tp == "短信召回" else 1.0)))
            cost = messages * 0.045 if tp == "短信召回" else 0.0
            rows.append({"date": day, "touchpoint": tp, "messages": messages,
                         "cost": cost, "deletions": deletions})  # fmt: skip
            lost[t] += deletions
    return rows, lost


def qiming_pushes(brand: Brand) -> list[dict]:
    """Weekly pushes (Tuesdays) with the revenue the education team attributes to them."""
    rng = np.random.default_rng(brand.seed + 1)
    rows = []
    for day in _days(brand):
        if day.weekday() != 1:
            continue
        for tp, volume, cost, yield_ in (
            ("社群", 52_000, 0.0, 0.55),
            ("短信召回", 18_000, 0.05, 1.6),
            ("公众号", 61_000, 0.0, 0.35),
        ):
            messages = int(rng.poisson(volume))
            rows.append(
                {
                    "date": day,
                    "touchpoint": tp,
                    "messages": messages,
                    "cost": messages * cost,
                    "deletions": int(rng.binomial(messages, 0.0006)),
                    "revenue": float(messages * yield_ * rng.uniform(0.7, 1.3)),
                }
            )
    return rows


# --------------------------------------------------------------------------- tables


def _order_rows(brand: Brand, sim: Simulation, prefix: str) -> list[dict]:
    """Orders sorted by time with ids; customers get stable shuffled ids."""
    rng = np.random.default_rng(brand.seed + 2)
    orders = sorted(sim.orders, key=lambda o: (o["time"], o["customer"]))
    n_customers = max(o["customer"] for o in orders) + 1
    ids = rng.permutation(n_customers) + 100_000
    seq: dict[dt.date, int] = {}
    for o in orders:
        d = o["time"].date()
        seq[d] = seq.get(d, 0) + 1
        o["id"] = f"{prefix}{d:%y%m%d}{seq[d]:04d}"
        o["cid"] = f"{prefix[0]}{ids[o['customer']]}"
    return orders


def _friends_monthly(sim: Simulation) -> dict[str, dict[str, float]]:
    months: dict[str, dict[str, float]] = {}
    last_day: dict[str, dt.date] = {}
    for r in sim.friends:
        m = months.setdefault(_month(r["date"]), {"new": 0, "deleted": 0})
        m["new"] += r["new"]
        m["deleted"] += r["deleted"]
        last_day[_month(r["date"])] = r["date"]
    totals: dict[dt.date, list[float]] = {}
    for r in sim.friends:
        t = totals.setdefault(r["date"], [0, 0])
        t[0] += r["current"]
        t[1] += r["cumulative"]
    opening = None
    first = sim.friends[0]["date"]
    opening = sum(r["current"] - r["new"] + r["deleted"] for r in sim.friends
                  if r["date"] == first)  # fmt: skip
    for key in sorted(months):
        m = months[key]
        m["current"], m["cumulative"] = totals[last_day[key]]
        m["opening"] = opening
        m["churn"] = m["deleted"] / opening if opening else float("nan")
        opening = m["current"]
    return months


def _order_monthly(orders: list[dict]) -> dict[str, dict[str, float]]:
    months: dict[str, dict] = {}
    for o in orders:
        first = o["first"]
        if o["refund"]:
            continue
        m = months.setdefault(_month(o["time"]), {"gmv": 0.0, "orders": 0, "first_gmv": 0.0,
                                                  "first": set(), "ret": set()})  # fmt: skip
        m["gmv"] += o["amount"]
        m["orders"] += 1
        if first:
            m["first_gmv"] += o["amount"]
            m["first"].add(o["cid"])
        else:
            m["ret"].add(o["cid"])
    return months


def _pct(x: float) -> str:
    return f"{x * 100:.2f}%"


def _kpi_rows(metric: str, unit: str, actual: dict[str, float], target, fmt) -> list[list]:
    return [[metric, m, fmt(a), fmt(target(m, a)), unit] for m, a in actual.items()]


def write_xiangwei(brand: Brand) -> dict[str, bytes]:
    """WeCom export (UTF-8 BOM), Weimob orders (GBK, status column), KPI sheet."""
    sim = simulate(brand)
    friends = [[f"{r['date']:%Y/%m/%d}", r["channel"], r["new"], r["deleted"]]
               for r in sim.friends]  # fmt: skip
    orders = _order_rows(brand, sim, "XW")
    rng = np.random.default_rng(brand.seed + 3)
    rows = []
    for o in orders:
        status = "已退款" if o["refund"] else "已完成"
        rows.append([o["id"], o["cid"], f"{o['time']:%Y/%m/%d %H:%M}", _money(o["amount"]),
                     o["touchpoint"], o["source"], status])  # fmt: skip
        if rng.random() < 0.01:  # an abandoned order, cancelled before payment
            rows.append([o["id"] + "C", o["cid"], f"{o['time']:%Y/%m/%d %H:%M}",
                         _money(o["amount"]), o["touchpoint"], o["source"], "已取消"])  # fmt: skip
    fm, om = _friends_monthly(sim), _order_monthly(orders)
    interaction = {m: 0.062 - 0.003 * i + float(rng.normal(0, 0.004)) for i, m in enumerate(fm)}
    kpi = (
        _kpi_rows("新增好友数", "人", {m: v["new"] for m, v in fm.items()},
                  lambda m, a: 15000, lambda x: f"{x:.0f}")
        + _kpi_rows("好友留存率", "%", {m: v["current"] / v["cumulative"] for m, v in fm.items()},
                    lambda m, a: 0.80, _pct)
        + _kpi_rows("首单转化率", "%", {m: len(om[m]["first"]) / fm[m]["new"] for m in fm},
                    lambda m, a: 0.08, _pct)
        + _kpi_rows("社群互动率", "%", interaction, lambda m, a: 0.10, _pct)
        + _kpi_rows("私域GMV", "元", {m: om[m]["gmv"] for m in fm},
                    lambda m, a: 180000, lambda x: f"{x:.0f}")
    )  # fmt: skip
    return {
        "friends.csv": _csv(["日期", "渠道", "新增好友数", "删除好友数"], friends, "utf-8-sig"),
        "orders.csv": _csv(["订单号", "客户ID", "下单时间", "实付金额(元)", "触点", "来源渠道",
                            "订单状态"], rows, "gbk"),
        "kpi.csv": _csv(["指标", "月份", "实际值", "目标值", "单位"], kpi, "utf-8-sig"),
    }  # fmt: skip


def write_qingyang(brand: Brand) -> dict[str, bytes]:
    """SCRM export with English headers and exported totals; refunds as negative rows."""
    pushes, lost = qingyang_pushes(brand)
    sim = simulate(brand, extra_deletions=lost)
    friends = [[f"{r['date']:%Y-%m-%d}", r["channel"], r["new"], r["deleted"], r["cumulative"],
                r["current"]] for r in sim.friends]  # fmt: skip
    orders = _order_rows(brand, sim, "QY")
    rng = np.random.default_rng(brand.seed + 3)
    rows = []
    for k in range(4):  # refunds of March orders, placed before the export began
        rows.append([f"QY250331{k + 41:04d}", f"Q{100_000 + 17 * k}", f"2025-04-0{k + 1} 10:15:00",
                     "-" + _money(float(rng.uniform(60, 160))), "小程序", "包裹卡"])  # fmt: skip
    for o in orders:
        rows.append([o["id"], o["cid"], f"{o['time']:%Y-%m-%d %H:%M:%S}", _money(o["amount"]),
                     o["touchpoint"], o["source"]])  # fmt: skip
        if o["refund"]:
            back = o["amount"] * (0.5 if o["partial"] else 1.0)
            when = o["time"] + dt.timedelta(days=int(rng.integers(1, 6)))
            rows.append([o["id"], o["cid"], f"{when:%Y-%m-%d %H:%M:%S}", "-" + _money(back),
                         o["touchpoint"], o["source"]])  # fmt: skip
    push_rows = [[f"{p['date']:%Y-%m-%d}", p["touchpoint"], p["messages"], _money(p["cost"]),
                  p["deletions"]] for p in pushes]  # fmt: skip
    fm = _friends_monthly(sim)
    for o in orders:  # KPI figures on what was kept after refunds
        o["refund"] = o["refund"] and not o["partial"]
    om = _order_monthly(orders)
    pm = _monthly(pushes, lambda p: _month(p["date"]), lambda p: p["messages"])
    pl = _monthly(pushes, lambda p: _month(p["date"]), lambda p: p["deletions"])
    months = list(fm)
    card = [0.061, 0.064, 0.060, 0.066, 0.071, 0.069, 0.072, 0.070, 0.068, 0.074, 0.0752, 0.0973]
    card_target = [0.12] * 6 + [0.135] * 4 + [0.1478] * 2
    kpi = (
        _kpi_rows("新增好友数", "人", {m: v["new"] for m, v in fm.items()},
                  lambda m, a: 17000, lambda x: f"{x:.0f}")
        + [["包裹卡加粉率", m, _pct(a), _pct(t), "%"]
           for m, a, t in zip(months, card, card_target, strict=True)]
        + _kpi_rows("新客首单客单价", "元",
                    {m: om[m]["first_gmv"] / len(om[m]["first"]) for m in months},
                    lambda m, a: 30.0, lambda x: f"{x:.2f}")
        + _kpi_rows("老客复购转化率", "%",
                    {m: len(om[m]["ret"]) / (fm[m]["opening"] - fm[m]["deleted"]) for m in months},
                    lambda m, a: 0.005, _pct)
        + _kpi_rows("私域GMV", "元", {m: om[m]["gmv"] for m in months},
                    lambda m, a: 150000, lambda x: f"{x:.0f}")
    )  # fmt: skip
    rows_kpi = [[*r, "higher"] for r in kpi]
    rows_kpi += [["月流失率", m, _pct(fm[m]["churn"]), _pct(0.05), "%", "lower"] for m in months]
    rows_kpi += [["推送流失率", m, _pct(pl[m] / pm[m]), _pct(0.0015), "%", "lower"]
                 for m in months]  # fmt: skip
    return {
        "friends.csv": _csv(["date", "channel", "new_friends", "deletions", "cumulative_friends",
                             "current_friends"], friends, "utf-8"),
        "orders.csv": _csv(["order_id", "customer_id", "order_time", "amount", "touchpoint",
                            "source_channel"], rows, "utf-8"),
        "pushes.csv": _csv(["date", "touchpoint", "messages", "cost", "deletions"], push_rows,
                           "utf-8"),
        "kpi.csv": _csv(["metric", "month", "actual", "target", "unit", "direction"], rows_kpi,
                        "utf-8"),
    }  # fmt: skip


def write_qiming(brand: Brand) -> dict[str, bytes]:
    """Friends by course adviser, orders with member flag and partial refunds, pushes, KPIs."""
    sim = simulate(brand)
    friends = [[f"{r['date']:%Y-%m-%d}", r["channel"], r["new"], r["deleted"], r["cumulative"],
                r["current"]] for r in sim.friends]  # fmt: skip
    orders = _order_rows(brand, sim, "QM")
    rng = np.random.default_rng(brand.seed + 3)
    names = list(QIMING_SOURCES)
    p = np.array(list(QIMING_SOURCES.values()))
    source = {}
    rows = []
    for o in orders:
        src = source.setdefault(o["cid"], names[int(rng.choice(len(names), p=p))])
        status, back = "交易成功", ""
        if o["refund"]:
            status = "部分退款" if o["partial"] else "已退款"
            back = _money(o["amount"] * 0.3) if o["partial"] else _money(o["amount"])
        member = "是" if o["member"] else "否"
        rows.append([o["id"], o["cid"], f"{o['time']:%Y-%m-%d %H:%M}", _money(o["amount"]),
                     o["touchpoint"], member, src, status, back])  # fmt: skip
    pushes = qiming_pushes(brand)
    push_rows = [[f"{x['date']:%Y-%m-%d}", x["touchpoint"], x["messages"], _money(x["cost"]),
                  x["deletions"], _money(x["revenue"])] for x in pushes]  # fmt: skip
    fm = _friends_monthly(sim)
    for o in orders:
        o["refund"] = o["refund"] and not o["partial"]
    om = _order_monthly(orders)
    months = list(fm)
    kpi = (
        _kpi_rows("新增好友数", "人", {m: v["new"] for m, v in fm.items()},
                  lambda m, a: 9500, lambda x: f"{x:.0f}")
        + _kpi_rows("续费转化率", "%",
                    {m: len(om[m]["ret"]) / (fm[m]["opening"] - fm[m]["deleted"]) for m in months},
                    lambda m, a: round(a * float(rng.uniform(0.9, 1.08)), 4), _pct)
        + _kpi_rows("私域GMV", "元", {m: om[m]["gmv"] for m in months},
                    lambda m, a: round(a * float(rng.uniform(0.88, 1.08)), -4),
                    lambda x: f"{x:.0f}")
        + _kpi_rows("人均产出", "元", {m: om[m]["gmv"] / 12 for m in months},
                    lambda m, a: round(a * float(rng.uniform(0.9, 1.1)), -3),
                    lambda x: f"{x:.0f}")
    )  # fmt: skip
    kpi = [[*r, "越高越好"] for r in kpi]
    kpi += [["月流失率", m, _pct(fm[m]["churn"]), _pct(0.02), "%", "越低越好"] for m in months]
    return {
        "friends.csv": _csv(["日期", "员工", "新增客户数", "流失人数", "累计客户数", "客户总数"],
                            friends, "utf-8-sig"),
        "orders.csv": _csv(["订单编号", "用户ID", "支付时间", "支付金额", "成交触点", "是否会员",
                            "获客渠道", "订单状态", "退款金额"], rows, "utf-8-sig"),
        "pushes.csv": _csv(["日期", "推送触点", "推送量", "推送成本", "推送后删除", "成交金额"],
                           push_rows, "utf-8-sig"),
        "kpi.csv": _csv(["指标名称", "统计月份", "实际完成", "目标", "单位", "指标方向"], kpi,
                        "utf-8-sig"),
    }  # fmt: skip


WRITERS = {"xiangwei": write_xiangwei, "qingyang": write_qingyang, "qiming": write_qiming}


def generate(out: Path = HERE) -> list[Path]:
    """Write every brand's ``ops/`` files under ``out``; return the paths written."""
    written = []
    for brand in BRANDS:
        folder = out / brand.slug / "ops"
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in WRITERS[brand.slug](brand).items():
            (folder / name).write_bytes(data)
            written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write the samples' operating data (``--out`` for another folder)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder holding <slug>/ops/")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"{path.stat().st_size:>9,}  {path.parent.parent.name}/ops/{path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
