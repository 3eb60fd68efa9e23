"""The scheme workbook's layout, defined once: sheets, columns and the labels of choice cells.

Used by the blank template (:mod:`.template`) and by the reader (:mod:`.workbook`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.text import normalise_label
from .actuals import parse_number


@dataclass(frozen=True)
class Column:
    """A column: the key it fills, its header in each language, and how to read it."""

    key: str
    zh: str
    en: str
    kind: str = "text"  # text | number | integer | percent_points | choice | steps
    width: int = 14
    choices: str = ""  # key of CHOICES for a choice column

    def header(self, lang: str) -> str:
        """The header in ``lang``."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Sheet:
    """A sheet: its names and columns (a ``keyvalue`` sheet has one row per setting)."""

    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    required: bool = False

    def name(self, lang: str) -> str:
        """The sheet name in ``lang``."""
        return self.en if lang == "en" else self.zh


#: Choice cells: canonical value → (Chinese label, English label).
CHOICES: dict[str, dict[str, tuple[str, str]]] = {
    "period": {
        "month": ("月度", "month"),
        "quarter": ("季度", "quarter"),
        "year": ("年度", "year"),
    },
    "level": {"frontline": ("一线", "frontline"), "management": ("管理", "management")},
    "department": {
        "marketing": ("市场部", "marketing"),
        "operations": ("私域运营", "operations"),
        "sales": ("销售部", "sales"),
        "service": ("客服部", "service"),
        "stores": ("门店", "stores"),
        "management": ("管理层", "management"),
    },
    "rule": {
        "linear": ("线性封顶", "linear"),
        "threshold": ("达标制", "threshold"),
        "step": ("阶梯", "step"),
        "veto": ("一票否决", "veto"),
    },
    "target_per": {"person": ("每人", "person"), "unit": ("整个单元", "unit")},
    "method": {"marginal": ("分段累进", "marginal"), "whole": ("全额", "whole")},
    "forfeit": {"bonus": ("奖金", "bonus"), "all": ("奖金和提成", "all")},
}

