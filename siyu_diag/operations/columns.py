"""Canonical column names of the operating-data tables and the headers that map to them.

This is the one place that knows column names: every other module of the chapter uses the
constants below. A header in a client's export is matched after :func:`normalise_header`
(full-width → half-width, lower case, no spaces, underscores, hyphens or a trailing unit in
brackets such as ``（元）``), so ``实付金额（元）``, ``Amount`` and ``amount`` all name ``amount``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --------------------------------------------------------------------------- canonical names

DATE = "date"
CHANNEL = "channel"
STAFF = "staff"
NEW_FRIENDS = "new_friends"
DELETIONS = "deletions"
CUMULATIVE = "cumulative_friends"
CURRENT = "current_friends"

ORDER_ID = "order_id"
CUSTOMER_ID = "customer_id"
ORDER_TIME = "order_time"
AMOUNT = "amount"
TOUCHPOINT = "touchpoint"
IS_MEMBER = "is_member"
SOURCE_CHANNEL = "source_channel"
STATUS = "status"
REFUND_AMOUNT = "refund_amount"

MESSAGES = "messages"
COST = "cost"
REVENUE = "revenue"

METRIC = "metric"
MONTH = "month"
ACTUAL = "actual"
TARGET = "target"
UNIT = "unit"
DIRECTION = "direction"

#: Spreadsheet row of a record (the header is row 1), kept on every loaded table.
ROW = "row"


@dataclass(frozen=True)
class Column:
    """A canonical column: its name, whether it must be present, and the headers that mean it."""

    name: str
    required: bool
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    """The columns of one input table, in canonical order."""

    key: str  # the key under ``operations:`` in client.yaml
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the columns that must be present."""
        return tuple(c.name for c in self.columns if c.required)


def _col(name: str, required: bool, *aliases: str) -> Column:
    return Column(name, required, (name, *aliases))


FRIENDS = TableSpec(
    "friends",
    (
        _col(DATE, True, "日期", "统计日期", "数据日期", "day"),
        _col(CHANNEL, False, "渠道", "加粉渠道", "添加渠道", "来源渠道", "来源", "source"),
        _col(STAFF, False, "员工", "成员", "企微成员", "导购", "员工姓名", "员工账号", "客服",
             "employee", "guide"),
        _col(NEW_FRIENDS, True, "新增好友", "新增好友数", "新增客户", "新增客户数", "新增",
             "加粉数", "新加好友", "new", "adds", "newcontacts"),
        _col(DELETIONS, True, "删除", "删除好友", "删除好友数", "被删除", "被删好友数", "流失",
             "流失好友数", "流失人数", "deleted", "lost", "churned"),
        _col(CUMULATIVE, False, "累计好友", "累计好友数", "累计客户数", "累计加粉",
             "累计添加", "cumulative", "totaladded"),
        _col(CURRENT, False, "当前好友", "当前好友数", "现有好友", "现有好友数", "好友总数",
             "客户总数", "净好友数", "current", "friends", "totalfriends"),
    ),
)  # fmt: skip

ORDERS = TableSpec(
    "orders",
    (
        _col(ORDER_ID, True, "订单号", "订单编号", "订单id", "order", "orderno", "ordernumber"),
        _col(CUSTOMER_ID, True, "客户id", "客户", "客户编号", "用户id", "用户编号", "会员id",
             "买家id", "unionid", "openid", "customer", "userid", "buyerid"),
        _col(ORDER_TIME, True, "下单时间", "下单日期", "支付时间", "付款时间", "成交时间",
             "订单时间", "创建时间", "日期", "time", "orderdate", "paidat", "paytime"),
        _col(AMOUNT, True, "实付金额", "实收金额", "支付金额", "订单金额", "成交金额", "金额",
             "paid", "paidamount", "ordervalue", "gmv"),
        _col(TOUCHPOINT, True, "触点", "成交触点", "销售触点", "下单触点", "成交渠道",
             "salestouchpoint"),
        _col(IS_MEMBER, False, "是否会员", "会员", "会员标识", "会员身份", "member",
             "memberflag"),
        _col(SOURCE_CHANNEL, False, "来源渠道", "引流渠道", "获客渠道", "公域来源", "来源",
             "source", "acquisitionchannel"),
        _col(STATUS, False, "订单状态", "状态", "交易状态", "orderstatus"),
        _col(REFUND_AMOUNT, False, "退款金额", "已退款金额", "refund", "refunded"),
    ),
)  # fmt: skip

PUSHES = TableSpec(
    "pushes",
    (
        _col(DATE, True, "日期", "推送日期", "发送日期", "day"),
        _col(TOUCHPOINT, True, "触点", "推送触点", "推送渠道", "渠道", "channel"),
        _col(MESSAGES, True, "推送量", "推送条数", "发送量", "推送人数", "触达人数", "发送人数",
             "sent", "messagessent", "pushes"),
        _col(COST, False, "成本", "推送成本", "费用", "花费", "spend"),
        _col(DELETIONS, False, "删除", "推送后删除", "删除好友数", "被删除", "流失", "退订",
             "deleted", "lost", "unsubscribes"),
        _col(REVENUE, False, "成交金额", "带来成交", "推送gmv", "收入", "gmv"),
    ),
)  # fmt: skip

