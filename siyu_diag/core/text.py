"""Bilingual texts and loose comparison of the labels people type."""

from __future__ import annotations

import re

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
