"""Write the planning chapter's sample inputs: a commented plan.yaml for each sample brand.

Usage::

    python data/samples/generate_plan.py            # rewrite data/samples/<slug>/plan.yaml …
    python data/samples/generate_plan.py --out DIR  # write the same files under DIR/<slug>/
    python data/samples/generate_plan.py --check    # then compute each plan and print it

The stories:

- **xiangwei** 湘味小馆 (restaurant chain, launch): the stores channel is big (38 stores' diners
  scan a table QR code), there is no parcel card; followers were added fast last year but few
  were activated, so returning conversion is low and churn high. A mini-program ordering channel
  starts in month 3. The boss wants +60 %. A saved scenario, ``activate-first``, tries
  activation before acquisition.
- **qingyang** 轻氧 (FMCG e-commerce, conversion): parcel card, Douyin, Xiaohongshu and the
  mini-program, from a channel workbook; marketing chases follower volume (Douyin at a high cost
  per user); the parcel-card add rate is 9.73 % against a 14.78 % target and first-order AOV
  24.71 against 30 (the source's tracking table). The top-down wish of +40 % is hard to reach.
- **qiming** 启明教育 (education, mature): WeChat Channels and Xiaohongshu, high AOV, low churn;
  a realistic +12 % target; a July campaign for a new tutoring course with a 200,000 CNY target
  broken into OKRs (the source's example).

Nothing is random and every file is written byte for byte the same on each run (the workbook's
timestamps are fixed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

from generate import _stable_zip  # the sample generators' shared XLSX normaliser
from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

XIANGWEI = """\
# 湘味小馆 · 私域目标测算输入（plan.yaml）
# 示例数据（虚构），由 data/samples/generate_plan.py 生成。
# 所有比率为月度值，以小数填写（5% 写 0.05）；金额单位为元。
# 任何数字都可写成区间 {low: 低, likely: 最可能, high: 高}，用于情景、敏感性和蒙特卡洛。

horizon_months: 24              # 测算月数（12–36）
start_month: 2026-04            # 计划第 1 个月，仅用于表头

last_year:                      # 去年（2025 年）私域实际
  users: 96000                  # 年末企微好友（人）：去年两次门店活动一个月加了 10 万人
  gmv: 3150000                  # 私域 GMV（元）：小程序储值、团购券和外卖
  returning_conversion: 0.025   # 老用户当月下单比例：加了好友却没人激活
  aov: 92                       # 老客客单价（元/单）
  repurchase_frequency: 1.05    # 购买用户当月平均订单数
  monthly_churn: 0.065          # 月流失（删好友、退群）
  new_users: 110000             # 全年新增好友（人）
  first_order_conversion: 0.05  # 新好友加入当月下单比例
  first_order_aov: 78           # 首单客单价（元）

drivers:                        # 今年的假设；不写的项沿用去年
  returning_conversion: {low: 0.025, likely: 0.035, high: 0.045}   # 社群 SOP 上线后的激活
  aov: 95
  repurchase_frequency: 1.05
  monthly_churn: {low: 0.05, likely: 0.06, high: 0.075}
  first_order_conversion: {low: 0.05, likely: 0.08, high: 0.12}   # 新人券 + 48 小时内首单提醒
  first_order_aov: {low: 70, likely: 78, high: 85}
  gross_margin: 0.5             # 私域订单毛利率（菜品毛利扣除新人券与储值赠送）

channels:                       # 渠道 id 用于情景文件中的驱动名，如 add_rate.stores
  stores:
    name: 门店扫码
    traffic: 209000             # 38 家门店每月就餐人数（人/月）
    touches: 1                  # 每人一次：桌贴二维码
    add_rate: {low: 0.03, likely: 0.045, high: 0.06}   # 扫码加企微的比例
    cost_per_user: 3            # 加好友赠饮料（元/新用户）
  mini_program:
    name: 小程序点餐
    traffic: 60000              # 小程序点餐人数（人/月）
    touches: 1
    add_rate: 0.03
    cost_per_user: 2
    start_month: 3              # 小程序第 3 个月上线
  douyin:
    name: 抖音团购
    traffic: 45000              # 团购券核销人数（人/月）
    touches: 1
    add_rate: 0.02
    cost_per_user: 12
    monthly_spend: 8000         # 达人探店固定投放（元/月）

organisation:
  bonus_rate: 0.005             # 私域团队奖金，占 GMV
  commission_rate: 0.02         # 门店员工私域订单提成（业绩双算）
  roles:                        # 人数 × 人月成本（元/人/月，含社保）
    lead: {name: 私域负责人, headcount: 1, monthly_cost: 22000}
    content: {name: 内容运营, headcount: 1, monthly_cost: 12000}
    community: {name: 社群运营, headcount: 2, monthly_cost: 10000}
    growth: {name: 拉新专员, headcount: 1, monthly_cost: 13000}
    customer_service: {name: 客服, headcount: 3, monthly_cost: 7000}
    agency: {name: 代运营驻场, headcount: 4, monthly_cost: 9000}

