"""Bounded fuzzing of the five loaders (part of every run), the crashes fuzzing found, and the one number parser.

The long coverage-guided run is `python fuzz/run.py` (see its docstring); both use the targets of
`fuzz/targets.py`, so "what counts as a crash" is written once.
"""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fuzz.targets import TARGETS  # noqa: E402

from parscore import api  # noqa: E402
from parscore.core.errors import Collector  # noqa: E402
from parscore.core.numbers import MAX_DECIMALS, MAX_INTEGER_DIGITS, NotANumber, parse_decimal  # noqa: E402
from parscore.core.yamlio import loads  # noqa: E402
from parscore.evidence.tables import _numbers  # noqa: E402
from parscore.metrics.values import parse_entries  # noqa: E402
from parscore.planning.scenario import scenario_from  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "fuzz" / "corpus"
QUICK = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# Characters numbers are made of, and the ones that break them.
NUMBERISH = st.text(st.sampled_from("0123456789.,+-eE %\u202f\u00a0/_:١１∞xInfinityNa"), max_size=24)


def seeds(name: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted((CORPUS / name).iterdir())]


def mutated(name: str) -> st.SearchStrategy[bytes]:
    """A seed with a few bytes replaced, inserted or cut: closer to real files than random bytes."""
    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds(name))))
        for _ in range(draw(st.integers(1, 6))):
            pos = draw(st.integers(0, len(data)))
            op = draw(st.sampled_from(["insert", "cut", "replace"]))
            chunk = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                [b"\x00", b".inf", b"1:30", b"2025-02-31", b"[[[[", b"!!binary ", b"1e999999", b"\n===\n", b",,,,", b"&a "]))
            if op == "insert":
                data[pos:pos] = chunk
            elif op == "cut":
                del data[pos:pos + len(chunk)]
            else:
                data[pos:pos + len(chunk)] = chunk
        return bytes(data)
    return build()


# ---- every loader, bounded ------------------------------------------------------------------------------

@QUICK
@given(NUMBERISH.map(str.encode) | st.binary(max_size=40))
def test_fuzz_numbers(data: bytes) -> None:
    TARGETS["numbers"](data)


@QUICK
@given(mutated("yaml") | st.text(max_size=200).map(str.encode))
def test_fuzz_yaml(data: bytes) -> None:
    TARGETS["yaml"](data)


@SLOW
@given(mutated("bundle"))
def test_fuzz_bundle(data: bytes) -> None:
    TARGETS["bundle"](data)


@SLOW
@given(mutated("framework"))
def test_fuzz_framework(data: bytes) -> None:
    TARGETS["framework"](data)


@QUICK
@given(mutated("scenario"))
def test_fuzz_scenario(data: bytes) -> None:
    TARGETS["scenario"](data)


# ---- every crash fuzzing or the corpus ever found: a regression case each -------------------------------

REGRESSIONS = {
    # found by fuzz/run.py: normalize() applied the context's Emin, the bound passed, then 10**10444448 was built
    "numbers": [b"4444444444444444444444444444441e-10444448", b"1e100000000", b"1e-100000000", b"9" * 5000,
                "١٢٣".encode(), b"Infinity", b"0e-99999999"],
    "yaml": [b"a: .Inf", b"a: 1:30.5", b"a: 2025-02-31", b"a: \x00", b"a: " + b"[" * 20000, b"a: !!timestamp xx",
             b"a: !!binary aGk=", b"? [a]\n: b", b"a: !!python/object:os.system {}", b"a: " + b"9" * 5000],
    "bundle": [b"metrics: {}\n===\n" + b"id,received_at\n1,01/01/1500\n", b"metrics: {}\n===\n",
               b"metrics:\n  dialogues_held: {value: 1e400}\n", b"metrics: {}\n===\nid,legal_days\nx,1.5\n"],
    "framework": [b"fields: [[[[", b"fields:\n- {id: S, max_points: .inf}\n"],
    "scenario": [b"name: x\nadd: {sipas_access: {value: '1/0'}}\n", b"name: x\nadd: {dossier_on_time_rate: {numerator: '2,5'}}\n",
                 b"name: x\nframework:\n  leaves:\n    '1.1': {full_from: '1e999'}\n"],
}


