"""`parscore batch` over many communes (benchmarks/generate.py communes) against a DuckDB and a pyarrow floor, same run.

parscore: `api.batch` — every bundle loaded, typed and derived (worker processes, a chunk of bundles derived in one
partitioned run), scored, ranked exactly and classified. Floors: DuckDB reading every commune's dossiers.csv in one
query and computing each commune's QĐ 766 on-time rate (types, working days, period, supplements) in one group-by;
pyarrow reading every commune's dossiers.csv (its own multi-threaded reader) and computing the same rate per commune
in one group-by (issue 12's floor). The two floors are checked equal for every commune, and to the numerator and
denominator parscore derived for a sample of communes.

    python benchmarks/generate.py communes --communes 3321 --dossiers 2000 --out /tmp/country
    python benchmarks/bench_country.py /tmp/country [--jobs 2]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_derive import DMY, period_of  # noqa: E402

from parscore import api  # noqa: E402
from parscore.evidence.bundle import load_bundle  # noqa: E402


def duckdb_on_time(folder: Path) -> dict[str, tuple[int, int]]:
    import duckdb
    first = next(p for p in sorted(folder.iterdir()) if (p / "bundle.yaml").is_file())
    start, end = period_of(first)  # the generated communes share one period
    fmts = "[" + ", ".join(f"'{f}'" for f in DMY) + "]"

    def ts(col: str) -> str:
        return f"try_strptime(nullif(trim({col}), ''), {fmts})"
    sql = f"""
    WITH raw AS (
      SELECT parse_dirpath(filename) AS commune, {ts('received_at')} AS received, {ts('due_at')} AS due,
             coalesce({ts('finished_at')}, {ts('returned_at')}, {ts('stopped_at')}) AS end_at,
             coalesce(try_cast(nullif(trim(supplement_requests), '') AS BIGINT), 0) AS supp_req,
             coalesce(try_cast(nullif(trim(supplement_days), '') AS INTEGER), 0) AS supp_days,
             try_cast(nullif(trim(legal_days), '') AS INTEGER) AS legal_days
      FROM read_csv('{folder}/*/dossiers.csv', all_varchar=true, header=true, filename=true)),
    rolled AS (SELECT *, CAST(received AS DATE) + CASE isodow(received) WHEN 6 THEN 2 WHEN 7 THEN 1 ELSE 0 END AS d0 FROM raw),
    due AS (SELECT *, coalesce(due, d0 + CAST(7 * (legal_days // 5) + (legal_days % 5)
                            + CASE WHEN isodow(d0) + legal_days % 5 > 5 THEN 2 ELSE 0 END AS INTEGER)
                            + (received - date_trunc('day', received))) AS base_due FROM rolled),
    flags AS (
      SELECT commune, coalesce(CAST(coalesce(end_at, TIMESTAMP '{end} 23:59:59.999999') AS DATE)
                  <= CAST(base_due + to_days(supp_days) AS DATE) AND supp_req <= 1, false) AS on_time,
             received <= TIMESTAMP '{end} 23:59:59.999999' AND (end_at IS NULL OR end_at >= TIMESTAMP '{start}') AS in_scope
      FROM due)
    SELECT commune, count(*) FILTER (in_scope AND on_time), count(*) FILTER (in_scope) FROM flags GROUP BY commune"""
    return {Path(c).name: (a, b) for c, a, b in duckdb.sql(sql).fetchall()}


def pyarrow_on_time(folder: Path) -> dict[str, tuple[int, int]]:
    """The DuckDB floor's figures, computed with pyarrow: read every commune's CSV, one group-by."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    first = next(p for p in sorted(folder.iterdir()) if (p / "bundle.yaml").is_file())
    start, end = period_of(first)
    cols = ["received_at", "due_at", "finished_at", "returned_at", "stopped_at", "supplement_requests",
            "supplement_days", "legal_days"]
    convert = pacsv.ConvertOptions(include_columns=cols, column_types={c: pa.string() for c in cols})
    names, tables = [], []
    for p in sorted(folder.iterdir()):
        if (p / "dossiers.csv").is_file():
            t = pacsv.read_csv(p / "dossiers.csv", convert_options=convert)
            tables.append(t.append_column("commune", pa.array(np.full(t.num_rows, len(names), dtype=np.int32))))
            names.append(p.name)
    d = pa.concat_tables(tables)

    def ts(col: str) -> np.ndarray:
        s = pc.utf8_trim_whitespace(d[col])
        out = None
        for fmt in DMY:
            got = pc.strptime(s, format=fmt, unit="us", error_is_null=True)
            out = got if out is None else pc.coalesce(out, got)
        return out.to_numpy(zero_copy_only=False).astype("datetime64[us]")

    def num(col: str, default: int | None) -> np.ndarray:
        s = pc.if_else(pc.equal(pc.utf8_trim_whitespace(d[col]), ""), None, pc.utf8_trim_whitespace(d[col]))
        out = pc.cast(s, pa.float64()).to_numpy(zero_copy_only=False)
        return np.nan_to_num(out, nan=default) if default is not None else out
    received, due = ts("received_at"), ts("due_at")
    end_at = ts("finished_at")
    for c in ("returned_at", "stopped_at"):
        end_at = np.where(np.isnat(end_at), ts(c), end_at)
    legal, supp_days, supp_req = num("legal_days", None), num("supplement_days", 0), num("supplement_requests", 0)
    day0 = received.astype("datetime64[D]")
    dow = (day0.astype(np.int64) + 3) % 7  # Monday 0
    d0 = day0 + np.where(dow == 5, 2, np.where(dow == 6, 1, 0)).astype("timedelta64[D]")
    dow0 = (d0.astype(np.int64) + 3) % 7
    whole = np.nan_to_num(legal, nan=0).astype(np.int64)
    step = 7 * (whole // 5) + whole % 5 + np.where(dow0 + whole % 5 > 4, 2, 0)
    legal_due = (d0 + step.astype("timedelta64[D]")).astype("datetime64[us]") + (received - day0.astype("datetime64[us]"))
    legal_due[np.isnan(legal) | np.isnat(received)] = np.datetime64("NaT")
    base_due = np.where(np.isnat(due), legal_due, due)
    p_end = np.datetime64(f"{end}T23:59:59.999999", "us")
    judged = np.where(np.isnat(end_at), p_end, end_at).astype("datetime64[D]")
    effective = (base_due.astype("datetime64[D]") + supp_days.astype(np.int64).astype("timedelta64[D]"))
    on_time = (judged <= effective) & ~np.isnat(base_due) & (supp_req <= 1)
    in_scope = (received <= p_end) & (np.isnat(end_at) | (end_at >= np.datetime64(start, "us"))) & ~np.isnat(received)
    flags = pa.table({"commune": d["commune"], "on": pa.array(in_scope & on_time), "scope": pa.array(in_scope)})
    grouped = flags.group_by("commune").aggregate([("on", "sum"), ("scope", "sum")]).to_pydict()
    return {names[c]: (int(a), int(b)) for c, a, b in zip(grouped["commune"], grouped["on_sum"], grouped["scope_sum"])}


def _cpu() -> tuple[float, float]:
    """User + system CPU seconds of this process (the batch's parent: unpacking, grading) and of its finished
    children (the batch's workers: reading, typing, deriving)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", type=Path)
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    communes = sorted(p for p in args.folder.iterdir() if (p / "bundle.yaml").is_file())
    t0 = time.perf_counter()
    floor = duckdb_on_time(args.folder)
    t_floor = time.perf_counter() - t0
    t0 = time.perf_counter()
    arrow = pyarrow_on_time(args.folder)
    t_arrow = time.perf_counter() - t0
    if arrow != floor:
        bad = sorted(k for k in floor if arrow.get(k) != floor[k])[:3]
        sys.exit(f"the floors disagree: {[(k, floor[k], arrow.get(k)) for k in bad]}")
    own0, kids0 = _cpu()
    t0 = time.perf_counter()
    result = api.batch([args.folder], jobs=args.jobs)
    t_ps = time.perf_counter() - t0
    own1, kids1 = _cpu()
    cpu_ps = (own1 - own0) + (kids1 - kids0)
    assert not result.errors, result.errors[:3]
    for p in communes[:: max(1, len(communes) // 50)]:  # parscore's own figures for a sample of communes
        m = load_bundle(p, api.catalogue()).metrics["dossier_on_time_rate"]
        if floor[p.name] != (m.num, m.den):
            sys.exit(f"{p.name}: the floor computes {floor[p.name]}, parscore {(m.num, m.den)}")
    n = len(result.entries)
    print(f"{n:,} communes ranked ({result.framework.id}); on-time figures equal to the floor's (sampled)")
    print(f"  parscore batch      : {t_ps:8.1f} s   {n / t_ps:8.1f} communes/s")
    print(f"  DuckDB floor (1 query): {t_floor:8.1f} s   parscore/floor = {t_ps / t_floor:.1f}×")
    print(f"  pyarrow floor (read + 1 group-by): {t_arrow:8.1f} s   parscore/floor = {t_ps / t_arrow:.1f}×")
    # On a shared machine wall time swings with the others' load; CPU seconds (this process and its workers) do not.
    jobs = args.jobs or os.cpu_count() or 1
    print(f"  parscore CPU        : {cpu_ps:8.1f} s   ({cpu_ps / n * 1000:.0f} ms a commune: workers {kids1 - kids0:.1f} s, "
          f"parent {own1 - own0:.1f} s; on {jobs} idle cores ≈ {cpu_ps / jobs:.1f} s wall; × {3321 / n:.1f} for 3,321 "
          f"communes ≈ {cpu_ps / jobs * 3321 / n:.0f} s)")


if __name__ == "__main__":
    main()
