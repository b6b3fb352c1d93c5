"""Compiled frameworks, metric catalogue and table specs, kept on disk between runs.

Loading a framework means parsing its YAML, validating it by JSON Schema and
checking every leaf — work that gives the same answer until a file changes. Its
result is pickled under the user's cache folder, keyed by:

- the sha256 of every input file (a changed framework or rule is a new key),
- parscore's version and a fingerprint of its own code (size and mtime of each
  module, so an edited checkout never reads an old compilation), and Python's version.

An entry is trusted only if it is whole: its header carries the sha256 of the
pickle, checked before anything is unpickled; a corrupt, truncated or unreadable
entry is rebuilt, never used. Only our own objects are ever pickled, and only into
a folder this user owns that nobody else can write (`0700`); if the folder is
anything else the cache is not used at all. `PARSCORE_CACHE=off` turns it off;
`PARSCORE_CACHE=<folder>` moves it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from parscore import __version__

T = TypeVar("T")
_MAGIC = b"parscore-cache-1\n"
MAX_ENTRIES = 1024  # oldest entries beyond this are removed: frameworks under test folders must not pile up
_PACKAGE = Path(__file__).resolve().parents[1]

# Entries a folder held at this process's last look, plus the markers it has added since. A batch adds a marker for
# each bundle it validates (two a commune), and listing a folder of a thousand entries after every one of them
# cost more than the validation: it is listed again only once this count passes the limit. Other processes'
# writes are not counted, so the folder may pass MAX_ENTRIES by what they added since this one last looked.
_written: dict[Path, int] = {}


def folder() -> Path | None:
    """The cache folder, created private if missing; None when caching is off or the folder is not safe."""
    setting = os.environ.get("PARSCORE_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        path = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if sys.platform == "win32" else "")
        path = (Path(base) if base else Path.home() / ".cache") / "parscore"
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = path.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None  # someone else could plant a pickle here: do not read from it
    return path


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """parscore's version and the size and mtime of each of its modules and data files.

    The version is `parscore.__version__` (a test keeps it equal to the installed metadata): asking
    `importlib.metadata` costs ~10 ms a run (it imports `email` and scans every installed distribution).
    """
    h = hashlib.sha256(__version__.encode())
    h.update(sys.version.encode())
    for rel, size, mtime in sorted(_module_stats(str(_PACKAGE), "")):
        h.update(f"{rel}:{size}:{mtime}\n".encode())
    return h.hexdigest()


def _module_stats(root: str, prefix: str) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime_ns) of every .py and .json file under `root`; os.scandir, not
    Path.rglob: its entries carry their stat, and __pycache__ folders are never entered."""
    out = []
    with os.scandir(root) as entries:
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__":
                    out += _module_stats(e.path, f"{prefix}{e.name}/")
            elif e.name.endswith((".py", ".json")):
                st = e.stat()
                out.append((prefix + e.name, st.st_size, st.st_mtime_ns))
    return out


def file_digests(paths: Iterable[Path]) -> list[tuple[str, str]]:
    out = []
    for p in sorted(set(paths)):
        out.append((str(p), hashlib.sha256(p.read_bytes()).hexdigest()))
    return out


def key_of(kind: str, paths: Iterable[Path], extra: Iterable[str] = ()) -> str:
    h = hashlib.sha256(f"{kind}\n{code_fingerprint()}\n".encode())
    for name, digest in file_digests(paths):
        h.update(f"{name}\0{digest}\n".encode())
    for item in extra:
        h.update(f"{item}\n".encode())
    return h.hexdigest()


def digest_of(*parts: str) -> str:
    h = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def has_marker(digest: str) -> bool:
    """Whether a fact keyed by `digest` (e.g. "this document is valid") was recorded."""
    where = folder()
    return where is not None and (where / f"{digest}.ok").is_file()


def set_marker(digest: str) -> None:
    where = folder()
    if where is None:
        return
    try:
        (where / f"{digest}.ok").touch()
        _written[where] = _written.get(where, MAX_ENTRIES) + 1
        if _written[where] > MAX_ENTRIES:  # the folder may be full: look (a process's first marker always looks)
            _prune(where)
    except OSError:
        pass


def _read(path: Path) -> object:
    """The entry's object, or raise ValueError/OSError if it is not whole."""
    data = path.read_bytes()
    if not data.startswith(_MAGIC):
        raise ValueError("not a parscore cache entry")
    rest = data[len(_MAGIC):]
    digest, body = rest[:64], rest[65:]
    if hashlib.sha256(body).hexdigest().encode() != digest or rest[64:65] != b"\n":
        raise ValueError("corrupt cache entry")
    return pickle.loads(body)


def _write(path: Path, value: object) -> None:
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cached(kind: str, paths: Iterable[Path], build: Callable[[], T], extra: Iterable[str] = ()) -> T:
    """`build()`'s result, from the cache when an entry for exactly these inputs is there and whole."""
    where = folder()
    if where is None:
        return build()
    try:
        entry = where / f"{kind}-{key_of(kind, paths, extra)}.pickle"
    except OSError:  # an input vanished while hashing: let build() report it
        return build()
    if entry.is_file():
        try:
            return _read(entry)  # type: ignore[return-value]
        except Exception:  # corrupt, truncated or from an incompatible build: rebuilt below, never trusted
            entry.unlink(missing_ok=True)
    value = build()
    try:
        _write(entry, value)
        _prune(where)
    except (OSError, pickle.PicklingError):
        pass  # a read-only cache is a slower start, not an error
    return value


def _prune(where: Path) -> None:
    """Keep the folder under MAX_ENTRIES: markers go first (cheap to re-earn: one validation), then the oldest
    compilations. It prunes down to three quarters of the limit, so that a batch of thousands of new bundles
    (a marker each) does not stat and sort the whole folder on every write, nor push out the frameworks."""
    with os.scandir(where) as found:
        names = [e.name for e in found if e.name.endswith((".pickle", ".ok"))]
    _written[where] = len(names)
    if len(names) <= MAX_ENTRIES:
        return
    aged = []
    for name in names:
        try:
            aged.append((name.endswith(".pickle"), (where / name).stat().st_mtime, name))
        except OSError:
            continue
    aged.sort()
    for _, _, name in aged[: len(aged) - MAX_ENTRIES * 3 // 4]:
        (where / name).unlink(missing_ok=True)
    _written[where] = min(len(aged), MAX_ENTRIES * 3 // 4)
