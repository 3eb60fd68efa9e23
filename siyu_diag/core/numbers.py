"""The one rule for numbers in any input: finite, and at most :data:`MAX_ABS_NUMBER` in size.

YAML files, survey exports, operating data, channel tables and incentive actuals all refuse
``inf``, ``NaN`` written as a value, and numbers such as ``1e308`` with the same words.
"""

from __future__ import annotations

import numpy as np

#: The largest magnitude a number may have in any input (one trillion: CNY, people or units).
MAX_ABS_NUMBER = 1e12
#: What a number cell or key is expected to hold, in the words of every message.
NUMBER_EXPECTED = f"a finite number of at most {MAX_ABS_NUMBER:,.0f} in absolute value"
#: The fix for a cell holding an unusable number.
NUMBER_HINT = (
    "correct the cell to the real figure: inf, Infinity, NaN and numbers this large are "
    "export errors, not data."
)


def usable_number(values):
    """Whether each value is finite and at most :data:`MAX_ABS_NUMBER` in absolute value.

    Works on a number (returns a bool) or an array or Series (returns one per value; NaN is
    not usable).
    """
    with np.errstate(invalid="ignore"):
        return np.isfinite(values) & (np.abs(values) <= MAX_ABS_NUMBER)


def unusable_message(cell: str) -> str:
    """The problem's message for a cell that holds a number outside :data:`NUMBER_EXPECTED`."""
    return f"'{cell}' is not a usable number; expected {NUMBER_EXPECTED}."
