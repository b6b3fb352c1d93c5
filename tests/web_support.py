"""What the web tests share: an example as a filled-in template or a .zip, a throw-away PostgreSQL, a live server.

PostgreSQL: `PARSCORE_TEST_POSTGRES=postgresql://…` uses that server; otherwise a
cluster is made in a temporary folder with the system's `initdb`/`pg_ctl` (Debian's
`postgresql` package, installed by .ci/run), run as the `postgres` user when the
tests run as root. Where neither can be had the PostgreSQL tests skip and say why.
"""
from __future__ import annotations

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

from parscore.evidence.tables import table_specs
from parscore.render.template import sheet_name

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
    """The fill-in workbook of the example's framework (`parscore template`), filled with the example's records
    as a clerk types them (tests/test_template_roundtrip.py), without attached files: a workbook carries none."""
    import openpyxl
    from test_template_roundtrip import fill_like_a_clerk
    folder = EXAMPLES / name
    head = yaml.safe_load((folder / "bundle.yaml").read_text(encoding="utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    fill_like_a_clerk(folder, out, head["frameworks"][0], with_files=False)
    wb = openpyxl.load_workbook(out)
    info = wb["Thông tin chung"]
    for r in range(2, info.max_row + 1):  # every framework the bundle names, not only its first
        if str(info.cell(r, 1).value or "").endswith("(framework)"):
            info.cell(r, 2).value = ", ".join(head["frameworks"])
    wb.save(out)
    return out


def broken_workbook(name: str, out: Path) -> Path:
    """The filled template with one impossible date in the dossiers sheet's first record."""
    import openpyxl
    filled_template(name, out)
    wb = openpyxl.load_workbook(out)
    ws = wb[sheet_name(table_specs()["dossiers"])]
    col = next(i for i, c in enumerate(ws[1], start=1) if str(c.value).endswith("(received_at)"))
    row = next(r for r in range(2, ws.max_row + 1) if not str(ws.cell(r, 1).value or "").startswith("*"))
    ws.cell(row=row, column=col).value = "31/02/2025"
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
