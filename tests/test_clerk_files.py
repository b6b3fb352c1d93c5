"""Every file a commune office really has: it scores, or it fails with one located Vietnamese line and exit 2.

The corpus is `tests/clerk_files/` (text checked in under base/, binary shapes built by corpus.py). Each case is
asserted on its own: what it scores to (the same records read from every encoding and container), or the exact
file, line and words of its error. No case may print a traceback.
"""
from __future__ import annotations

import pytest
from clerk_files.corpus import (
    BASE,
    FAILING,
    SCORING,
    aggregate_report,
    aggregate_report_broken,
)
from click.testing import CliRunner

from parscore import api
from parscore.cli import main


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in r.output, r.output
    return r


@pytest.fixture(scope="module")
def reference():
    """What the records of base/ must read as, whatever shape they come in."""
    b = api.load_bundle(BASE)
    return {k: (v.num, v.den) for k, v in b.metrics.items()}


def test_the_base_folder_reads_every_office_date_label_and_path(reference):
    b = api.load_bundle(BASE)
    d = b.evidence.tables["dossiers"].set_index("id")
    assert list(d["status"]) == ["returned", "returned", "finished", "returned", "processing"]
    assert list(d["channel"]) == ["direct", "online", "postal", "online", "direct"]
    assert str(d.loc["HS-001", "finished_at"]) == "2025-03-04 14:30:00"  # 02:30 CH
    assert str(d.loc["HS-004", "received_at"]) == "2025-01-24 00:00:00"  # 24/01/25
    assert str(d.loc["HS-005", "received_at"]) == "2025-05-20 00:00:00"  # ngày 20 tháng 5 năm 2025
    assert str(d.loc["HS-003", "due_at"]) == "2025-03-12 00:00:00"  # 12.03.2025
    # HS-004, received just before Tết with 3 working days, finished 04/02: on time by the state's calendar
    assert reference["dossier_on_time_rate"] == (3, 5)
    assert len(b.evidence.document_files) == 2  # 'files\\Thư xin lỗi HS-003.txt' found
    assert not [w for w in b.warnings if w.code == "attachment_missing"]


@pytest.mark.parametrize("case", SCORING, ids=lambda c: c.name)
def test_scores(tmp_path, case, reference):
    path = case.build(tmp_path)
    r = run("score", path, "--lang", "vi")
    assert r.exit_code == 0, r.output
    b = api.load_bundle(path)
    got = {k: (v.num, v.den) for k, v in b.metrics.items()}
    if case.name == "missing-attachment":  # the dossiers read the same; the document is dropped (tested below)
        assert got["dossier_on_time_rate"] == reference["dossier_on_time_rate"]
    else:
        assert got == reference, case.name
    for text in case.warns:
        assert text in r.output.replace("\n", " ") or any(text in w.text.vi for w in b.warnings), (text, r.output)


@pytest.mark.parametrize("case", FAILING, ids=lambda c: c.name)
def test_fails_with_one_located_vietnamese_line(tmp_path, case):
    path = case.build(tmp_path)
    r = run("score", path, "--lang", "vi")
    assert r.exit_code == 2, r.output
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1, r.output
    for text in case.fails_with:
        assert text in lines[0], (text, lines[0])
    assert "cách sửa" in lines[0]


def test_missing_attachment_is_a_finding_on_the_leaf_that_needs_it(tmp_path):
    from clerk_files.corpus import missing_attachment
    path = missing_attachment(tmp_path)
    res = api.score_bundle(path, "qd766-2022")
    warnings = [w for w in res.warnings if w.code == "attachment_missing"]
    assert warnings and all("12/KH-UBND" in w.text.vi for w in warnings)
    b = api.load_bundle(path)
    assert "12/KH-UBND" not in set(b.evidence.tables["documents"]["id"])  # that document is not counted
    assert "01/TXL-UBND" in set(b.evidence.tables["documents"]["id"])  # the others are


