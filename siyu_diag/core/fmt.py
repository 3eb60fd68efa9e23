"""Number formatting in Chinese convention, shared by tables, charts and templates.

Money uses 万 (10⁴) and 亿 (10⁸) in Chinese and thousands separators in English; percentages
have one decimal. Missing values show as an em dash, never as "nan" or "None".

A value of a known kind (a plan driver's ``pct``, ``price``, ``money`` …) is shown by
:func:`fmt_value`, wherever it appears: the report, the planning dashboard. A move from one value
to another is shown by :func:`fmt_change`, with as many decimals as it takes for the two sides to
differ.
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


def fmt_money(value: float | None, lang: str = "zh", extra: int = 0) -> str:
    """Money in CNY: ``1.20亿``, ``356.0万``, ``8,500`` (zh); ``CNY 3.56m`` style in English.

    The unit is chosen after rounding, so 99,999,999 shows as ``1.00亿``, not ``10000.0万``.
    ``extra`` adds decimals to the unit's own (2 for 亿, m and bn; 1 for 万; 0 for yuan).
    """
    if _missing(value):
        return MISSING
    v = float(value)
    sign = "−" if v < 0 else ""
    v = abs(v)
    if lang == "en":
        if round(v / 1e6, 2) >= 1e3:
            return f"{sign}CNY {v / 1e9:.{2 + extra}f}bn"
        if round(v) >= 1e6:
            return f"{sign}CNY {v / 1e6:.{2 + extra}f}m"
        return f"{sign}CNY {v:,.{extra}f}"
    if round(v / 1e4, 1) >= 1e4:
        return f"{sign}{v / 1e8:.{2 + extra}f}亿"
    if round(v) >= 1e4:
        return f"{sign}{v / 1e4:.{1 + extra}f}万"
    return f"{sign}{v:,.{extra}f}"


def fmt_p(value: float | None) -> str:
    """A p-value: ``<0.001`` or three decimals."""
    if _missing(value):
        return MISSING
    return "<0.001" if value < 0.001 else f"{float(value):.3f}"


#: Decimals of a value by kind (``money`` has its unit's, see :func:`fmt_money`).
DIGITS: dict[str, int] = {"pct": 1, "price": 2, "num": 2, "num1": 1, "int": 0, "month": 0}
#: Kinds that are counts: never shown with decimals, not even to show a move.
_WHOLE = ("int", "month")
#: Most decimals :func:`fmt_change` adds to a kind's own to make a move visible.
MAX_EXTRA_DIGITS = 3
_UNCHANGED = {"zh": "（不变）", "en": " (unchanged)"}


def fmt_value(value: float | None, kind: str = "num", lang: str = "zh", extra: int = 0) -> str:
    """A value of a known kind, the same way wherever it is shown (report, dashboard).

    Parameters
    ----------
    value
        The value (a share 0–1 for ``pct``, CNY for ``money`` and ``price``).
    kind
        ``pct`` (``5.2%``), ``money`` (:func:`fmt_money`), ``price`` (``1820.00``), ``int`` and
        ``month`` (counts, ``120,000``), ``num1`` (a headcount: ``4``, ``2.5``) or ``num``
        (``1.05``); the kinds of :func:`siyu_diag.plan.drivers.value_format`.
    lang
        "zh" or "en" (money only).
    extra
        Decimals added to the kind's own (none for counts).

    Examples
    --------
    >>> fmt_value(0.0525, "pct")
    '5.2%'
    >>> fmt_value(4.0, "num1"), fmt_value(2.5, "num1")
    ('4', '2.5')
    """
    if _missing(value):
        return MISSING
    if kind == "money":
        return fmt_money(value, lang, extra)
    if kind in _WHOLE:
        return fmt_int(value)
    digits = DIGITS.get(kind, DIGITS["num"]) + extra
    if kind == "pct":
        return fmt_pct(value, digits)
    text = fmt_num(value, digits)
    if kind == "num1" and "." in text:  # a whole headcount has no decimals: 4, not 4.0
        text = text.rstrip("0").rstrip(".")
    return text


def change_digits(before: float | None, after: float | None, kind: str, lang: str = "zh") -> int:
    """The fewest decimals added to ``kind``'s own for ``before`` and ``after`` to read apart.

    At most :data:`MAX_EXTRA_DIGITS` (none for counts); 0 when either value is missing or the
    two read the same even then.

    Examples
    --------
    >>> change_digits(0.0106, 0.01098, "pct")  # 1.1% and 1.1%, but 1.06% and 1.10%
    1
    """
    if _missing(before) or _missing(after) or kind in _WHOLE:
        return 0
    for extra in range(MAX_EXTRA_DIGITS + 1):
        if fmt_value(before, kind, lang, extra) != fmt_value(after, kind, lang, extra):
            return extra
    return 0


def fmt_pair(
    before: float | None, after: float | None, kind: str, lang: str = "zh"
) -> tuple[str, str]:
    """``before`` and ``after`` with the decimals of :func:`change_digits`.

    Examples
    --------
    >>> fmt_pair(0.0106, 0.01098, "pct")
    ('1.06%', '1.10%')
    """
    extra = change_digits(before, after, kind, lang)
    return fmt_value(before, kind, lang, extra), fmt_value(after, kind, lang, extra)


def fmt_change(before: float | None, after: float | None, kind: str, lang: str = "zh") -> str:
    """A move ``before → after`` whose two sides differ, e.g. ``1.06% → 1.10%``.

    Decimals are added (up to :data:`MAX_EXTRA_DIGITS`) until the two rendered values differ;
    values that read the same even then show once, marked unchanged: ``9,000（不变）`` /
    ``CNY 9,000 (unchanged)``.

    Examples
    --------
    >>> fmt_change(0.0106, 0.01098, "pct")
    '1.06% → 1.10%'
    >>> fmt_change(9000, 9000, "money")
    '9,000（不变）'
    """
    a, b = fmt_pair(before, after, kind, lang)
    if a == b:
        return a + _UNCHANGED.get(lang, _UNCHANGED["zh"])
    return f"{a} → {b}"


FILTERS = {
    "score": fmt_score,
    "signed": fmt_signed,
    "pct": fmt_pct,
    "num": fmt_num,
    "int": fmt_int,
    "money": fmt_money,
    "p": fmt_p,
    "value": fmt_value,
}
