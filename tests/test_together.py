"""Typing many bundles' tables together (`columnar.type_bundles`, as `parscore batch` does a chunk) gives each
bundle exactly what reading it alone gives: its typed tables, warnings, files, and, for a faulty one, the same
located errors in the same order.

Bundles are copies of an example, each altered in one way an office's export may be: odd cells that earn warnings,
refused cells, a repeated id, a reference to a missing document, a missing attachment, a column left out, a
required column missing, a table saved with a byte-order mark (read by the general path, so its bundle is typed
alone beside the others).
"""
from __future__ import annotations

import csv
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

from parscore import api
from parscore.core.errors import InputErrors
from parscore.core.numbers import exact_sum
from parscore.evidence import columnar
from parscore.evidence.bundle import Opened, Read, close, open_bundle, read_bundle
from parscore.evidence.columnar import type_bundles
from parscore.planning import batch

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dao-xa-2025"


def _edit(table: str, change: Callable[[list[list[str]]], None]) -> Callable[[Path], None]:
    """An alteration of one CSV table of a bundle folder: `change` edits its rows (header first) in place."""
    def alter(folder: Path) -> None:
        path = folder / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        change(rows)
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
    return alter


def _cell(row: int, column: str, value: str) -> Callable[[list[list[str]]], None]:
    def change(rows: list[list[str]]) -> None:
        rows[row][rows[0].index(column)] = value
    return change


def _drop(column: str) -> Callable[[list[list[str]]], None]:
    def change(rows: list[list[str]]) -> None:
        at = rows[0].index(column)
        for r in rows:
            del r[at]
    return change


def _many(*changes: Callable[[list[list[str]]], None]) -> Callable[[list[list[str]]], None]:
    def change(rows: list[list[str]]) -> None:
        for one in changes:
            one(rows)
    return change


def _bom(folder: Path) -> None:
    path = folder / "tasks.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


