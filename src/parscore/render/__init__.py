"""Renderers: the last stage. They read results and never reach back into scoring.

One renderer per output format of a score result, behind one lookup: a module of
this package that sets `FORMAT` (its `--format` name) and defines
`render(results, lang) -> str | bytes` is discovered by scanning; two modules
claiming one format are refused.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Callable, Sequence

from parscore.scoring.result import Result

Renderer = Callable[[Sequence[Result], str], "str | bytes"]
_FORMATS: dict[str, Renderer] = {}


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = getattr(module, "FORMAT", None)
        if name is None:
            continue
        if name in _FORMATS:
            raise RuntimeError(f"output format {name!r} is rendered twice (parscore.render.{info.name})")
        _FORMATS[name] = module.render


def formats() -> list[str]:
    if not _FORMATS:
        _discover()
    return sorted(_FORMATS)


def render_results(results: Sequence[Result], fmt: str, lang: str) -> str | bytes:
    """Score results in the output format `fmt` (see `formats()`)."""
    if not _FORMATS:
        _discover()
    return _FORMATS[fmt](results, lang)
