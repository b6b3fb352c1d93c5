"""Runs a chunk of the bad-input corpus in one process (started under resource limits by conftest).

Input: a JSON file of cases {name, argv, cwd}. Output (stdout): JSON {name: {code, stderr, stdout, escaped, seconds}}.
`escaped` holds the traceback of any exception that got out of the `parscore` command itself — what a
user would see as a traceback — which the contract forbids.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
import traceback

from parscore.cli import main


def run(argv: list[str]) -> dict[str, object]:
    err, out = io.StringIO(), io.StringIO()
    code: object = 0
    escaped = ""
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            main.main(args=argv, prog_name="parscore", standalone_mode=True)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:  # noqa: BLE001 - the point is to record anything that escapes
            code, escaped = "escaped", traceback.format_exc()
    return {"code": code, "stderr": err.getvalue(), "stdout": out.getvalue()[:2000], "escaped": escaped,
            "seconds": round(time.perf_counter() - start, 3)}


def main_() -> None:
    cases = json.loads(open(sys.argv[1], encoding="utf-8").read())
    results = {}
    for c in cases:
        os.chdir(c["cwd"])
        results[c["name"]] = run(c["argv"])
    sys.stdout = sys.__stdout__
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main_()