fixed_costs:                    # 一次性或年度费用，按月数平均摊销
  scrm: {name: 微盟 SCRM 与企微年费, amount: 48000, months: 12}
  phones: {name: 门店企微手机 38 台, amount: 76000, months: 24}
  member: {name: 会员系统与收银打通, amount: 120000, months: 12, start_month: 4}
  launch: {name: 门店物料与起盘活动, amount: 420000, months: 3}
  onboarding: {name: 代运营入场费, amount: 150000, months: 1}

target: {growth: 1.0}           # 老板的目标：私域 GMV 翻一番

monte_carlo: {draws: 10000, seed: 20260320}

campaigns:
  anniversary:
    name: 周年庆储值活动
    month: 6
    traffic: 60000              # 触达的私域用户（人）
    conversion: 0.04
    aov: 300                    # 储值档位（元）
    marketing_cost: 40000       # 赠券与物料（元）
    organisation_cost: 15000    # 活动期间加班与门店激励（元）
    gross_margin: 0.58
    target_gmv: 900000
"""

XIANGWEI_SCENARIO = """\
name: activate-first
description: 先激活再拉新：社群 SOP 与首单提醒到位，门店加粉放缓，社群运营增至 4 人
overrides:
  first_order_conversion: 0.12
  returning_conversion: 0.042
  add_rate.stores: 0.035
  headcount.community: 4.0
"""

QINGYANG = """\
# 轻氧 · 私域目标测算输入（plan.yaml）
# 示例数据（虚构），由 data/samples/generate_plan.py 生成。比率为月度值，以小数填写；金额单位为元。
# 渠道数据由市场部按渠道整理在 channels.xlsx（每行一个渠道，区间列为 *_low / *_high）。

horizon_months: 36
start_month: 2026-05

last_year:
  users: 600000                 # 企微好友年末存量（人），4 个子品牌合计
  gmv: 34500000                 # 私域 GMV（元）
  returning_conversion: 0.045
  aov: 89
  repurchase_frequency: 1.15
  monthly_churn: 0.0257         # 月流失 2.57%，在 5% 阈值内
  new_users: 240000
  first_order_conversion: 0.12
  first_order_aov: 24.71        # 新客首单客单价，目标 30

drivers:
  returning_conversion: {low: 0.036, likely: 0.042, high: 0.047}   # 新加的好友质量偏低，摊薄转化
  aov: {low: 84, likely: 88, high: 92}
  repurchase_frequency: 1.15
  monthly_churn: {low: 0.025, likely: 0.03, high: 0.038}   # 市场部加粉多、推送多，流失在上升
  first_order_conversion: {low: 0.10, likely: 0.12, high: 0.15}
  first_order_aov: {low: 22, likely: 24.71, high: 30}
  gross_margin: 0.62

channels_file: channels.xlsx    # 包裹卡、抖音、小红书、小程序
channels_sheet: 渠道

organisation:
  bonus_rate: 0.01
  commission_rate: 0.015
  roles:
    lead: {name: 私域负责人, headcount: 1, monthly_cost: 35000}
    content: {name: 内容运营, headcount: 3, monthly_cost: 15000}
    community: {name: 社群运营, headcount: 6, monthly_cost: 11000}
    growth: {name: 投放与拉新, headcount: 4, monthly_cost: 16000}
    data_analyst: {name: 数据分析, headcount: 1, monthly_cost: 20000}
    customer_service: {name: 客服, headcount: 8, monthly_cost: 8000}

fixed_costs:
  scrm: {name: 有赞与企微 SCRM 年费, amount: 120000, months: 12}
  data: {name: 四个子品牌会员数据打通, amount: 360000, months: 24, start_month: 3}

target: {growth: 0.4}           # 集团下达：私域 GMV 增长 40%

monte_carlo: {draws: 10000, seed: 20260417}

campaigns:
  mid_year:
    name: 618 大促
    month: 2
    traffic: 600000
    conversion: 0.03
    aov: 129
    marketing_cost: 180000
    organisation_cost: 60000
    gross_margin: 0.62
    target_gmv: 3000000
"""

#: qingyang's channel table: id, name, traffic, touches, add_rate, cost_per_user,
#: monthly_spend, start_month, then ranges.
QINGYANG_CHANNELS = (
    (
        "id",
        "name",
        "traffic",
        "touches",
        "add_rate",
        "cost_per_user",
        "monthly_spend",
        "start_month",
        "add_rate_low",
        "add_rate_high",
        "traffic_low",
        "traffic_high",
    ),
    ("parcel_card", "包裹卡", 280000, 1, 0.0973, 1.5, 0, 1, 0.08, 0.1478, None, None),
    ("douyin", "抖音", 900000, 2, 0.0045, 18, 30000, 1, None, None, 700000, 1100000),
    ("xiaohongshu", "小红书", 300000, 1.5, 0.004, 22, 0, 1, 0.003, 0.006, None, None),
    ("mini_program", "小程序商城", 150000, 1, 0.03, 4, 0, 1, None, None, None, None),
)

QIMING = """\
# 启明教育 · 私域目标测算输入（plan.yaml）
# 示例数据（虚构），由 data/samples/generate_plan.py 生成。比率为月度值，以小数填写；金额单位为元。

