"""Derives the dossier metrics (QĐ 766 timing, online, payment, digitisation, apology, …) from N dossier rows.

Prints rows per second for the derivation (computed columns + every metric that
reads the dossiers table) and, measured in the same run over the same frame,
for a bare pandas group-by, the floor any pandas derivation sits on.

    python benchmarks/bench_derive.py [--rows 1000000]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from common import timed  # noqa: E402

from parscore import api  # noqa: E402
from parscore.evidence.derive import Context, derive_all  # noqa: E402
from parscore.evidence.tables import ROW, Evidence  # noqa: E402


def dossiers(n: int, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2025-01-01T08:00")
    received = start + rng.integers(0, 364 * 24 * 60, n).astype("timedelta64[m]")
    legal = rng.integers(1, 15, n)
    due = received + (legal * 24 * 60).astype("timedelta64[m]")
    finished = due + rng.integers(-5 * 24 * 60, 2 * 24 * 60, n).astype("timedelta64[m]")
    open_ = rng.random(n) < 0.01
    finished = np.where(open_, np.datetime64("NaT"), finished)
    late_reason = np.where(rng.random(n) < 0.2, "applicant", "office").astype(object)
    apology = np.where(rng.random(n) < 0.05, "D-1", None).astype(object)
    frame = pd.DataFrame({
        ROW: np.arange(n) + 2, "id": [f"HS-{i}" for i in range(n)], "procedure": rng.choice(["a", "b", "c", "d", "e"], n),
        "received_at": received, "due_at": np.where(rng.random(n) < 0.03, np.datetime64("NaT"), due).astype("datetime64[ns]"),
        "finished_at": pd.to_datetime(finished), "returned_at": pd.NaT, "stopped_at": pd.NaT,
        "status": np.where(open_, "processing", "returned"), "channel": rng.choice(["direct", "online", "postal"], n),
        "full_online": rng.random(n) < 0.6, "procedure_full_online": rng.random(n) < 0.7,
        "supplement_requests": rng.choice([0, 0, 0, 0, 1, 2], n), "supplement_days": rng.integers(0, 4, n),
        "legal_days": legal.astype(float), "fee": rng.choice([0.0, 0.0, 10000.0], n), "paid_online": rng.random(n) < 0.4,
        "digitized": rng.random(n) < 0.9, "e_result": rng.random(n) < 0.9, "reused_data": rng.random(n) < 0.5,
        "synced": rng.random(n) < 0.99, "late_reason": late_reason, "apology_doc": apology,
        "dissatisfied": rng.random(n) < 0.01, "complained": rng.random(n) < 0.005})
    docs = pd.DataFrame({ROW: [2], "id": ["D-1"], "type": ["apology"], "title": ["t"], "issued_on": [pd.Timestamp("2025-06-01")],
                         "issuer": [None], "file": [None], "dossiers": [()]})
    return frame, docs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    frame, docs = dossiers(args.rows)
    catalogue = api.catalogue()
    ev = Evidence(tables={"dossiers": frame, "documents": docs}, sources={"dossiers": "synthetic", "documents": "synthetic"})
    ctx = Context.of(pd.Timestamp("2025-01-01").date(), pd.Timestamp("2025-12-31").date())
    t_derive, metrics = timed(lambda: derive_all(catalogue, ev, ctx), args.repeat)
    n_metrics = sum(1 for m in metrics.values() if m.provenance.file == "synthetic")
    t_group, _ = timed(lambda: frame.groupby("procedure").agg(n=("id", "size"), supplements=("supplement_requests", "sum"),
                                                              online=("full_online", "sum")), args.repeat)
    on_time = metrics["dossier_on_time_rate"]
    print(f"rows: {args.rows:,}; metrics derived: {n_metrics} (on-time {on_time.num:,}/{on_time.den:,})")
    print(f"parscore derive : {t_derive:8.3f} s  ({args.rows / t_derive:,.0f} rows/s)")
    print(f"pandas group-by : {t_group:8.3f} s  ({args.rows / t_group:,.0f} rows/s)")
    print(f"ratio derive / group-by: {t_derive / t_group:.1f}×")


if __name__ == "__main__":
    main()
