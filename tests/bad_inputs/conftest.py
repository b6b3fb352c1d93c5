"""Builds the bad-input corpus once per session and runs it in worker processes under resource limits.

Each chunk of cases runs in its own process with an address-space limit (RLIMIT_AS) and a CPU-time
limit (RLIMIT_CPU): a case that hangs or balloons kills its worker, and every case of that chunk then
fails with the reason — bounds enforced by the kernel, not by timing asserts.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cases import CASES  # noqa: E402

MEMORY_LIMIT = 3 * 1024 ** 3  # bytes of address space per worker (pandas + numpy alone map ~1 GB)
CPU_LIMIT = 240  # CPU seconds per worker, for its whole chunk (~40 cases)
CHUNKS = 4


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT))


def _run_chunk(spec: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, str(Path(__file__).parent / "worker.py"), str(spec)], capture_output=True,
                          text=True, preexec_fn=_limits)
    if proc.returncode != 0:
        reason = f"worker died (exit {proc.returncode}; over a resource limit?): {proc.stderr[-2000:]}"
        return {c["name"]: {"code": "died", "stderr": reason, "stdout": "", "escaped": reason, "seconds": 0}
                for c in json.loads(spec.read_text(encoding="utf-8"))}
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """name -> {folder, result}: every case built in its own folder, then all run in parallel chunks."""
    root = tmp_path_factory.mktemp("bad-inputs")
    specs: list[dict[str, Any]] = []
    folders = {}
    for case in CASES:
        folder = root / case.name.replace("/", "_")
        folder.mkdir(parents=True)
        argv = case.build(folder)
        folders[case.name] = folder
        specs.append({"name": case.name, "argv": [str(a) for a in argv], "cwd": str(folder)})
    files = []
    for i in range(CHUNKS):
        f = root / f"chunk-{i}.json"
        f.write_text(json.dumps(specs[i::CHUNKS], ensure_ascii=False), encoding="utf-8")
        files.append(f)
    results: dict[str, Any] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for part in pool.map(_run_chunk, files):
            results.update(part)
    return {name: {"folder": folders[name], **results[name]} for name in folders}
