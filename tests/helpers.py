"""Builders shared by the tests: a one-leaf framework on disk, and scoring of metric dicts through it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from parscore import api
from parscore.scoring.engine import score_frame
from parscore.scoring.frame import Subject, build_frame
from parscore.criteria.framework import Framework, load_framework
from parscore.core.yamlio import loads
from parscore.core.errors import Collector
from parscore.metrics.values import parse_entries, parse_manual
from parscore.watch.runner import DurableChild, EngineUnavailable

T = {"vi": "x", "en": "x"}


class _NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # parscore refuses YAML aliases, so never write them
        return True


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAlias, allow_unicode=True, sort_keys=False)


def leaf_framework(tmp: Path, rule: dict[str, Any], max_points: Any, na: str = "shrink",
                   fid: str = "one-leaf") -> Framework:
    """A framework holding one leaf (in an adjustment block for bonus/penalty)."""
    adjustment = rule["kind"] in ("bonus", "penalty")
    leaf = {"id": "1.1", "title": T, "max_points": str(max_points), "rule": rule, "evidence": T,
            "source": {"requirement": "test", "points": "test"}}
    fields = [{"id": "1", "title": T, "max_points": str(max_points), "children": [leaf]}]
    blocks = [{"id": "appraised", "role": "appraised", "title": T, "fields": ["1"]}]
    total: Any = max_points
    if adjustment:
        fields.insert(0, {"id": "0", "title": T, "max_points": "1", "children": [
            {"id": "0.1", "title": T, "max_points": "1", "evidence": T, "source": {"requirement": "test", "points": "test"},
             "rule": {"kind": "count_at_least", "metric": "dialogues_held", "at_least": 1}}]})
        blocks = [{"id": "appraised", "role": "appraised", "title": T, "fields": ["0"]},
                  {"id": "adj", "role": "adjustment", "title": T, "fields": ["1"], "cap": "10"}]
        total = 1
    manifest = {"id": fid, "version": "t", "title": T, "issuer": T,
                "decision": {"number": "t", "date": "2025-01-01", "status": "illustrative"}, "province": "t",
                "year": 2025, "level": "commune", "total_points": str(total), "not_applicable": na,
                "survey_absent": "rescale", "blocks": blocks,
                "classification": [{"code": "A", "min_index": 90, "label": T}, {"code": "B", "min_index": 0, "label": T}],
                "display": {"decimals": 2}, "tree": "tree.yaml"}
    d = tmp / fid
    d.mkdir(parents=True, exist_ok=True)
    (d / "manifest.yaml").write_text(dump(manifest))
    (d / "tree.yaml").write_text(dump({"fields": fields}))
    return load_framework(d, api.catalogue())


def subject(metrics: dict[str, Any], manual: dict[str, Any] | None = None, label: str = "s") -> Subject:
    doc = loads(dump({"metrics": metrics, "manual": manual or {}}), "<test>")
    c = Collector()
    values = parse_entries(c, doc, doc.data["metrics"], ("metrics",), api.catalogue(), "case")
    manual_scores = parse_manual(c, doc, doc.data["manual"], ("manual",), "case")
    c.raise_if_any()
    return Subject(label, values, manual_scores)


def score(fw: Framework, *subjects: Subject):  # type: ignore[no-untyped-def]
    return score_frame(fw, build_frame(fw, list(subjects)), list(subjects))


def read_yaml(path: Path) -> Any:
    """Test data read as parscore reads YAML (bare `on:` stays a key, not True), numbers kept as text."""
    from decimal import Decimal
    from parscore.core import yamlio

    def plain(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        return str(v) if isinstance(v, Decimal) else v
    return plain(yamlio.load(path).data)


def make_bundle(tmp: Path, tables: dict[str, list[dict[str, Any]]], metrics: dict[str, Any] | None = None,
                start: str = "2025-01-01", end: str = "2025-12-31", framework: str = "reference-par-2025",
                name: str = "b") -> Path:
    """A bundle folder with CSV tables written as a commune's export would be."""
    import pandas as pd
    d = tmp / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "bundle.yaml").write_text(dump({"commune": "Xã Thử", "province": "T", "period": {"start": start, "end": end},
                                         "framework": framework}))
    if metrics is not None:
        (d / "metrics.yaml").write_text(dump({"metrics": metrics}))
    for table, rows in tables.items():
        pd.DataFrame(rows).to_csv(d / f"{table}.csv", index=False)
    return d


def derived(path: Path) -> dict[str, Any]:
    return dict(api.load_bundle(path).metrics)


def durable_rules_runs() -> bool:
    """Whether the watch subsystem's durable-rules child can start here (it has no build for Python >= 3.13)."""
    try:
        DurableChild([]).stop()
    except EngineUnavailable:
        return False
    return True


def parquet_whole_and_streamed(path: Path, monkeypatch: Any) -> tuple[Any, Any, int]:
    """A dossiers.parquet typed as read whole and as streamed in blocks of 900 rows: (streamed, whole, blocks)."""
    from parscore.evidence import columnar
    from parscore.evidence import tables
    spec = tables.table_specs()["dossiers"]
    whole = columnar.type_cells(tables.read_parquet(path, "dossiers", "dossiers.parquet"), spec, Collector(), [])
    monkeypatch.setattr(tables, "STREAM_BYTES", 1000)
    monkeypatch.setattr(tables, "STREAM_BLOCK", 128 * 900)  # blocks of 900 rows
    raw = tables.read_parquet(path, "dossiers", "dossiers.parquet")
    assert raw.stream is not None
    blocks = len(list(raw.stream.blocks()))
    return columnar.type_cells(raw, spec, Collector(), []), whole, blocks
