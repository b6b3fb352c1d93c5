"""Vietnamese all the way: every command's output, its help and click's own errors, in --lang vi.

Each output is searched for English words from a stop-list and for snake_case ids. What
may legitimately look like an id is removed first: file paths and names, framework ids
where the framework is the thing named, leaf ids such as 3.2.1, and the sheet names of
the fill-in workbook (which the workbook itself names). A failure prints the offending
word and its line.
"""
from __future__ import annotations

from typing import Any

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from rich.cells import cell_len

from parscore import api
from parscore.cli import main
from parscore.cli._language import utf8_streams
from parscore.render.terminal import Screen, on_screen, render

EX = ROOT / "examples"
NHON_HAU = str(EX / "nhon-hau-2025")
SC = EX / "scenarios"

# Words that only English prose uses (lower case: a metavar such as BUNDLE is the argument's name).
STOP = {"the", "and", "of", "to", "for", "with", "from", "is", "are", "not", "points", "point", "passed", "failed",
        "criterion", "criteria", "status", "records", "record", "leaves", "leaf", "metric", "metrics", "seed",
        "illustrative", "allocation", "communes", "commune", "bundle", "bundles", "scenario", "baseline", "rank",
        "class", "index", "total", "lost", "cases", "coverage", "valid", "changed", "added", "removed", "more",
        "lower", "bands", "official", "document", "documents", "target", "cost", "method", "greedy", "wrote",
        "sheets", "grid", "default", "option", "argument", "missing", "invalid", "error", "help", "usage", "see",
        "skipped", "ranked", "survey", "present", "rescaled", "below", "above", "reported", "derived", "on", "time"}
CLICK_EN = {"Usage", "Options", "Commands", "Error", "Missing", "Invalid", "Show", "Try", "Aborted", "Got", "No", "Did"}
SNAKE = re.compile(r"(?<![\w./\\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./\\-])")
PATHS = re.compile(r"\S*[/\\]\S*|\S+\.(?:csv|xlsx|yaml|yml|json|zip|pdf|docx|txt|md)\b")
FRAMEWORK_IDS = re.compile("|".join(sorted((re.escape(f.id) for f in api.frameworks()), key=len, reverse=True)))
OPTIONS = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")  # --help, -v: the option as typed
# The records-versus-reported warning starts with the metric id; its text is built at scoring time and is
# also the JSON output's (owned by the reports work, kept unchanged here): the one place an id is let through.
WARNING_WITH_METRIC_ID = re.compile(r"^\W*⚠ [a-z][a-z0-9_]*: ")
SHEETS = {"dossiers", "documents", "reports", "tasks", "feedback", "survey", "self_assessment", "metrics"}


def english_in(text: str, allow: set[str] = frozenset()) -> list[str]:
    """The English words and snake_case ids in `text`, each with its line."""
    found = []
    for line in text.splitlines():
        clean = FRAMEWORK_IDS.sub(" ", PATHS.sub(" ", OPTIONS.sub(" ", line)))
        if WARNING_WITH_METRIC_ID.match(line):  # see WARNING_WITH_METRIC_ID
            clean = WARNING_WITH_METRIC_ID.sub(" ", clean)
        words = set(re.findall(r"[^\W\d_]+", clean)) - allow
        bad = sorted(w for w in words if w in STOP or w in CLICK_EN) + sorted(set(SNAKE.findall(clean)) - allow)
        found += [f"{w!r} in: {line.strip()}" for w in bad]
    return found


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, prog_name="parscore")


