"""Write the incentive chapter's inputs of the sample brands: a scheme and last period's actuals.

Usage::

    python data/samples/generate_incentives.py            # write into data/samples/<slug>/
    python data/samples/generate_incentives.py --out DIR  # write the same files under DIR/<slug>/

Seeded (one seed per brand) and free of timestamps, so a re-run writes byte-identical files.

The stories:

- **xiangwei** 湘味小馆 (launch, 38 stores, ~120 guides; ``incentives.yaml`` +
  ``incentive-actuals.csv``, monthly): the private-domain team is paid on follower adds and
  community GMV only; guides and store managers are paid on in-store sales with no double
  crediting, so the online orders of the friends they add earn them nothing; no indicator is
  shared between the team and the stores; followers were added (130% of target) but community
  GMV is at half its target. The scheme carries the assumptions of the top-down guide KPI for
  all 38 stores.
- **qingyang** 轻氧 (conversion, amoeba with 4 sub-brands; HR filled the XLSX template,
  ``incentives.xlsx`` + ``incentive-actuals.xlsx``, quarterly): marketing is paid on follower
  volume and acquisition cost only; each sub-brand's community team has a GMV target and the
  four add up to more than the plan; the 1V1 sales team is paid on GMV alone; customer service's
  weights add up to 110%; no veto anywhere.
- **qiming** 启明教育 (mature; ``incentives.yaml`` + ``incentive-actuals.csv``, quarterly):
  balanced sheets with a shared 90-day repurchase indicator, retention in sales pay and a
  complaint veto (one advisor breached it), but only the management team has long-term
  indicators and an annual share: front-line pay has no long-term part.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import numpy as np
import yaml
from generate import _stable_zip  # the sample generators' shared XLSX normaliser

from siyu_diag.incentives.library import load_kpi_library
from siyu_diag.incentives.sheets import AWARDS, CHOICES, GRADES, INDICATORS, SETTINGS, TIERS, UNITS
from siyu_diag.incentives.template import scheme_workbook

HERE = Path(__file__).resolve().parent
SEEDS = {"xiangwei": 301, "qingyang": 302, "qiming": 303}
LIBRARY = load_kpi_library()

# --------------------------------------------------------------------------- xiangwei

XIANGWEI_STORES = [
    "长沙五一广场店",
    "长沙IFS店",
    "长沙梅溪湖店",
    "长沙河西万达店",
    "长沙德思勒店",
    "长沙开福万达店",
    "长沙悦方店",
    "长沙星沙店",
    "长沙高铁南站店",
    "长沙黄花机场店",
    "长沙万家丽店",
    "长沙雨花亭店",
    "长沙洋湖店",
    "长沙大学城店",
    "长沙喜盈门店",
    "株洲神农城店",
    "株洲王府井店",
    "湘潭万达店",
    "湘潭步步高店",
    "岳阳步行街店",
    "岳阳万达店",
    "常德万达店",
    "常德步步高店",
    "衡阳万达店",
    "衡阳华新店",
    "郴州国际店",
    "益阳万达店",
    "娄底万达店",
    "邵阳步步高店",
    "怀化万达店",
    "永州零陵店",
    "张家界店",
    "吉首店",
    "深圳福田店",
    "深圳南山店",
    "广州天河店",
    "广州珠江新城店",
    "武汉江汉路店",
]


def xiangwei_scheme(rng: np.random.Generator) -> dict:
    """湘味小馆: launch-stage scheme, monthly, stores without double crediting."""
    n = len(XIANGWEI_STORES)
    guides = np.full(n, 3)
    guides[rng.choice(n, 8, replace=False)] = 4
    guides[rng.choice(np.flatnonzero(guides == 3), 3, replace=False)] = 2
    while guides.sum() < 120:
        guides[rng.integers(n)] += 1
    revenue = np.round(rng.uniform(2.6e6, 6.4e6, n) + guides * 2.5e5, -4)
    friends = np.round(rng.uniform(150, 450, n) * guides, -1)
    stores = [
        {"store": s, "revenue_target": float(r), "guides": int(g), "current_friends": float(f)}
        for s, r, g, f in zip(XIANGWEI_STORES, revenue, guides, friends, strict=True)
    ]
    return {
        "name": "2026年私域与门店激励方案（试行）",
        "period": "month",
        "gmv": 18000000,
        "units": [
            {
                "id": "ops",
                "name": "私域运营组",
                "department": "operations",
                "level": "frontline",
                "headcount": 4,
                "pay": {"base_monthly": 8000, "bonus_target": 1500},
                "indicators": [
                    {
                        "kpi": "follower_adds",
                        "weight": 60,
                        "target": 25000,
                        "target_per": "unit",
                        "rule": {"type": "linear", "cap": 1.5},
                    },
                    {"kpi": "community_gmv", "weight": 40, "target": 1200000, "target_per": "unit"},
                ],
                "commission": {"basis": "community_gmv", "tiers": [{"from": 0, "rate": 0.005}]},
            },
            {
                "id": "guide",
                "name": "门店导购",
                "department": "stores",
                "level": "frontline",
                "headcount": int(guides.sum()),
                "pay": {"base_monthly": 4500, "bonus_target": 600},
                "indicators": [
                    {"kpi": "store_sales", "weight": 80, "target": 100000},
                    {
                        "kpi": "moments_posts",
                        "weight": 20,
                        "target": 0.9,
                        "rule": {"type": "threshold"},
                    },
                ],
                "commission": {
                    "basis": "store_sales",
                    "tiers": [{"from": 0, "rate": 0.008}, {"from": 100000, "rate": 0.012}],
                },
            },
            {
                "id": "manager",
                "name": "店长",
                "department": "stores",
                "level": "management",
                "headcount": n,
                "pay": {"base_monthly": 9000, "bonus_target": 3000, "annual_share": 20000},
                "indicators": [{"kpi": "store_sales", "weight": 100, "target": 350000}],
            },
            {
                "id": "lead",
                "name": "私域负责人",
                "department": "operations",
                "level": "management",
                "headcount": 1,
                "pay": {"base_monthly": 25000, "bonus_target": 8000, "annual_share": 60000},
                "indicators": [
                    {"kpi": "follower_adds", "weight": 50, "target": 25000, "target_per": "unit"},
                    {"kpi": "community_gmv", "weight": 50, "target": 1200000, "target_per": "unit"},
                ],
            },
        ],
        "awards": [{"unit": "guide", "name": "月度加粉之星", "amount": 300, "winners": 3}],
        "shopping_guides": {
            "unit": "guide",
            "aov": 78,
            "conversion": 0.35,
            "orders_per_buyer": 4,
            "private_share": 0.12,
            "churn_monthly": 0.04,
            "months": 12,
            "stores": stores,
        },
    }


def xiangwei_actuals(rng: np.random.Generator, scheme: dict) -> list[list[object]]:
    """February 2026, one row per person (Chinese headers as the HR system exports them)."""
    rows: list[list[object]] = [
        [
            "工号",
            "单元",
            "门店",
            "加粉数",
            "社群GMV",
            "门店销售额",
            "朋友圈发布达标率",
            "私域成交额",
        ]
    ]
    for i in range(4):
        adds = round(25000 / 4 * rng.normal(1.3, 0.08))
        gmv = round(1200000 / 4 * rng.normal(0.5, 0.06))
        rows.append([f"XW-P{i + 1:02d}", "私域运营组", "", adds, gmv, "", "", ""])
    k = 0
    for s in scheme["shopping_guides"]["stores"]:
        monthly = s["revenue_target"] / 12
        for _ in range(s["guides"]):
            k += 1
            sales = round(monthly / s["guides"] * rng.normal(0.95, 0.12), -1)
            posts = f"{min(1.0, rng.normal(0.8, 0.12)):.0%}"
            private = round(rng.uniform(1500, 9000), -1)
            adds = int(rng.poisson(55))
            rows.append([f"XW-G{k:03d}", "门店导购", s["store"], adds, "", sales, posts, private])
    for j, s in enumerate(scheme["shopping_guides"]["stores"], start=1):
        sales = round(s["revenue_target"] / 12 * rng.normal(0.96, 0.08), -1)
        rows.append([f"XW-M{j:02d}", "店长", s["store"], "", "", sales, "", ""])
    total_adds = sum(r[3] for r in rows[1:5])
    total_gmv = sum(r[4] for r in rows[1:5])
    rows.append(["XW-L01", "私域负责人", "", total_adds, total_gmv, "", "", ""])
    return rows


# --------------------------------------------------------------------------- qingyang

QINGYANG_BRANDS = [
    ("brand_a", "氧气水 社群运营", 2, 5000000),
    ("brand_b", "轻卡零食 社群运营", 2, 4000000),
    ("brand_c", "植物蛋白 社群运营", 1, 2800000),
    ("brand_d", "轻氧咖啡 社群运营", 1, 2200000),
]


def qingyang_scheme() -> dict:
    """轻氧: conversion-stage scheme, quarterly, filled in by HR in the XLSX template."""
    units = [
        {
            "id": "growth",
            "name": "市场部·投放拉新",
            "department": "marketing",
            "level": "frontline",
            "headcount": 4,
            "pay": {"base_monthly": 10000, "bonus_target": 9000},
            "indicators": [
                {
                    "kpi": "follower_adds",
                    "weight": 70,
                    "target": 45000,
                    "rule": {"type": "linear", "cap": 1.5},
                },
                {"kpi": "acquisition_cost", "weight": 30, "target": 12},
            ],
        },
    ]
    for uid, name, n, target in QINGYANG_BRANDS:
        units.append(
            {
                "id": uid,
                "name": name,
                "department": "operations",
                "level": "frontline",
                "headcount": n,
                "pay": {"base_monthly": 8500, "bonus_target": 7500},
                "indicators": [
                    {"kpi": "community_gmv", "weight": 70, "target": target, "target_per": "unit"},
                    {"kpi": "group_retention_7d", "weight": 20, "target": 0.75},
                    {"kpi": "interaction_rate", "weight": 10, "target": 0.2},
                ],
                "commission": {"basis": "community_gmv", "tiers": [{"from": 0, "rate": 0.01}]},
            }
        )
    units += [
        {
            "id": "service",
            "name": "客服组",
            "department": "service",
            "level": "frontline",
            "headcount": 8,
            "pay": {"base_monthly": 6500, "bonus_target": 3000},
            "indicators": [
                {"kpi": "response_48h", "weight": 50, "target": 0.98},
                {"kpi": "satisfaction", "weight": 40, "target": 4.6},
                {
                    "kpi": "sop_completion",
                    "weight": 20,
                    "target": 0.95,
                    "rule": {"type": "threshold"},
                },
            ],
        },
        {
            "id": "sales",
            "name": "私域销售（1V1）",
            "department": "sales",
            "level": "frontline",
            "headcount": 5,
            "pay": {"base_monthly": 7000, "bonus_target": 6000},
            "indicators": [{"kpi": "gmv", "weight": 100, "target": 700000}],
            "commission": {
                "basis": "gmv",
                "method": "whole",
                "tiers": [{"from": 0, "rate": 0.015}, {"from": 800000, "rate": 0.02}],
            },
        },
        {
            "id": "lead",
            "name": "私域负责人",
            "department": "management",
            "level": "management",
            "headcount": 1,
            "pay": {"base_monthly": 30000, "bonus_target": 30000, "annual_share": 80000},
            "indicators": [
                {"kpi": "community_gmv", "weight": 60, "target": 14000000, "target_per": "unit"},
                {"kpi": "current_friends", "weight": 40, "target": 650000, "target_per": "unit"},
            ],
        },
    ]
    return {
        "name": "轻氧2026年Q1私域绩效方案",
        "period": "quarter",
        "gmv": 48000000,
        "units": units,
        "grades": [
            {"grade": "A", "min": 100, "multiplier": 1.3},
            {"grade": "B", "min": 80, "multiplier": 1.0},
            {"grade": "C", "min": 60, "multiplier": 0.5},
            {"grade": "D", "min": 0, "multiplier": 0.0},
        ],
        "awards": [{"unit": "growth", "name": "季度拉新冠军", "amount": 5000, "winners": 1}],
    }


def _label(field: str, value: str) -> str:
    return CHOICES[field][value][0]


def qingyang_workbook(scheme: dict) -> bytes:
    """The scheme as HR filled the Chinese template (names for indicators, labels for choices)."""
    wb = scheme_workbook("zh", LIBRARY)
    ws = wb[SETTINGS.zh]
    ws.append([scheme["name"], _label("period", scheme["period"]), scheme["gmv"]])
    names = {k.id: k.name.zh for k in LIBRARY.kpis}
    for u in scheme["units"]:
        pay, com = u["pay"], u.get("commission")
        wb[UNITS.zh].append(
            [
                u["id"],
                u["name"],
                _label("department", u["department"]),
                _label("level", u["level"]),
                u["headcount"],
                pay["base_monthly"],
                pay["bonus_target"],
                pay.get("annual_share"),
                names[com["basis"]] if com else None,
                _label("method", com.get("method", "marginal")) if com else None,
            ]
        )
        for ind in u["indicators"]:
            rule = ind.get("rule", {})
            wb[INDICATORS.zh].append(
                [
                    u["id"],
                    names[ind["kpi"]],
                    ind["weight"],
                    ind["target"],
                    _label("target_per", ind.get("target_per", "person")),
                    _label("rule", rule.get("type", "linear")),
                    rule.get("cap"),
                ]
            )
        for tier in com["tiers"] if com else []:
            wb[TIERS.zh].append([u["id"], tier["from"], tier["rate"]])
    grades = wb[GRADES.zh]
    grades.delete_rows(2, grades.max_row)
    for g in scheme["grades"]:
        grades.append([g["grade"], g["min"], g["multiplier"]])
    for a in scheme["awards"]:
        wb[AWARDS.zh].append([a["unit"], a["name"], a["amount"], a["winners"]])
    for row in wb[INDICATORS.zh].iter_rows(min_row=2, min_col=4, max_col=4):
        if isinstance(row[0].value, float) and row[0].value < 1:
            row[0].number_format = "0%"
    wb.properties.creator = "轻氧 人力资源部"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue(), "2026-04-08T10:00:00Z")


def qingyang_actuals(rng: np.random.Generator) -> bytes:
    """Q1 2026 actuals in a workbook (Chinese headers, unit names instead of ids)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Q1实际"
    ws.append(
        [
            "员工编号",
            "部门",
            "加粉数",
            "获客成本",
            "社群GMV",
            "社群7日留存率",
            "互动率",
            "48小时响应率",
            "客户满意度",
            "SOP执行率",
            "私域GMV",
            "当前好友数",
        ]
    )
    blank = [None] * 10
    for i in range(4):
        adds = round(45000 * rng.normal(1.15, 0.1))
        cost = round(12 * rng.normal(1.08, 0.05), 2)
        ws.append([f"QY-M{i + 1:02d}", "市场部·投放拉新", adds, cost, *blank[:8]])
    brand_total = 0.0
    k = 0
    for _, name, n, target in QINGYANG_BRANDS:
        for _ in range(n):
            k += 1
            gmv = round(target / n * rng.normal(0.78, 0.05), -2)
            brand_total += gmv
            ret = round(rng.normal(0.62, 0.04), 3)
            inter = round(rng.normal(0.17, 0.03), 3)
            ws.append([f"QY-C{k:02d}", name, None, None, gmv, ret, inter, *blank[:5]])
    for i in range(8):
        resp = round(min(1.0, rng.normal(0.965, 0.015)), 3)
        sat = round(rng.normal(4.5, 0.12), 2)
        sop = round(min(1.0, rng.normal(0.94, 0.03)), 3)
        ws.append([f"QY-S{i + 1:02d}", "客服组", *blank[:5], resp, sat, sop, None, None])
    for i in range(5):
        gmv = round(700000 * rng.normal(0.98, 0.22), -2)
        ws.append([f"QY-X{i + 1:02d}", "私域销售（1V1）", *blank[:8], gmv, None])
    ws.append(["QY-L01", "私域负责人", None, None, brand_total, *blank[:5], None, 612400])
    wb.properties.creator = "轻氧 人力资源部"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue(), "2026-04-08T10:00:00Z")


