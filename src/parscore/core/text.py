"""Bilingual text as a frozen record."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Text:
    vi: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    @classmethod
    def of(cls, data: Mapping[str, Any] | None) -> "Text | None":
        return None if data is None else cls(str(data["vi"]), str(data["en"]))

    def to_json(self) -> dict[str, str]:
        return {"en": self.en, "vi": self.vi}