def _commands(tmp: Path) -> list[tuple[list[str], set[str]]]:
    """Every command, run the way a user would, in Vietnamese; with what it may name."""
    return [
        (["score", NHON_HAU], set()),
        (["score", NHON_HAU, "--format", "markdown"], set()),
        (["explain", NHON_HAU], set()),
        (["explain", NHON_HAU, "1.8", "3.2.1"], set()),
        (["validate", NHON_HAU, str(ROOT / "criteria" / "nhon-hau-2025")], set()),
        (["frameworks"], set()),
        (["show", "reference-par-2025"], set()),
        (["show", "nhon-hau-2025", "7.2.1"], set()),
        (["template", "reference-par-2025", "--out", str(tmp / "mau.xlsx")], SHEETS),
        (["diff", "reference-par-2023", "reference-par-2025", "--bundle", str(EX / "dao-xa-2025")], set()),
        (["diff", "anh-son-2025", "nhon-hau-2025"], set()),
        (["whatif", NHON_HAU, str(SC / "fix-apologies.yaml"), str(SC / "plan-on-time.yaml")], set()),
        (["plan", NHON_HAU, "--target", "A"], set()),
        (["sensitivity", NHON_HAU], set()),
        (["sweep", NHON_HAU, "--vary", "dossier_on_time_rate=90:100:5"], {"dossier_on_time_rate"}),  # as typed
        (["sweep", NHON_HAU, "--vary", "dossier_on_time_rate=90:100:5", "--out", str(tmp / "luoi.csv")], set()),
        (["batch", str(EX / "dao-xa-2025"), NHON_HAU, str(tmp / "khong-co")], set()),
        (["batch", str(EX / "dao-xa-2025"), NHON_HAU, "--out", str(tmp / "xep-hang.xlsx")], set()),
        (["test"], set()),
    ]


def test_every_command_speaks_vietnamese(tmp_path: Path) -> None:
    problems = []
    for args, allow in _commands(tmp_path):
        r = run(*args, "--lang", "vi")
        assert r.exit_code in (0, 1), (args, r.output)
        assert r.output.strip(), args
        problems += [f"parscore {' '.join(args[:1])}: {p}" for p in english_in(r.output, allow)]
    assert not problems, "\n".join(problems)


def _loaded_commands() -> dict[str, Any]:
    """Every command, imported (the group lists them lazily: `main.commands` stays empty until one runs)."""
    import importlib

    from parscore import cli
    return {name: importlib.import_module(e.module).command for name, e in cli.index().items()}


def test_every_help_speaks_vietnamese() -> None:
    problems = []
    for name in [None, *sorted(_loaded_commands())]:
        args = ([name] if name else []) + ["--help"]
        r = run(*args, env={"PARSCORE_LANG": "vi"})
        assert r.exit_code == 0 and "Cách dùng:" in r.output and "Tùy chọn:" in r.output, (args, r.output)
        problems += [f"parscore {name or ''} --help: {p}" for p in english_in(r.output)]
    assert not problems, "\n".join(problems)


def test_every_help_text_is_bilingual_vietnamese_first() -> None:
    """Each command's and option's help is "tiếng Việt / English": one separator, Vietnamese before it."""
    for name, cmd in [("parscore", main), *_loaded_commands().items()]:
        texts = [cmd.help] + [getattr(p, "help", None) for p in cmd.params]
        for text in texts:
            if text is None:
                continue
            assert text.count(" / ") == 1, (name, text)
            assert re.search(r"[À-ỹĐđ]", text.split(" / ")[0]), (name, text)


def test_english_help_is_english() -> None:
    r = run("score", "--help", "--lang", "en")
    assert "Usage:" in r.output and "Show this message and exit." in r.output and "points lost" in r.output
    assert "Chấm" not in r.output


