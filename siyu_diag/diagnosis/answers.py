"""One cell of a survey export as an answer: a point of the scale, "not applicable" or blank.

Numbers may be written with a decimal point (``2.0`` is 2); anything that is not a whole point
of the scale is refused with the cell's location, never rounded or rescaled.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from ..core.errors import Problem
from ..core.text import normalise_label
from .bank import Scale

_BLANKS = {"", "(跳过)", "（跳过）", "(空)", "（空）", "-", "--", "nan", "none", "null"}
#: A number written plainly: digits with at most one decimal point (``2``, ``2.0``, ``.5``).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
#: Looks like a number but is not written plainly: ``1,0`` (a decimal comma), ``1e1``, ``1.2.3``.
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,]*\d[\d.,]*(?:e[+-]?\d+)?", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds from a duration cell (``427秒``, ``7分7秒``, ``427``); NaN when unreadable."""
    text = text.strip()
    if not text:
        return np.nan
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*(秒|s|sec)?", text):
        return float(m.group(1))
    m = re.fullmatch(r"(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+)\s*秒)?", text)
    if m and (m.group(1) or m.group(2)):
        return float(m.group(1) or 0) * 60 + float(m.group(2) or 0)
    if m := re.fullmatch(r"(\d+):(\d{1,2})(?::(\d{1,2}))?", text):
        parts = [int(p) for p in m.groups() if p is not None]
        return (
            float(parts[0] * 3600 + parts[1] * 60 + parts[2])
            if len(parts) == 3
            else float(parts[0] * 60 + parts[1])
        )
    return np.nan


class _NotAnAnswer(ValueError):
    """A cell that is not an answer on the scale: why not, and how to fix it."""

    def __init__(self, reason: str, hint: str):
        super().__init__(reason)
        self.reason, self.hint = reason, hint


def _parse_answer(text: str, scale: Scale, labels: dict[str, int | None]) -> int | None:
    """One non-blank cell as a point of the scale, or None for "not applicable".

    Numbers are read as written (``2``, ``2.0``, full-width digits, a trailing 分) and must be a
    whole number on the scale; a fraction, a decimal comma or an exponent raises
    :class:`_NotAnAnswer`, never rounded or rescaled. Other text must be a label of the scale.
    """
    plain = re.sub(r"\s*分$", "", unicodedata.normalize("NFKC", text)).strip()
    if _PLAIN_NUMBER.fullmatch(plain):
        number = float(plain)
        if not number.is_integer():
            raise _NotAnAnswer(
                "is not a whole number, so it is not an answer on the scale",
                "correct the cell to one of these answers, or leave it blank; a fraction is "
                "never rounded or rescaled.",
            )
        if scale.min <= number <= scale.max:
            return int(number)
    elif _NUMBER_LIKE.fullmatch(plain):
        raise _NotAnAnswer(
            "is not a plainly written number, so it is not an answer on the scale",
            f"write the answer as a whole number such as {scale.max}, without a comma or an "
            "exponent, or leave the cell blank.",
        )
    elif (key := normalise_label(plain)) in labels:
        return labels[key]
    raise _NotAnAnswer("is not an answer on the scale", "correct the cell or leave it blank.")


def parse_answers(frame, layout, bank, label, problems):
    """Respondent × item answers and "not applicable" flags; each bad cell becomes a problem."""
    scale = bank.scale
    labels = scale.label_map()
    n = len(frame)
    values = np.full((n, len(layout.items)), np.nan)
    na = np.zeros((n, len(layout.items)), dtype=bool)
    expected = f"a whole number from {scale.min} to {scale.max}"
    label_texts = [p.zh for p in scale.points if p.zh]
    if label_texts:
        expected += f" or one of {'/'.join(label_texts)}"
    for j, (col, item_id) in enumerate(layout.items.items()):
        allow_na = bank.item_index[item_id].allow_na
        for i, cell in enumerate(frame[col].tolist()):
            text = str(cell).strip()
            if text.lower() in _BLANKS:
                continue
            where = {"file": label, "row": int(frame.index[i]) + 2, "column": col}
            try:
                value = _parse_answer(text, scale, labels)
            except _NotAnAnswer as bad:
                problems.append(
                    Problem(f"'{text}' {bad.reason}; expected {expected}.", **where, hint=bad.hint)
                )
                continue
            if value is not None:
                values[i, j] = value
                continue
            na[i, j] = True
            if not allow_na:
                problems.append(
                    Problem(
                        f"'{text}' (not applicable) is not an allowed answer to item {item_id}.",
                        **where,
                        hint="leave the cell blank if the respondent skipped it.",
                    )
                )
    ids = list(layout.items.values())
    return pd.DataFrame(values, columns=ids), pd.DataFrame(na, columns=ids)
