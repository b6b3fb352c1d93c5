"""The settings of one `parscore serve`, and how they reach the app (standard library only).

`parscore serve` hands them to the app through the process environment and lets
uvicorn import the app by name (`parscore.web.app:app_from_env`), so the other
commands never pay for importing the web stack.
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_DATABASE = "PARSCORE_SERVE_DATABASE"
ENV_DATA_DIR = "PARSCORE_SERVE_DATA_DIR"
ENV_MAX_UPLOAD_MB = "PARSCORE_SERVE_MAX_UPLOAD_MB"
ENV_TOKEN = "PARSCORE_TOKEN"


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    token: str | None = None
    max_upload_mb: int = 50

    def environ(self) -> dict[str, str]:
        out = {ENV_DATABASE: self.database_url, ENV_DATA_DIR: str(self.data_dir), ENV_MAX_UPLOAD_MB: str(self.max_upload_mb)}
        if self.token:
            out[ENV_TOKEN] = self.token
        return out


def from_environ(env: Mapping[str, str] = os.environ) -> Settings:
    return Settings(env[ENV_DATABASE], Path(env[ENV_DATA_DIR]), env.get(ENV_TOKEN) or None,
                    int(env.get(ENV_MAX_UPLOAD_MB, "50")))


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the server to this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def safe_url(url: str) -> str:
    """A database URL without its password, for printing and messages."""
    head, sep, tail = url.partition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, cred = head.partition("://")
    return f"{scheme}://{cred.split(':')[0]}:***@{tail}"