SETTINGS = Sheet(
    "settings",
    "方案",
    "Scheme",
    (
        Column("name", "方案名称", "Scheme name"),
        Column("period", "考核周期", "Scoring period", "choice", choices="period"),
        Column("gmv", "年度私域GMV（元）", "Annual private-domain GMV (CNY)", "number"),
        Column("guide_unit", "导购所在单元编号", "Unit id of the shopping guides"),
        Column("aov", "客单价（元）", "AOV (CNY)", "number"),
        Column("conversion", "好友年购买率", "Share of friends who buy in a year", "number"),
        Column(
            "orders_per_buyer",
            "每位购买好友年订单数",
            "Orders per buying friend per year",
            "number",
        ),
        Column(
            "private_share",
            "门店营收中私域占比",
            "Share of store revenue via private domain",
            "number",
        ),
        Column("churn_monthly", "好友月流失率", "Monthly friend churn", "number"),
        Column("months", "达成月数", "Months to reach the friends", "integer"),
    ),
)
UNITS = Sheet(
    "units",
    "单元",
    "Units",
    (
        Column("id", "单元编号", "Unit id", width=16),
        Column("name", "名称", "Name", width=18),
        Column("department", "部门", "Department", "choice", choices="department"),
        Column("level", "层级", "Level", "choice", width=10, choices="level"),
        Column("headcount", "人数", "Headcount", "integer", width=8),
        Column("base_monthly", "月基本工资（元）", "Monthly base (CNY)", "number"),
        Column("bonus_target", "每期目标奖金（元）", "Bonus at target per period (CNY)", "number"),
        Column(
            "annual_share",
            "年度分享（元/人/年）",
            "Annual share (CNY per person per year)",
            "number",
        ),
        Column("commission_basis", "提成基数指标", "Commission basis indicator", width=18),
        Column("commission_method", "提成方式", "Commission method", "choice", choices="method"),
        Column("double_credit_source", "双算来源指标", "Double credit: source indicator", width=18),
        Column("double_credit_into", "双算计入指标", "Double credit: into indicator", width=18),
        Column("double_credit_share", "双算比例", "Double credit share", "number", width=10),
    ),
    required=True,
)
INDICATORS = Sheet(
    "indicators",
    "指标",
    "Indicators",
    (
        Column("unit", "单元编号", "Unit id", width=16),
        Column("kpi", "指标", "Indicator", width=22),
        Column("weight", "权重（%）", "Weight (%)", "percent_points", width=10),
        Column("target", "目标值", "Target", "number"),
        Column("target_per", "目标口径", "Target per", "choice", width=10, choices="target_per"),
        Column("rule", "计分规则", "Scoring rule", "choice", width=12, choices="rule"),
        Column("cap", "封顶（达成率）", "Cap (achievement)", "number", width=12),
        Column("floor", "起算线（达成率）", "Floor (achievement)", "number", width=12),
        Column("at", "达标线（达成率）", "Pass mark (achievement)", "number", width=12),
        Column("steps", "阶梯（达成率:得分）", "Steps (achievement:points)", "steps", width=22),
        Column("limit", "否决线", "Veto limit", "number", width=10),
        Column("forfeit", "否决范围", "Veto voids", "choice", width=12, choices="forfeit"),
    ),
    required=True,
)
TIERS = Sheet(
    "tiers",
    "提成",
    "Commission",
    (
        Column("unit", "单元编号", "Unit id", width=16),
        Column("from", "起点金额", "From amount", "number"),
        Column("rate", "提成比例", "Rate", "number"),
        Column("per_unit", "每单位金额（元）", "CNY per unit", "number"),
    ),
)
GRADES = Sheet(
    "grades",
    "等级",
    "Grades",
    (
        Column("grade", "等级", "Grade", width=8),
        Column("min", "最低得分", "Minimum score", "number"),
        Column("multiplier", "奖金系数", "Bonus multiplier", "number"),
    ),
)
AWARDS = Sheet(
    "awards",
    "奖励",
    "Awards",
    (
        Column("unit", "单元编号", "Unit id", width=16),
        Column("name", "奖项", "Award", width=20),
        Column("amount", "金额（元）", "Amount (CNY)", "number"),
        Column("winners", "名额", "Winners", "integer", width=8),
    ),
)
STORES = Sheet(
    "stores",
    "门店",
    "Stores",
    (
        Column("store", "门店", "Store", width=18),
        Column(
            "revenue_target", "年营收目标（元）", "Annual revenue target (CNY)", "number", width=18
        ),
        Column("guides", "导购人数", "Guides", "integer", width=10),
        Column("current_friends", "现有好友数", "Current friends", "number", width=12),
    ),
)
SHEETS: tuple[Sheet, ...] = (SETTINGS, UNITS, INDICATORS, TIERS, GRADES, AWARDS, STORES)
GUIDE_KEYS = ("aov", "conversion", "orders_per_buyer", "private_share", "churn_monthly", "months")


def choice_value(field: str, text: str) -> str:
    """The canonical value of a choice cell (its label in either language), else the text."""
    key = normalise_label(text)
    for value, labels in CHOICES.get(field, {}).items():
        if key in {normalise_label(value), *(normalise_label(label) for label in labels)}:
            return value
    return text


def cell_value(text: str, column: Column) -> Any:
    """A cell's value as the models expect it; text that does not parse is left for them."""
    if column.kind in ("number", "integer"):
        number = parse_number(text)
        if number is None:
            return text
        return int(number) if column.kind == "integer" and number.is_integer() else number
    if column.kind == "percent_points":
        number = parse_number(text.rstrip("%％"), percent_ok=False)
        return text if number is None else number
    if column.kind == "choice":
        return choice_value(column.choices, text)
    if column.kind == "steps":
        steps = []
        for part in text.replace("；", ";").split(";"):
            if not part.strip():
                continue
            at, _, score = part.replace("：", ":").partition(":")
            a, s = parse_number(at), parse_number(score)
            if a is None or s is None:
                return text
            steps.append({"at": a, "score": s})
        return steps
    return text
