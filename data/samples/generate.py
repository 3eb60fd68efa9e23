"""Write the bundled sample clients: three brands with different stories and export formats.

Usage::

    python data/samples/generate.py            # rewrite data/samples/<slug>/
    python data/samples/generate.py --out DIR  # write the same files under DIR/<slug>/
    python data/samples/generate.py --check    # then load each sample and print its scores

Everything is seeded (one fixed seed per brand), so a re-run writes byte-identical files.

The answer model: every (department, dimension, sub-dimension) has a latent mean on the 1–5 scale,
shifted by role level and, for a few items, by an item-specific offset that tells the brand's
story. A respondent's answer is ``round(clip(latent + person offset + item noise, 1, 5))`` with
``person offset ~ N(0, 0.35)`` and ``item noise ~ N(0, 0.6)``. Reverse-keyed items get the mirrored
answer (6 − x), so that the *score* follows the latent. Items outside a respondent's audience are
left blank, about 3% of the others are skipped at random, and items that allow "not applicable"
get that answer where the story makes it natural (store questions for brands without stores …).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Font

from siyu_diag.diagnosis.bank import Item, QuestionBank, load_bank

HERE = Path(__file__).resolve().parent
PERSON_SD = 0.35
NOISE_SD = 0.6
BLANK_RATE = 0.03
DEFAULT_NA = 0.03  # "not applicable" rate of allow_na items the story says nothing about
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)

MANAGER, FRONTLINE = "management", "frontline"


# --------------------------------------------------------------------------- brand stories


@dataclass(frozen=True)
class Department:
    """A department as the export spells it, with how many answered and how many are managers."""

    key: str  # the department's name in the story (市场部, 私域运营 …)
    label: str  # what the export writes in the department column
    n: int
    managers: int


@dataclass(frozen=True)
class Story:
    """One brand's latent means and the offsets that make its story.

    Keys of the offset dictionaries are a dimension (``"collaboration"``) or a sub-dimension
    (``"collaboration.allocation"``); both apply when both are given.
    """

    base: dict[str, dict[str, float]]
    dept: dict[str, dict[str, float]] = field(default_factory=dict)
    role: dict[str, dict[str, float]] = field(default_factory=dict)
    items: dict[str, dict[str, float]] = field(default_factory=dict)  # dept or "*" -> item -> off
    na: dict[str, dict[str, float]] = field(default_factory=dict)  # item -> dept or "*" -> prob

    def latent(self, item: Item, dept: str, role: str) -> float:
        """The latent mean (1–5 scale) of ``item`` for a respondent of ``dept`` and ``role``."""
        keys = (item.dimension, f"{item.dimension}.{item.subdimension}")
        value = self.base[item.dimension][item.subdimension]
        for table in (self.dept.get(dept, {}), self.role.get(role, {})):
            value += sum(table.get(k, 0.0) for k in keys)
        value += self.items.get("*", {}).get(item.id, 0.0)
        value += self.items.get(dept, {}).get(item.id, 0.0)
        return value

    def na_rate(self, item: Item, dept: str) -> float:
        """Probability of a "not applicable" answer (0 unless the item allows it)."""
        if not item.allow_na:
            return 0.0
        rates = self.na.get(item.id, {})
        return rates.get(dept, rates.get("*", DEFAULT_NA))


@dataclass
class Respondent:
    """One generated respondent: group, answers (1–5, None = blank, "na"), duration."""

    dept: Department
    role: str
    answers: dict[str, int | str | None]
    seconds: int
    note: str = ""  # "straight_liner" / "speeder" for the planted data-quality cases


@dataclass(frozen=True)
class Brand:
    """A sample client: its story, respondents, client.yaml and export writer."""

    slug: str
    seed: int
    story: Story
    departments: tuple[Department, ...]
    client_yaml: str
    survey_file: str
    write_export: Callable[[Brand, QuestionBank, list[Respondent], np.random.Generator], bytes]
    straight_liner: str | None = None  # department key of the planted straight-liner
    speeder: str | None = None  # department key of the planted speeder


# --------------------------------------------------------------------------- generation


def _shown(item: Item, role: str) -> bool:
    return item.audience == "all" or item.audience == role


def generate_respondents(brand: Brand, bank: QuestionBank) -> list[Respondent]:
    """Draw every respondent of ``brand`` from its story (deterministic for the brand's seed)."""
    rng = np.random.default_rng(brand.seed)
    story = brand.story
    people: list[Respondent] = []
    planted = {"straight_liner": brand.straight_liner, "speeder": brand.speeder}
    for dept in brand.departments:
        for k in range(dept.n):
            role = MANAGER if k < dept.managers else FRONTLINE
            offset = rng.normal(0.0, PERSON_SD)
            answers: dict[str, int | str | None] = {}
            for item in bank.items:
                u_na, u_blank, noise = rng.random(), rng.random(), rng.normal(0.0, NOISE_SD)
                if not _shown(item, role):
                    answers[item.id] = None
                elif u_na < story.na_rate(item, dept.key):
                    answers[item.id] = "na"
                elif u_blank < BLANK_RATE:
                    answers[item.id] = None
                else:
                    x = int(
                        np.rint(np.clip(story.latent(item, dept.key, role) + offset + noise, 1, 5))
                    )
                    answers[item.id] = 6 - x if item.reverse else x
            seconds = int(np.clip(rng.lognormal(np.log(330), 0.35), 150, 1200))
            people.append(Respondent(dept, role, answers, seconds))
    # The planted data-quality cases replace one front-line respondent of the named department.
    for note, key in planted.items():
        if key is None:
            continue
        person = next(
            p for p in reversed(people) if p.dept.key == key and p.role == FRONTLINE and not p.note
        )
        person.note = note
        for item in bank.items:
            if not _shown(item, person.role):
                person.answers[item.id] = None
            elif note == "straight_liner":
                person.answers[item.id] = 4  # 同意 to everything, reverse-keyed items included
            else:
                person.answers[item.id] = int(rng.integers(2, 5))
        person.seconds = 300 if note == "straight_liner" else 40
    order = rng.permutation(len(people))
    return [people[i] for i in order]


# --------------------------------------------------------------------------- exports

WJX_LABELS = {1: "非常不同意", 2: "不同意", 3: "一般", 4: "同意", 5: "非常同意"}
ALT_LABELS = {1: "完全不符合", 2: "比较不符合", 3: "一般", 4: "比较符合", 5: "完全符合"}


def _check_labels(bank: QuestionBank) -> None:
    """Fail early if a label this script writes is not one the bank accepts."""
    from siyu_diag.core.text import normalise_label

    accepted = bank.scale.label_map()
    for labels in (WJX_LABELS, ALT_LABELS):
        for value, text in labels.items():
            if accepted.get(normalise_label(text), "missing") != value:
                raise SystemExit(f"label '{text}' is not an answer {value} in bank {bank.label}")
    for text in ("不适用", "N/A", "不清楚"):
        if accepted.get(normalise_label(text), "missing") is not None:
            raise SystemExit(f"'{text}' is not a not-applicable label in bank {bank.label}")


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _timestamps(rng: np.random.Generator, n: int, start: dt.datetime, days: int) -> list[str]:
    """Sorted submission times over ``days`` days, mostly in working hours."""
    times = []
    for _ in range(n):
        day = int(rng.integers(0, days))
        second = int(rng.integers(9 * 3600, 22 * 3600))
        times.append(start + dt.timedelta(days=day, seconds=second))
    return [
        f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}:{t.second:02d}" for t in sorted(times)
    ]


