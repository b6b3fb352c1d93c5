"""Large inputs for the benchmarks, made from the shipped examples (their rows resampled, ids made unique).

    python benchmarks/generate.py bundle --dossiers 1000000 --out /tmp/ps-1e6 [--parquet]
    python benchmarks/generate.py communes --communes 3321 --dossiers 2000 --out /tmp/ps-country [--scale 0.1]

`bundle`: one bundle (the tables of examples/dao-xa-2025) whose dossiers table holds N dossiers: the
example's own 1,480 (which its documents refer to) followed by rows drawn from them with new ids.
`communes`: one bundle folder per commune, each with ~N dossiers drawn from a 2025 example, for `batch`.
`--parquet` also writes `dossiers.parquet` beside the CSV; parscore refuses a table given twice, so
bench_derive.py scores a copy holding one of them (or delete one to score the folder itself).
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SOURCES = ("dao-xa-2025", "anh-son-2025", "nhon-hau-2025")  # full-year 2025 bundles
CHUNK = 1_000_000


def source_rows(example: str) -> pd.DataFrame:
    return pd.read_csv(EXAMPLES / example / "dossiers.csv", dtype=str, keep_default_na=False)


def copy_bundle(example: str, out: Path, commune: str | None = None) -> None:
    """The example's files, except its dossiers and golden outputs."""
    out.mkdir(parents=True, exist_ok=True)
    src = EXAMPLES / example
    for p in src.iterdir():
        if p.name in ("dossiers.csv", "expected"):
            continue
        if p.is_dir():
            shutil.copytree(p, out / p.name, dirs_exist_ok=True)
        else:
            shutil.copy2(p, out / p.name)
    if commune:
        text = (out / "bundle.yaml").read_text(encoding="utf-8")
        lines = [f"commune: {commune}" if line.startswith("commune:") else line for line in text.splitlines()]
        (out / "bundle.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def dossier_rows(base: pd.DataFrame, n: int, rng: np.random.Generator, start: int) -> pd.DataFrame:
    """n rows drawn from `base` with fresh ids HS-X<number> (numbered from `start`)."""
    picked = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
    picked["id"] = [f"HS-X{i:09d}" for i in range(start, start + n)]
    return picked


def write_csv_chunks(chunks, path: Path, parquet: bool) -> None:
    writer = pq_writer = None
    for frame in chunks:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if writer is None:
            writer = pacsv.CSVWriter(path, table.schema)
            if parquet:
                pq_writer = pq.ParquetWriter(path.with_suffix(".parquet"), table.schema)
        writer.write_table(table)
        if pq_writer is not None:
            pq_writer.write_table(table)
    if writer is not None:
        writer.close()
    if pq_writer is not None:
        pq_writer.close()


def make_bundle(n: int, out: Path, parquet: bool, seed: int = 12) -> None:
    example = SOURCES[0]
    copy_bundle(example, out)
    base = source_rows(example)
    rng = np.random.default_rng(seed)

    def chunks():
        yield base.iloc[: min(n, len(base))]
        done = len(base)
        while done < n:
            k = min(CHUNK, n - done)
            yield dossier_rows(base, k, rng, done)
            done += k
    write_csv_chunks(chunks(), out / "dossiers.csv", parquet)
    print(f"{out}: {n:,} dossiers")


def make_communes(count: int, n: int, out: Path, parquet: bool, seed: int = 13) -> None:
    rng = np.random.default_rng(seed)
    bases = {s: source_rows(s) for s in SOURCES}
    for i in range(count):
        example = SOURCES[i % len(SOURCES)]
        base = bases[example]
        folder = out / f"xa-{i:05d}"
        copy_bundle(example, folder, commune=f"Xã số {i + 1}")
        extra = max(0, n - len(base))
        frame = pd.concat([base, dossier_rows(base, extra, rng, 0)]) if extra else base
        write_csv_chunks([frame], folder / "dossiers.csv", parquet)
    print(f"{out}: {count:,} communes of ~{n:,} dossiers")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    b = sub.add_parser("bundle")
    b.add_argument("--dossiers", type=int, default=1_000_000)
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--parquet", action="store_true")
    c = sub.add_parser("communes")
    c.add_argument("--communes", type=int, default=3321)
    c.add_argument("--dossiers", type=int, default=2000)
    c.add_argument("--scale", type=float, default=1.0, help="multiply the number of communes (quick runs)")
    c.add_argument("--out", type=Path, required=True)
    c.add_argument("--parquet", action="store_true")
    args = ap.parse_args()
    if args.what == "bundle":
        make_bundle(args.dossiers, args.out, args.parquet)
    else:
        make_communes(max(1, round(args.communes * args.scale)), args.dossiers, args.out, args.parquet)


if __name__ == "__main__":
    main()
