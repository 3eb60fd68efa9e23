"""The words of the calibration table: what each driver divides, and why one is not given.

Every basis is written in Chinese and English; :mod:`siyu_diag.operations.calibration` fills in
the numbers.
"""

from __future__ import annotations

#: driver: (numerator, denominator, zh numerator, zh denominator, en numerator, en denominator)
DEFS = {
    "returning_conversion": ("returning_buyers", "existing", "当月复购的老客（人·月）",
                             "存量用户（上月末好友 − 当月删除，人·月）",
                             "returning buyers (buyer-months)",
                             "existing users (previous month-end friends − deletions, "
                             "user-months)"),
    "aov": ("returning_gmv", "returning_orders", "老客 GMV（元）", "老客有效订单数",
            "returning GMV (CNY)", "returning valid orders"),
    "repurchase_frequency": ("returning_orders", "returning_buyers", "老客有效订单数",
                             "当月复购的老客（人·月）", "returning valid orders",
                             "returning buyers (buyer-months)"),
    "monthly_churn": ("deletions", "opening", "当月删除好友数", "上月末好友数",
                      "friends deleted", "friends at the previous month's end"),
    "first_order_conversion": ("first_buyers", "new_users", "首购客户数", "当月新增好友数",
                               "first-time buyers", "friends added"),
    "first_order_aov": ("first_gmv", "first_buyers", "首购日 GMV（元）", "首购客户数",
                        "first-purchase-day GMV (CNY)", "first-time buyers"),
}  # fmt: skip

#: What the people a driver rests on are: (zh, en), each with ``{n}``.
PEOPLE = {
    "returning": ("涉及 {n} 位复购老客", "{n} returning customers"),
    "first": ("涉及 {n} 位首购客户", "{n} first-time buyers"),
    "friends": ("平均每月月初 {n} 位好友", "{n} friends at an average month's opening"),
}

#: Which people each driver rests on (a key of :data:`PEOPLE`).
PEOPLE_OF = {
    "returning_conversion": "returning",
    "aov": "returning",
    "repurchase_frequency": "returning",
    "monthly_churn": "friends",
    "first_order_conversion": "first",
    "first_order_aov": "first",
}

#: What the plan does when a driver is not given (appended to the reason).
_PLAN_KEEPS_ZH = "规划模型只能使用 plan.yaml 中写明的数值或其 last_year 中的去年数值。"
_PLAN_KEEPS_EN = (
    "The plan can only use a value written in plan.yaml or last year's figure under its last_year."
)

MISSING = {
    "friends": ("需要好友数据（operations.friends）才能计算。",
                "Needs the friends export (operations.friends)."),
    "orders": ("需要订单数据（operations.orders）才能计算。",
               "Needs the orders export (operations.orders)."),
    "impossible": ("该比例高于 100%，而比例最多为 100%：{why_zh}。该值不予采用，不提供给规划模型。"
                   + _PLAN_KEEPS_ZH,
                   "The ratio is above 100%, which a share cannot be: {why_en}. It is not used "
                   "and not offered to the plan. " + _PLAN_KEEPS_EN),
    "months": ("好友数据与订单数据没有共同的完整月份（订单前 {w} 个月只用来识别老客）。",
               "The friends and orders exports share no complete month (the first {w} months "
               "of orders only identify existing customers)."),
    "few_people": ("{people}，少于所需的 {min} 位",
                   "only {people}, fewer than the {min} required"),
    "few_months": ("只有 {k} 个月有数据，少于所需的 {min} 个月",
                   "only {k} with data, fewer than the {min} required"),
    "withheld": ("依据不足（{why}）：该值仅供参考，不提供给规划模型。" + _PLAN_KEEPS_ZH,
                 "Too little to rest on ({why}): the value is shown for reference and not "
                 "offered to the plan. " + _PLAN_KEEPS_EN),
    "offered": ("提供给规划模型，以最低与最高的月份为区间；"
                "plan.yaml 写明此参数时以 plan.yaml 为准。",
                "Offered to the plan with the lowest and highest month as its range; a value "
                "written in plan.yaml wins."),
}  # fmt: skip

#: Why each share can come out above 100%, in the words of its basis.
IMPOSSIBLE = {
    "returning_conversion": ("订单中的复购老客多于好友数据中的存量用户"
                             "（有老客不是好友，或好友数据漏记）",
                             "the orders hold more returning buyers than the friends export has "
                             "existing users (buyers who are not friends, or friends missing "
                             "from the export)"),
    "monthly_churn": ("删除好友数多于上月末好友数，好友数据前后矛盾",
                      "more friends were deleted than there were at the previous month's end: "
                      "the friends export contradicts itself"),
    "first_order_conversion": ("订单中的首购客户多于好友数据中的新增好友"
                               "（有新客不是好友，或新增漏记）",
                               "the orders hold more first-time buyers than friends were added "
                               "(buyers who are not friends, or adds missing from the export)"),
}  # fmt: skip