def test_the_monthly_aggregate_report_becomes_reported_metrics_with_their_rows(tmp_path):
    report = aggregate_report(tmp_path)
    out = tmp_path / "metrics.yaml"
    r = run("import-aggregate", report, "--out", out)
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "trang 'Báo cáo tháng 3', dòng 6" in text  # the total row
    agg, metrics = api.import_aggregate(report)
    assert agg.figures["done_early"] == 65 and agg.figures["pending_late"] == 1
    assert metrics["dossier_on_time_rate"] == {**metrics["dossier_on_time_rate"], "numerator": 65 + 27 + 4, "denominator": 100}
    assert (metrics["online_submission_rate"]["numerator"], metrics["online_submission_rate"]["denominator"]) == (35, 95)
    # the imported file is a bundle's metrics.yaml as it stands
    bundle = tmp_path / "b"
    bundle.mkdir()
    (bundle / "bundle.yaml").write_text((BASE / "bundle.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    out.replace(bundle / "metrics.yaml")
    res = api.score_bundle(bundle, "qd766-2022")
    on_time = next(o for leaf in res.leaves for o in leaf.observed if o.metric == "dossier_on_time_rate")
    assert on_time.origin == "reported" and "dòng 6" in on_time.source


def test_an_aggregate_report_that_does_not_add_up_is_refused_at_its_row(tmp_path):
    r = run("import-aggregate", aggregate_report_broken(tmp_path), "--lang", "vi")
    assert r.exit_code == 2
    assert "bao-cao-thang-3-sai.xlsx:6" in r.output and "không khớp" in r.output and "96" in r.output


def test_a_workbook_that_is_not_an_aggregate_report_says_what_is_expected(tmp_path):
    from clerk_files.corpus import merged_workbook
    r = run("import-aggregate", merged_workbook(tmp_path), "--lang", "vi")
    assert r.exit_code == 2 and "không nhận ra báo cáo tổng hợp" in r.output and "Đã giải quyết trước hạn" in r.output


@pytest.mark.parametrize("build, encoding, sep", [
    ("cp1258_comma", "cp1258", ","), ("cp1258_semicolon", "cp1258", ";"), ("utf16_tab", "utf-16", "\t"),
    ("utf8_bom_comma", "utf-8-sig", ","), ("utf8_semicolon", "utf-8", ";")])
def test_each_encoding_and_delimiter_is_recognised_as_what_it_is(tmp_path, build, encoding, sep):
    from clerk_files import corpus

    from parscore.evidence import textfile
    from parscore.evidence.tables import table_specs
    data = (getattr(corpus, build)(tmp_path) / "dossiers.csv").read_bytes()
    decoded = textfile.decode(data, "dossiers.csv")
    spec = table_specs()["dossiers"]
    assert decoded.encoding == encoding and "Đăng ký kết hôn" in decoded.text
    assert textfile.delimiter(decoded.text, [a for c in spec.columns for a in (c.name, c.header.vi)]) == sep


def test_batch_lists_a_bundle_that_crashes_parscore_as_skipped_and_goes_on(tmp_path, monkeypatch):
    """Not only bad input: any failure of one bundle (here a bug simulated in the loader) is one skipped line."""
    import shutil

    from parscore.planning import batch
    for name in ("good", "crashes"):
        shutil.copytree(BASE, tmp_path / name)
    real = batch.open_bundle  # what batch's workers open each bundle with (they type and derive a chunk's bundles together)

    def load(path, catalogue, **options):
        if str(path).endswith("crashes"):
            raise ZeroDivisionError("division by zero in a reader")
        return real(path, catalogue, **options)
    monkeypatch.setattr(batch, "open_bundle", load)
    res = batch.run([tmp_path], "qd766-2022", None, 1, None, "vi", api.registry())
    assert [e.commune for e in res.entries] == ["Xã Thử Nghiệm"]
    (path, message), = res.errors
    assert path.endswith("crashes") and "ZeroDivisionError" in message and "đã bỏ qua" in message


def test_validate_reports_a_decimal_in_a_count_without_a_traceback(tmp_path):
    from clerk_files.corpus import decimal_comma_count
    r = run("validate", decimal_comma_count(tmp_path), "--lang", "vi")
    assert r.exit_code == 2 and "số nguyên, nhận được 1,5" in r.output
