"""Where the web page keeps what it was given: a database of uploads and results, and a content-addressed file store.

One code path for SQLite (the default: a file under the user's data directory) and
PostgreSQL (`postgresql://…`, through psycopg 3): SQLAlchemy Core statements only,
no dialect-specific SQL. The schema is created and upgraded by ordered migration
steps recorded in `schema_version`, so a database made by an older parscore is
brought up to date on start and never rebuilt.

Uploaded files are kept once per content under `blobs/<2 hex>/<sha256><suffix>`.
A file is first written to `incoming/` and moved into place only when its row is
committed; a failure in between deletes it, and `incoming/` is emptied on start,
so an upload cut short leaves nothing behind.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

META = sa.MetaData()

SCHEMA_VERSION = sa.Table(
    "schema_version", META,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.String(32), nullable=False),
)

UPLOADS = sa.Table(
    "uploads", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("commune_key", sa.String(64), nullable=False),  # see commune_key(): who the upload belongs to
    sa.Column("commune", sa.String(300), nullable=False),
    sa.Column("province", sa.String(300), nullable=False),
    sa.Column("period_start", sa.String(10), nullable=False),
    sa.Column("period_end", sa.String(10), nullable=False),
    sa.Column("framework", sa.String(200), nullable=False),  # the primary framework the result was scored under
    sa.Column("framework_version", sa.String(100), nullable=False),
    sa.Column("file_name", sa.String(300), nullable=False),  # as the user named it (display only, never a path)
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("file_suffix", sa.String(8), nullable=False),
    sa.Column("file_size", sa.BigInteger, nullable=False),
    sa.Column("input_hashes", sa.Text, nullable=False),  # JSON: file -> sha256, from the result's manifest
    sa.Column("index_exact", sa.String(200)),
    sa.Column("classification", sa.String(20)),
    sa.Column("result_json", sa.Text, nullable=False),  # `parscore score --format json` of every framework it names
    sa.Column("uploaded_at", sa.String(32), nullable=False),
)

SCENARIOS = sa.Table(
    "scenarios", META,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("upload_id", sa.Integer, sa.ForeignKey("uploads.id"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("yaml", sa.Text, nullable=False),
    sa.Column("created_at", sa.String(32), nullable=False),
)


def _v1(conn: Connection) -> None:
    # The tables as first released. When a later step adds a column, this step gets its own frozen copy of them.
    UPLOADS.create(conn)
    SCENARIOS.create(conn)


def _v2(conn: Connection) -> None:
    # Plain DDL that SQLite and PostgreSQL both read, so the indexes never attach to the tables above.
    conn.execute(sa.text("CREATE INDEX uploads_by_commune ON uploads (commune_key, framework, id)"))
    conn.execute(sa.text("CREATE INDEX uploads_by_period ON uploads (period_start, period_end)"))


# Ordered steps; a released step is never edited, only followed by a new one.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [(1, _v1), (2, _v2)]


def driver_url(url: str) -> str:
    """`postgresql://…` through psycopg 3 (SQLAlchemy would otherwise look for psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def commune_key(commune: str, province: str) -> str:
    """A stable id for a commune: its name and province, NFC, case and spacing folded."""
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).casefold().split())
    return hashlib.sha256(f"{norm(commune)}\n{norm(province)}".encode()).hexdigest()[:16]


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Upload:
    id: int
    commune_key: str
    commune: str
    province: str
    period_start: str
    period_end: str
    framework: str
    framework_version: str
    file_name: str
    file_sha256: str
    file_suffix: str
    file_size: int
    input_hashes: dict[str, str]
    index_exact: str | None
    classification: str | None
    result_json: str
    uploaded_at: str

    @property
    def period(self) -> str:
        return f"{self.period_start}..{self.period_end}"


def _upload(row: Any) -> Upload:
    m = dict(row._mapping)
    m["input_hashes"] = json.loads(m["input_hashes"])
    return Upload(**m)


class TooLarge(Exception):
    """The incoming file passed the size limit (the partial file is already deleted)."""


