"""What the web page does, without HTTP: accept an upload, score it, keep it; re-score with a change; rank a period.

Every number comes from `parscore.api`; this module only moves files and rows and
keeps loaded bundles, results and plans in memory: the bundle an upload was scored
from is kept as it was loaded (its records typed, its metrics derived), so that a
what-if that sets a metric only re-scores, and one that edits records derives again
from the records in memory without reading the file; after a restart the kept file
is read once, on first use. Bad input comes back as `InputErrors` with the uploaded file's own name in
place of the private path it was read from.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import yaml

from parscore import api
from parscore.core import dates
from parscore.core.errors import InputError, InputErrors
from parscore.render import render_results
from parscore.watch import service as watch
from parscore.web.storage import Store, TooLarge, Upload, commune_key

SUFFIXES = (".xlsx", ".zip")
# The evidence edits the what-if panel offers as counts ("7 more dossiers on time"); the scenario vocabulary's own names.
COUNT_EDITS = ("finish_on_time", "apologize", "complete_tasks", "resolve_feedback_on_time")

K = TypeVar("K")
V = TypeVar("V")


class _Lru(Generic[K, V]):
    """A small thread-safe LRU map (loaded bundles are tens of MB: keep a few)."""

    def __init__(self, size: int) -> None:
        self.size, self.data, self.lock = size, OrderedDict[K, V](), threading.Lock()

    def get(self, key: K) -> V | None:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                return self.data[key]
            return None

    def put(self, key: K, value: V) -> V:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)
        return value


def safe_name(name: str) -> str:
    """The user's file name for display: its last part, NFC, printable, at most 120 characters."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").split("/")[-1])
    return "".join(ch for ch in base if ch.isprintable())[:120] or "upload"


def suffix_of(name: str) -> str | None:
    low = name.lower()
    return next((s for s in SUFFIXES if low.endswith(s)), None)


@dataclass(frozen=True)
class WhatIfRun:
    scenario_yaml: str
    result: Any  # Result
    notes: tuple[Any, ...]  # Text, shown in the page's language


