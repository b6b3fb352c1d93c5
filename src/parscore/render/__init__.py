"""Renderers: the last stage. They read results and never reach back into scoring.

One renderer per output format of a score result, behind one lookup: a module of
this package that sets `FORMAT` (its `--format` name, a string literal at module
level) and defines `render(results, lang) -> str | bytes` is discovered by scanning;
two modules claiming one format are refused.

The scan reads the modules' sources, not the modules: `parscore score` imports only
the renderer it prints with (the Word and Excel writers alone cost ~0.3 s to import).
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

if TYPE_CHECKING:  # only named in types: `--help` imports render.screen, and with it this package, but no result
    from parscore.scoring.result import Result

Renderer = Callable[[Sequence["Result"], str], "str | bytes"]
_FORMAT_LINE = re.compile(r"""^FORMAT\s*=\s*["']([\w-]+)["']\s*(?:#.*)?$""", re.MULTILINE)


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Format name → the module that renders it, read from the sources of this package."""
    out: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        source = Path(__path__[0]) / f"{info.name}.py"
        if info.ispkg or not source.is_file():
            continue
        for name in _FORMAT_LINE.findall(source.read_text(encoding="utf-8")):
            if name in out:
                raise RuntimeError(f"output format {name!r} is rendered twice (parscore.render.{info.name})")
            out[name] = f"{__name__}.{info.name}"
    return out


def formats() -> list[str]:
    return sorted(_index())


def renderer(fmt: str) -> Renderer:
    """The `render` function of the module that declares `FORMAT = fmt`, imported now."""
    module = importlib.import_module(_index()[fmt])
    if getattr(module, "FORMAT", None) != fmt:
        raise RuntimeError(f"{module.__name__} was listed for format {fmt!r} but sets FORMAT = {getattr(module, 'FORMAT', None)!r}")
    render: Renderer = module.render
    return render


def render_results(results: Sequence[Result], fmt: str, lang: str) -> str | bytes:
    """Score results in the output format `fmt` (see `formats()`)."""
    return renderer(fmt)(results, lang)