def write_wjx_csv(
    brand: Brand, bank: QuestionBank, people: list[Respondent], rng: np.random.Generator
) -> bytes:
    """问卷星 "按选项文本" export: platform columns, numbered questions, labels, GBK."""
    header = [
        "序号",
        "提交答卷时间",
        "所用时间",
        "来源",
        "来源详情",
        "来自IP",
        "1、您所在的部门：",
        "2、您的岗位层级：",
    ]
    header += [f"{n}、{item.text.zh}" for n, item in enumerate(bank.items, start=3)]
    places = [
        ("175.8", "湖南-长沙"),
        ("113.246", "湖南-长沙"),
        ("222.240", "湖南-长沙"),
        ("58.20", "湖南-株洲"),
        ("110.53", "湖南-湘潭"),
        ("116.23", "广东-广州"),
    ]
    times = _timestamps(rng, len(people), dt.datetime(2026, 3, 9), 7)
    rows = [header]
    for n, (person, when) in enumerate(zip(people, times, strict=True), start=1):
        prefix, place = places[int(rng.integers(len(places)))]
        source = "微信" if rng.random() < 0.3 else "手机提交"
        detail = "企业微信群" if source == "微信" else "直接访问"
        role = "管理者" if person.role == MANAGER else "一线员工"
        row = [
            str(n),
            when,
            f"{person.seconds}秒",
            source,
            detail,
            f"{prefix}.x.x({place})",
            person.dept.label,
            role,
        ]
        for item in bank.items:
            answer = person.answers[item.id]
            row.append(
                "(跳过)" if answer is None else "不适用" if answer == "na" else WJX_LABELS[answer]
            )
        rows.append(row)
    return _csv_text(rows).encode("gbk")


