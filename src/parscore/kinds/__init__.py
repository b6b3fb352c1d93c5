"""The closed vocabulary of rule kinds: each kind is one folder of this package, discovered by scanning.

A kind's folder holds its code (`__init__.py`, registering a `Kind` subclass), its
parameter schema (`params.schema.json`) and its example cases (`cases.yaml`, run by
`tests/test_kinds.py`). Adding a kind is adding a folder: nothing else names it.
"""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from parscore.kinds.actions import ACTIONS, Action
from parscore.kinds.base import REGISTRY, STATUSES, Kind, LeafView, Outcome, Recovery

__all__ = ["ACTIONS", "REGISTRY", "STATUSES", "Action", "Kind", "LeafView", "Outcome", "Recovery", "kind_folders"]


def kind_folders() -> list[Path]:
    return sorted(Path(p) for info in pkgutil.iter_modules(__path__) if info.ispkg
                  for p in [Path(__path__[0]) / info.name])


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.ispkg:
            importlib.import_module(f"{__name__}.{info.name}")


_discover()
