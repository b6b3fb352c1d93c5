"""The metric catalogue: every metric a framework may read, from `rules/*.yaml`.

A metric is a measured fact (great_expectations' split between measuring and
judging): it has a unit, a bilingual definition and a source. How it is derived
from evidence records lives beside it (`derive:`), and is run by `parscore.evidence.derive`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from parscore.core import schema
from parscore.core import yamlio
from parscore.core.errors import Collector, InputErrors
from parscore.core.paths import display, rules_dir, sha256_file
from parscore.core.text import Text

UNITS = ("ratio", "count", "date", "date_series")


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str
    title: Text
    definition: Text
    source: str
    file: str
    line: int | None
    counts: Text | None = None  # what is counted, e.g. "hồ sơ" / "dossiers"
    good: Text | None = None  # what the numerator holds, e.g. "đúng hạn" / "on time"
    derive: Mapping[str, Any] | None = field(default=None, compare=False)
    may_exceed_100: bool = False  # a ratio allowed above 100 % (revenue over its estimate)
    # What a ratio with a zero denominator means (required of every ratio in rules/, with its reason):
    # not_applicable (nothing to judge), zero (scored as 0 %) or full (scored as 100 %).
    when_empty: str = "not_applicable"
    when_empty_source: str | None = None


WHEN_EMPTY = ("not_applicable", "zero", "full")  # a ratio's zero denominator: the first is the default


class Catalogue(Mapping[str, Metric]):
    """A registry of metrics that refuses a second metric of the same name."""

    def __init__(self) -> None:
        self._metrics: dict[str, Metric] = {}
        self.files: dict[str, str] = {}  # display path -> sha256
        self.root: Path | None = None  # the rules folder it was loaded from, when not the shipped one

    def register(self, metric: Metric, errors: Collector) -> None:
        if metric.name in self._metrics:
            other = self._metrics[metric.name]
            errors.add("duplicate_name", file=metric.file, line=metric.line, where="metrics", name=metric.name,
                       other=f"{other.file}:{other.line}")
            return
        self._metrics[metric.name] = metric

    def __getitem__(self, name: str) -> Metric:
        return self._metrics[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._metrics)

    def __len__(self) -> int:
        return len(self._metrics)


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load every `*.yaml` below the rules directory; all problems are reported at once."""
    errors = Collector()
    cat = Catalogue()
    cat.root = directory
    directory = directory or rules_dir()
    for path in sorted(directory.rglob("*.yaml")):
        name = display(path)
        try:
            doc = yamlio.load_mapping(path, display=name)
        except InputErrors as exc:
            errors.extend(exc.errors)
            continue
        cat.files[name] = sha256_file(path)
        problems = schema.validate(doc, "catalogue")
        if problems:
            errors.extend(problems)
            continue
        for i, m in enumerate(doc.data["metrics"]):
            if "derive" in m:
                # The derivation's shape is checked here; the tables and columns it names by the evidence
                # stage (`parscore.evidence.vocabulary.load_rules`), which owns the tables.
                problems = schema.validate(doc, "derive", data=m["derive"], base=("metrics", i, "derive"))
                if problems:
                    errors.extend(problems)
                    continue
            cat.register(Metric(
                name=m["name"], unit=m["unit"], title=Text.of(m["title"]),  # type: ignore[arg-type]
                definition=Text.of(m["definition"]), source=m["source"],  # type: ignore[arg-type]
                file=name, line=doc.line(("metrics", i)),
                counts=Text.of(m.get("counts")), good=Text.of(m.get("good")), derive=m.get("derive"),
                may_exceed_100=bool(m.get("may_exceed_100", False)),
                when_empty=m.get("when_empty", WHEN_EMPTY[0]), when_empty_source=m.get("when_empty_source"),
            ), errors)
    errors.raise_if_any()
    return cat
