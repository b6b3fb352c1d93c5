"""The screen the CLI renders for, decided without rich when stdout is not a terminal, is the one rich detects."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
from parscore.cli.common import _piped_screen
from rich.console import Console
fast = _piped_screen()
con = Console(file=sys.stdout)
color = con.is_terminal and not con.no_color and con.color_system is not None
rich = [con.width, con.color_system if color else None]
print(json.dumps({"fast": None if fast is None else [fast.width, fast.color_system], "rich": rich}), file=sys.stderr)
"""


def probe(env: dict[str, str], stdout: int | None = subprocess.PIPE) -> dict[str, list | None]:
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR", "TERM")}
    done = subprocess.run([sys.executable, "-c", PROBE], env={**base, **env}, stdout=stdout, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, text=True, check=True, cwd=ROOT)
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("env", [{}, {"COLUMNS": "57"}, {"COLUMNS": "0"}, {"COLUMNS": "wide"}, {"COLUMNS": "70", "LINES": "9"},
                                 {"NO_COLOR": "1"}, {"TERM": "dumb"}, {"TTY_COMPATIBLE": "0"}, {"COLUMNS": "200", "TERM": "xterm-256color"}])
def test_piped_stdout_gets_the_screen_rich_detects(env: dict[str, str]) -> None:
    found = probe(env)
    assert found["fast"] == found["rich"]


@pytest.mark.parametrize("env", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}])
def test_settings_that_make_rich_see_a_terminal_are_left_to_rich(env: dict[str, str]) -> None:
    found = probe(env)
    assert found["fast"] is None and found["rich"][1] is not None  # rich: a colour terminal


def test_a_real_terminal_is_left_to_rich() -> None:
    main, child = pty.openpty()
    try:
        found = probe({"TERM": "xterm-256color"}, stdout=child)
    finally:
        os.close(main)
        os.close(child)
    assert found["fast"] is None and found["rich"][1] is not None


def test_help_imports_neither_rich_nor_the_results() -> None:
    # the screen lives in render.screen; the render package names results only in types
    code = ("import sys\nfrom parscore.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich' or m == 'parscore.scoring.result'), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stderr.strip().splitlines()[-1] == "[]"
