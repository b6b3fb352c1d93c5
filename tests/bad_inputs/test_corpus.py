"""Every case of the bad-input corpus: exit 2, one located line naming the file and the place, no traceback,
nothing written, and within the worker's memory and CPU limits (see conftest)."""
from __future__ import annotations

import re
from typing import Any

import pytest

from cases import CASES, Case


def _files(folder: Any) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, corpus: dict[str, Any]) -> None:
    r = corpus[case.name]
    assert not r["escaped"], r["escaped"]
    assert "Traceback" not in r["stderr"] + r["stdout"]
    assert r["code"] == 2, (r["code"], r["stderr"], r["stdout"])
    lines = [x for x in r["stderr"].splitlines() if x.strip()]
    assert len(lines) == 1, lines
    line = lines[0]
    assert case.file in line, (case.file, line)
    assert re.search(case.place, line), (case.place, line)
    assert " — fix: " in line, line  # every message says how to fix it
    if case.out:
        leftovers = [f for f in _files(r["folder"]) if re.match(r"(.*/)?\.?out\.(json|csv|xlsx)", f)]
        assert not leftovers, leftovers  # nothing written, not even a temporary file


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 150
