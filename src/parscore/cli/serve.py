"""`parscore serve`: the web page for the commune office and the province's appraisers.

The app is imported by uvicorn from its name (`parscore.web.app:app_from_env`) with the
settings passed in the environment, so no other command pays for importing the web stack.
"""
from __future__ import annotations

import os
from pathlib import Path

import click
import platformdirs

from parscore.cli.common import LANG
from parscore.core.errors import InputError, InputErrors
from parscore.core.messages import word
from parscore.web.settings import Settings, is_loopback, safe_url

APP = "parscore.web.app:app_from_env"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("parscore", appauthor=False)) / "serve"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ lắng nghe; khác localhost thì cần --token / address to bind; any but loopback needs --token.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Cổng / port.")
@click.option("--database", default=None,
              help="sqlite:///… (mặc định: trong thư mục dữ liệu) hoặc postgresql://… / database URL (default: SQLite in the data dir).")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Thư mục lưu tệp tải lên / where uploaded files are kept (default: the user's data directory).")
@click.option("--token", envvar="PARSCORE_TOKEN", default=None,
              help="Mã truy cập bắt buộc cho mọi yêu cầu (PARSCORE_TOKEN) / access token every request must carry.")
@click.option("--max-upload-mb", default=50, show_default=True, type=click.IntRange(1, 2048),
              help="Giới hạn dung lượng tệp tải lên / upload size limit in MB.")
@LANG
def command(host: str, port: int, database: str | None, data_dir: str | None, token: str | None, max_upload_mb: int,
            lang: str) -> None:
    """Chạy trang web chấm điểm / serve the web page (upload, result, what-if, province view, frameworks)."""
    if not is_loopback(host) and not token:
        raise InputErrors([InputError("serve_token_needed", where="--host", params={"host": host})])
    import uvicorn  # only `serve` needs the server
    folder = Path(data_dir) if data_dir else default_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(database or f"sqlite:///{folder / 'parscore.sqlite3'}", folder, token, max_upload_mb)
    os.environ.update(settings.environ())
    config = uvicorn.Config(APP, factory=True, host=host, port=port, log_level="warning", server_header=False)
    config.load()  # opens the database (created and migrated on first start): a bad --database fails here, exit 2
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    click.echo(word("web_listening", lang, url=address, database=safe_url(settings.database_url)))
    uvicorn.Server(config).run()

