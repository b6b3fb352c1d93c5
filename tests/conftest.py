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


@pytest.fixture(autouse=True)
def _user_settings_out_of_the_way(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests do not read the developer's language or config file, and see a wide screen
    (they check what the tables say; tests/test_language.py checks 80 columns on purpose)."""
    monkeypatch.delenv("PARSCORE_LANG", raising=False)
    monkeypatch.setenv("PARSCORE_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NO_COLOR", raising=False)
