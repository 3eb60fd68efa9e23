"""Maturity levels as the report shows them: the bands, a level's name, the level of a score.

A band's upper bound belongs to the next level (with level 2 from 20 to 40, a score of 40 is level
3); scores from the top band's lower bound up are in the top level. The bands come from the
vocabulary (:func:`siyu_diag.core.vocab.maturity_levels`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core import vocab
from ..core.palette import LEVEL_COLORS


def level_bands(lang: str) -> pd.DataFrame:
    """The level bands in ``lang``: ``level``, ``name``, ``description``, ``lower``, ``upper``."""
    return vocab.maturity_levels(lang)


def band_label(level: int, name: str) -> str:
    """A level's label on the strip and in tables, e.g. ``"L3 规范"``."""
    return f"L{int(level)} {name}"


def level_name(level: int, lang: str) -> str:
    """A level as the report names it, e.g. ``"L3 规范"`` (``"L0"`` for a level with no band)."""
    names = level_bands(lang).set_index("level")["name"]
    return band_label(level, names.get(level, "")).strip()


def score_levels(scores: float | np.ndarray, bands: pd.DataFrame) -> np.ndarray:
    """The level each score falls in (a band's upper bound is the next band's).

    Parameters
    ----------
    scores
        One score (0–100) or an array of them.
    bands
        Columns ``level`` and ``upper``, in level order.

    Returns
    -------
    numpy.ndarray
        The levels, shaped like ``scores``.
    """
    edges = bands["upper"].to_numpy(float)[:-1]
    return bands["level"].to_numpy()[np.searchsorted(edges, scores, side="right")]


def score_level_color(score: float, bands: pd.DataFrame) -> str:
    """The colour of the maturity level ``score`` falls in (a band's upper bound is the next's)."""
    return LEVEL_COLORS[int(score_levels(score, bands))]