def write_xlsx(
    brand: Brand, bank: QuestionBank, people: list[Respondent], rng: np.random.Generator
) -> bytes:
    """A workbook the client's HR put together: ids, groups, item ids and numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "答卷数据"
    ws.append(["respondent_id", "department", "role_level", *(i.id for i in bank.items)])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for n, person in enumerate(people, start=1):
        role = "经理" if person.role == MANAGER else "专员"
        row: list[object] = [f"QY-{n:03d}", person.dept.label, role]
        for item in bank.items:
            answer = person.answers[item.id]
            row.append(None if answer is None else "N/A" if answer == "na" else answer)
        ws.append(row)
    ws.freeze_panes = "D2"
    wb.properties.creator = "轻氧 人力资源部"
    wb.properties.created = dt.datetime(2026, 4, 10, 9, 0, 0)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue(), "2026-04-10T09:00:00Z")


def _stable_zip(data: bytes, stamp: str) -> bytes:
    """Rewrite an XLSX so that it carries a fixed time instead of when it was created and saved."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag in (rb"dcterms:modified", rb"dcterms:created"):
                    content = re.sub(
                        rb"(<" + tag + rb"[^>]*>)[^<]*(</" + tag + rb">)",
                        rb"\g<1>" + stamp.encode() + rb"\g<2>",
                        content,
                    )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, content)
    return out.getvalue()


def write_bom_csv(
    brand: Brand, bank: QuestionBank, people: list[Respondent], rng: np.random.Generator
) -> bytes:
    """A merged export saved from Excel as "CSV UTF-8": labels from the form, some typed numbers."""
    header = ["编号", "部门", "岗位层级", "所用时间"]
    header += [f"{item.id}、{item.text.zh}" for item in bank.items]
    rows = [header]
    for n, person in enumerate(people, start=1):
        # About a quarter answered on the paper form; their answers were keyed in as numbers.
        typed = rng.random() < 0.25
        role = "管理者" if person.role == MANAGER else "一线员工"
        if person.role == MANAGER and person.dept.key != "管理层" and rng.random() < 0.5:
            role = "组长"
        minutes, seconds = divmod(person.seconds, 60)
        row = [f"QM26-{n:03d}", person.dept.label, role, f"{minutes}分{seconds}秒"]
        for item in bank.items:
            answer = person.answers[item.id]
            if answer is None:
                row.append("")
            elif answer == "na":
                row.append("不清楚")
            elif typed or rng.random() < 0.05:
                row.append(str(answer))
            else:
                row.append(ALT_LABELS[answer])
        rows.append(row)
    return ("\ufeff" + _csv_text(rows)).encode("utf-8")


# --------------------------------------------------------------------------- the three brands


def _flat(
    goals: float, collaboration: float, incentives: float, growth: float, **subs: float
) -> dict[str, dict[str, float]]:
    """Base latents: one value per dimension, overridden per sub-dimension (``dim__sub=x``)."""
    bank = load_bank()
    levels = {
        "goals": goals,
        "collaboration": collaboration,
        "incentives": incentives,
        "growth": growth,
    }
    out = {d.id: {s.id: levels[d.id] for s in d.subdimensions} for d in bank.dimensions}
    for key, value in subs.items():
        dim, sub = key.split("__")
        if sub not in out[dim]:
            raise KeyError(f"{dim}.{sub} is not a sub-dimension")
        out[dim][sub] = value
    return out