# --------------------------------------------------------------------------- qiming


def qiming_scheme() -> dict:
    """启明教育: mature, balanced, quarterly; only management has long-term pay."""
    veto = {"kpi": "complaint_rate", "rule": {"type": "veto", "limit": 0.01, "forfeit": "all"}}
    steps = {
        "type": "step",
        "steps": [{"at": 0.8, "score": 60}, {"at": 1.0, "score": 100}, {"at": 1.2, "score": 120}],
    }
    return {
        "name": "启明教育私域中心2026年度绩效方案（季度考核）",
        "period": "quarter",
        "gmv": 60000000,
        "units": [
            {
                "id": "advisor",
                "name": "课程顾问",
                "department": "sales",
                "level": "frontline",
                "headcount": 12,
                "pay": {"base_monthly": 7000, "bonus_target": 9000},
                "indicators": [
                    {"kpi": "gmv", "weight": 40, "target": 450000, "rule": steps},
                    {"kpi": "repurchase_rate_90d", "weight": 30, "target": 0.35},
                    {"kpi": "conversion_rate", "weight": 15, "target": 0.18},
                    {"kpi": "satisfaction", "weight": 15, "target": 4.5},
                    veto,
                ],
                "commission": {
                    "basis": "gmv",
                    "tiers": [{"from": 0, "rate": 0.02}, {"from": 450000, "rate": 0.03}],
                },
            },
            {
                "id": "community",
                "name": "社群运营",
                "department": "operations",
                "level": "frontline",
                "headcount": 10,
                "pay": {"base_monthly": 8000, "bonus_target": 7000},
                "indicators": [
                    {"kpi": "repurchase_rate_90d", "weight": 25, "target": 0.35},
                    {"kpi": "first_order_conversion", "weight": 20, "target": 0.12},
                    {"kpi": "group_retention_7d", "weight": 20, "target": 0.8},
                    {"kpi": "response_48h", "weight": 15, "target": 0.95},
                    {
                        "kpi": "sop_completion",
                        "weight": 20,
                        "target": 0.95,
                        "rule": {"type": "threshold"},
                    },
                    veto,
                ],
            },
            {
                "id": "content",
                "name": "内容运营",
                "department": "operations",
                "level": "frontline",
                "headcount": 4,
                "pay": {"base_monthly": 9000, "bonus_target": 6000},
                "indicators": [
                    {"kpi": "interaction_rate", "weight": 30, "target": 0.25},
                    {"kpi": "repurchase_rate_90d", "weight": 20, "target": 0.35},
                    {"kpi": "ab_tests", "weight": 20, "target": 6, "rule": {"type": "threshold"}},
                    {
                        "kpi": "weekly_review",
                        "weight": 30,
                        "target": 0.9,
                        "rule": {"type": "threshold"},
                    },
                ],
            },
            {
                "id": "growth",
                "name": "增长投放",
                "department": "marketing",
                "level": "frontline",
                "headcount": 3,
                "pay": {"base_monthly": 11000, "bonus_target": 10000},
                "indicators": [
                    {"kpi": "valid_new_users", "weight": 35, "target": 12000},
                    {"kpi": "acquisition_cost", "weight": 20, "target": 15},
                    {"kpi": "new_user_90d_value", "weight": 25, "target": 180},
                    {"kpi": "repurchase_rate_90d", "weight": 20, "target": 0.35},
                ],
            },
            {
                "id": "service",
                "name": "学习服务",
                "department": "service",
                "level": "frontline",
                "headcount": 6,
                "pay": {"base_monthly": 6500, "bonus_target": 4000},
                "indicators": [
                    {"kpi": "response_48h", "weight": 40, "target": 0.98},
                    {"kpi": "satisfaction", "weight": 30, "target": 4.6},
                    {"kpi": "repurchase_rate_90d", "weight": 15, "target": 0.35},
                    {
                        "kpi": "sop_completion",
                        "weight": 15,
                        "target": 0.95,
                        "rule": {"type": "threshold"},
                    },
                    veto,
                ],
            },
            {
                "id": "leaders",
                "name": "私域中心管理层",
                "department": "management",
                "level": "management",
                "headcount": 4,
                "pay": {"base_monthly": 28000, "bonus_target": 20000, "annual_share": 90000},
                "indicators": [
                    {"kpi": "gmv_annual", "weight": 30, "target": 60000000, "target_per": "unit"},
                    {"kpi": "ltv_growth", "weight": 30, "target": 0.12, "target_per": "unit"},
                    {
                        "kpi": "private_profit",
                        "weight": 25,
                        "target": 2400000,
                        "target_per": "unit",
                    },
                    {"kpi": "vip_retention", "weight": 15, "target": 0.85, "target_per": "unit"},
                ],
            },
        ],
        "awards": [{"unit": "community", "name": "季度最佳社群", "amount": 2000, "winners": 2}],
    }


