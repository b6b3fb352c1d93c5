"""The on-disk cache of compiled frameworks and catalogue: used when whole and current, rebuilt otherwise."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from parscore.core import cache
from parscore.criteria.framework import FrameworkRegistry
from parscore.evidence.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("PARSCORE_CACHE", str(where))
    return where


def test_second_build_comes_from_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("a")
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}
    assert cache.cached("t", [src], build) == {"n": 1}
    assert cache.cached("t", [src], build) == {"n": 1}
    assert len(calls) == 1
    src.write_text("b")  # a changed input is a new key: rebuilt
    assert cache.cached("t", [src], build) == {"n": 2}


def test_a_corrupt_entry_is_rebuilt_not_trusted(cache_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text("a")
    cache.cached("t", [src], lambda: [1, 2, 3])
    (entry,) = cache_dir.glob("t-*.pickle")
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0xFF  # one flipped byte in the pickle
    entry.write_bytes(bytes(data))
    assert cache.cached("t", [src], lambda: ["rebuilt"]) == ["rebuilt"]
    entry.write_bytes(b"garbage")
    assert cache.cached("t", [src], lambda: ["again"]) == ["again"]


def test_a_folder_others_can_write_is_not_used(cache_dir: Path, tmp_path: Path) -> None:
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o777)
    assert cache.folder() is None
    src = tmp_path / "in.txt"
    src.write_text("a")
    assert cache.cached("t", [src], lambda: 1) == 1
    assert not list(cache_dir.glob("*.pickle"))


def test_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARSCORE_CACHE", "off")
    assert cache.folder() is None


def test_cached_framework_equals_a_fresh_one_and_follows_edits(cache_dir: Path, tmp_path: Path) -> None:
    criteria = tmp_path / "criteria"
    shutil.copytree(ROOT / "criteria" / "sipas-2017", criteria / "sipas-2017")
    catalogue = load_rules()
    fresh = FrameworkRegistry(criteria, catalogue).load("sipas-2017")
    again = FrameworkRegistry(criteria, catalogue).load("sipas-2017")  # a new registry: from disk
    assert again == fresh and again is not fresh
    manifest = criteria / "sipas-2017" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "version: '2017.1'" in text
    manifest.write_text(text.replace("version: '2017.1'", "version: '9.9.9'"), encoding="utf-8")
    edited = FrameworkRegistry(criteria, catalogue).load("sipas-2017")
    assert edited.version == "9.9.9"


def test_bad_input_is_never_cached(cache_dir: Path, tmp_path: Path) -> None:
    from parscore.core.errors import InputErrors
    criteria = tmp_path / "criteria"
    shutil.copytree(ROOT / "criteria" / "sipas-2017", criteria / "sipas-2017")
    manifest = criteria / "sipas-2017" / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("total_points: 100", "total_points: 7"),
                        encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputErrors):
            FrameworkRegistry(criteria, load_rules()).load("sipas-2017")


def test_pruning_drops_markers_before_compilations_and_leaves_room(cache_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 8)
    src = tmp_path / "in.txt"
    src.write_text("a")
    cache.cached("t", [src], lambda: 1)
    for i in range(8):
        cache.set_marker(f"m{i}")
    kept = sorted(p.name for p in cache_dir.iterdir())
    assert len(kept) == 6 and any(n.endswith(".pickle") for n in kept)  # 9 > 8: down to 3/4 of 8, markers first
    assert not (cache_dir / "m0.ok").exists() and (cache_dir / "m7.ok").exists()


def test_markers_list_the_folder_only_when_it_may_be_full(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a batch writes a marker a bundle: listing the folder after each one cost more than the validation
    monkeypatch.setattr(cache, "MAX_ENTRIES", 8)
    looks = []
    real = cache._prune
    monkeypatch.setattr(cache, "_prune", lambda where: (looks.append(1), real(where)))
    for i in range(40):
        cache.set_marker(f"m{i}")
        assert len(list(cache_dir.iterdir())) <= 8  # still bounded, in one process
    assert (cache_dir / "m39.ok").exists() and 1 <= len(looks) <= 40 // 2


def test_the_version_in_the_key_is_the_installed_one() -> None:
    # the cache keys on parscore.__version__ (importlib.metadata costs ~10 ms a run): the two must agree
    from importlib import metadata

    import parscore
    assert parscore.__version__ == metadata.version("parscore")


def test_the_code_fingerprint_follows_an_edited_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "pkg"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n")
    (package / "sub" / "b.json").write_text("{}")
    (package / "sub" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"...")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    cache.code_fingerprint.cache_clear()
    try:
        assert sorted(r for r, _, _ in cache._module_stats(str(package), "")) == ["a.py", "sub/b.json"]
        before = cache.code_fingerprint()
        cache.code_fingerprint.cache_clear()
        assert cache.code_fingerprint() == before  # nothing changed: the same key
        (package / "sub" / "b.json").write_text('{"a": 1}')
        cache.code_fingerprint.cache_clear()
        assert cache.code_fingerprint() != before
    finally:
        cache.code_fingerprint.cache_clear()


def test_the_framework_index_follows_added_and_broken_manifests(cache_dir: Path, tmp_path: Path) -> None:
    from parscore.core.errors import InputErrors

    criteria = tmp_path / "criteria"
    shutil.copytree(ROOT / "criteria" / "sipas-2017", criteria / "sipas-2017")
    catalogue = load_rules()
    assert FrameworkRegistry(criteria, catalogue).ids() == ["sipas-2017"]
    assert list(cache_dir.glob("registry-*.pickle"))
    assert FrameworkRegistry(criteria, catalogue).ids() == ["sipas-2017"]  # from the cache
    shutil.copytree(criteria / "sipas-2017", criteria / "copy")  # the same id twice: an error, never cached
    for _ in range(2):
        with pytest.raises(InputErrors) as found:
            FrameworkRegistry(criteria, catalogue)
        assert [e.code for e in found.value.errors] == ["duplicate_id"]
    manifest = criteria / "copy" / "manifest.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("id: sipas-2017", "id: sipas-copy"), encoding="utf-8")
    assert FrameworkRegistry(criteria, catalogue).ids() == ["sipas-2017", "sipas-copy"]
