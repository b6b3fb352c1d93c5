"""Derivation end to end, from files: parscore against floors that compute the same figures, checked equal.

For a generated bundle (benchmarks/generate.py), each contender starts from the files on disk and ends
with the QĐ 766 on-time rate and the late-dossier apology coverage (numerator and denominator each):

- parscore: `api.load_bundle` — reads and types every table, checks references, derives every metric
  (those two included) with provenance through the SQL plan run by DuckDB; `--score` also scores it under
  its frameworks (`parscore score`);
- DuckDB: one SQL query over dossiers.csv and documents.csv (types, working days, joins, counts);
- pandas: `read_csv` of the columns needed, then the same computation, vectorised by hand.

Each contender runs in a fresh process of its own (`--one`), so that its time includes nothing another
left warm and its peak memory (ru_maxrss) is its own. The floors are checked to give exactly parscore's
numerators and denominators; the run stops if not. With `--parquet`, the dossiers are read from
dossiers.parquet instead (parscore takes either); with `--typed`, from a Parquet file of typed columns
(timestamps, integers, floats, booleans, as a database exports them) written from the CSV before the
timed runs, by parscore's own reading of it. `--skip pandas` leaves a floor out (at 10^7 pandas needs
some 10 GB).

    python benchmarks/generate.py bundle --dossiers 1000000 --out /tmp/ps-1e6 --parquet
    python benchmarks/bench_derive.py /tmp/ps-1e6 [--parquet | --typed] [--repeat 3] [--score]
    python benchmarks/generate.py bundle --dossiers 10000000 --out /tmp/ps-1e7 --parquet   # optional, ~2 GB
    python benchmarks/bench_derive.py /tmp/ps-1e7 --repeat 1 --skip pandas
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from parscore import api  # noqa: E402

DMY = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S"]


def period_of(folder: Path) -> tuple[str, str]:
    import yaml
    b = yaml.safe_load((folder / "bundle.yaml").read_text(encoding="utf-8"))
    return str(b["period"]["start"]), str(b["period"]["end"])


def duckdb_floor(folder: Path, parquet: bool, typed: bool = False) -> dict[str, tuple[int, int]]:
    import duckdb
    start, end = period_of(folder)
    fmts = "[" + ", ".join(f"'{f}'" for f in DMY) + "]"
    src = (f"read_parquet('{folder / 'dossiers.parquet'}')" if parquet or typed
           else f"read_csv('{folder / 'dossiers.csv'}', all_varchar=true, header=true)")

    def ts(col: str) -> str:
        return col if typed else f"try_strptime(nullif(trim({col}), ''), {fmts})"

    def num(col: str, kind: str) -> str:
        return f"CAST({col} AS {kind})" if typed else f"try_cast(nullif(trim({col}), '') AS {kind})"
    sql = f"""
    WITH docs AS (SELECT trim(id) AS id, lower(trim(type)) AS type
                  FROM read_csv('{folder / 'documents.csv'}', all_varchar=true, header=true)),
    raw AS (
      SELECT {ts('received_at')} AS received, {ts('due_at')} AS due,
             coalesce({ts('finished_at')}, {ts('returned_at')}, {ts('stopped_at')}) AS end_at,
             coalesce({num('supplement_requests', 'BIGINT')}, 0) AS supp_req,
             coalesce({num('supplement_days', 'BIGINT')}, 0) AS supp_days,
             {num('legal_days', 'INTEGER')} AS legal_days,
             lower(trim(late_reason)) AS late_reason, nullif(trim(apology_doc), '') AS apology_doc
      FROM {src}),
    rolled AS (  -- numpy.busday_offset(day, n, roll='forward'): Monday–Friday working days
      SELECT *, CAST(received AS DATE) + CASE isodow(received) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END AS d0 FROM raw),
    due AS (
      SELECT *, coalesce(due, d0 + CAST(7 * (legal_days // 5) + (legal_days % 5)
                            + CASE WHEN isodow(d0) + legal_days % 5 > 5 THEN 2 ELSE 0 END AS INTEGER)
                            + (received - date_trunc('day', received))) AS base_due FROM rolled),
    judged AS (
      SELECT *, CAST(coalesce(end_at, TIMESTAMP '{end} 23:59:59.999999') AS DATE)
                  <= CAST(base_due + to_days(CAST(supp_days AS INTEGER)) AS DATE) AND supp_req <= 1 AS on_time,
             received <= TIMESTAMP '{end} 23:59:59.999999'
                  AND (end_at IS NULL OR end_at >= TIMESTAMP '{start}') AS in_scope
      FROM due),
    flags AS (
      SELECT in_scope, coalesce(on_time, false) AS on_time,
             (coalesce(late_reason, '') <> 'applicant' AND apology_doc IN (SELECT id FROM docs WHERE type = 'apology'))
             OR (late_reason = 'applicant' AND apology_doc IN (SELECT id FROM docs WHERE type IN ('apology', 'explanation')))
               AS apology_ok
      FROM judged)
    SELECT count(*) FILTER (in_scope AND on_time), count(*) FILTER (in_scope),
           count(*) FILTER (in_scope AND NOT on_time AND coalesce(apology_ok, false)), count(*) FILTER (in_scope AND NOT on_time)
    FROM flags"""
    ((a, b, c, d),) = duckdb.sql(sql).fetchall()
    return {"dossier_on_time_rate": (a, b), "late_dossier_apology_rate": (c, d)}


def pandas_floor(folder: Path, parquet: bool, typed: bool = False) -> dict[str, tuple[int, int]]:
    cols = ["received_at", "due_at", "finished_at", "returned_at", "stopped_at", "supplement_requests",
            "supplement_days", "legal_days", "late_reason", "apology_doc"]
    if parquet or typed:
        d = pd.read_parquet(folder / "dossiers.parquet", columns=cols)
    else:
        d = pd.read_csv(folder / "dossiers.csv", usecols=cols, dtype=str, keep_default_na=False)
    docs = pd.read_csv(folder / "documents.csv", dtype=str, keep_default_na=False)
    start, end = period_of(folder)
    p_start, p_end = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)

    def ts(col: str) -> pd.Series:
        if typed:
            return d[col].astype("datetime64[ns]")
        s = d[col].str.strip()
        out = pd.to_datetime(s, format=DMY[0], errors="coerce")
        for fmt in DMY[1:]:
            out = out.fillna(pd.to_datetime(s, format=fmt, errors="coerce"))
        return out

    def num(col: str, default: float | None) -> pd.Series:
        out = d[col].astype(float) if typed else pd.to_numeric(d[col].str.strip().replace("", np.nan), errors="coerce")
        return out.fillna(default) if default is not None else out
    received, due = ts("received_at"), ts("due_at")
    end_at = ts("finished_at").fillna(ts("returned_at")).fillna(ts("stopped_at"))
    legal = num("legal_days", None)
    ok = received.notna() & legal.notna()
    legal_due = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    day0 = received[ok].dt.normalize()
    rolled = np.busday_offset(day0.to_numpy().astype("datetime64[D]"), legal[ok].astype(np.int64).to_numpy(), roll="forward")
    legal_due[ok] = pd.to_datetime(rolled) + (received[ok] - day0)
    effective = due.fillna(legal_due) + pd.to_timedelta(num("supplement_days", 0), unit="D")
    judged = end_at.fillna(p_end)
    on_time = ((judged.dt.normalize() <= effective.dt.normalize()) & (num("supplement_requests", 0) <= 1)).to_numpy()
    in_scope = ((received <= p_end) & (end_at.isna() | (end_at >= p_start))).to_numpy()
    reason = d["late_reason"].fillna("").str.strip().str.lower()
    doc = d["apology_doc"].fillna("").str.strip()
    dtype = docs["type"].str.strip().str.lower()
    apologies = set(docs["id"].str.strip()[dtype == "apology"])
    either = set(docs["id"].str.strip()[dtype.isin(["apology", "explanation"])])
    applicant = (reason == "applicant").to_numpy()
    apology_ok = (~applicant & doc.isin(apologies).to_numpy()) | (applicant & doc.isin(either).to_numpy())
    late = in_scope & ~on_time
    return {"dossier_on_time_rate": (int((in_scope & on_time).sum()), int(in_scope.sum())),
            "late_dossier_apology_rate": (int((late & apology_ok).sum()), int(late.sum()))}


def parscore_run(folder: Path, score: bool) -> dict[str, tuple[int, int]]:
    bundle = api.load_bundle(folder)
    if score:
        for ref in bundle.frameworks:
            api.score_loaded(api.load_framework(ref), bundle)
    return {k: (bundle.metrics[k].num, bundle.metrics[k].den) for k in ("dossier_on_time_rate", "late_dossier_apology_rate")}


def only(folder: Path, parquet: bool, into: Path, typed: bool = False) -> Path:
    """A copy of the bundle holding the dossiers in one format only (parscore refuses a table given twice);
    `typed`: as a Parquet file of typed columns."""
    target = into / folder.name
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns("dossiers.csv" if parquet else "dossiers.parquet"))
    if typed:  # in a process of its own: a child's peak memory (ru_maxrss) would include this one's
        subprocess.run([sys.executable, __file__, str(target), "--write-typed"], check=True)
        (target / "dossiers.csv").unlink()
    return target


def write_typed(folder: Path) -> None:
    """dossiers.csv as a database would export it: each column in its type (counts without blanks as integers),
    converted by parscore's own reading of the CSV (not timed; the figures are checked equal as ever)."""
    import pyarrow as pa

    from parscore.evidence.bundle import read_bundle
    from parscore.evidence.tables import table_specs
    from parscore.evidence.typed import plain

    evidence = read_bundle(folder, api.catalogue()).bundle.evidence
    assert evidence is not None
    table = evidence.tables.arrow("dossiers")  # type: ignore[attr-defined]
    kinds = {c.name: c.type for c in table_specs()["dossiers"].columns}
    columns = {}
    for name in table.column_names:
        if name == "_row":
            continue
        column = plain(table.column(name))
        if kinds[name] == "int" and column.null_count == 0:
            column = column.cast(pa.int64())
        columns[name] = column
    pq.write_table(pa.table(columns), folder / "dossiers.parquet")


CONTENDERS = {"duckdb": duckdb_floor, "pandas": pandas_floor}


def one(name: str, folder: Path, parquet: bool, score: bool, repeat: int, typed: bool = False) -> None:
    """Run one contender `repeat` times in this process; print its best time, peak memory and figures as JSON."""
    best, cpu, got = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, used = time.perf_counter(), _cpu()
        got = parscore_run(folder, score) if name == "parscore" else CONTENDERS[name](folder, parquet, typed)
        best, cpu = min(best, time.perf_counter() - start), min(cpu, _cpu() - used)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": best, "cpu": cpu, "peak_mb": peak, "figures": {k: list(v) for k, v in (got or {}).items()}}))


def _cpu() -> float:
    """CPU seconds of this process, all threads (on a shared machine wall time also counts the others' work)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run(name: str, folder: Path, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, __file__, str(folder), "--one", name, "--repeat", str(args.repeat)]
    cmd += ["--parquet"] if args.parquet else []
    cmd += ["--typed"] if args.typed else []
    cmd += ["--score"] if args.score else []
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--parquet", action="store_true", help="read the dossiers from dossiers.parquet")
    ap.add_argument("--typed", action="store_true", help="read the dossiers from a Parquet file of typed columns")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--score", action="store_true", help="parscore also scores the bundle (as `parscore score`)")
    ap.add_argument("--skip", action="append", default=[], choices=sorted(CONTENDERS), help="leave a floor out")
    ap.add_argument("--one", choices=["parscore", *CONTENDERS], help=argparse.SUPPRESS)
    ap.add_argument("--write-typed", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.write_typed:
        write_typed(args.bundle)
        return
    if args.one:
        one(args.one, args.bundle, args.parquet, args.score, args.repeat, args.typed)
        return
    with tempfile.TemporaryDirectory(prefix="bench-derive-") as tmp:
        folder = only(args.bundle, args.parquet, Path(tmp), args.typed)
        n = pq.ParquetFile(folder / "dossiers.parquet").metadata.num_rows if args.parquet or args.typed else \
            sum(1 for _ in open(folder / "dossiers.csv", "rb")) - 1
        results = {name: run(name, folder, args) for name in ["duckdb", *(c for c in CONTENDERS if c != "duckdb" and c not in args.skip), "parscore"]}
    ps = results["parscore"]
    for name, r in results.items():
        if r["figures"] != ps["figures"]:
            sys.exit(f"the {name} floor computes different figures: {r['figures']} != parscore {ps['figures']}")
    fmt = "typed Parquet" if args.typed else "Parquet" if args.parquet else "CSV"
    figs = ps["figures"]
    print(f"{n:,} dossiers from {fmt}; on-time {tuple(figs['dossier_on_time_rate'])}, apology "
          f"{tuple(figs['late_dossier_apology_rate'])} (num, den) — equal in all {len(results)}")
    what = "load + derive all + score" if args.score else "load + type + derive all metrics"
    t_ps = ps["seconds"]
    print(f"  parscore ({what}) : {t_ps:8.2f} s   {n / t_ps:>12,.0f} dossiers/s   peak {ps['peak_mb']:>7,.0f} MB"
          f"   CPU {ps['cpu']:.2f} s")
    for name, label in (("duckdb", "DuckDB, one query"), ("pandas", "pandas read + compute")):
        if name in results:
            r = results[name]
            print(f"  {label:<40}: {r['seconds']:8.2f} s   {n / r['seconds']:>12,.0f} dossiers/s   peak {r['peak_mb']:>7,.0f} MB"
                  f"   parscore/{name} = {t_ps / r['seconds']:.1f}×   CPU {r['cpu']:.2f} s ({ps['cpu'] / r['cpu']:.1f}×)")


if __name__ == "__main__":
    main()
