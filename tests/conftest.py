from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # tests/helpers.py, tests/browser.py
pytest_plugins = ["browser"]  # the shared headless Chromium fixtures


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A writable copy of the reported-figures-only fixture bundle."""
    dst = tmp_path / "bundle"
    shutil.copytree(ROOT / "tests" / "fixtures" / "reported-only", dst)
    return dst


@pytest.fixture
def framework_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "fw"
    shutil.copytree(ROOT / "criteria" / "reference-par-2025", dst)
    return dst
