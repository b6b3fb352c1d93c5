"""The bad-input corpus, generated: hostile and clumsy inputs over every kind of file parscore reads.

Each case is a name, a builder that writes its files under a scratch folder and returns the command
line, the file the error must name, and a pattern for the place (line, row, cell, field or option).
Cases are data plus small builders rather than 150 checked-in files: a reader sees the whole corpus
on one screen, and a base fixture that changes shape changes every case with it.
"""
from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
REPORTED = ROOT / "tests" / "fixtures" / "reported-only"
DOSSIERS = ROOT / "examples" / "dao-xa-2025" / "dossiers.csv"
REFERENCE = ROOT / "criteria" / "reference-par-2025"
SIPAS = ROOT / "criteria" / "sipas-2017"
LINE = r":\d+"  # file:line
Argv = list[str]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Argv]  # writes the inputs under the folder given; returns argv after "parscore"
    file: str  # the error line must name this file (a substring of it)
    place: str  # and this place (a regex)
    out: bool = True  # the command writes --out <folder>/out.*; it must not exist afterwards


def bundle(base: Path, records: bool = False) -> Path:
    dst = base / "bundle"
    shutil.copytree(REPORTED, dst)
    if records:
        (dst / "dossiers.csv").write_bytes(b"".join(DOSSIERS.read_bytes().splitlines(keepends=True)[:4]))
    return dst


def score(b: Path, *extra: str) -> Argv:
    return ["score", str(b), "--lang", "en", "--format", "json", "--out", str(b.parent / "out.json"), *extra]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES: list[Case] = []


def case(name: str, file: str, place: str, out: bool = True) -> Callable[[Callable[[Path], Argv]], None]:
    def register(build: Callable[[Path], Argv]) -> None:
        assert name not in {c.name for c in CASES}, name
        CASES.append(Case(name, build, file, place, out))
    return register


# ---- metrics.yaml values: every unit, many spellings of a wrong number -----------------------------------

BAD_NUMBERS = {
    "word": '"mười hai"', "inf": ".inf", "neg-inf": "-.inf", "nan-text": '"NaN"', "infinity-text": '"Infinity"',
    "huge-exponent": '"1e100000000"', "tiny-exponent": '"1e-100000000"', "beyond-64-bit": "123456789012345678901234567890",
    "29-decimals": '"0.12345678901234567890123456789"', "arabic-digits": '"١٢"', "fullwidth-digits": '"１２"',
    "en-grouping": '"1,234,567"', "underscore": '"1_000"', "hex": "0x1F", "sexagesimal": "1:30", "sexagesimal-float": "1:30.5",
    "double-sign": '"--3"', "two-points": '"1..2"', "percent-on-count": '"12%"', "list": "[1, 2]", "mapping-in-value": "{a: 1}",
    "bool": "true", "date-as-number": "2025-01-01", "only-spaces": '"   "', "binary-tag": "!!binary aGk=", "long-digits": '"' + "9" * 70 + '"',
}
for key, bad in BAD_NUMBERS.items():
    def _count(base: Path, bad: str = bad) -> Argv:
        b = bundle(base)
        edit(b / "metrics.yaml", "dialogues_held: {value: 2,", f"dialogues_held: {{value: {bad},")
        return score(b)
    case(f"metrics-count-{key}", "metrics.yaml", LINE)(_count)

for key in ("word", "inf", "huge-exponent", "29-decimals", "arabic-digits", "sexagesimal", "en-grouping", "long-digits",
            "list", "binary-tag", "infinity-text", "tiny-exponent"):
    def _rate(base: Path, bad: str = BAD_NUMBERS[key]) -> Argv:
        b = bundle(base)
        edit(b / "metrics.yaml", 'e_work_files_rate: {value: "62,5"}', f"e_work_files_rate: {{value: {bad}}}")
        return score(b)
    case(f"metrics-rate-{key}", "metrics.yaml", LINE)(_rate)