XIANGWEI_YAML = """\
# 湘味小馆 · 私域组织力诊断 客户配置
# 示例客户（虚构数据），由 data/samples/generate.py 生成；真实项目请复制后按访谈记录修改。
# 访谈：2026 年 3 月第 1 周（私域负责人、门店运营总监、3 位店长）；问卷：3 月 9 日—15 日。

brand: 湘味小馆            # 报告封面上的品牌名
slug: xiangwei             # 输出文件夹名：小写字母、数字、连字符
industry: restaurant       # restaurant / fmcg / education / retail / knowledge_ip / other
stage: launch              # 私域阶段 launch 起盘 / conversion 转化 / mature 成熟，决定默认目标等级
date: 2026-03-20           # 报告日期
consultant: 周思远          # 负责顾问，印在封面
language: zh               # 报告语言：zh 中文 / en 英文

organisation:
  # 私域负责人向谁汇报：ceo / gm / coo / cmo / sales_head / ecommerce_head / store_ops_head / other
  lead_reports_to: store_ops_head   # 挂在门店运营总监下面，不是一级部门
  team_model: outsourced_core       # 代运营公司执行社群，自己只有核心决策小组
  org_form: functional              # 职能制：私域是门店运营中心下的一个组
  roles:                            # 私域相关岗位在岗人数（2026-03 访谈统计）
    lead: 1
    content: 1
    community: 2                    # 另有代运营方 4 人驻场做社群，不计入
    growth: 1
    data_analyst: 0                 # 没有专职数据分析，周报由财务兼做
    customer_service: 3
    shopping_guide: 120             # 38 家门店的服务员/店长兼做企微加粉
  tools: [企业微信, 微盟, 美团收银, 飞书]
  data_connected:                   # 已打通的客户系统；会员系统在收银端，尚未接入
    crm: false
    scrm: true
    member: false
  sub_brands: 1

survey:
  file: wjx-export-20260316.csv     # 问卷星"按选项文本"下载的 CSV，原样放入（GBK 编码）
  # bank: 不写则用默认题库 siyu-org v1；客户改过题目时指向文件夹里的题库文件
  min_group_size: 3                 # 少于 3 人的部门不单独展示（财务部只有 2 人）
  min_seconds_per_item: 2.0         # 平均每题不到 2 秒记为"答题过快"
  exclude_flagged: false            # 先标注不剔除，和客户核对后再决定

# 其余章节的输入（由 generate_plan.py / generate_incentives.py / generate_operations.py 生成）
plan:
  file: plan.yaml                   # 目标与成本测算输入
incentives:
  scheme: incentives.yaml           # 现行考核与薪酬方案
  actuals: incentive-actuals.csv    # 上期每位员工的实际指标
operations:
  friends: ops/friends.csv          # 每日加粉/删粉
  orders: ops/orders.csv            # 订单明细
  kpi_tracking: ops/kpi.csv         # 月度指标追踪表
"""

QINGYANG_YAML = """\
# 轻氧 · 私域组织力诊断 客户配置
# 示例客户（虚构数据），由 data/samples/generate.py 生成；真实项目请复制后按访谈记录修改。
# 问卷由客户 HR 收集并整理成 Excel（每题一列，题号即题库编号）。

brand: 轻氧
slug: qingyang
industry: fmcg             # 快消电商品牌
stage: conversion          # 好友 60 万，已进入转化期
date: 2026-04-17
consultant: 林嘉怡
language: zh

organisation:
  lead_reports_to: ecommerce_head   # 私域负责人向电商总经理汇报
  team_model: own_with_consulting   # 自有运营团队 + 外部策略顾问（本项目）
  org_form: amoeba                  # 4 个子品牌各自独立核算，私域流量归各子品牌
  sub_brands: 4
  roles:
    lead: 1
    content: 3
    community: 6
    growth: 4                       # 投放与拉新，编制在市场部
    data_analyst: 1
    customer_service: 8
  tools: [企业微信, 有赞, 聚水潭, 巨量引擎, 飞书]
  data_connected:
    crm: true
    scrm: true
    member: false                   # 各子品牌会员体系各自独立，未打通

survey:
  file: responses.xlsx
  sheet: 答卷数据                   # 工作簿里答卷所在的工作表
  min_group_size: 3

# 各维度目标等级（1–5）；不写则按阶段默认（转化期：目标、协同 4 级，其余 3 级）。
targets:
  incentives: 4                     # 老板把"激励改革"列为今年一号工程，目标上调到 4 级

# 其余章节的输入（由 generate_plan.py / generate_incentives.py / generate_operations.py 生成）
plan:
  file: plan.yaml                   # 目标与成本测算输入（渠道表在 channels.xlsx）
incentives:
  scheme: incentives.xlsx           # HR 按模板填写的考核方案
  actuals: incentive-actuals.xlsx
operations:
  friends: ops/friends.csv
  orders: ops/orders.csv
  pushes: ops/pushes.csv            # 推送记录
  kpi_tracking: ops/kpi.csv
"""