ALTERED: dict[str, Callable[[Path], None]] = {
    "as-is": lambda folder: None,
    "odd-cells": _edit("dossiers", _many(_cell(3, "fee", "50.000"), _cell(4, "received_at", "ngày 10 tháng 3 năm 2025"),
                                         _cell(5, "status", "Đã trả kết quả"), _cell(6, "procedure", " Hồ sơ  "))),
    "refused-cells": _edit("dossiers", _many(_cell(2, "received_at", "31/02/2025 10:00"), _cell(7, "legal_days", "abc"),
                                             _cell(9, "id", "HS-00001"))),
    "missing-document": _edit("dossiers", _cell(8, "apology_doc", "999/KHONG-CO")),
    "missing-attachment": lambda folder: (folder / "files" / "asset_inspection.txt").unlink(),
    "column-left-out": _edit("dossiers", _drop("apology_doc")),
    "required-missing": _edit("feedback", _drop("received_on")),
    "byte-order-mark": _bom,
    "reversed": _edit("dossiers", lambda rows: rows.__setitem__(slice(1, None), rows[:0:-1])),  # other first rows
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("together")
    out = []
    for name, alter in ALTERED.items():
        shutil.copytree(EXAMPLE, base / name, ignore=shutil.ignore_patterns("expected"))
        alter(base / name)
        out.append(base / name)
    return out


def _outcome(read: Callable[[], Read]) -> Any:
    """What a user is given of a read bundle: its tables (as frames), sources, files, warnings, reported figures;
    or its errors, rendered."""
    try:
        got = read()
    except InputErrors as exc:
        return [e.render("en") for e in exc.errors]
    b = got.bundle
    assert b.evidence is not None
    tables = {t: b.evidence.tables[t] for t in b.evidence.tables}
    return (tables, b.evidence.sources, b.files, [(w.code, w.text.en, w.metrics) for w in b.warnings], b.metrics,
            b.evidence.document_files, b.self_assessment, got.tolerance)


def _same(alone: Any, together: Any) -> None:
    assert type(alone) is type(together)
    if isinstance(alone, list):
        assert together == alone
        return
    assert list(together[0]) == list(alone[0])
    for t in alone[0]:
        pd.testing.assert_frame_equal(together[0][t], alone[0][t], obj=t)
    assert together[1:] == alone[1:]


@pytest.mark.parametrize("few", [None, 0, 10**9], ids=["as-chosen", "by-shape", "by-distinct-text"])
def test_bundles_typed_together_are_each_typed_as_alone(folders: list[Path], monkeypatch: pytest.MonkeyPatch,
                                                        few: int | None) -> None:
    if few is not None:  # each column forced through either typing path
        monkeypatch.setattr(columnar, "FEW", few)
        monkeypatch.setattr(columnar, "FEW_SHARE", 0 if few else 4)
    catalogue = api.catalogue()
    alone = [_outcome(lambda p=p: read_bundle(p, catalogue)) for p in folders]
    opened = [open_bundle(p, catalogue) for p in folders]
    assert all(isinstance(o, Opened) for o in opened)
    typed = type_bundles([(o.raws, o.c) for o in opened])  # type: ignore[union-attr]
    together = [_outcome(lambda o=o, t=t: close(o, t)) for o, t in zip(opened, typed)]  # type: ignore[misc]
    for name, a, b in zip(ALTERED, alone, together):
        _same(a, b)
    failed = {name for name, a in zip(ALTERED, alone) if isinstance(a, list)}
    assert failed == {"refused-cells", "missing-document", "required-missing"}  # the alterations show
    warned = {name for name, a in zip(ALTERED, alone) if not isinstance(a, list) and a[3]}
    assert {"odd-cells", "missing-attachment"} <= warned


def test_a_chunk_loads_as_each_bundle_alone_and_a_failed_joint_typing_falls_back(folders: list[Path],
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(p) for p in folders]
    one_by_one = [batch._load_one((p, None, "en", None)) for p in paths]
    assert batch.load_chunk((paths, None, "en", None)) == one_by_one
    assert sum(e is not None for *_, e in one_by_one) == 3

    real = batch.type_bundles

    def joint_fails(bundles: Any) -> Any:
        if len(bundles) > 1:
            for raws, c in bundles:  # half-way through, as a bug might leave it
                c.add("bad_date", file="x", value="reported by the failed joint typing")
            raise ZeroDivisionError("a bug in the joint typing")
        return real(bundles)
    monkeypatch.setattr(batch, "type_bundles", joint_fails)
    assert batch.load_chunk((paths, None, "en", None)) == one_by_one



def test_metric_rows_travel_packed_from_the_workers_unchanged(folders: list[Path]) -> None:
    """A pool's worker sends each metric row (and its scenario version) packed; unpacked, it is the same row."""
    scenario = str(ROOT / "examples" / "scenarios" / "fix-apologies.yaml")
    loaded = batch.load_chunk(([str(p) for p in folders], scenario, "en", None))
    rows = [r for _, row, after, _ in loaded for r in (row, after) if r is not None]
    assert len(rows) == 2 * (len(folders) - 3)
    for row in rows:
        assert batch.unpack(batch.pack(row)) == row
    assert batch.unpack(batch.pack(None)) is None
    two = [str(p) for p in folders[:2]]
    assert batch.load_all([Path(p) for p in two], scenario, "en", 2) == batch.load_chunk((two, scenario, "en", None))


@pytest.mark.parametrize("n, workers", [(3321, 2), (332, 2), (401, 4), (3, 2), (1, 1), (5000, 3)])
def test_chunks_are_of_one_size_and_as_many_a_worker(n: int, workers: int) -> None:
    paths = [f"xa-{i:05d}" for i in range(n)]
    got = batch.chunks(paths, workers)
    assert [p for chunk in got for p in chunk] == paths  # every bundle once, in order
    assert max(map(len, got)) <= batch.CHUNK and max(map(len, got)) - min(map(len, got)) <= max(map(len, got)) // 2 + 1
    if n >= 2 * workers:
        assert len(got) % workers == 0 and len(got) >= 2 * workers


def _field_points_one_by_one(fw: Any, table: Any, i: int) -> tuple[tuple[str, Fraction, Fraction], ...]:
    """The fields' points as batch summed them before `exact_totals`, Fraction by Fraction: the oracle."""
    order = [f for b in fw.blocks for f in b.fields]
    points = {f: Fraction(0) for f in order}
    maximum = {f: Fraction(0) for f in order}
    adjustment = {f for b in fw.blocks if b.role == "adjustment" for f in b.fields}
    for leaf in fw.leaves:
        top = leaf.parents[0] if leaf.parents else leaf.id
        points[top] = points.get(top, Fraction(0)) + table.leaf_points(leaf.id, i)
        if top not in adjustment and table.leaves[leaf.id].counted[i]:
            maximum[top] = maximum.get(top, Fraction(0)) + leaf.max_points
    return tuple((f, points[f], maximum[f]) for f in points)


def _total_one_by_one(fw: Any, table: Any, i: int) -> tuple[Fraction, Fraction]:
    """A row's points and applicable maximum summed Fraction by Fraction, as the score table did before `exact_sum`:
    the oracle."""
    points, maximum = Fraction(0), Fraction(0)
    for block in fw.blocks:
        pts = Fraction(0)
        for leaf in fw.leaves:
            if leaf.block == block.id:
                pts += table.leaf_points(leaf.id, i)
                if block.role != "adjustment" and table.leaves[leaf.id].counted[i]:
                    maximum += leaf.max_points
        if block.role == "adjustment" and block.cap is not None:
            pts = min(max(pts, -block.cap), block.cap)
        points += pts
    return points, maximum


@pytest.mark.parametrize("framework", ["reference-par-2025", "qd766-2022", "sipas-2017", "dao-xa-2025"])
def test_exact_totals_are_the_tables_exact_totals(framework: str) -> None:
    """Grading sums each row's leaves in integers over one denominator: the same Fractions as the score table's
    own exact totals, field by field, on the examples and on scenario versions of them (other points, caps)."""
    from parscore.scoring.engine import score_frame
    from parscore.scoring.frame import build_frame, bundle_subject

    try:
        fw = api.registry().load(framework)
    except InputErrors:
        pytest.skip(f"no framework {framework} here")
    examples = sorted(p for p in (ROOT / "examples").iterdir() if (p / "bundle.yaml").is_file())
    bundles = [api.load_bundle(p) for p in examples]
    for scenario in sorted((ROOT / "examples" / "scenarios").glob("*.yaml")):
        sc = api.load_scenario(scenario)
        bundles += [batch.apply_to_bundle(b, sc, api.catalogue())[0] for b in bundles[:len(examples)]]
    subjects = [bundle_subject(b, str(k)) for k, b in enumerate(bundles)]
    table = score_frame(fw, build_frame(fw, subjects), subjects)
    totals = batch.exact_totals(fw, table)
    assert len(totals) == len(bundles) > 10
    for i, t in enumerate(totals):
        points, maximum, _ = table.exact_total(i)
        assert (t.points, t.maximum) == (points, maximum) == _total_one_by_one(fw, table, i)
        assert t.fields == _field_points_one_by_one(fw, table, i)
        assert t.index == batch.exact_index(table, i)
    assert list(batch.ranks(table, [t.index for t in totals])) == list(batch.ranks(table))


def test_exact_sum_is_the_sum_of_fractions() -> None:
    import random
    rng = random.Random(5)
    for _ in range(200):
        n = rng.randint(0, 30)
        nums = [rng.randint(-10**6, 10**6) for _ in range(n)]
        dens = [rng.choice([1, 2, 3, 7, 1480, 1479, rng.randint(1, 10**6)]) for _ in range(n)]
        assert exact_sum(nums, dens) == sum((Fraction(a, b) for a, b in zip(nums, dens)), Fraction(0))


def test_a_bundle_opened_without_hashes_differs_only_in_its_file_list(folders: list[Path]) -> None:
    catalogue = api.catalogue()
    for folder in folders:
        with_hashes = _outcome(lambda: read_bundle(folder, catalogue))
        opened = open_bundle(folder, catalogue, hashes=False)
        assert isinstance(opened, Opened)
        without = _outcome(lambda: close(opened, type_bundles([(opened.raws, opened.c)])[0]))  # noqa: B023
        if isinstance(with_hashes, list):
            assert without == with_hashes  # the same errors
            continue
        files, kept = with_hashes[2], without[2]
        assert kept == {k: v for k, v in files.items() if "/files/" in k} and len(kept) < len(files)
        _same((*with_hashes[:2], kept, *with_hashes[3:]), without)