def qiming_actuals(rng: np.random.Generator, scheme: dict) -> list[list[object]]:
    """Q1 2026 actuals around target, with one advisor over the complaint limit."""
    kpis = [
        "gmv",
        "repurchase_rate_90d",
        "conversion_rate",
        "satisfaction",
        "complaint_rate",
        "first_order_conversion",
        "group_retention_7d",
        "response_48h",
        "sop_completion",
        "interaction_rate",
        "ab_tests",
        "weekly_review",
        "valid_new_users",
        "acquisition_cost",
        "new_user_90d_value",
        "gmv_annual",
        "ltv_growth",
        "private_profit",
        "vip_retention",
    ]
    rows: list[list[object]] = [["employee", "unit", *kpis]]
    prefix = {
        "advisor": "A",
        "community": "C",
        "content": "T",
        "growth": "G",
        "service": "S",
        "leaders": "L",
    }
    for unit in scheme["units"]:
        targets = {i["kpi"]: i.get("target") for i in unit["indicators"]}
        for n in range(unit["headcount"]):
            row: dict[str, object] = {}
            for kpi, target in targets.items():
                meta = LIBRARY.index[kpi]
                if kpi == "complaint_rate":
                    value = round(abs(rng.normal(0.003, 0.002)), 4)
                    if unit["id"] == "advisor" and n == 4:
                        value = 0.016
                elif meta.unit == "share":
                    value = round(min(1.0, target * rng.normal(1.0, 0.1)), 3)
                elif meta.unit == "score":
                    value = round(min(5.0, target * rng.normal(0.99, 0.03)), 2)
                elif meta.better == "lower":
                    value = round(target * rng.normal(1.0, 0.08), 2)
                elif meta.unit == "cny":
                    value = round(target * rng.normal(1.0, 0.14), -2)
                else:
                    value = int(round(target * rng.normal(1.0, 0.12)))
                if unit["id"] == "leaders" and meta.unit in ("cny", "count", "people"):
                    # a unit target: each leader's row carries their share of the team's figure
                    value = round(value / unit["headcount"], -2)
                row[kpi] = value
            rows.append(
                [f"QM-{prefix[unit['id']]}{n + 1:02d}", unit["id"], *(row.get(k, "") for k in kpis)]
            )
    return rows


