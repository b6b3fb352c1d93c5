"""Parquet tables: `<table>.parquet` in place of `<table>.csv` gives the same metrics and provenance."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from parscore import api
from parscore.core.errors import InputErrors

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dao-xa-2025"
DERIVED = ("dossier_on_time_rate", "late_dossier_apology_rate")


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("expected"))
    return target


def _facts(bundle: api.Bundle) -> dict[str, tuple[object, ...]]:
    out = {}
    for name in DERIVED:
        m = bundle.metrics[name]
        out[name] = (m.num, m.den, m.provenance.failing_records, m.provenance.failing_count)
    return out


def test_text_parquet_gives_the_csv_metrics(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    frame = pd.read_csv(folder / "dossiers.csv", dtype=str, keep_default_na=False)
    frame.to_parquet(folder / "dossiers.parquet", index=False)
    (folder / "dossiers.csv").unlink()
    assert _facts(api.load_bundle(folder)) == _facts(api.load_bundle(EXAMPLE))


def test_typed_parquet_gives_the_csv_metrics(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    frame = pd.read_csv(folder / "dossiers.csv", dtype=str, keep_default_na=False)
    for col in ("received_at", "due_at", "finished_at", "returned_at", "stopped_at"):
        frame[col] = pd.to_datetime(frame[col], format="%d/%m/%Y %H:%M", errors="coerce")
    for col in ("supplement_requests", "supplement_days", "legal_days"):
        frame[col] = pd.to_numeric(frame[col].replace("", None))
    frame.to_parquet(folder / "dossiers.parquet", index=False)
    (folder / "dossiers.csv").unlink()
    assert _facts(api.load_bundle(folder)) == _facts(api.load_bundle(EXAMPLE))


def test_a_table_given_twice_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    pd.read_csv(folder / "dossiers.csv", dtype=str).to_parquet(folder / "dossiers.parquet", index=False)
    with pytest.raises(InputErrors) as exc:
        api.load_bundle(folder)
    assert [e.code for e in exc.value.errors] == ["table_twice"]
    assert "dossiers.parquet" in exc.value.render("en")


def test_a_broken_parquet_is_bad_input(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "dossiers.csv").unlink()
    (folder / "dossiers.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InputErrors) as exc:
        api.load_bundle(folder)
    assert [e.code for e in exc.value.errors] == ["bad_parquet"]