for key in ("word", "inf", "beyond-64-bit", "29-decimals", "hex", "sexagesimal", "long-digits", "tiny-exponent"):
    def _num(base: Path, bad: str = BAD_NUMBERS[key]) -> Argv:
        b = bundle(base)
        edit(b / "metrics.yaml", "{numerator: 27, denominator: 30,", f"{{numerator: {bad}, denominator: 30,")
        return score(b)
    case(f"metrics-numerator-{key}", "metrics.yaml", LINE)(_num)

for key, bad in {"impossible": "2025-02-31", "impossible-dmy": "31/02/2025", "year-1": "0001-01-01", "year-9999": "9999-12-31",
                 "word": '"hôm qua"', "number": "12", "month-13": "2025-13-01", "time-only": '"10:30"'}.items():
    def _date(base: Path, bad: str = bad) -> Argv:
        b = bundle(base)
        edit(b / "metrics.yaml", "par_plan_issued_on: {value: 2024-12-31,", f"par_plan_issued_on: {{value: {bad},")
        return score(b)
    case(f"metrics-date-{key}", "metrics.yaml", LINE)(_date)

# ---- YAML itself ------------------------------------------------------------------------------------------

for key, bad in {"nul": "\x00", "bell": "\x07", "escape": "\x1b", "del": "\x7f", "c1": "\x85\x90", "vertical-tab": "\x0b",
                 "form-feed": "\x0c", "noncharacter": "\ufffe"}.items():
    def _ctl(base: Path, bad: str = bad) -> Argv:
        b = bundle(base)
        edit(b / "metrics.yaml", "Biên bản đối thoại", f"Biên bản{bad} đối thoại")
        return score(b)
    case(f"yaml-control-{key}", "metrics.yaml", LINE)(_ctl)

for key, text in {
    "deep-flow": "metrics: " + "[" * 5000 + "]" * 5000 + "\n",
    "deep-block": "metrics:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "x: 1\n",
    "alias-bomb": "a: &a [x, x]\nb: &b [*a, *a]\nmetrics: {}\n",
    "duplicate-key": "metrics: {}\nmetrics: {}\n",
    "two-documents": "metrics: {}\n---\nmetrics: {}\n",
    "tab-indent": "metrics:\n\tdialogues_held: 2\n",
    "unclosed-flow": "metrics: {dialogues_held: 2\n",
    "not-a-mapping": "- just\n- a list\n",
    "python-tag": "metrics: !!python/object:os.system {}\n",
    "custom-tag": "metrics: !vietnam {}\n",
    "complex-key": "metrics:\n  ? [a, b]\n  : 1\n",
    "set-tag": "metrics: !!set {dialogues_held}\n",
    "not-utf8": None,
    "bad-explicit-int": "metrics:\n  dialogues_held: !!int 1.5\n",
    "bad-explicit-float": "metrics:\n  dialogues_held: !!float abc\n",
    "bad-explicit-timestamp": "metrics:\n  par_plan_issued_on: !!timestamp 2025-99-99\n",
}.items():
    def _yaml(base: Path, text: str | None = text) -> Argv:
        b = bundle(base)
        if text is None:
            (b / "metrics.yaml").write_bytes(b"metrics: {dialogues_held: 2}\n# Bi\xean b\xe1n\n")  # cp1258 bytes
        else:
            (b / "metrics.yaml").write_text(text, encoding="utf-8")
        return score(b)
    case(f"yaml-{key}", "metrics.yaml", LINE if key not in ("not-utf8",) else "")(_yaml)

for key, (old, new) in {
    "period-year-1": ("start: 2025-01-01", "start: 0001-01-01"),
    "period-year-9999": ("end: 2025-12-31", "end: 9999-12-31"),
    "period-impossible": ("end: 2025-12-31", "end: 2025-02-31"),
    "period-reversed": ("start: 2025-01-01", "start: 2026-06-01"),
    "tolerance-negative": ("illustrative: true", "illustrative: true\ntolerance_pp: -1"),
    "tolerance-word": ("illustrative: true", 'illustrative: true\ntolerance_pp: "nửa"'),
    "tolerance-huge": ("illustrative: true", 'illustrative: true\ntolerance_pp: "1e99"'),
    "unknown-key": ("illustrative: true", "illustrative: true\nilustrative: true"),
    "control-char": ("province: Thái Nguyên", "province: Thái\x00 Nguyên"),
    "commune-number": ("commune: Xã Thử nghiệm (chỉ số báo cáo)", "commune: [1, 2]"),
}.items():
    def _head(base: Path, old: str = old, new: str = new) -> Argv:
        b = bundle(base)
        edit(b / "bundle.yaml", old, new)
        return score(b)
    case(f"bundle-yaml-{key}", "bundle.yaml", LINE)(_head)