@pytest.mark.parametrize("args, needle", [
    (["score"], "Thiếu đối số 'BUNDLE'"),
    (["score", NHON_HAU, "--bogus"], "Không có tùy chọn '--bogus'"),
    (["scor"], "Không có lệnh 'scor'. Có phải ý bạn là 'score'?"),
    (["score", NHON_HAU, "--format", "pdf"], "Giá trị không hợp lệ cho '--format'"),
    (["batch", "x", "--jobs", "0"], "nằm ngoài khoảng"),
    (["explain"], "Thiếu đối số"),
])
def test_usage_errors_are_one_vietnamese_line_exit_2(args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "--help" in lines[0], r.output
    assert not english_in(r.output), english_in(r.output)


def test_usage_error_in_english_with_lang_en_anywhere_on_the_line() -> None:
    r = run("score", "--lang", "en")
    assert r.exit_code == 2 and r.output.strip() == "parscore score: Missing argument 'BUNDLE'. — see 'parscore score --help'"


def test_language_from_env_then_config_file_then_flag(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('lang = "en"\n', encoding="utf-8")
    env = {"PARSCORE_CONFIG": str(config)}
    assert "Total:" in run("test", "sipas-2017", env=env).output                     # the config file
    assert "Tổng:" in run("test", "sipas-2017", "--lang", "vi", env=env).output     # --lang overrides it
    assert "Tổng:" in run("test", "sipas-2017", env={**env, "PARSCORE_LANG": "vi"}).output  # the env var too
    assert "Usage:" in run("score", "--help", env=env).output                      # help and click's words follow
    assert "Tổng:" in run("test", "sipas-2017").output                              # nothing set: Vietnamese


def test_a_bad_config_file_is_one_located_line_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('lang = "fr"\n', encoding="utf-8")
    r = run("frameworks", env={"PARSCORE_CONFIG": str(config)})
    assert r.exit_code == 2 and r.output.count("\n") == 1 and str(config) in r.output and "'fr'" in r.output
    config.write_text('lang = "vi\n', encoding="utf-8")
    r = run("frameworks", env={"PARSCORE_CONFIG": str(config)})
    assert r.exit_code == 2 and "TOML" in r.output and r.output.count("\n") == 1


def test_provenance_notes_only_with_verbose() -> None:
    plain = run("explain", NHON_HAU, "3.2.1").output
    verbose = run("explain", NHON_HAU, "3.2.1", "--verbose").output
    assert "seed 003" not in plain and "DOMAIN" not in plain and "illustrative allocation" not in plain
    assert "Căn cứ: Kế hoạch ngày 03/03/2025 của UBND xã Đào Xá, dòng 3.2.1" in plain  # the decision and its row
    assert "seed 003" in verbose and "DOMAIN §2" in verbose
    assert "seed 003" not in run("show", "reference-par-2025").output
    assert "seed 003" in run("show", "reference-par-2025", "-v").output


def test_english_is_plural_correct_and_numbers_grouped() -> None:
    out = run("batch", str(EX / "dao-xa-2025"), NHON_HAU, "--lang", "en").output
    assert "2 communes" in out and re.search(r": 1 commune, ", out) and "1 communes" not in out
    diff = run("diff", "anh-son-2025", "nhon-hau-2025", "--lang", "en").output
    assert "≥ 30 %: 1 point → ≥ 60 %: 1 point" in diff and "1 points" not in diff
    assert "Tổng: 580 đạt" in run("test").output or re.search(r"Tổng: [\d.]+ đạt", run("test").output)


def _score_at(width: int, color: str | None = None) -> str:
    """`parscore score examples/nhon-hau-2025` as a screen of `width` columns shows it (run from the repo root)."""
    with on_screen(Screen(width=width, color_system=color)):
        return render(api.score_bundle_all("examples/nhon-hau-2025"), "vi")


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_80_columns_no_table_row_is_wrapped_or_broken(at_root: None) -> None:
    text = _score_at(80)
    tables = 0
    for line in text.splitlines():
        assert cell_len(line) <= 80, line
        if line and line[0] in "┏┃┡│└":
            tables += line.startswith("┏")
            assert line[-1] in "┓┃┩│┘", f"a table row broken across lines: {line!r}"
    assert tables == 4  # one per framework, after a summary line each
    head = text.splitlines()[:4]
    assert all(h.startswith("Chỉ số ") and " điểm — " in h for h in head)


def test_80_columns_through_the_cli_follows_rich_width_detection() -> None:
    r = run("score", NHON_HAU, env={"COLUMNS": "80"})
    assert r.exit_code == 0 and max(cell_len(x) for x in r.output.splitlines()) <= 80
    wide = run("score", NHON_HAU, env={"COLUMNS": "160"})
    assert max(cell_len(x) for x in wide.output.splitlines()) > 80  # more columns when there is room
    assert "\x1b[" not in r.output  # not a terminal: no colour codes


def test_colour_only_when_the_screen_has_it(at_root: None) -> None:
    assert "\x1b[" in _score_at(100, "standard")
    assert "\x1b[" not in _score_at(100, None)


def test_checked_in_80_column_capture_is_current(at_root: None) -> None:
    """docs/capture-80col.txt is what `parscore score examples/nhon-hau-2025` shows at 80 columns."""
    capture = (ROOT / "docs" / "capture-80col.txt").read_text(encoding="utf-8")
    body = capture.split("\n", 2)[2]  # line 1: the command that makes it; line 2: blank
    assert body.rstrip() == _score_at(80).rstrip()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install -y tmux)")
def test_tmux_80_columns_shows_no_broken_rows(tmp_path: Path) -> None:
    """A real terminal of 80 columns (tmux): no line of the table is wrapped by the terminal."""
    exe = shutil.which("parscore")
    if exe is None:
        pytest.skip("the parscore command is not installed in this environment")
    session = f"parscore-{tmp_path.name}"
    out = tmp_path / "pane.txt"
    tmux = ["tmux", "-L", session]  # a server of its own: nothing of the user's tmux is touched
    subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "80", "-y", "50",
                    f"{exe} score {NHON_HAU} | head -40 > {out}; "
                    f"tmux -L {session} wait-for -S {session}"], check=True, env={"PATH": "/usr/bin:/bin", "TERM": "xterm",
                                                                     "HOME": str(tmp_path), "LANG": "C.UTF-8"})
    try:
        subprocess.run([*tmux, "wait-for", session], check=True, timeout=60)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert any(x.startswith("┏") for x in lines) and all(cell_len(x) <= 80 for x in lines)
    assert max(cell_len(x) for x in lines) > 70  # the terminal's 80 columns, used
    assert all(x[-1] in "┓┃┩│┘" for x in lines if x and x[0] in "┏┃┡│└")