@pytest.mark.parametrize("name,data", [(n, d) for n, items in REGRESSIONS.items() for d in items],
                         ids=[f"{n}-{i}" for n, items in REGRESSIONS.items() for i in range(len(items))])
def test_regression(name: str, data: bytes) -> None:
    TARGETS[name](data)


# ---- one number parser: every path agrees -----------------------------------------------------------------

def _via_metrics_yaml(text: str) -> int | None:
    """A count in metrics.yaml (quoted, so YAML keeps the text as typed)."""
    doc = loads(f'metrics:\n  dialogues_held: {{value: "{text}"}}\n', "metrics.yaml")
    c = Collector()
    got = parse_entries(c, doc, doc.data["metrics"], ("metrics",), api.catalogue())
    return got["dialogues_held"].n if "dialogues_held" in got else None


def _via_csv_cell(text: str) -> int | None:
    values, _ = _numbers(pd.Series([text], dtype=object))
    v = values.iloc[0]
    return None if v != v or v < 0 or v % 1 else int(v)


def _via_scenario(text: str) -> bool:
    doc = loads(f'name: x\nadd:\n  dialogues_held: {{value: "{text}"}}\n', "scenario.yaml")
    try:
        scenario_from(doc, api.catalogue())
        return True
    except Exception:  # noqa: BLE001 - InputErrors expected; anything else fails the equality below loudly
        return False


def _via_cli(text: str) -> Decimal | None:
    try:
        return parse_decimal(text)  # what --vary, --fail-under and --target read with
    except NotANumber:
        return None


@settings(max_examples=300, deadline=None, derandomize=True)
@given(NUMBERISH.filter(lambda t: '"' not in t and "\\" not in t))
@example("1\u202f234,5")
@example("1.234.567")
@example("Infinity")
@example("12%")
@example("١٢")
def test_every_path_reads_a_number_alike(text: str) -> None:
    """The same text is accepted (with the same value) or refused by metrics.yaml, a CSV cell, a scenario and the CLI."""
    cli = _via_cli(text)
    yaml_count = _via_metrics_yaml(text)
    csv_count = _via_csv_cell(text)
    assert yaml_count == csv_count, (text, yaml_count, csv_count)
    # a scenario adds whole events to a count: the same reading, then the count's own rule
    assert _via_scenario(text) == (cli is not None and cli == cli.to_integral_value()), text
    if cli is not None and cli >= 0 and cli == cli.to_integral_value():
        assert yaml_count == int(cli)


def test_the_two_readers_agree_on_the_issue_example() -> None:
    assert _via_metrics_yaml("1\u202f234,5") is None and _via_csv_cell("1\u202f234,5") is None  # 1234.5: not a count
    assert parse_decimal("1\u202f234,5") == Decimal("1234.5")
    assert _numbers(pd.Series(["1\u202f234,5"], dtype=object))[0].iloc[0] == 1234.5


@pytest.mark.parametrize("text,code", [
    ("1" + "0" * MAX_INTEGER_DIGITS, "number_too_large"), ("0." + "1" * (MAX_DECIMALS + 1), "number_too_precise"),
    ("1e100000000", "number_too_large"), ("1e-100000000", "number_too_precise"), ("inf", "bad_number"),
    ("12%", "bad_number"), ("١٢", "bad_number"), ("1,234,567", "bad_number")])
def test_limits_and_refusals_say_why(text: str, code: str) -> None:
    with pytest.raises(NotANumber) as exc:
        parse_decimal(text)
    assert exc.value.code == code


def test_percent_sign_only_where_a_percentage_is_meant() -> None:
    assert parse_decimal("97,5 %", percent=True) == Decimal("97.5")
    with pytest.raises(NotANumber):
        parse_decimal("97,5 %")
