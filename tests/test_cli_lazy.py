"""Commands are listed from their sources without importing them; what is listed is what runs."""
from __future__ import annotations

import importlib
import subprocess
import sys

from parscore import cli


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
            "print(sorted(m for m in sys.modules if m in ('pandas', 'jsonschema', 'parscore.api')"
            " or m.startswith('parscore.cli.') and m not in ('parscore.cli.common', 'parscore.cli._language')))")
    # numpy is no longer in the list: cli.common reads the terminal's width through render.terminal, whose result
    # records import it (about 0.1 s); pandas, jsonschema, the api and every command stay out of `--help`.
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
