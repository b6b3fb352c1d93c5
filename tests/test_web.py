"""`parscore serve` through Starlette's TestClient: routes, guards, storage on SQLite and PostgreSQL, restart."""
from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from web_support import (
    EXAMPLES,
    FIVE,
    broken_workbook,
    example_zip,
    filled_template,
    postgres,
)

from parscore import api
from parscore.cli import main
from parscore.core.numbers import display, fraction
from parscore.web.app import Settings, create_app
from parscore.web.settings import is_loopback
from parscore.web.storage import Store, commune_key


def csrf_of(client: TestClient) -> str:
    page = client.get("/")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def upload(client: TestClient, name: str, data: bytes, **fields: str) -> Any:
    return client.post("/upload", data={"csrf": csrf_of(client), **fields},
                       files={"bundle": (name, data, "application/octet-stream")}, follow_redirects=False)


def index_on(page: str, element: str = "index") -> str:
    found = re.search(rf'id="{element}">([^<%]*)%', page)
    assert found, page[:1000]
    return found.group(1)


def index_display(result: Any, lang: str = "vi") -> str:
    return display(result.total.index, result.decimals, lang)


def leftovers(data_dir: Path) -> list[Path]:
    return [p for p in (data_dir / "incoming").rglob("*")]


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with postgres() as url:
        if isinstance(url, tuple):
            pytest.skip(url[1])
        yield url


def make(tmp: Path, url: str | None = None, **kw: Any) -> tuple[Any, TestClient]:
    app = create_app(Settings(url or f"sqlite:///{tmp / 'db.sqlite3'}", tmp, **kw))
    return app, TestClient(app)


# ---- one commune's session: upload, result, what-if, plan, downloads, restart ----------------------