class Service:
    """The scoring side of `parscore serve` over one Store."""

    def __init__(self, store: Store, max_upload_bytes: int) -> None:
        self.store = store
        self.max_upload_bytes = max_upload_bytes
        self._bundles: _Lru[int, Any] = _Lru(8)
        self._results: _Lru[tuple[int, str | None], list[Any]] = _Lru(64)
        self._batches: _Lru[tuple[Any, ...], Any] = _Lru(8)
        self._alerts: _Lru[tuple[int, dt.date], Any] = _Lru(32)
        self.watch_unavailable: InputErrors | None = None  # set once durable-rules is found not to run here
        self._plans: _Lru[tuple[int, str], Any] = _Lru(32)

    # ---- uploads -----------------------------------------------------------------------------

    def accept(self, source: IO[bytes], file_name: str, expected_key: str | None = None) -> int:
        """Score an uploaded .xlsx or .zip and keep it; the new upload's id. Bad input raises InputErrors.

        With `expected_key` (the upload was made on a commune's page), a file of another commune is refused.
        """
        shown = safe_name(file_name)
        suffix = suffix_of(shown)
        if suffix is None:
            raise InputErrors([InputError("upload_kind", file=shown)])
        try:
            with self.store.incoming_file(source, suffix, self.max_upload_bytes) as (path, sha, size):
                if size == 0:
                    raise InputErrors([InputError("upload_empty", file=shown)])
                try:
                    bundle = api.load_bundle(path)
                    results = api.score_bundle_all(bundle)
                except InputErrors as exc:
                    raise _renamed(exc, path, shown) from None
                key = commune_key(bundle.commune, bundle.province)
                if expected_key and key != expected_key:
                    expected = self.store.uploads_of(expected_key)
                    raise InputErrors([InputError("upload_wrong_commune", file=shown, params={
                        "found": bundle.commune, "expected": expected[0].commune if expected else expected_key})])
                first = results[0]
                manifest_files = dict(first.manifest.get("files", {}))
                values = {
                    "commune_key": key, "commune": bundle.commune, "province": bundle.province,
                    "period_start": bundle.period_start.isoformat(), "period_end": bundle.period_end.isoformat(),
                    "framework": first.framework["id"], "framework_version": str(first.framework.get("version", "")),
                    "file_name": shown, "file_sha256": sha, "file_suffix": suffix, "file_size": size,
                    "input_hashes": {(shown if k == str(path) else k): v for k, v in manifest_files.items()},
                    "index_exact": None if first.total.index is None else str(first.total.index),
                    "classification": first.total.classification.code,
                    "result_json": _text(render_results(results, "json", "vi")),
                }
                upload_id = self.store.add_upload(path, values)
        except TooLarge:
            raise InputErrors([InputError("upload_too_large", file=shown,
                                          params={"limit": self.max_upload_bytes // (1024 * 1024)})]) from None
        # the bundle read from the incoming copy is the kept file's (same bytes): keep it, so that the first what-if
        # re-scores at once instead of reading and deriving the file again
        self._bundles.put(upload_id, dataclasses.replace(bundle, path=self.store.blob_path(sha, suffix)))
        self._results.put((upload_id, None), results)
        return upload_id

    def blob(self, upload: Upload) -> Path:
        return self.store.blob_path(upload.file_sha256, upload.file_suffix)

    def bundle(self, upload: Upload) -> Any:
        found = self._bundles.get(upload.id)
        return found if found is not None else self._bundles.put(upload.id, api.load_bundle(self.blob(upload)))

    def results(self, upload: Upload, framework: str | None = None) -> list[Any]:
        """The upload's results: every framework it names, or the one given (kept in memory, re-scored after a restart)."""
        found = self._results.get((upload.id, framework))
        if found is not None:
            return found
        every = self._results.get((upload.id, None))  # the upload's own frameworks, scored when it came in
        picked = [r for r in every or [] if r.framework["id"] == framework]
        if picked:
            return picked
        bundle = self.bundle(upload)
        results = api.score_bundle_all(bundle, [framework] if framework else None)
        return self._results.put((upload.id, framework), results)

    # ---- what-if and plans ---------------------------------------------------------------------

    def whatif(self, upload: Upload, counts: dict[str, int], metric: str | None, value: str | None) -> WhatIfRun:
        """Re-score the upload with extra on-time records and/or one metric set, through a scenario the CLI reads."""
        text = scenario_yaml(counts, metric, value)
        scenario = api.parse_scenario(text, "what-if.yaml")
        fw = api.load_framework(upload.framework)
        result, notes = api.score_scenario(fw, self.bundle(upload), scenario)
        return WhatIfRun(text, result, tuple(notes))

    def plan(self, upload: Upload, target: str) -> Any:
        key = (upload.id, target)
        found = self._plans.get(key)
        return found if found is not None else self._plans.put(key, api.plan(self.bundle(upload), target, framework=upload.framework))

    def plan_whatif(self, upload: Upload, target: str) -> WhatIfRun:
        """The plan to `target` turned into a what-if: its scenario written as the YAML the CLI reads, read back,
        and scored like any what-if, so that what the page shows is what `parscore whatif` gives for the saved file."""
        text = api.scenario_yaml(self.plan(upload, target).scenario)
        scenario = api.parse_scenario(text, "plan.yaml")
        result, notes = api.score_scenario(api.load_framework(upload.framework), self.bundle(upload), scenario)
        return WhatIfRun(text, result, tuple(notes))

    # ---- alerts (parscore watch) -----------------------------------------------------------------

    def alerts_day(self, upload: Upload, today: dt.date | None = None) -> dt.date:
        """The day the alerts panel looks from by default: today inside the upload's period, else its last day."""
        day = today or dt.datetime.now(dates.TZ).date()
        start, end = dt.date.fromisoformat(upload.period_start), dt.date.fromisoformat(upload.period_end)
        return day if start <= day <= end else end

    def alerts_range(self, upload: Upload) -> tuple[dt.date, dt.date]:
        """The days the panel may look from: the upload's period, and the year after it (late records)."""
        start, end = dt.date.fromisoformat(upload.period_start), dt.date.fromisoformat(upload.period_end)
        return start, end + dt.timedelta(days=365)

    def alerts(self, upload: Upload, now: dt.date) -> Any:
        """The commune's alerts up to `now` (a watch Report; `.open` are the ones still open then): the events its
        uploaded tables imply, replayed through durable-rules as `parscore watch --replay --open` does.
        Raises InputErrors (one line) where durable-rules cannot run; that answer is kept."""
        if self.watch_unavailable is not None:
            raise self.watch_unavailable
        found = self._alerts.get((upload.id, now))
        if found is not None:
            return found
        try:
            report = watch.commune_alerts(self.bundle(upload), now, commune=upload.commune)
        except InputErrors as exc:
            if any(e.code == "watch_unavailable" for e in exc.errors):
                self.watch_unavailable = exc
            raise
        return self._alerts.put((upload.id, now), report)

    # ---- province --------------------------------------------------------------------------------

    def ranking(self, uploads: list[Upload], framework: str, lang: str, mixed: bool = False) -> Any:
        """`parscore batch [--mixed]` over the kept files of these uploads, under one framework."""
        key = (tuple(u.id for u in uploads), framework, lang, mixed)
        found = self._batches.get(key)
        if found is not None:
            return found
        return self._batches.put(key, api.batch([self.blob(u) for u in uploads], framework, jobs=1, lang=lang, mixed=mixed))


def scenario_yaml(counts: dict[str, int], metric: str | None, value: str | None) -> str:
    """The what-if panel's change as a scenario file (`schemas/scenario.schema.json`), read back by the CLI as is."""
    doc: dict[str, Any] = {"name": "web-what-if",
                           "title": {"vi": "Thay đổi thử trên trang web", "en": "A change tried on the web page"}}
    edits = [{k: {"count": n}} for k, n in counts.items() if k in COUNT_EDITS and n > 0]
    if edits:
        doc["evidence"] = edits
    if metric and value is not None and value.strip():
        doc["set"] = {metric: {"value": value.strip()}}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _text(data: str | bytes) -> str:
    return data.decode("utf-8") if isinstance(data, bytes) else data


def _renamed(exc: InputErrors, path: Path, shown: str) -> InputErrors:
    """The same errors, naming the uploaded file instead of the private copy parscore read."""
    private = str(path)

    def fix(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = value.replace(private, shown)
        # errors name a bundle by its file name alone (no machine path in any message): that name too
        return shown + value[len(path.name):] if value.startswith(path.name) else value
    return InputErrors([InputError(e.code, file=fix(e.file), line=e.line, where=fix(e.where), value=e.value,
                                   params={k: fix(v) for k, v in e.params.items()}) for e in exc.errors])

