"""Number formatting in Chinese convention, shared by tables, charts and templates.

Money uses 万 (10⁴) and 亿 (10⁸) in Chinese and thousands separators in English; percentages
have one decimal. Missing values show as an em dash, never as "nan" or "None".
"""

from __future__ import annotations

import pandas as pd

MISSING = "—"


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def fmt_score(value: float | None, digits: int = 1) -> str:
    """A 0–100 score, e.g. ``62.4``."""
    return MISSING if _missing(value) else f"{float(value):.{digits}f}"


def fmt_signed(value: float | None, digits: int = 1) -> str:
    """A signed difference, e.g. ``+12.5`` / ``−3.0`` (true minus sign)."""
    if _missing(value):
        return MISSING
    rounded = round(float(value), digits)
    text = f"{abs(rounded):.{digits}f}"
    return ("+" if rounded >= 0 else "−") + text


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """A share 0–1 as a percentage, e.g. ``0.658 → 65.8%``."""
    return MISSING if _missing(value) else f"{float(value) * 100:.{digits}f}%"


def fmt_num(value: float | None, digits: int = 2) -> str:
    """A plain number with fixed decimals (e.g. an alpha of ``0.81``)."""
    return MISSING if _missing(value) else f"{float(value):.{digits}f}"


def fmt_int(value: float | None) -> str:
    """A count with thousands separators."""
    return MISSING if _missing(value) else f"{int(round(float(value))):,}"


def fmt_money(value: float | None, lang: str = "zh") -> str:
    """Money in CNY: ``1.20亿``, ``356.0万``, ``8,500`` (zh); ``CNY 3.56m`` style in English.

    The unit is chosen after rounding, so 99,999,999 shows as ``1.00亿``, not ``10000.0万``.
    """
    if _missing(value):
        return MISSING
    v = float(value)
    sign = "−" if v < 0 else ""
    v = abs(v)
    if lang == "en":
        if round(v / 1e6, 2) >= 1e3:
            return f"{sign}CNY {v / 1e9:.2f}bn"
        if round(v) >= 1e6:
            return f"{sign}CNY {v / 1e6:.2f}m"
        return f"{sign}CNY {v:,.0f}"
    if round(v / 1e4, 1) >= 1e4:
        return f"{sign}{v / 1e8:.2f}亿"
    if round(v) >= 1e4:
        return f"{sign}{v / 1e4:.1f}万"
    return f"{sign}{v:,.0f}"


def fmt_p(value: float | None) -> str:
    """A p-value: ``<0.001`` or three decimals."""
    if _missing(value):
        return MISSING
    return "<0.001" if value < 0.001 else f"{float(value):.3f}"


FILTERS = {
    "score": fmt_score,
    "signed": fmt_signed,
    "pct": fmt_pct,
    "num": fmt_num,
    "int": fmt_int,
    "money": fmt_money,
    "p": fmt_p,
}