@pytest.fixture(scope="module")
def dao_xa(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("web")
    app, client = make(tmp)
    r = upload(client, "dao-xa-2025.zip", example_zip("dao-xa-2025"))
    assert r.status_code == 303, r.text[:2000]
    return {"tmp": tmp, "app": app, "client": client, "location": r.headers["location"]}


def test_upload_shows_the_report_with_the_cli_index(dao_xa):
    page = dao_xa["client"].get(dao_xa["location"])
    assert page.status_code == 200
    expected = api.score_bundle(EXAMPLES / "dao-xa-2025")
    assert index_on(page.text) == index_display(expected)
    assert 'id="leaves"' in page.text and "Xã Đào Xá" in page.text  # the report body of `parscore report`
    assert not re.search(r'(src|href|action)="(https?:)?//', page.text)  # nothing loaded or sent elsewhere
    assert "default-src 'none'" in page.text  # the report's Content-Security-Policy holds on the web page too


def test_downloads_json_and_html(dao_xa):
    client, loc = dao_xa["client"], dao_xa["location"]
    data = client.get(f"{loc}/download.json")
    assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
    assert json.loads(data.text)  # the stored result JSON, as `parscore score --format json` writes it
    html = client.get(f"{loc}/download.html")
    assert html.status_code == 200 and html.text.startswith("<!DOCTYPE html>") and 'id="leaves"' in html.text
    assert client.get(f"{loc}/download.exe").status_code == 404


def test_downloads_docx_and_xlsx_are_the_report_documents(dao_xa):
    import docx
    import openpyxl
    client, loc = dao_xa["client"], dao_xa["location"]
    word_file = client.get(f"{loc}/download.docx")
    assert word_file.status_code == 200 and word_file.headers["content-disposition"].endswith('.docx"')
    assert docx.Document(io.BytesIO(word_file.content)).tables  # the Biểu tự chấm điểm
    book = client.get(f"{loc}/download.xlsx")
    assert book.status_code == 200 and openpyxl.load_workbook(io.BytesIO(book.content)).sheetnames


def test_whatif_equals_the_cli_whatif_and_saves_a_scenario_the_cli_reads(dao_xa, tmp_path):
    client, loc = dao_xa["client"], dao_xa["location"]
    csrf = csrf_of(client)
    page = client.post(f"{loc}/whatif", data={"csrf": csrf, "finish_on_time": "7", "apologize": "3"})
    assert page.status_code == 200
    w = api.whatif(EXAMPLES / "dao-xa-2025", [api.load_scenario(EXAMPLES / "scenarios" / "seven-on-time.yaml")])
    assert index_on(page.text, "whatif-index") == index_display(w.runs[0][1])
    assert index_on(page.text, "whatif-index") != index_on(page.text, "current-index")  # the change moved it
    saved = client.post(f"{loc}/whatif", data={"csrf": csrf, "finish_on_time": "7", "apologize": "3", "save": "1"})
    assert saved.status_code == 200 and "attachment" in saved.headers["content-disposition"]
    scenario = tmp_path / "s.yaml"
    scenario.write_bytes(saved.content)
    r = CliRunner().invoke(main, ["whatif", str(EXAMPLES / "dao-xa-2025"), str(scenario), "--format", "json"])
    assert r.exit_code == 0, r.output
    run = json.loads(r.output)["results"][0]["result"]["total"]  # the saved file, read by the CLI, gives the same index
    assert fraction(run["exact"]["index"]) == w.runs[0][1].total.index


def test_whatif_metric_set_and_bad_value_is_located(dao_xa):
    client, loc = dao_xa["client"], dao_xa["location"]
    csrf = csrf_of(client)
    page = client.post(f"{loc}/whatif", data={"csrf": csrf, "metric": "e_work_files_rate", "value": "abc"})
    assert page.status_code == 400 and "Traceback" not in page.text
    assert "e_work_files_rate" in page.text and 'class="errors"' in page.text
    page = client.post(f"{loc}/whatif", data={"csrf": csrf, "finish_on_time": "x7"})
    assert page.status_code == 400 and "x7" in page.text


def test_plan_to_a_target(dao_xa):
    client, loc = dao_xa["client"], dao_xa["location"]
    page = client.post(f"{loc}/plan", data={"csrf": csrf_of(client), "target": "100"})
    assert page.status_code == 200 and 'id="plan-steps"' in page.text
    made = api.plan(EXAMPLES / "dao-xa-2025", "100")
    assert display(made.final.total.index, 2, "vi") in page.text.split('id="plan-final">')[1][:200]
    bad = client.post(f"{loc}/plan", data={"csrf": csrf_of(client), "target": "Z"})
    assert bad.status_code == 400 and 'class="errors"' in bad.text


def test_plan_applied_is_a_whatif_whose_saved_yaml_the_cli_scores_alike(dao_xa, tmp_path):
    client, loc = dao_xa["client"], dao_xa["location"]
    csrf = csrf_of(client)
    planned = client.post(f"{loc}/plan", data={"csrf": csrf, "target": "100"})
    assert 'id="plan-apply"' in planned.text and 'name="plan_target" value="100"' in planned.text
    page = client.post(f"{loc}/whatif", data={"csrf": csrf, "plan_target": "100"})
    assert page.status_code == 200 and 'id="whatif-from-plan"' in page.text and 'id="plan-save"' in page.text
    made = api.plan(EXAMPLES / "dao-xa-2025", "100")
    assert index_on(page.text, "whatif-index") == index_display(made.final)  # the plan's own re-score
    saved = client.post(f"{loc}/whatif", data={"csrf": csrf, "plan_target": "100", "save": "1"})
    assert saved.status_code == 200 and "attachment" in saved.headers["content-disposition"]
    scenario = tmp_path / "plan.yaml"
    scenario.write_bytes(saved.content)
    r = CliRunner().invoke(main, ["whatif", str(EXAMPLES / "dao-xa-2025"), str(scenario), "--format", "json"])
    assert r.exit_code == 0, r.output
    run = json.loads(r.output)["results"][0]["result"]["total"]
    assert fraction(run["exact"]["index"]) == made.final.total.index
    too_long = client.post(f"{loc}/whatif", data={"csrf": csrf, "plan_target": "9" * 30})
    assert too_long.status_code == 400 and 'class="errors"' in too_long.text


def test_the_page_script_gets_the_whatif_panel_alone_and_the_upload_is_not_read_again(dao_xa, monkeypatch):
    client, loc = dao_xa["client"], dao_xa["location"]
    app = dao_xa["app"]
    upload_id = int(loc.rsplit("/", 1)[1])
    assert app.state.service._bundles.get(upload_id) is not None  # kept from the upload itself

    def no_reading(*_: Any) -> Any:
        raise AssertionError("the bundle was read again")
    monkeypatch.setattr(api, "load_bundle", no_reading)
    panel = client.post(f"{loc}/whatif", data={"csrf": csrf_of(client), "metric": "e_work_files_rate", "value": "95"},
                        headers={"X-Parscore-Panel": "whatif"})
    assert panel.status_code == 200 and panel.text.lstrip().startswith('<section class="panel noprint" id="whatif">')
    assert 'id="whatif-index"' in panel.text and 'id="leaves"' not in panel.text  # the panel, not the report
    monkeypatch.undo()
    scenario = api.parse_scenario("name: s\nset: {e_work_files_rate: {value: 95}}\n")
    expected = api.scenario_result(EXAMPLES / "dao-xa-2025", scenario)
    assert index_on(panel.text, "whatif-index") == index_display(expected)


def test_template_download_is_the_cli_workbook(dao_xa, tmp_path):
    import openpyxl

    from parscore.render.template import write_template
    r = dao_xa["client"].get("/template/reference-par-2025.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    cli = tmp_path / "cli.xlsx"
    write_template(api.load_framework("reference-par-2025"), api.catalogue(), cli)
    assert wb.sheetnames == openpyxl.load_workbook(cli).sheetnames
    assert dao_xa["client"].get("/template/..%2F..%2Fetc.xlsx").status_code == 404
    assert dao_xa["client"].get("/template/nope.xlsx").status_code == 404


def test_frameworks_page(dao_xa):
    client = dao_xa["client"]
    page = client.get("/frameworks")
    for fw in api.frameworks():
        assert fw.id in page.text
    page = client.get("/frameworks?id=reference-par-2025")
    fw = api.load_framework("reference-par-2025")
    assert page.text.count("<tr>") >= len(fw.leaves) and fw.leaves[0].source["requirement"][:20] in page.text


def test_restart_keeps_uploads_and_results(dao_xa):
    tmp = dao_xa["tmp"]
    _, again = make(tmp)  # a new app instance on the same database and data folder
    page = again.get(dao_xa["location"])
    assert page.status_code == 200
    assert index_on(page.text) == index_display(api.score_bundle(EXAMPLES / "dao-xa-2025"))
    assert list((tmp / "blobs").rglob("*.zip"))


def test_second_upload_shows_the_previous_beside_it(dao_xa):
    client = dao_xa["client"]
    r = upload(client, "dao-xa-again.zip", example_zip("dao-xa-2025"))
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert 'id="previous-index"' in page.text and dao_xa["location"] in page.text


# ---- bad input: located, never a 500, nothing kept ---------------------------------------------------

def test_broken_workbook_shows_the_located_cli_message(tmp_path):
    _, client = make(tmp_path)
    book = broken_workbook("dao-xa-2025", tmp_path / "hồ sơ.xlsx")
    r = upload(client, "hồ sơ.xlsx", book.read_bytes())
    assert r.status_code == 400 and "Traceback" not in r.text
    cli = CliRunner().invoke(main, ["score", str(book)])
    assert cli.exit_code == 2
    located = cli.output.strip().splitlines()[0].replace(str(book), "hồ sơ.xlsx")
    assert "sheet 'Hồ sơ TTHC'" in located and "31/02/2025" in located
    assert located.replace("'", "&#39;") in r.text  # the same Vietnamese line, escaped for HTML
    assert leftovers(tmp_path) == [] and not list((tmp_path / "blobs").rglob("*.*"))


def test_oversize_upload_is_refused_with_a_message(tmp_path):
    _, client = make(tmp_path, max_upload_mb=1)
    r = upload(client, "big.zip", b"x" * (2 * 1024 * 1024))
    assert r.status_code == 400 and "giới hạn 1 MB" in r.text
    assert leftovers(tmp_path) == []


def test_oversize_upload_without_a_length_is_cut_off_while_read(tmp_path):
    _, client = make(tmp_path, max_upload_mb=1)
    csrf = csrf_of(client)

    def body():  # chunked: no Content-Length to refuse it by, so the body is counted as it arrives
        yield (f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
               '--b\r\nContent-Disposition: form-data; name="bundle"; filename="big.zip"\r\n\r\n').encode()
        for _ in range(40):
            yield b"x" * 65536
        yield b"\r\n--b--\r\n"
    r = client.post("/upload", content=body(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 400 and "giới hạn 1 MB" in r.text
    assert leftovers(tmp_path) == []


def test_zip_slip_upload_is_refused_with_a_message(tmp_path):
    _, client = make(tmp_path)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("b/bundle.yaml", (EXAMPLES / "dao-xa-2025" / "bundle.yaml").read_text(encoding="utf-8"))
        zf.writestr("../../evil.txt", "x")
    r = upload(client, "evil.zip", buf.getvalue())
    assert r.status_code == 400 and "../../evil.txt" in r.text and "evil.zip" in r.text
    assert not (tmp_path.parent / "evil.txt").exists() and leftovers(tmp_path) == []


def test_wrong_kind_and_empty_upload(tmp_path):
    _, client = make(tmp_path)
    assert "chỉ nhận tệp .xlsx" in upload(client, "a.exe", b"MZ").text
    assert upload(client, "a.xlsx", b"").status_code == 400


def test_a_commune_page_refuses_another_communes_file(dao_xa):
    client = dao_xa["client"]
    key = commune_key("Xã Đào Xá", "Thái Nguyên")
    assert client.get(f"/commune/{key}").status_code == 200
    r = upload(client, "hop-tien.zip", example_zip("hop-tien-2025h2"), commune=key)
    assert r.status_code == 400 and "không phải của Xã Đào Xá" in r.text


def test_csrf_is_required_on_every_form(dao_xa):
    client, loc = dao_xa["client"], dao_xa["location"]
    assert client.post(f"{loc}/whatif", data={"finish_on_time": "7"}).status_code == 403
    assert client.post(f"{loc}/whatif", data={"csrf": "forged" * 8}).status_code == 403
    r = client.post(f"{loc}/whatif", data={"csrf": csrf_of(client)}, headers={"origin": "https://evil.example"})
    assert r.status_code == 403


def test_an_internal_error_shows_no_trace(tmp_path, monkeypatch):
    app, _ = make(tmp_path)
    client = TestClient(app, raise_server_exceptions=False)
    monkeypatch.setattr(app.state.service, "accept", lambda *a, **k: 1 / 0)
    r = client.post("/upload", data={"csrf": csrf_of(client)}, files={"bundle": ("a.zip", b"PK", "application/zip")})
    assert r.status_code == 500 and "ZeroDivision" not in r.text and "Traceback" not in r.text


# ---- the access token -------------------------------------------------------------------------------

def test_token_refuses_every_request_without_it(tmp_path):
    _, client = make(tmp_path, token="s3cret-token")
    for path in ("/", "/province", "/frameworks", "/result/1", "/template/reference-par-2025.xlsx"):
        r = client.get(path)
        assert r.status_code == 401 and "token" in r.text, path
    assert client.post("/upload").status_code == 401
    assert client.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
    r = client.get("/?token=s3cret-token", follow_redirects=False)
    assert r.status_code == 303 and "token" not in r.headers["location"]
    assert client.get("/").status_code == 200  # the cookie set by the redirect


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True),
                                                ("127.8.0.1", True), ("0.0.0.0", False), ("192.168.1.10", False),
                                                ("::", False), ("example.org", False)])
def test_which_binds_need_a_token(host, loopback):
    assert is_loopback(host) is loopback


def test_serve_refuses_a_non_loopback_bind_without_a_token(tmp_path, monkeypatch):
    monkeypatch.delenv("PARSCORE_TOKEN", raising=False)
    r = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)])
    assert r.exit_code == 2 and "--token" in r.output and "0.0.0.0" in r.output
    assert not (tmp_path / "parscore.sqlite3").exists()