horizon_months: 24
start_month: 2026-07

last_year:
  users: 120000                 # 家长与学员企微好友（人）
  gmv: 26800000                 # 私域 GMV（元），约占全公司四成
  returning_conversion: 0.01    # 老用户当月购课比例
  aov: 1800                     # 正价课客单价（元）
  repurchase_frequency: 1.0
  monthly_churn: 0.015
  new_users: 60000
  first_order_conversion: 0.03  # 新用户当月购买体验课
  first_order_aov: 399

drivers:
  returning_conversion: {low: 0.0098, likely: 0.0106, high: 0.0114}   # 续报 SOP 已成熟
  aov: {low: 1720, likely: 1820, high: 1900}
  repurchase_frequency: 1.0
  monthly_churn: {low: 0.013, likely: 0.016, high: 0.019}
  first_order_conversion: {low: 0.025, likely: 0.03, high: 0.035}
  first_order_aov: 399
  gross_margin: 0.7

channels:
  channels_video:
    name: 视频号直播
    traffic: 120000
    touches: 1.2
    add_rate: {low: 0.012, likely: 0.015, high: 0.018}
    cost_per_user: 25
  xiaohongshu:
    name: 小红书
    traffic: 80000
    touches: 1
    add_rate: 0.01
    cost_per_user: 30

organisation:
  bonus_rate: 0.02
  commission_rate: 0.03         # 课程顾问提成
  roles:
    lead: {name: 私域中心负责人, headcount: 1, monthly_cost: 40000}
    content: {name: 内容运营, headcount: 4, monthly_cost: 16000}
    community: {name: 社群运营, headcount: 10, monthly_cost: 11000}
    growth: {name: 增长, headcount: 3, monthly_cost: 17000}
    data_analyst: {name: 数据分析, headcount: 2, monthly_cost: 22000}
    customer_service: {name: 学习顾问, headcount: 6, monthly_cost: 9000}

fixed_costs:
  analytics: {name: 神策数据年费, amount: 180000, months: 12}
  platform: {name: 小鹅通年费, amount: 60000, months: 12}

target: {growth: 0.12}          # 经过两轮评审的目标

monte_carlo: {draws: 10000, seed: 20260522}

campaigns:
  july_course:
    name: 七月新课（初中数学思维）
    month: 1
    traffic: 40000              # 活动触达（人）
    conversion: 0.025
    aov: 150                    # 新课客单价（元）
    marketing_cost: 30000
    organisation_cost: 20000
    target_gmv: 200000          # 七月收入目标 20 万元
"""


def channels_workbook(rows: tuple[tuple, ...]) -> bytes:
    """The channel table as marketing keeps it: one sheet 渠道, one row per channel."""
    wb = Workbook()
    ws = wb.active
    ws.title = "渠道"
    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "B2"
    wb.properties.creator = "轻氧 市场部"
    wb.properties.created = dt.datetime(2026, 4, 12, 10, 0, 0)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable_zip(buffer.getvalue(), "2026-04-12T10:00:00Z")


def files() -> dict[str, bytes]:
    """Every file to write, by its path relative to the samples folder."""
    return {
        "xiangwei/plan.yaml": XIANGWEI.encode("utf-8"),
        "xiangwei/scenarios/activate-first.yaml": XIANGWEI_SCENARIO.encode("utf-8"),
        "qingyang/plan.yaml": QINGYANG.encode("utf-8"),
        "qingyang/channels.xlsx": channels_workbook(QINGYANG_CHANNELS),
        "qiming/plan.yaml": QIMING.encode("utf-8"),
    }


def generate(out: Path) -> list[Path]:
    """Write the files under ``out``; return their paths."""
    written = []
    for relative, content in files().items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(path)
    return written


def check(out: Path) -> None:
    """Compute each sample's plan (with the plan section a client.yaml would have) and print it."""
    import shutil
    import tempfile

    from siyu_diag.plan import load_plan_inputs, open_plan, plan_summary

    for slug in ("xiangwei", "qingyang", "qiming"):
        inputs = load_plan_inputs(out / slug, "plan.yaml")
        print(f"{slug}: {len(inputs.drivers)} drivers, {len(inputs.channels)} channels")
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / slug
            shutil.copytree(HERE / slug, folder)
            shutil.copytree(out / slug, folder, dirs_exist_ok=True)
            with (folder / "client.yaml").open("a", encoding="utf-8") as fh:
                fh.write("\nplan:\n  file: plan.yaml\n")
            chapter = open_plan(folder)
            y1 = chapter.analysis.projection.year(1)
            print(
                f"  year-1 GMV {y1['gmv']:,.0f}  profit {y1['profit']:,.0f}  "
                f"break-even {chapter.analysis.projection.break_even_month}"
            )
            print(f"  {plan_summary(chapter)['text']}")


def main(argv: list[str] | None = None) -> int:
    """Command line: write the files (``--out``), optionally compute and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE,
        help="folder to write the <slug>/ folders into (default: beside this file)",
    )
    parser.add_argument("--check", action="store_true", help="compute and print every plan")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"wrote {path.relative_to(args.out)}")
    if args.check:
        check(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