QIMING_YAML = """\
# 启明教育 · 私域组织力诊断 客户配置
# 示例客户（虚构数据），由 data/samples/generate.py 生成；真实项目请复制后按访谈记录修改。
# 问卷分两批回收：线上表单 + 线下纸质问卷录入，合并后另存为 CSV UTF-8。

brand: 启明教育
slug: qiming
industry: education
stage: mature              # 私域已成熟，年度 GMV 的四成来自私域
date: 2026-05-22
consultant: 王若溪
language: zh

organisation:
  lead_reports_to: ceo              # 私域中心是一级部门，负责人直接向 CEO 汇报
  team_model: self_built            # 团队全部自建
  org_form: middle_platform         # 运营中台，服务 K12 素养课和成人职业课两条产品线
  roles:
    lead: 1
    content: 4
    community: 10
    growth: 3
    data_analyst: 2
    customer_service: 6
  tools: [企业微信, 小鹅通, 销售易, 飞书, 神策数据]
  data_connected:                   # CRM、会员系统、SCRM 已全部打通
    crm: true
    scrm: true
    member: true

survey:
  file: survey-merged.csv
  departments:                      # 导出里的部门写法 → 标准部门
    销售部（课程顾问）: sales
  role_levels:                      # 各部门组长按管理者统计
    组长: management
  min_group_size: 3

# 其余章节的输入（由 generate_plan.py / generate_incentives.py / generate_operations.py 生成）
plan:
  file: plan.yaml
incentives:
  scheme: incentives.yaml
  actuals: incentive-actuals.csv
operations:
  friends: ops/friends.csv
  orders: ops/orders.csv
  pushes: ops/pushes.csv
  kpi_tracking: ops/kpi.csv
"""