def test_stdout_is_reconfigured_to_utf8_whatever_the_code_page() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1258")
    utf8_streams([stream])
    stream.write("Xã Đào Xá — ≥ 99,9 %")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "Xã Đào Xá — ≥ 99,9 %"


def test_the_checker_itself_catches_english_and_ids() -> None:
    assert english_in("Total: 3 passed, 0 failed")
    assert english_in("Đầu vào: dossier_on_time_rate = 96,5%")
    assert english_in("Nguồn: seed 003 dòng 3.2.1")
    assert english_in("Usage: parscore score [OPTIONS] BUNDLE")
    assert not english_in("Tổng: 580 đạt, 0 sai · tệp examples/dao-xa-2025/dossiers.csv · reference-par-2025 · 7.3.4.a")


def test_parscore_alone_shows_the_help_in_vietnamese_exit_2() -> None:
    r = run()
    assert r.exit_code == 2 and r.output.startswith("Cách dùng: parscore [TÙY CHỌN] LỆNH") and "Lệnh:" in r.output


def test_a_table_written_to_a_file_is_plain_and_full_width(tmp_path: Path) -> None:
    out = tmp_path / "diem.txt"
    r = run("score", NHON_HAU, "--out", str(out), env={"COLUMNS": "60", "FORCE_COLOR": "1"})
    text = out.read_text(encoding="utf-8")
    assert r.exit_code == 0 and "\x1b[" not in text
    assert max(cell_len(x) for x in text.splitlines()) > 100  # the file's own width, not the terminal's


def test_the_clerks_screen_names_no_metric_by_its_internal_id(at_root: None) -> None:
    """A reported figure the records contradict is named by the metric's title (it printed `dossier_on_time_rate`)."""
    shown = _score_at(80)
    leaked = sorted(name for name in api.catalogue() if re.search(rf"\b{re.escape(name)}\b", shown))
    assert leaked == [] and "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn: số báo cáo" in shown
