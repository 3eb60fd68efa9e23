"""The incentive chapter's figures for ``results.json`` (merged under the key ``incentives``).

Units: money in CNY (fields ending ``_cny``), shares as fractions 0–1 (``*_share``), weights in
percent points (``*_pct``), scores in points (100 = on target).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..core.records import ResultModel, json_number, save_model
from .alignment import CHECKS, MEASURES
from .chapter import IncentivesChapter
from .library import FAMILIES, HORIZONS
from .pay import PAY_PARTS


class PayResult(ResultModel):
    """Pay of a unit for the period (CNY): sums over the people scored (or at target)."""

    base_cny: float
    bonus_cny: float
    annual_share_cny: float
    commission_cny: float
    awards_cny: float
    variable_cny: float
    total_cny: float


class UnitResult(ResultModel):
    """One unit of the current scheme.

    ``shares`` holds the weight shares 0–1 by horizon (short, medium, long), family (user_asset,
    business, process), measure (volume, quality, retention, conversion, gmv, sales_link) and
    ``stage_fit``; ``checks`` is True where the check found a problem, None where it does not
    apply; ``pay_structure`` is per person: ``base_monthly_cny``, ``bonus_target_cny`` (per
    period), ``annual_share_cny`` (per year).
    """

    id: str
    name: str
    department: str
    level: str
    headcount: int
    weight_sum_pct: float
    shares: dict[str, float | None]
    checks: dict[str, bool | None]
    pay_structure: dict[str, float]
    people_scored: int | None
    mean_score: float | None
    pay: PayResult


class CostResult(ResultModel):
    """What the scheme costs: ``basis`` is ``actuals`` (last period) or ``target``."""

    basis: str
    period: str
    months: int
    variable_period_cny: float
    total_period_cny: float
    variable_annual_cny: float
    total_annual_cny: float
    gmv_cny: float | None
    gmv_source: str | None
    variable_share_gmv: float | None
    total_share_gmv: float | None
    stores_variable_annual_cny: float | None
    stores_uncredited_private_sales_cny: float | None


class GradeResult(ResultModel):
    """A grade band and how many people got it last period (None without actuals)."""

    grade: str
    min_score: float
    multiplier: float
    people: int | None


class GuideStoreResult(ResultModel):
    """One store of the guide derivation (per year; adds per guide per month)."""

    store: str
    revenue_target_cny: float
    private_revenue_cny: float
    orders: float
    buyers: float
    friends: float
    guides: int
    friends_per_guide: float
    current_per_guide: float
    monthly_adds_per_guide: float


class GuideResult(ResultModel):
    """The shopping-guide derivation: assumptions and stores."""

    aov_cny: float
    conversion_share: float
    orders_per_buyer: float
    private_share: float
    churn_monthly_share: float
    months: int
    median_monthly_adds_per_guide: float
    actual_median_monthly_adds_per_guide: float | None
    stores: list[GuideStoreResult]


class FindingResult(ResultModel):
    """A fired incentive rule, in the report language."""

    rule: str
    severity: str
    phase: str
    title: str
    evidence: str
    recommendation: str


class RecommendedIndicator(ResultModel):
    """One indicator of the proposed scheme (``weight_pct`` None for a veto)."""

    unit: str
    kpi: str
    weight_pct: float | None
    horizon: str
    family: str
    rule: str
    target: float | None
    target_source: str
    why: str
    kept: bool


class IncentivesResults(ResultModel):
    """The incentive chapter's section of ``results.json``."""

    available: bool
    reason: str = ""
    scheme_name: str = ""
    period: str = ""
    stage: str = ""
    kpi_library: str = ""
    rules_version: str = ""
    units: list[UnitResult] = []
    shared_indicators: dict[str, list[str]] = {}
    people_scored: int = 0
    people_vetoed: int = 0
    cost: CostResult | None = None
    grades: list[GradeResult] = []
    guides: GuideResult | None = None
    findings: list[FindingResult] = []
    recommendation: list[RecommendedIndicator] = []
    facts: dict[str, str | int | float | bool] = {}


def _pay(row: dict[str, Any]) -> PayResult:
    return PayResult(
        **{f"{p}_cny": float(row[p]) for p in PAY_PARTS},
        variable_cny=float(row["variable"]),
        total_cny=float(row["total"]),
    )