# ---- CSV tables -------------------------------------------------------------------------------------------


def _with_rows(base: Path, rows: list[str] | None = None, header: str | None = None, raw: bytes | None = None) -> Path:
    b = bundle(base, records=True)
    lines = (b / "dossiers.csv").read_text(encoding="utf-8").splitlines()
    if raw is not None:
        (b / "dossiers.csv").write_bytes(raw)
        return b
    lines = [header or lines[0], *(rows if rows is not None else lines[1:])]
    (b / "dossiers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return b


def _cell(column: str, value: str) -> Callable[[Path], Argv]:
    def build(base: Path) -> Argv:
        b = bundle(base, records=True)
        lines = (b / "dossiers.csv").read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        cells = lines[2].split(",")
        cells[header.index(column)] = value
        lines[2] = ",".join(cells)
        (b / "dossiers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return score(b)
    return build


for column, values in {
    "supplement_days": ["inf", "-inf", "nan-ish", "1e100000000", "123456789012345678901234567890", "0.1234567890123", "١٢",
                        "1,234,567", "--1", "1_0", "Infinity", "12%", "0x10", "1e-100000000", "-5"],
    "legal_days": ["1.5", "ten", "9" * 70],
    "fee": ["1e400", "abc", "5.000,5,5"],
    "received_at": ["01/01/1500", "1500-01-01", "9999-12-31", "0001-01-01T00:00:00+07:00", "31/02/2025", "2025-13-45",
                    "hôm qua", "01/01/2262 10:00", "32/01/2025 08:00"],
    "finished_at": ["3000-01-01", "1677-09-21"],
}.items():
    for v in values:
        case(f"csv-{column}-{v[:20]}", "dossiers.csv", r":\d+|row")(_cell(column, v))

case("csv-empty-file", "dossiers.csv", LINE)(lambda base: score(_with_rows(base, raw=b"")))
case("csv-header-only-blank-lines", "dossiers.csv", "")(lambda base: score(_with_rows(base, raw=b"\n\n\n")))
case("csv-ragged-row", "dossiers.csv", LINE)(lambda base: score(_with_rows(base, rows=[
    DOSSIERS.read_text(encoding="utf-8").splitlines()[1] + ",extra,fields"])))

def _columns(change: Callable[[list[list[str]]], None]) -> Callable[[Path], Argv]:
    def build(base: Path) -> Argv:
        b = bundle(base, records=True)
        rows = [line.split(",") for line in (b / "dossiers.csv").read_text(encoding="utf-8").splitlines()]
        change(rows)
        (b / "dossiers.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
        return score(b)
    return build


def _drop(rows: list[list[str]], name: str = "received_at") -> None:
    i = rows[0].index(name)
    for r in rows:
        del r[i]


case("csv-unknown-column", "dossiers.csv", LINE)(_columns(lambda rows: [r.append("chanel" if k == 0 else "") for k, r in enumerate(rows)]))
case("csv-missing-required-column", "dossiers.csv", LINE)(_columns(_drop))
case("csv-duplicate-column", "dossiers.csv", LINE)(_columns(lambda rows: [r.append(r[rows[0].index("channel")]) for r in rows]))


def _symlinked_table(base: Path) -> Argv:
    b = bundle(base, records=True)
    outside = base / "outside.csv"
    shutil.move(b / "dossiers.csv", outside)
    (b / "dossiers.csv").symlink_to(outside)
    return score(b)


case("csv-symlink", "dossiers.csv", "")(_symlinked_table)


def _symlinked_metrics(base: Path) -> Argv:
    b = bundle(base)
    (base / "elsewhere.yaml").write_bytes((b / "metrics.yaml").read_bytes())
    (b / "metrics.yaml").unlink()
    (b / "metrics.yaml").symlink_to(base / "elsewhere.yaml")
    return score(b)


case("metrics-symlink", "metrics.yaml", "")(_symlinked_metrics)

# ---- zips -------------------------------------------------------------------------------------------------


def _zip(base: Path, entries: dict[str, bytes], name: str = "bundle.zip", mode: int = zipfile.ZIP_DEFLATED,
         links: tuple[str, ...] = ()) -> Argv:
    path = base / name
    with zipfile.ZipFile(path, "w", mode) as zf:
        for n, data in entries.items():
            zf.writestr(n, data)
        for n in links:
            info = zipfile.ZipInfo(n)
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, "/etc/passwd")
    return score(path)


def _bundle_files() -> dict[str, bytes]:
    return {f"b/{p.name}": p.read_bytes() for p in REPORTED.iterdir()}


case("zip-too-many-entries", "bundle.zip", "entries")(lambda base: _zip(
    base, {**_bundle_files(), **{f"b/junk/{i}": b"" for i in range(20_001)}}, mode=zipfile.ZIP_STORED))
case("zip-bomb-ratio", "bundle.zip", "bomb|:1")(lambda base: _zip(base, {**_bundle_files(), "b/files/zeros.bin": bytes(30_000_000)}))
case("zip-slip", "bundle.zip", "escapes")(lambda base: _zip(base, {**_bundle_files(), "../../evil.txt": b"x"}))
case("zip-absolute", "bundle.zip", "escapes")(lambda base: _zip(base, {**_bundle_files(), "/tmp/evil.txt": b"x"}))
case("zip-symlink-entry", "bundle.zip", "link")(lambda base: _zip(base, _bundle_files(), links=("b/metrics2.yaml",)))
case("zip-not-a-zip", "bundle.zip", "")(lambda base: (base / "bundle.zip").write_bytes(b"PK\x03\x04 broken") and score(base / "bundle.zip"))
case("zip-empty-archive", "bundle.zip", "")(lambda base: _zip(base, {}))
case("zip-bad-metrics-inside", "bundle.zip", "metrics.yaml" + LINE)(lambda base: _zip(base, {
    **_bundle_files(), "b/metrics.yaml": b"metrics:\n  dialogues_held: {value: -3}\n"}))
case("zip-control-char-inside", "bundle.zip", LINE)(lambda base: _zip(base, {**_bundle_files(), "b/metrics.yaml": b"metrics: {}\x00\n"}))

# ---- workbooks --------------------------------------------------------------------------------------------


def _xlsx(base: Path, sheets: dict[str, list[list[object]]], name: str = "bundle.xlsx") -> Argv:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    path = base / name
    wb.save(path)
    return score(path)


HEAD = [["key", "value"], ["commune", "Xã A"], ["province", "Tỉnh B"], ["period_start", "2025-01-01"],
        ["period_end", "2025-12-31"], ["framework", "reference-par-2025"]]
case("xlsx-no-bundle-sheet", "bundle.xlsx", "bundle")(lambda base: _xlsx(base, {"other": [["x"]]}))
case("xlsx-period-year-1", "bundle.xlsx", "period")(lambda base: _xlsx(base, {"bundle": [*HEAD[:3], ["period_start", "0001-01-01"], *HEAD[4:]]}))
case("xlsx-period-impossible", "bundle.xlsx", "period")(lambda base: _xlsx(base, {"bundle": [*HEAD[:4], ["period_end", "2025-02-31"], HEAD[5]]}))
for key, value in {"word": "mười", "huge": "1e100000000", "inf": "inf", "precise": "1.12345678901234567", "negative": -3,
                   "beyond-64": 2 ** 70}.items():
    case(f"xlsx-metric-{key}", "bundle.xlsx", "metrics")(lambda base, v=value: _xlsx(base, {
        "bundle": HEAD, "metrics": [["metric", "value"], ["dialogues_held", v]]}))
case("xlsx-not-a-workbook", "bundle.xlsx", "")(lambda base: (base / "bundle.xlsx").write_bytes(b"not a zip at all") and score(base / "bundle.xlsx"))


def _xlsx_bomb(base: Path) -> Argv:
    path = base / "bundle.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", bytes(30_000_000))
    return score(path)


case("xlsx-zip-bomb", "bundle.xlsx", "bomb|:1")(_xlsx_bomb)


def _xlsx_dates(value: object) -> Callable[[Path], Argv]:
    def build(base: Path) -> Argv:
        header = DOSSIERS.read_text(encoding="utf-8").splitlines()[0].split(",")
        row: list[object] = ["HS-1", "Thủ tục", value, "17/02/2025 17:00", "14/02/2025 11:00", "", "", "returned", "online"]
        return _xlsx(base, {"bundle": HEAD, "dossiers": [header, row + [""] * (len(header) - len(row))]})
    return build


for key, v in {"year-1500": "01/01/1500", "year-9999": "9999-12-31", "word": "không rõ"}.items():
    case(f"xlsx-dossier-date-{key}", "bundle.xlsx", "sheet 'dossiers'")(_xlsx_dates(v))

# ---- frameworks (validate) --------------------------------------------------------------------------------


def _fw(base: Path, src: Path = SIPAS) -> Path:
    dst = base / "fw"
    shutil.copytree(src, dst)
    return dst


def _fw_edit(file: str, old: str, new: str, src: Path = SIPAS) -> Callable[[Path], Argv]:
    def build(base: Path) -> Argv:
        d = _fw(base, src)
        edit(d / file, old, new)
        return ["validate", str(d), "--lang", "en"]
    return build


SIPAS_TREE = (SIPAS / "tree.yaml").read_text(encoding="utf-8")
SIPAS_MAX = next(line for line in SIPAS_TREE.splitlines() if "max_points:" in line).strip()
for key, bad in {"word": '"mười"', "huge": '"1e100000000"', "inf": ".inf", "precise": '"0.1234567890123"', "list": "[1]",
                 "beyond-64": "123456789012345678901234567890", "fraction-zero": '"1/0"'}.items():
    case(f"framework-max-points-{key}", "tree.yaml", LINE, out=False)(_fw_edit("tree.yaml", SIPAS_MAX, f"max_points: {bad}"))
case("framework-tree-control-char", "tree.yaml", LINE, out=False)(_fw_edit("tree.yaml", SIPAS_MAX, SIPAS_MAX + " \x01"))
case("framework-manifest-control-char", "manifest.yaml", LINE, out=False)(_fw_edit("manifest.yaml", "tree: tree.yaml", "tree: tree.yaml\x00"))


def _no_manifest(base: Path) -> Argv:
    d = _fw(base)
    (d / "manifest.yaml").unlink()
    return ["validate", str(d), "--lang", "en"]


case("framework-no-manifest", "fw", "manifest", out=False)(_no_manifest)

REF_TREE = (REFERENCE / "tree.yaml").read_text(encoding="utf-8")
BAND = "      - at_least: 100\n        points: 2"
case("framework-band-150", "tree.yaml", LINE, out=False)(_fw_edit(
    "tree.yaml", BAND, BAND.replace("at_least: 100", "at_least: 150"), REFERENCE))
case("framework-manifest-bad-total", "manifest.yaml", LINE, out=False)(_fw_edit(
    "manifest.yaml", "total_points: 100", 'total_points: "x"'))

# ---- scenarios (whatif) -----------------------------------------------------------------------------------


def _scenario(text: str) -> Callable[[Path], Argv]:
    def build(base: Path) -> Argv:
        b = bundle(base)
        s = base / "scenario.yaml"
        s.write_text(text, encoding="utf-8")
        return ["whatif", str(b), str(s), "--lang", "en"]
    return build


for key, text in {
    "add-word": "name: x\nadd: {dialogues_held: {value: mười}}\n",
    "add-fraction-zero": "name: x\nadd: {sipas_access: {value: '1/0'}}\n",
    "add-huge": "name: x\nadd: {dialogues_held: {value: 1e100000000}}\n",
    "add-tiny": "name: x\nadd: {sipas_access: {value: '1e-100000000'}}\n",
    "add-inf": "name: x\nadd: {dialogues_held: {value: .inf}}\n",
    "add-numerator-word": "name: x\nadd: {dossier_on_time_rate: {numerator: 'bảy'}}\n",
    "add-numerator-fraction": "name: x\nadd: {dossier_on_time_rate: {numerator: '2,5'}}\n",
    "set-negative": "name: x\nset: {dialogues_held: {value: -1}}\n",
    "set-impossible-date": "name: x\nset: {par_plan_issued_on: {value: 2025-02-30}}\n",
    "evidence-impossible-date": "name: x\nevidence:\n  - issue_document: {type: par_plan, on: 2025-02-30, id: a}\n",
    "unknown-metric": "name: x\nadd: {dialogue_held: {value: 1}}\n",
    "control-char": "name: x\x00\n",
    "deep": "name: x\nset: " + "[" * 3000 + "]" * 3000 + "\n",
    "override-bad-number": "name: x\nframework:\n  leaves:\n    '3.2.1': {bands: [{at_least: 'x', points: 7}]}\n",
    "override-huge-band": "name: x\nframework:\n  leaves:\n    '3.2.1': {bands: [{at_least: 1e999, points: 7}]}\n",
    "classification-bad": "name: x\nframework:\n  classification: [{code: A, min_index: 'abc', label: {vi: a, en: a}}]\n",
    "not-a-mapping": "- a\n- b\n",
    "sexagesimal": "name: x\nadd: {dialogues_held: {value: 1:30}}\n",
}.items():
    case(f"scenario-{key}", "scenario.yaml", LINE, out=False)(_scenario(text))

# ---- costs files (plan) -----------------------------------------------------------------------------------


def _costs(text: str) -> Callable[[Path], Argv]:
    def build(base: Path) -> Argv:
        b = bundle(base)
        c = base / "costs.yaml"
        c.write_text(text, encoding="utf-8")
        return ["plan", str(b), "--target", "90", "--costs", str(c), "--lang", "en"]
    return build


for key, text in {"word": "actions: {raise_rate: 'nhiều'}\n", "zero": "actions: {raise_rate: 0}\n", "negative": "actions: {raise_rate: -2}\n",
                  "huge": "actions: {raise_rate: '1e100000000'}\n", "inf": "actions: {raise_rate: .inf}\n",
                  "unknown-metric": "metrics: {dialogue_held: 2}\n", "unknown-action": "actions: {fly: 2}\n",
                  "control-char": "actions: {raise_rate: 2}\x07\n", "fraction-zero": "actions: {raise_rate: '1/0'}\n"}.items():
    case(f"costs-{key}", "costs.yaml", LINE, out=False)(_costs(text))

# ---- sweep ranges -----------------------------------------------------------------------------------------


def _sweep(vary: str) -> Callable[[Path], Argv]:
    def build(base: Path) -> Argv:
        b = bundle(base)
        return ["sweep", str(b), "--vary", vary, "--out", str(base / "out.csv"), "--lang", "en"]
    return build


for key, vary in {"points-1e9": "dialogues_held=0:1000000000:1", "points-1e12-rate": "sipas_access=0:100:0.0000001",
                  "product-too-large": None, "no-range": "dialogues_held", "two-parts": "dialogues_held=1:2",
                  "zero-step": "dialogues_held=0:10:0", "reversed": "dialogues_held=10:0:1", "rate-over-100": "sipas_access=0:150:1",
                  "words": "dialogues_held=a:b:c", "huge-exponent": "dialogues_held=0:1e100000000:1",
                  "unknown-metric": "dialogue_held=0:10:1", "count-fraction": "dialogues_held=0:10:0.5", "inf": "dialogues_held=0:inf:1",
                  "negative": "dialogues_held=-5:10:1"}.items():
    if vary is None:
        def _product(base: Path) -> Argv:
            b = bundle(base)
            return ["sweep", str(b), "--vary", "dialogues_held=0:9999:1", "--vary", "sipas_access=0:100:0.01",
                    "--out", str(base / "out.csv"), "--lang", "en"]
        case(f"sweep-{key}", "--vary", "--vary")(_product)
    else:
        case(f"sweep-{key}", "--vary", "--vary")(_sweep(vary))

# ---- batch folders ----------------------------------------------------------------------------------------


def _batch_mixed(base: Path) -> Argv:
    (base / "p").mkdir()
    shutil.copytree(REPORTED, base / "p" / "a")
    b = shutil.copytree(REPORTED, base / "p" / "b")
    edit(b / "bundle.yaml", "framework: reference-par-2025", "framework: sipas-2017")
    return ["batch", str(base / "p"), "--out", str(base / "out.json"), "--lang", "en"]


case("batch-mixed-frameworks", "", "sipas-2017")(_batch_mixed)


def _batch_all_broken(base: Path) -> Argv:
    (base / "p").mkdir()
    for n in ("a",):  # one broken bundle: one line (each broken bundle gets its own)
        b = shutil.copytree(REPORTED, base / "p" / n)
        edit(b / "metrics.yaml", "dialogues_held: {value: 2,", "dialogues_held: {value: -2,")
    return ["batch", str(base / "p"), "--out", str(base / "out.json"), "--lang", "en"]


case("batch-all-broken", "metrics.yaml", LINE)(_batch_all_broken)
case("batch-folder-without-bundles", "stray", "bundle.yaml")(lambda base: (base / "p" / "stray").mkdir(parents=True) or [
    "batch", str(base / "p"), "--out", str(base / "out.json"), "--lang", "en"])
case("batch-empty-folder", "p", "")(lambda base: (base / "p").mkdir() or ["batch", str(base / "p"), "--out", str(base / "out.json"), "--lang", "en"])
case("batch-bad-scenario", "scenario.yaml", LINE)(lambda base: (shutil.copytree(REPORTED, base / "p" / "a"), (base / "scenario.yaml").write_text("name: x\nadd: {dialogues_held: {value: 'x'}}\n"))
                                                  and ["batch", str(base / "p"), "--scenario", str(base / "scenario.yaml"), "--out", str(base / "out.json"), "--lang", "en"])
case("batch-out-missing-folder", "nowhere", "")(lambda base: shutil.copytree(REPORTED, base / "p" / "a") and ["batch", str(base / "p"), "--out", str(base / "nowhere" / "out.json"), "--lang", "en"])

# ---- CLI paths and options --------------------------------------------------------------------------------

case("cli-missing-bundle", "nowhere", "")(lambda base: score(base / "nowhere"))
case("cli-out-missing-folder", "missing", "")(lambda base: ["score", str(bundle(base)), "--out", str(base / "missing" / "out.json"), "--lang", "en"])
case("cli-out-onto-folder", "outdir", "")(lambda base: (base / "outdir").mkdir() or ["score", str(bundle(base)), "--out", str(base / "outdir"), "--lang", "en"])
for key, v in {"word": "cao", "huge": "1e100000000", "inf": "inf", "precise": "90.1234567890123"}.items():
    case(f"cli-fail-under-{key}", "--fail-under", "--fail-under")(lambda base, v=v: score(bundle(base), "--fail-under", v))
for key, v in {"word": "cao", "over-100": "150", "huge": "1e100000000"}.items():
    case(f"cli-plan-target-{key}", "--target", "--target", out=False)(lambda base, v=v: ["plan", str(bundle(base)), "--target", v, "--lang", "en"])
case("cli-unknown-framework", "", "")(lambda base: score(bundle(base), "--framework", "no-such-framework"))
case("cli-framework-folder-without-manifest", "fw", "manifest")(lambda base: (_fw(base) / "manifest.yaml").unlink() or score(bundle(base), "--framework", str(base / "fw")))
case("cli-bundle-folder-without-bundle-yaml", "bundle.yaml", "")(lambda base: (base / "empty").mkdir() or score(base / "empty"))
case("cli-bundle-is-a-text-file", "notes.txt", "")(lambda base: (base / "notes.txt").write_text("x") and score(base / "notes.txt"))

# Not here, on purpose: CSV encodings (cp1258, UTF-16, a cut multi-byte character) — issue 9 owns their detection.
assert len(CASES) >= 150, len(CASES)