def brands() -> list[Brand]:
    """The three sample brands."""
    xiangwei = Brand(
        slug="xiangwei",
        seed=20260316,
        survey_file="wjx-export-20260316.csv",
        client_yaml=XIANGWEI_YAML,
        write_export=write_wjx_csv,
        straight_liner="市场部",
        speeder="客服部",
        departments=(
            Department("门店", "门店", 14, 2),
            Department("私域运营", "私域运营", 10, 1),
            Department("市场部", "市场部", 8, 1),
            Department("客服部", "客服部", 6, 1),
            Department("管理层", "管理层", 5, 5),
            Department("财务部", "财务部", 2, 1),
        ),
        story=Story(
            # Launch stage: targets are guesses, followers were added fast and nobody activates
            # them; the team sits under store operations and lives off an agency.
            base=_flat(
                goals=2.65,
                collaboration=2.85,
                incentives=2.7,
                growth=2.55,
                goals__target_basis=2.4,
                goals__cost_profit=2.45,
                collaboration__journey_sop=2.1,
                collaboration__data=2.4,
                collaboration__position=2.5,
                incentives__cross_linked=2.3,
                growth__team_model=2.2,
                growth__data_literacy=2.4,
            ),
            dept={
                # Stores fear losing their customers and get no credit for private-domain orders.
                "门店": {
                    "collaboration": -0.45,
                    "incentives": -0.45,
                    "collaboration.allocation": -0.25,
                    "goals": -0.1,
                },
                "私域运营": {
                    "collaboration": 0.6,
                    "incentives": 0.65,
                    "goals": 0.1,
                    "growth": 0.15,
                },
                "管理层": {"goals": 0.25, "collaboration": 0.15, "growth": 0.1},
                "市场部": {"goals": 0.1},
            },
            items={
                "门店": {"C10": -0.5, "I09": -0.6, "C08": -0.3},
                "私域运营": {"C05": 0.2},
                # The big follower drive: campaigns launched before anyone could take over.
                "*": {"C07": -0.3, "W02": -0.2},
            },
            na={
                "C03": {"门店": 0.3, "客服部": 0.3, "财务部": 0.5, "*": 0.05},
                "C10": {"客服部": 0.4, "财务部": 0.5, "市场部": 0.2, "*": 0.03},
                "I09": {"客服部": 0.4, "财务部": 0.5, "市场部": 0.3, "*": 0.03},
                "I08": {"财务部": 0.5, "*": 0.1},
                "G02": {"门店": 0.35, "*": 0.1},
                "G08": {"门店": 0.3, "*": 0.05},
                "I02": {"门店": 0.4, "客服部": 0.4, "财务部": 0.5, "市场部": 0.0, "*": 0.1},
                "I14": {"*": 0.1},
            },
        ),
    )
    qingyang = Brand(
        slug="qingyang",
        seed=20260408,
        survey_file="responses.xlsx",
        client_yaml=QINGYANG_YAML,
        write_export=write_xlsx,
        departments=(
            Department("市场部", "市场部", 10, 2),
            Department("私域运营", "私域运营部", 12, 2),
            Department("客服部", "客服部", 8, 1),
            Department("销售部", "销售部", 5, 1),
            Department("管理层", "总经办", 5, 5),
        ),
        story=Story(
            # Conversion stage, amoeba: sub-brands hoard their traffic; marketing is paid on
            # follower volume, operations inherits low-quality traffic and takes the blame.
            base=_flat(
                goals=3.25,
                collaboration=2.85,
                incentives=2.65,
                growth=2.95,
                goals__cost_profit=2.9,
                collaboration__allocation=2.2,
                collaboration__data=2.9,
                incentives__composite=2.35,
                incentives__cross_linked=2.25,
                incentives__recognition=3.1,
            ),
            dept={
                "市场部": {"goals": 0.3, "collaboration": 0.35, "incentives": 0.45},
                "私域运营": {"collaboration": -0.3, "incentives": -0.35, "goals": -0.1},
                "销售部": {"incentives": 0.1},
                "管理层": {"goals": 0.2, "growth": 0.1},
            },
            items={
                # Marketing rates what rewards volume high and quality/cross-linked pay low.
                "市场部": {
                    "G01": 0.5,
                    "G04": 0.5,
                    "I12": 0.5,
                    "I13": 0.6,
                    "C05": 0.4,
                    "I02": -0.7,
                    "I01": -0.3,
                    "I03": -0.4,
                    "I08": -0.4,
                    "I11": -0.3,
                },
                "私域运营": {"C05": -0.4, "C07": -0.4, "I04": -0.4, "C08": -0.3},
                "*": {"C09": -0.2},
            },
            na={
                "C10": {"*": 0.75},
                "I09": {"*": 0.75},
                "I14": {"*": 0.4},
                "G02": {"*": 0.15},
                "W02": {"*": 0.3},
                "I02": {"市场部": 0.0, "*": 0.2},
                "I08": {"*": 0.1},
            },
        ),
    )
    qiming = Brand(
        slug="qiming",
        seed=20260512,
        survey_file="survey-merged.csv",
        client_yaml=QIMING_YAML,
        write_export=write_bom_csv,
        departments=(
            Department("私域运营", "私域运营", 10, 2),
            Department("销售部", "销售部（课程顾问）", 9, 2),
            Department("客服部", "客服部", 6, 1),
            Department("市场部", "市场部", 5, 1),
            Department("管理层", "管理层", 5, 5),
        ),
        story=Story(
            # Mature: clear goals and a working middle platform, but the team stopped learning;
            # managers believe training and capability models exist, the front line does not.
            base=_flat(
                goals=4.05,
                collaboration=3.8,
                incentives=3.1,
                growth=2.6,
                goals__cost_profit=3.85,
                goals__cascade=4.15,
                collaboration__allocation=3.6,
                incentives__recognition=3.3,
                growth__team_model=3.15,
                growth__capability=2.45,
                growth__training=2.6,
                growth__data_literacy=2.6,
            ),
            dept={
                "私域运营": {"collaboration": 0.1},
                "销售部": {"incentives": -0.15, "growth": -0.1},
                "管理层": {"goals": 0.1},
            },
            role={
                MANAGER: {"growth": 0.45, "goals": 0.05},
                FRONTLINE: {"growth": -0.25},
            },
            items={"*": {"W12": -0.2, "W10": -0.2}},
            na={
                "C10": {"*": 0.8},
                "I09": {"*": 0.8},
                "W02": {"*": 0.7},
                "C03": {"*": 0.3},
                "G02": {"*": 0.4},
                "I14": {"*": 0.3},
                "I02": {"市场部": 0.0, "*": 0.1},
                "I08": {"*": 0.1},
            },
        ),
    )
    return [xiangwei, qingyang, qiming]