# --------------------------------------------------------------------------- writing


def _csv(rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _yaml(scheme: dict, header: str) -> bytes:
    body = yaml.safe_dump(
        scheme, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )
    return (header.strip() + "\n\n" + body).encode("utf-8")


XIANGWEI_HEADER = """
# 湘味小馆 · 2026年私域与门店激励方案（试行）
# 示例客户（虚构数据），由 data/samples/generate_incentives.py 生成。
# 单位：金额为元；比例写小数（0.35 = 35%）；
#       目标为每人每个考核周期（target_per: unit 表示整个单元）。
# 访谈要点：私域运营组按加粉数和社群GMV考核；导购和店长只认店内营收，
#       顾客加企微后线上下单与门店无关（没有业绩双算）。
# shopping_guides：自上而下测算导购指标的假设（门店年营收目标 × 私域占比 ÷ 客单价 → 订单 → 好友）。
"""
QIMING_HEADER = """
# 启明教育 · 私域中心2026年度绩效方案（季度考核）
# 示例客户（虚构数据），由 data/samples/generate_incentives.py 生成。
# 单位：金额为元；比例写小数；目标为每人每季度（target_per: unit 表示整个单元）。
# 方案较均衡：90天复购率为各部门共同指标，课程顾问30%权重挂钩复购，并设有效客诉一票否决；
# 但只有管理层有长期指标和年度分享，一线员工的收入与长期用户价值无关。
"""


def generate(out: Path = HERE) -> list[Path]:
    """Write every brand's files under ``out/<slug>/`` and return their paths."""
    written: list[Path] = []

    def put(slug: str, name: str, data: bytes) -> None:
        path = out / slug / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)

    rng = np.random.default_rng(SEEDS["xiangwei"])
    scheme = xiangwei_scheme(rng)
    put("xiangwei", "incentives.yaml", _yaml(scheme, XIANGWEI_HEADER))
    put("xiangwei", "incentive-actuals.csv", _csv(xiangwei_actuals(rng, scheme)))
    rng = np.random.default_rng(SEEDS["qingyang"])
    put("qingyang", "incentives.xlsx", qingyang_workbook(qingyang_scheme()))
    put("qingyang", "incentive-actuals.xlsx", qingyang_actuals(rng))
    rng = np.random.default_rng(SEEDS["qiming"])
    scheme = qiming_scheme()
    put("qiming", "incentives.yaml", _yaml(scheme, QIMING_HEADER))
    put("qiming", "incentive-actuals.csv", _csv(qiming_actuals(rng, scheme)))
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: write the files (``--out``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=HERE, help="folder holding the <slug>/ folders (default: here)"
    )
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"wrote {path.relative_to(args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
