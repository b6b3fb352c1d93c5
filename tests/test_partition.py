"""The partitioned derivation: many bundles in one Run, each part's values equal to deriving its bundle alone.

`derive.Run` numbers its bundles as parts (`_part`); every statement of the plan answers per part. These tests
check, MetricValue by MetricValue (values, counts, failing record ids, documents, calendars), that a part of a
partitioned run is its bundle derived alone: on the five examples, each beside an altered copy of itself whose
records cross-refer (an apology letter one part has and the other lacks must not count for the other), and on
generated communes grouped as `parscore batch` groups them.
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from parscore import api
from parscore.evidence.bundle import read_bundle
from parscore.evidence.derive import derive_metrics, derive_parts, shape
from parscore.evidence.tables import Evidence

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "bundle.yaml").is_file())


def _altered(evidence: Evidence) -> Evidence:
    """The same tables with the apology letters gone and the records in reverse order (other ids listed first, other
    first/last picks): a part whose answers differ from its neighbour's wherever a statement could mix them."""
    tables = {}
    for name, frame in evidence.tables.items():
        if name == "documents" and "type" in frame.columns:
            frame = frame[frame["type"] != "apology"]
        tables[name] = frame.iloc[::-1].reset_index(drop=True)
    return dataclasses.replace(evidence, tables=tables)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_part_equals_its_bundle_derived_alone(example: Path) -> None:
    read = read_bundle(example, api.catalogue())
    assert read.bundle.evidence is not None
    original, altered = read.bundle.evidence, _altered(read.bundle.evidence)
    metrics = list(api.catalogue().values())
    together = derive_parts(metrics, [altered, original, altered], read.context)
    alone = [derive_metrics(metrics, e, read.context) for e in (altered, original)]
    assert len(together[1]) > 10
    assert together[0] == alone[0]
    assert together[1] == alone[1]
    assert together[2] == alone[0]
    if "documents" in original.tables and (original.tables["documents"].get("type") == "apology").any():
        assert alone[0] != alone[1]  # the alteration shows: the parts really answer differently


def test_the_loaded_bundle_is_the_read_one_with_its_values_attached() -> None:
    example = ROOT / "examples" / "nhon-hau-2025"
    read = read_bundle(example, api.catalogue())
    assert read.bundle.metrics == read.bundle.reported  # nothing derived yet
    loaded = api.load_bundle(example)
    assert loaded.metrics != read.bundle.metrics and loaded.reported == read.bundle.reported
    assert [c.metric for c in loaded.conflicts] == ["dossier_on_time_rate"]  # its reported rate the records contradict


def test_generated_communes_grouped_as_batch_groups_them(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    generate.make_communes(12, 1600, tmp_path, parquet=False)
    reads = [read_bundle(p, api.catalogue()) for p in sorted(tmp_path.iterdir())]
    metrics = list(api.catalogue().values())
    groups: dict[object, list[int]] = {}
    for i, r in enumerate(reads):
        assert r.bundle.evidence is not None
        groups.setdefault((r.context, shape(r.bundle.evidence.tables, metrics)), []).append(i)
    assert 1 < len(groups) < len(reads)  # several provinces, several communes in each
    for members in groups.values():
        together = derive_parts(metrics, [reads[i].bundle.evidence for i in members], reads[members[0]].context)  # type: ignore[misc]
        for i, values in zip(members, together):
            assert values == derive_metrics(metrics, reads[i].bundle.evidence, reads[i].context)  # type: ignore[arg-type]


def test_parts_of_different_shapes_are_refused() -> None:
    read = read_bundle(ROOT / "examples" / "dao-xa-2025", api.catalogue())
    assert read.bundle.evidence is not None
    fewer = dataclasses.replace(read.bundle.evidence, tables={
        t: f.drop(columns=["apology_doc"]) if "apology_doc" in f.columns else f for t, f in read.bundle.evidence.tables.items()})
    with pytest.raises(ValueError):
        derive_parts(list(api.catalogue().values()), [read.bundle.evidence, fewer], read.context)


def test_batch_ranks_as_bundle_by_bundle_loading_and_a_failing_derivation_is_named_for_its_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from parscore.planning import batch
    for name in ("a", "b", "crashes"):
        shutil.copytree(ROOT / "examples" / "dao-xa-2025", tmp_path / name, ignore=shutil.ignore_patterns("expected"))
    loaded = batch.load_chunk(([str(p) for p in sorted(tmp_path.iterdir())], None, "en", None))
    one_by_one = [batch._load_one((str(p), None, "en", None)) for p in sorted(tmp_path.iterdir())]
    assert loaded == one_by_one  # metric rows (values, counts) of a chunk derived together = each bundle loaded alone
    real = batch.derive_all

    def parts(*args: object, **kwargs: object) -> object:
        raise ZeroDivisionError("a bug in the partitioned run")

    def alone(catalogue: object, evidence: Evidence, ctx: object) -> object:
        if evidence.sources["dossiers"].startswith("crashes"):
            raise ZeroDivisionError("a bug in one bundle's derivation")
        return real(catalogue, evidence, ctx)  # type: ignore[arg-type]
    monkeypatch.setattr(batch, "derive_parts", parts)
    monkeypatch.setattr(batch, "derive_all", alone)
    res = batch.run([tmp_path], None, None, 1, None, "en", api.registry())
    assert [e.bundle for e in res.entries] == [str(tmp_path / "a"), str(tmp_path / "b")]
    (path, message), = res.errors
    assert path.endswith("crashes") and "ZeroDivisionError" in message


def _without_listings(values: dict) -> dict:  # type: ignore[type-arg]
    return {k: dataclasses.replace(v, provenance=dataclasses.replace(v.provenance, failing_records=(), records=(), documents=()))
            for k, v in values.items()}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_a_run_without_record_listings_gives_the_same_values(example: Path) -> None:
    """`records=False` (what a batch asks for) leaves out the listed record ids and nothing else."""
    read = read_bundle(example, api.catalogue())
    assert read.bundle.evidence is not None
    metrics = list(api.catalogue().values())
    full, = derive_parts(metrics, [read.bundle.evidence], read.context)
    fast, = derive_parts(metrics, [read.bundle.evidence], read.context, records=False)
    def listed(values: dict) -> int:  # type: ignore[type-arg]
        return sum(len(v.provenance.failing_records) + len(v.provenance.records) for v in values.values())
    assert listed(fast) < listed(full)  # the listings were left out (a group's failing keys are no listing: kept)
    assert _without_listings(fast) == _without_listings(full)
    assert [v.provenance.failing_count for v in fast.values()] == [v.provenance.failing_count for v in full.values()]
