"""The five fuzzed loaders and what counts as a crash, shared by `fuzz/run.py` and `tests/test_fuzz.py`.

Each target takes bytes and feeds them to one loader. The contract (issue 10): an input either loads or
raises `InputErrors`; anything else escaping — a traceback, a wrong exception, a disagreement between
the two readers of a number — is a crash. A target raises `Crash` (or lets the stray exception through)
and the harness records the input as a regression case.
"""
from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from parscore import api
from parscore.core import yamlio
from parscore.core.errors import InputErrors
from parscore.core.numbers import NotANumber, fraction, parse_decimal
from parscore.evidence.tables import _numbers
from parscore.planning.scenario import apply_to_bundle, apply_to_framework, scenario_from

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "reported-only"
FRAMEWORK = ROOT / "criteria" / "sipas-2017"  # the smallest shipped tree: more executions per second
CSV_HEADER = b"id,received_at,due_at,finished_at,channel\n"


class Crash(AssertionError):
    """The loader broke the contract for this input."""


def text_of(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def numbers(data: bytes) -> None:
    """The one number parser, and its vectorised use on CSV cells, must agree on every text."""
    text = text_of(data)[:200]
    try:
        expected: float | None = float(parse_decimal(text))
    except NotANumber:
        expected = None
    values, codes = _numbers(pd.Series([text], dtype=object))
    got = None if math.isnan(values.iloc[0]) else float(values.iloc[0])
    if got != expected:
        raise Crash(f"YAML/CLI reader gives {expected!r}, CSV cell reader gives {got!r} for {text!r}")
    if (got is None) != bool(codes.iloc[0]):
        raise Crash(f"a refused cell without a reason (or a reason for an accepted one): {text!r}")
    try:
        fraction(text)
    except NotANumber:
        pass


def yaml_text(data: bytes) -> None:
    try:
        yamlio.loads(text_of(data), "fuzz.yaml")
    except InputErrors:
        pass


def _fresh_bundle(tmp: Path) -> Path:
    dst = tmp / "bundle"
    shutil.copytree(FIXTURE, dst)
    return dst


def bundle(data: bytes) -> None:
    """Bytes split at the first NUL-free separator into metrics.yaml and dossiers.csv of a real bundle."""
    metrics, _, table = data.partition(b"\n===\n")
    with tempfile.TemporaryDirectory(prefix="parscore-fuzz-") as tmp:
        root = _fresh_bundle(Path(tmp))
        (root / "metrics.yaml").write_bytes(metrics)
        if table:
            # CSV encodings (cp1258, UTF-16…) are issue 9's detection; here the table is made valid UTF-8 so the
            # fuzzer spends its time on everything after decoding.
            table = table.decode("utf-8", errors="replace").encode("utf-8")
            (root / "dossiers.csv").write_bytes(table if b"\n" in table[:200] else CSV_HEADER + table)
        try:
            api.load_bundle(root)
        except InputErrors:
            pass


def framework(data: bytes) -> None:
    """The bytes as tree.yaml of a copy of the reference framework."""
    with tempfile.TemporaryDirectory(prefix="parscore-fuzz-") as tmp:
        dst = Path(tmp) / "fw"
        dst.mkdir()
        shutil.copy(FRAMEWORK / "manifest.yaml", dst / "manifest.yaml")
        (dst / "tree.yaml").write_bytes(data)
        try:
            api.registry().load(str(dst))
        except InputErrors:
            pass


_BASE: dict[str, object] = {}


def scenario(data: bytes) -> None:
    """The bytes as a scenario, applied to the fixture bundle under the reference framework."""
    if not _BASE:
        _BASE["bundle"] = api.load_bundle(FIXTURE)
        _BASE["fw"] = api.load_framework("reference-par-2025")
    try:
        sc = scenario_from(yamlio.loads(text_of(data), "fuzz-scenario.yaml"), api.catalogue())
        apply_to_framework(_BASE["fw"], sc)  # type: ignore[arg-type]
        apply_to_bundle(_BASE["bundle"], sc, api.catalogue())  # type: ignore[arg-type]
    except InputErrors:
        pass


TARGETS: dict[str, Callable[[bytes], None]] = {
    "numbers": numbers, "yaml": yaml_text, "bundle": bundle, "framework": framework, "scenario": scenario}