def test_serve_reports_a_database_it_cannot_open(tmp_path, monkeypatch):
    for name in ("PARSCORE_SERVE_DATABASE", "PARSCORE_SERVE_DATA_DIR", "PARSCORE_SERVE_MAX_UPLOAD_MB"):
        monkeypatch.delenv(name, raising=False)  # `serve` sets them for its app
    r = CliRunner().invoke(main, ["serve", "--data-dir", str(tmp_path), "--database", "nosuchdb://u:pw@host/db"])
    assert r.exit_code == 2, r.output
    assert "không mở được cơ sở dữ liệu nosuchdb://u:***@host/db" in r.output and "pw" not in r.output
    assert "Traceback" not in r.output


def test_other_commands_do_not_import_the_web_stack():
    import subprocess
    import sys
    code = "import sys, parscore.cli; print(sorted(m for m in ('starlette', 'sqlalchemy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


# ---- the province view ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    tmp = tmp_path_factory.mktemp("province")
    _, client = make(tmp)
    for name in FIVE:
        assert upload(client, f"{name}.zip", example_zip(name)).status_code == 303
    return client


def test_province_ranks_the_five_examples_as_batch_does(province):
    page = province.get("/province?period=all&framework=reference-par-2025")
    assert page.status_code == 200
    shown = re.findall(r'<td class="commune"><a href="/result/\d+">([^<]+)</a>.*?<td class="num index">([^<]+)</td>', page.text)
    batch = api.batch([EXAMPLES / n for n in FIVE], "reference-par-2025", jobs=1, mixed=True)  # batch --mixed
    assert shown == [(e.commune, display(e.index, 2, "vi")) for e in batch.entries]
    assert 'id="matrix"' in page.text and 'id="distribution"' in page.text
    workbook = province.get("/province/ranking.xlsx?period=all&framework=reference-par-2025")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"


