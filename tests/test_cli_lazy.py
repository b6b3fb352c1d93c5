"""Commands are listed from their sources without importing them; what is listed is what runs."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from parscore import cli

ROOT = Path(__file__).resolve().parents[1]


def test_the_listing_matches_the_imported_commands() -> None:
    for name, entry in cli.index().items():
        real = importlib.import_module(entry.module).command
        assert entry.command is not None
        assert real.name == name
        assert entry.command.get_short_help_str(45) == real.get_short_help_str(45)
        assert entry.command.hidden == real.hidden


def test_help_does_not_import_pandas_or_a_command() -> None:
    code = ("import sys\nfrom parscore.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m in ('pandas', 'numpy', 'jsonschema', 'parscore.api')"
            " or m.startswith('parscore.cli.') and m not in ('parscore.cli.common', 'parscore.cli._language')))")
    # the screen the CLI sets lives in render.screen (no rich, no numpy): `--help` loads none of them
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_score_imports_only_the_renderer_it_prints_with() -> None:
    code = ("import sys\nfrom parscore.cli import main\n"
            "try:\n    main(['score', 'examples/dao-xa-2025', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m in ('docx', 'openpyxl', 'pygal', 'jinja2')"
            " or m.startswith('parscore.render.') and m not in ('parscore.render.json_out', 'parscore.render.screen',"
            " 'parscore.render.frame', 'parscore.render.text', 'parscore.render.cells')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_every_renderer_is_found_from_its_source() -> None:
    import pkgutil

    import parscore.render as render
    declared = {}
    for info in pkgutil.iter_modules(render.__path__):
        module = importlib.import_module(f"parscore.render.{info.name}")
        if hasattr(module, "FORMAT"):
            declared[module.FORMAT] = module.__name__
    assert declared == render._index()
    assert render.formats() == sorted(declared) and {"table", "json", "markdown"} <= set(declared)
