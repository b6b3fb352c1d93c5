"""The one-stop system's own words: its status and channel labels read as parscore's codes.

`rules/evidence/labels.yaml` lists, per table and enumerated column, the labels an
export or a register uses for each code (`Đã trả kết quả` → `returned`). Matching
folds case, spacing and diacritics after NFC, so `ĐÃ TRẢ KẾT QUẢ` and `da tra ket qua`
read the same. The file is checked when loaded: every table, column and code must
exist in tables.yaml, and no two codes may share a folded label.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from parscore.core import schema, yamlio
from parscore.core.errors import Collector
from parscore.core.paths import data_dir, display


@dataclass(frozen=True)
class ColumnLabels:
    codes: Mapping[str, str]  # folded label or code -> code
    shown: Mapping[str, str]  # code -> the first (Vietnamese) label

    def read(self, value: str) -> str | None:
        return self.codes.get(fold(value))

    def choices(self) -> list[str]:
        return [self.shown[c] for c in self.shown]


def fold(text: str) -> str:
    """Lower case, single spaces, no diacritics (đ → d): how a label is matched."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFC", str(text)).replace("đ", "d").replace("Đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


def labels_file() -> Path:
    return data_dir("rules") / "evidence" / "labels.yaml"


@lru_cache(maxsize=4)
def load_labels(path: str | None = None, enums: tuple[tuple[str, str, tuple[str, ...]], ...] = ()) -> dict[tuple[str, str], ColumnLabels]:
    """(table, column) -> its labels; `enums` (table, column, codes) are the tables.yaml columns they must fit."""
    p = Path(path) if path else labels_file()
    if not p.is_file():
        return {}
    doc = yamlio.load_mapping(p, display=display(p))
    c = Collector()
    c.extend(schema.validate(doc, "labels"))
    c.raise_if_any()
    known = {(t, col): codes for t, col, codes in enums}
    out: dict[tuple[str, str], ColumnLabels] = {}
    for table, columns in doc.data["labels"].items():
        for column, by_code in columns.items():
            where = ("labels", table, column)
            if enums and (table, column) not in known:
                c.add("unknown_key", file=doc.file, line=doc.line(where), where=yamlio.where(where), key=f"{table}.{column}",
                      allowed=", ".join(f"{t}.{col}" for t, col in known))
                continue
            codes: dict[str, str] = {}
            shown: dict[str, str] = {}
            for code, labels in by_code.items():
                if enums and code not in known[(table, column)]:
                    c.add("unknown_key", file=doc.file, line=doc.line(where + (code,)), where=yamlio.where(where + (code,)),
                          key=code, allowed=", ".join(known[(table, column)]))
                    continue
                shown[code] = unicodedata.normalize("NFC", labels[0])
                for label in (code, *labels):
                    other = codes.setdefault(fold(label), code)
                    if other != code:
                        c.add("duplicate_id", file=doc.file, line=doc.line(where + (code,)), where=yamlio.where(where + (code,)),
                              id=label, other=other)
            out[(table, column)] = ColumnLabels(codes, shown)
    c.raise_if_any()
    return out