def build_incentives_results(chapter: IncentivesChapter) -> IncentivesResults:
    """Collect the chapter's figures into :class:`IncentivesResults`."""
    if not chapter.available:
        return IncentivesResults(available=False, reason=chapter.reason)
    a, scheme, lang = chapter.analysis, chapter.scheme, chapter.lang
    mix = a.mix.set_index("unit")
    checks = a.checks.set_index("unit")
    pay_rows = (a.unit_pay if a.unit_pay is not None else a.unit_costs).set_index("unit")
    units = []
    for u in scheme.units:
        m = mix.loc[u.id]
        row = pay_rows.loc[u.id]
        units.append(
            UnitResult(
                id=u.id,
                name=u.label,
                department=u.department,
                level=u.level,
                headcount=u.headcount,
                weight_sum_pct=float(m["weight_sum"]),
                shares={
                    k: json_number(m[k]) for k in (*HORIZONS, *FAMILIES, *MEASURES, "stage_fit")
                },
                checks={
                    c: (None if checks.at[u.id, c] is None else bool(checks.at[u.id, c]))
                    for c in CHECKS
                },  # fmt: skip
                pay_structure={
                    "base_monthly_cny": u.pay.base_monthly,
                    "bonus_target_cny": u.pay.bonus_target,
                    "annual_share_cny": u.pay.annual_share,
                },
                people_scored=int(row["headcount"]) if a.unit_pay is not None else None,
                mean_score=json_number(row["mean_score"]) if a.unit_pay is not None else None,
                pay=_pay({**row.to_dict(), "unit": u.id}),
            )
        )
    uncredited = None
    if a.store_private_sales is not None:
        open_ = a.store_private_sales[~a.store_private_sales["credited"]]
        uncredited = float(open_["private_sales"].sum())
    cost = CostResult(
        basis=a.cost_basis,
        period=scheme.period,
        months=scheme.months,
        variable_period_cny=a.cost["variable_period"],
        total_period_cny=a.cost["total_period"],
        variable_annual_cny=a.cost["variable_annual"],
        total_annual_cny=a.cost["total_annual"],
        gmv_cny=a.gmv,
        gmv_source=a.gmv_source,
        variable_share_gmv=a.cost["variable_share_gmv"],
        total_share_gmv=a.cost["total_share_gmv"],
        stores_variable_annual_cny=a.store_cost["variable_annual"] if a.store_cost else None,
        stores_uncredited_private_sales_cny=uncredited,
    )
    counts = a.payouts["grade"].value_counts() if a.payouts is not None else None
    grades = [
        GradeResult(
            grade=g.grade,
            min_score=g.min,
            multiplier=g.multiplier,
            people=None if counts is None else int(counts.get(g.grade, 0)),
        )
        for g in scheme.grades
    ]
    guides = None
    if scheme.shopping_guides is not None:
        g = scheme.shopping_guides
        guides = GuideResult(
            aov_cny=g.aov,
            conversion_share=g.conversion,
            orders_per_buyer=g.orders_per_buyer,
            private_share=g.private_share,
            churn_monthly_share=g.churn_monthly,
            months=g.months,
            median_monthly_adds_per_guide=a.guide_summary["median_adds"],
            actual_median_monthly_adds_per_guide=a.guide_summary.get("actual_median_adds"),
            stores=[
                GuideStoreResult(
                    store=r["store"],
                    revenue_target_cny=r["revenue_target"],
                    private_revenue_cny=r["private_revenue"],
                    orders=r["orders"],
                    buyers=r["buyers"],
                    friends=r["friends"],
                    guides=int(r["guides"]),
                    friends_per_guide=r["friends_per_guide"],
                    current_per_guide=r["current_per_guide"],
                    monthly_adds_per_guide=r["monthly_adds_per_guide"],
                )
                for r in a.guides.to_dict("records")
            ],
        )
    why = a.recommendation.indicators.set_index(["unit", "kpi"])
    recommendation = []
    for u in a.recommendation.scheme.units:
        for ind in u.indicators:
            kpi = chapter.library.index[ind.kpi]
            meta = why.loc[(u.id, ind.kpi)]
            recommendation.append(
                RecommendedIndicator(
                    unit=u.id,
                    kpi=ind.kpi,
                    weight_pct=ind.weight,
                    horizon=kpi.horizon,
                    family=kpi.family,
                    rule=ind.rule.type,
                    target=ind.target,
                    target_source=meta["target_source"],
                    why=meta["why"],
                    kept=bool(meta["kept"]),
                )
            )
    findings = [
        FindingResult(
            rule=f.rule,
            severity=f.severity,
            phase=f.phase,
            title=getattr(f, f"title_{lang}"),
            evidence=getattr(f, f"evidence_{lang}"),
            recommendation=getattr(f, f"recommendation_{lang}"),
        )
        for f in a.findings.itertuples()
    ]
    return IncentivesResults(
        available=True,
        scheme_name=scheme.name,
        period=scheme.period,
        stage=a.stage,
        kpi_library=chapter.library.label,
        rules_version=chapter.provenance.get("rules_version", ""),
        units=units,
        shared_indicators=a.shared,
        people_scored=0 if a.payouts is None else len(a.payouts),
        people_vetoed=0 if a.payouts is None else int(a.payouts["vetoed"].sum()),
        cost=cost,
        grades=grades,
        guides=guides,
        findings=findings,
        recommendation=recommendation,
        facts=a.facts,
    )


def save_incentives_results(chapter: IncentivesChapter, path: str | Path) -> Path | None:
    """Write the chapter's results as JSON; does nothing when ``path`` is empty."""
    return save_model(lambda: build_incentives_results(chapter), path)