class Store:
    """The database and the file store of one `parscore serve`."""

    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.url = database_url
        self.data_dir = data_dir
        self.blobs = data_dir / "blobs"
        self.incoming = data_dir / "incoming"
        for d in (self.blobs, self.incoming):
            d.mkdir(parents=True, exist_ok=True)
        for leftover in self.incoming.iterdir():  # uploads cut short by a crash or a stop
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink(missing_ok=True)
        self.engine: Engine = sa.create_engine(driver_url(database_url), pool_pre_ping=True)
        self.migrate()

    # ---- schema ----------------------------------------------------------------------------

    def version(self) -> int:
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table("schema_version"):
                return 0
            return int(conn.execute(sa.select(sa.func.max(SCHEMA_VERSION.c.version))).scalar() or 0)

    def migrate(self) -> int:
        """Apply the steps the database has not seen, each in its own transaction; the version reached."""
        with self.engine.begin() as conn:
            SCHEMA_VERSION.create(conn, checkfirst=True)
        current = self.version()
        for number, step in MIGRATIONS:
            if number > current:
                with self.engine.begin() as conn:
                    step(conn)
                    conn.execute(sa.insert(SCHEMA_VERSION).values(version=number, applied_at=now()))
                current = number
        return current

    # ---- files -----------------------------------------------------------------------------

    @contextmanager
    def incoming_file(self, source: IO[bytes], suffix: str, limit: int) -> Iterator[tuple[Path, str, int]]:
        """Copy `source` into a private incoming file, hashing it; yields (path, sha256, size); always cleans up.

        Over `limit` bytes the copy stops and `TooLarge` is raised with nothing kept.
        """
        folder = self.incoming / secrets.token_hex(8)
        folder.mkdir()
        path = folder / f"upload{suffix}"  # never the user's name: no form value reaches a path
        try:
            h, size = hashlib.sha256(), 0
            with open(path, "wb") as out:
                for chunk in iter(lambda: source.read(1 << 20), b""):
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge()
                    h.update(chunk)
                    out.write(chunk)
            yield path, h.hexdigest(), size
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def blob_path(self, sha256: str, suffix: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256) or suffix not in (".xlsx", ".zip"):
            raise ValueError("not a stored file name")
        return self.blobs / sha256[:2] / f"{sha256}{suffix}"

    # ---- uploads ---------------------------------------------------------------------------

    def add_upload(self, incoming: Path, values: dict[str, Any]) -> int:
        """Keep the file and its row together: the file is put in place inside the row's transaction,
        and taken away again if the transaction does not commit."""
        target = self.blob_path(values["file_sha256"], values["file_suffix"])
        placed = False
        try:
            with self.engine.begin() as conn:
                new_id = conn.execute(sa.insert(UPLOADS).values(
                    **{**values, "input_hashes": json.dumps(values["input_hashes"], sort_keys=True)},
                    uploaded_at=now())).inserted_primary_key[0]  # type: ignore[index]
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}")
                    shutil.copyfile(incoming, tmp)
                    os.replace(tmp, target)
                    placed = True
        except BaseException:
            if placed:
                target.unlink(missing_ok=True)
            raise
        return int(new_id)

    def upload(self, upload_id: int) -> Upload | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(UPLOADS).where(UPLOADS.c.id == upload_id)).first()
        return None if row is None else _upload(row)

    def uploads_of(self, key: str) -> list[Upload]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(UPLOADS).where(UPLOADS.c.commune_key == key).order_by(UPLOADS.c.id.desc())).all()
        return [_upload(r) for r in rows]

    def previous(self, upload: Upload) -> Upload | None:
        """The same commune's upload before this one, under the same framework."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(UPLOADS).where(
                UPLOADS.c.commune_key == upload.commune_key, UPLOADS.c.framework == upload.framework,
                UPLOADS.c.id < upload.id).order_by(UPLOADS.c.id.desc()).limit(1)).first()
        return None if row is None else _upload(row)

    def latest_per_commune(self, start: str | None = None, end: str | None = None) -> list[Upload]:
        """Each commune's newest upload (for one period, if given), by commune name."""
        scope = () if start is None else (UPLOADS.c.period_start == start, UPLOADS.c.period_end == end)
        with self.engine.connect() as conn:
            newest = sa.select(sa.func.max(UPLOADS.c.id)).where(*scope).group_by(UPLOADS.c.commune_key).scalar_subquery()
            rows = conn.execute(sa.select(UPLOADS).where(UPLOADS.c.id.in_(newest))).all()
        return sorted((_upload(r) for r in rows), key=lambda u: (u.commune.casefold(), u.province.casefold(), u.id))

    def periods(self) -> list[tuple[str, str, int]]:
        """(period start, end, communes) for which uploads exist, newest period first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(UPLOADS.c.period_start, UPLOADS.c.period_end,
                                          sa.func.count(sa.distinct(UPLOADS.c.commune_key)))
                                .group_by(UPLOADS.c.period_start, UPLOADS.c.period_end)).all()
        return sorted(((str(r[0]), str(r[1]), int(r[2])) for r in rows), key=lambda r: (r[1], r[0]), reverse=True)

    def add_scenario(self, upload_id: int, name: str, text: str) -> int:
        with self.engine.begin() as conn:
            new_id = conn.execute(sa.insert(SCENARIOS).values(upload_id=upload_id, name=name, yaml=text,
                                                              created_at=now())).inserted_primary_key[0]  # type: ignore[index]
        return int(new_id)

    def scenarios_of(self, upload_id: int) -> list[tuple[int, str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(SCENARIOS.c.id, SCENARIOS.c.name, SCENARIOS.c.yaml)
                                .where(SCENARIOS.c.upload_id == upload_id).order_by(SCENARIOS.c.id)).all()
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def close(self) -> None:
        self.engine.dispose()