# --------------------------------------------------------------------------- main


def write_brand(brand: Brand, bank: QuestionBank, out: Path) -> list[Path]:
    """Write ``client.yaml`` and the export of ``brand`` under ``out/<slug>/``."""
    folder = out / brand.slug
    folder.mkdir(parents=True, exist_ok=True)
    people = generate_respondents(brand, bank)
    export_rng = np.random.default_rng(brand.seed + 1)
    client = folder / "client.yaml"
    client.write_bytes(brand.client_yaml.encode("utf-8"))
    export = folder / brand.survey_file
    export.write_bytes(brand.write_export(brand, bank, people, export_rng))
    return [client, export]


def generate(out: Path = HERE) -> list[Path]:
    """Write every sample brand under ``out``; return the files written."""
    bank = load_bank()
    _check_labels(bank)
    written = []
    for brand in brands():
        written += write_brand(brand, bank, out)
    return written


def _rules():
    """The bundled finding rules, or a rule that never fires while they are not written yet."""
    from siyu_diag.core import assets
    from siyu_diag.core.rules import Leaf, Rule, RuleSet, load_rules

    path = assets.data_path("rules", "findings-v1.yaml")
    if path.is_file():
        return load_rules(path)
    print("(data/rules/findings-v1.yaml not found: scores only)")
    text = {"zh": "-", "en": "-"}
    never = Leaf(fact="never", op="==", value=1)
    return RuleSet(
        version="0",
        rules=(
            Rule(
                id="none",
                dimension="goals",
                severity="low",
                phase="0-3",
                when=never,
                title=text,
                evidence=text,
                recommendation=text,
            ),
        ),
    )


def check(out: Path = HERE) -> None:
    """Load every sample written under ``out`` and print its quality notes and scores."""
    import pandas as pd

    from siyu_diag.core.client import load_client
    from siyu_diag.diagnosis.compute import diagnose
    from siyu_diag.diagnosis.config import client_bank
    from siyu_diag.diagnosis.survey import load_responses

    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", 20)
    rules = _rules()
    for brand in brands():
        client = load_client(out / brand.slug)
        responses = load_responses(client)
        print(f"\n=== {client.config.brand} ({brand.slug}): {len(responses.answers)} respondents")
        print(
            responses.respondents.groupby(["department", "role_level"])
            .size()
            .unstack(fill_value=0)
            .to_string()
        )
        print(responses.quality.to_string() if len(responses.quality) else "no quality notes")
        dx = diagnose(client.config, client_bank(client), responses, rules)
        print(f"overall {dx.overall:.1f} (level {dx.level})")
        print(dx.dimensions[["dimension", "score", "level", "target_level"]].round(1).to_string())
        print(dx.subdimensions[["dimension", "subdimension", "score"]].round(1).to_string())
        print(dx.departments.round(1).to_string())
        print(dx.role_levels.round(1).to_string())
        columns = ["dimension", "group_a", "group_b", "gap", "strength"]
        for name, table in (("department", dx.dept_gaps), ("role-level", dx.role_gaps)):
            counted = table[table["counts"]]
            print(f"{name} gaps that count:")
            print(counted[columns].round(1).to_string() if len(counted) else "  none")
        print("findings:", ", ".join(dx.findings["rule"]) or "none")
        for row in dx.findings.itertuples():
            print(f"  [{row.severity}] {row.rule}: {row.title_zh} | {row.evidence_zh}")


def main(argv: list[str] | None = None) -> int:
    """Command line: write the samples (``--out``), optionally load and print them (``--check``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="folder to write the <slug>/ folders into (default: beside this file)",
    )
    parser.add_argument(
        "--check", action="store_true", help="load every sample afterwards and print its scores"
    )
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"wrote {path.relative_to(args.out)}")
    if args.check:
        check(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