KPI_TRACKING = TableSpec(
    "kpi_tracking",
    (
        _col(METRIC, True, "指标", "指标名称", "考核指标", "kpi", "indicator"),
        _col(MONTH, True, "月份", "月", "统计月份", "period"),
        _col(ACTUAL, True, "实际", "实际值", "完成值", "实际完成", "actuals"),
        _col(TARGET, True, "目标", "目标值", "targets"),
        _col(UNIT, False, "单位"),
        _col(DIRECTION, False, "方向", "指标方向", "越高越好"),
    ),
)  # fmt: skip

TABLES: dict[str, TableSpec] = {t.key: t for t in (FRIENDS, ORDERS, PUSHES, KPI_TRACKING)}

_UNIT_SUFFIX = re.compile(r"[(\[][^()\[\]]*[)\]]$")
_DROP = re.compile(r"[\s_\-/·.]")


@lru_cache(maxsize=4096)  # called for every cell of a status or flag column: few distinct values
def normalise_header(header: str) -> str:
    """A header compared loosely: NFKC, lower case, no trailing ``(unit)``, no separators."""
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    text = _UNIT_SUFFIX.sub("", text).strip()
    return _DROP.sub("", text)


def alias_index(spec: TableSpec) -> dict[str, str]:
    """``{normalised header: canonical name}`` for every alias of ``spec``."""
    return {normalise_header(a): c.name for c in spec.columns for a in c.aliases}


# --------------------------------------------------------------------------- value vocabularies

#: Canonical touchpoints, in display order, with the labels exports use for them.
TOUCHPOINTS: dict[str, tuple[str, ...]] = {
    "official_account": ("公众号", "服务号", "订阅号", "officialaccount", "wechatofficialaccount"),
    "mini_program": ("小程序", "小程序商城", "微商城", "miniprogram", "mall"),
    "one_to_one": ("1v1", "1对1", "一对一", "私聊", "1v1私聊", "企微私聊", "onetoone",
                   "privatechat"),
    "community": ("社群", "群", "企微群", "社群团购", "community", "group", "groups"),
    "sms": ("短信", "短信召回", "sms", "smswinback"),
    "moments": ("朋友圈", "moments"),
    "live": ("直播", "视频号直播", "live", "livestream"),
    "other": ("其他", "其它", "other"),
}  # fmt: skip

#: Label of orders whose touchpoint cell is blank.
UNKNOWN = "unknown"

_TOUCHPOINT_INDEX = {normalise_header(a): k for k, v in TOUCHPOINTS.items() for a in (k, *v)}


@lru_cache(maxsize=4096)
def canonical_touchpoint(label: str) -> str:
    """The canonical touchpoint id of ``label``; other labels are kept as written."""
    text = str(label).strip()
    if not text:
        return UNKNOWN
    return _TOUCHPOINT_INDEX.get(normalise_header(text), text)


#: Order status → kind. ``paid`` counts, ``refunded`` is fully refunded, ``partial`` needs a
#: refund amount, ``cancelled`` was never paid.
STATUSES: dict[str, tuple[str, ...]] = {
    "paid": ("已支付", "已付款", "已完成", "交易成功", "交易完成", "已发货", "待发货", "已签收",
             "已收货", "待收货", "已核销", "paid", "completed", "complete", "shipped", "delivered"),
    "refunded": ("已退款", "退款成功", "全额退款", "已全额退款", "refunded", "fullyrefunded"),
    "partial": ("部分退款", "partiallyrefunded", "partialrefund"),
    "cancelled": ("已取消", "交易关闭", "已关闭", "未支付", "待支付", "cancelled", "canceled",
                  "closed", "unpaid"),
}  # fmt: skip

STATUS_INDEX = {normalise_header(a): k for k, v in STATUSES.items() for a in v}

#: Member flags.
YES = ("是", "会员", "y", "yes", "true", "1", "member")
NO = ("否", "非会员", "不是", "n", "no", "false", "0", "nonmember", "")
FLAG_INDEX = {
    **{normalise_header(a): True for a in YES},
    **{normalise_header(a): False for a in NO},
}

#: KPI directions: whether a higher actual is better.
DIRECTIONS = {
    **{normalise_header(a): "higher" for a in ("higher", "越高越好", "正向", "up", "")},
    **{normalise_header(a): "lower" for a in ("lower", "越低越好", "反向", "down")},
}

#: User types of an order, in display order (see :mod:`siyu_diag.operations.customers`).
USER_TYPES = ("new", "first_repurchase", "second_repurchase", "member")

#: Customer tiers, in display order.
TIERS = ("vip", "active", "silent")

#: The plan drivers :func:`~siyu_diag.operations.calibration.calibrate_plan` derives.
DRIVERS = (
    "returning_conversion",
    "aov",
    "repurchase_frequency",
    "monthly_churn",
    "first_order_conversion",
    "first_order_aov",
)
