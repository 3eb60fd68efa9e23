"""Bilingual texts, filling their placeholders, and loose comparison of the labels people type."""

from __future__ import annotations

import re
import string
from typing import Any

from pydantic import BaseModel, ConfigDict


class Text(BaseModel):
    """A text in Chinese and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ("zh" or "en")."""
        return self.en if lang == "en" else self.zh


def normalise_label(text: str) -> str:
    """Lower-case and strip spaces and punctuation so that labels compare loosely."""
    return re.sub(r"[\s\u3000()（）:：.,，。、]", "", str(text)).lower()


class TextFormatter(string.Formatter):
    """``str.format`` plus a plural choice: ``{n:unit has|units have}``.

    A field whose format spec holds a ``|`` is replaced by the part before it when the value is
    1 and by the part after it otherwise (the value may be a number or a number written as text,
    such as ``"1,200"``); every other field is formatted as ``str.format`` does.
    """

    def format_field(self, value: Any, format_spec: str) -> str:
        """``value`` formatted by ``format_spec``, or the form it picks (``one|many``)."""
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return one if _is_one(value) else many
        return super().format_field(value, format_spec)


def _is_one(value: Any) -> bool:
    try:
        return float(str(value).replace(",", "")) == 1
    except ValueError:
        return False


_FORMATTER = TextFormatter()


def fill(template: str, **values: Any) -> str:
    """Fill ``{name}`` placeholders, with plural choices (see :class:`TextFormatter`).

    Examples
    --------
    >>> fill("{n} {n:indicator is|indicators are} shared", n=1)
    '1 indicator is shared'
    >>> fill("{n} {n:indicator is|indicators are} shared", n=4)
    '4 indicators are shared'
    """
    return _FORMATTER.vformat(template, (), values)
