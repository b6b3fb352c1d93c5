"""Where the shipped frameworks and metric rules live.

In a wheel they are packed inside the package (`parscore/_data`); in a source
checkout or an editable install they are the repo's top-level folders.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent  # the package folder (this file is in core/)


def data_dir(name: str) -> Path:
    packed = _PKG / "_data" / name
    if packed.is_dir():
        return packed
    return _PKG.parents[1] / name


def criteria_dir() -> Path:
    return data_dir("criteria")


def rules_dir() -> Path:
    """The metric catalogue: rules/metrics/*.yaml."""
    return data_dir("rules") / "metrics"


def tables_file() -> Path:
    """The evidence table specifications: rules/evidence/tables.yaml."""
    return data_dir("rules") / "evidence" / "tables.yaml"


def display(path: Path) -> str:
    """A path as errors show it: relative to the data root or the working directory when possible."""
    path = path.resolve()
    # The data roots first: a shipped framework is named alike from any folder and any kind of install.
    for root in (_PKG / "_data", _PKG.parents[1], Path.cwd()):
        try:
            return str(path.relative_to(root.resolve()))
        except ValueError:
            continue
    return str(path)


def sha256_file(path: Path) -> str:
    """The file's sha256, read in chunks (attached scans can be large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