def test_province_self_score_against_computed_over_claims_first(province):
    page = province.get("/province?period=2025-01-01..2025-12-31&framework=reference-par-2025")
    rows = re.findall(r'<td class="num( over)?">([^<]+)</td><td class="small">', page.text)
    assert rows, "no self-assessment rows"
    overs = [bool(o) for o, _ in rows]
    assert overs == sorted(overs, reverse=True)  # every over-claim before the rest


# ---- storage on both databases ----------------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite3'}"
    url = request.getfixturevalue("pg_url")
    import sqlalchemy as sa

    from parscore.web.storage import driver_url
    engine = sa.create_engine(driver_url(url))
    with engine.begin() as conn:  # each test starts from an empty database
        for table in ("scenarios", "uploads", "schema_version"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    return url


def test_storage_migrates_once_and_keeps_rows(store_url, tmp_path):
    store = Store(store_url, tmp_path / "data")
    assert store.version() == 2 and store.migrate() == 2
    src = tmp_path / "f.zip"
    src.write_bytes(b"zip bytes")
    values = {"commune_key": "k1", "commune": "Xã A", "province": "P", "period_start": "2025-01-01", "period_end": "2025-12-31",
              "framework": "reference-par-2025", "framework_version": "1", "file_name": "f.zip", "file_sha256": "a" * 64,
              "file_suffix": ".zip", "file_size": 9, "input_hashes": {"f.zip": "a" * 64}, "index_exact": "9/10",
              "classification": "A", "result_json": "{}"}
    first = store.add_upload(src, values)
    second = store.add_upload(src, {**values, "index_exact": "1"})
    store.add_upload(src, {**values, "commune_key": "k2", "commune": "Xã B", "period_start": "2025-07-01"})
    assert store.previous(store.upload(second)).id == first and store.previous(store.upload(first)) is None
    assert [u.commune for u in store.latest_per_commune()] == ["Xã A", "Xã B"]
    assert [u.id for u in store.latest_per_commune("2025-01-01", "2025-12-31")] == [second]
    assert store.periods()[0][:2] == ("2025-07-01", "2025-12-31")
    assert store.blob_path("a" * 64, ".zip").read_bytes() == b"zip bytes"
    store.add_scenario(first, "s", "name: s\n")
    store.close()
    again = Store(store_url, tmp_path / "data")  # restart
    assert again.upload(first).input_hashes == {"f.zip": "a" * 64} and again.scenarios_of(first)[0][1] == "s"
    again.close()


def test_storage_start_removes_uploads_cut_short(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    Store(url, tmp_path / "data").close()
    cut = tmp_path / "data" / "incoming" / "0123abcd"
    cut.mkdir()
    (cut / "upload.zip").write_bytes(b"half a file")
    Store(url, tmp_path / "data").close()  # the next start
    assert not cut.exists()


def test_storage_a_failed_insert_leaves_no_file(store_url, tmp_path):
    store = Store(store_url, tmp_path / "data")
    src = tmp_path / "f.zip"
    src.write_bytes(b"zip")
    with pytest.raises(Exception):  # noqa: B017 - any database error: the point is what is left behind
        store.add_upload(src, {"file_sha256": "b" * 64, "file_suffix": ".zip", "input_hashes": {}})  # missing columns
    assert not store.blob_path("b" * 64, ".zip").exists()
    with store.engine.connect() as conn:
        import sqlalchemy as sa
        assert conn.execute(sa.text("SELECT count(*) FROM uploads")).scalar() == 0
    store.close()


def test_the_web_session_on_postgresql(pg_url, tmp_path):
    import sqlalchemy as sa

    from parscore.web.storage import driver_url
    engine = sa.create_engine(driver_url(pg_url))
    with engine.begin() as conn:
        for table in ("scenarios", "uploads", "schema_version"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()
    _, client = make(tmp_path, pg_url)
    book = filled_template("hop-tien-2025h2", tmp_path / "hop-tien.xlsx")
    r = upload(client, "hop-tien.xlsx", book.read_bytes())
    assert r.status_code == 303, r.text[:1500]
    expected = api.score_bundle(book)
    _, restarted = make(tmp_path, pg_url)
    assert index_on(restarted.get(r.headers["location"]).text) == index_display(expected)
