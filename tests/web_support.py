"""What the web tests share: an example as a filled-in template or a .zip, a throw-away PostgreSQL, a live server.

PostgreSQL: `PARSCORE_TEST_POSTGRES=postgresql://…` uses that server; otherwise a
cluster is made in a temporary folder with the system's `initdb`/`pg_ctl` (Debian's
`postgresql` package, installed by .ci/run), run as the `postgres` user when the
tests run as root. Where neither can be had the PostgreSQL tests skip and say why.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import yaml

from parscore import api
from parscore.render.template import write_template

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
FIVE = ["anh-son-2025", "dao-xa-2025", "hop-tien-2025h2", "nhon-hau-2025", "trieu-an-2023"]


def example_zip(name: str) -> bytes:
    """An example bundle folder as the .zip a commune office would upload (without the golden outputs)."""
    buf = io.BytesIO()
    folder = EXAMPLES / name
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "expected" not in p.relative_to(folder).parts:
                zf.write(p, (Path(name) / p.relative_to(folder)).as_posix())
    return buf.getvalue()


def filled_template(name: str, out: Path) -> Path:
    """The fill-in workbook of the example's framework (`parscore template`), filled with the example's records."""
    import openpyxl
    folder = EXAMPLES / name
    head = yaml.safe_load((folder / "bundle.yaml").read_text(encoding="utf-8"))
    fw = api.load_framework(head["frameworks"][0])
    write_template(fw, api.catalogue(), out)
    wb = openpyxl.load_workbook(out)
    sheet = wb["bundle"]
    values = {"commune": head["commune"], "province": head["province"], "period_start": head["period"]["start"],
              "period_end": head["period"]["end"], "framework": ", ".join(head["frameworks"]), "illustrative": "có"}
    for row in sheet.iter_rows(min_row=2):
        key = str(row[0].value).split("(")[-1].rstrip(")")
        if key in values:
            row[1].value = values[key]
    for table in sorted(folder.glob("*.csv")):
        with open(table, encoding="utf-8", newline="") as fh:
            records = list(csv.DictReader(fh))
        if table.stem in wb.sheetnames:
            ws = wb[table.stem]
            keys = [str(c.value).split("(")[-1].rstrip(")") for c in ws[1]]
            if ws.max_row > 1:
                ws.delete_rows(2, ws.max_row)
        else:
            ws = wb.create_sheet(table.stem)
            keys = list(records[0]) if records else []
            ws.append(keys)
        for rec in records:
            # a workbook carries no attached files: their names would point at nothing
            ws.append([None if (table.stem == "documents" and k == "file") else (rec.get(k) or None) for k in keys])
    metrics = yaml.safe_load((folder / "metrics.yaml").read_text(encoding="utf-8")) if (folder / "metrics.yaml").exists() else {}
    ms = wb["metrics"]
    if ms.max_row > 1:
        ms.delete_rows(2, ms.max_row)
    for metric, entry in (metrics or {}).get("metrics", {}).items():
        ms.append([metric, *(None if entry.get(k) is None else str(entry[k]) for k in
                             ("value", "numerator", "denominator", "not_applicable", "source"))])
    wb.save(out)
    return out


def broken_workbook(name: str, out: Path) -> Path:
    """The filled template with one impossible date in the dossiers sheet's first row."""
    import openpyxl
    filled_template(name, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["dossiers"]
    col = next(i for i, c in enumerate(ws[1], start=1) if str(c.value).endswith("(received_at)"))
    ws.cell(row=2, column=col).value = "31/02/2025"
    wb.save(out)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin(tool: str) -> str | None:
    found = shutil.which(tool)
    if found:
        return found
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / tool).exists():
            return str(d / tool)
    return None


@contextmanager
def postgres() -> Iterator[str | None | Any]:
    """A PostgreSQL URL for the tests, or a string reason why there is none (yielded as `("skip", reason)`)."""
    given = os.environ.get("PARSCORE_TEST_POSTGRES")
    if given:
        yield given
        return
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        yield ("skip", "PostgreSQL is not installed (apt-get install -y postgresql) and PARSCORE_TEST_POSTGRES is not set")
        return
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        yield ("skip", "running as root without runuser: cannot start PostgreSQL as the postgres user")
        return
    folder = Path(tempfile.mkdtemp(prefix="parscore-pg-"))
    data = folder / "data"
    port = free_port()

    def run(*cmd: str) -> subprocess.CompletedProcess[str]:
        full = ["runuser", "-u", "postgres", "--", *cmd] if as_root else list(cmd)
        return subprocess.run(full, capture_output=True, text=True, timeout=60, check=False)
    try:
        if as_root:
            shutil.chown(folder, "postgres", "postgres")
        r = run(initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        if r.returncode != 0:
            yield ("skip", f"initdb failed: {r.stderr.strip()[:200]}")
            return
        r = run(pg_ctl, "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "30", "-o",
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        if r.returncode != 0:
            yield ("skip", f"pg_ctl start failed: {r.stderr.strip()[:200]}")
            return
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class LiveServer:
    """The app under uvicorn in a thread, on a free loopback port (the browser needs a real socket)."""

    def __init__(self, app: Any) -> None:
        import uvicorn
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
