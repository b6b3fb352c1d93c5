"""Batch grading: many bundles (a province's communes) scored, ranked and summarised.

Bundles are loaded in parallel worker processes, in chunks: a worker opens every bundle of its chunk, types each
table of all of them together (`columnar.type_bundles`: one Arrow pass per column, each bundle's errors and warnings
those it gets alone), derives the records of all those sharing a Context (period, province) and a shape in ONE
partitioned run of the plan (`derive.derive_parts`: each bundle a part, its values those of the bundle derived
alone), and sends back each bundle's metric row, packed (`pack`). Scoring is one vectorised pass over all of them. A bundle that fails to load is reported
with its error and skipped: it never stops the batch. Ranks are competition ranks on the exact index (equal
indices share a rank).
"""
from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import operator
import os
import signal
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

from parscore.core.errors import InputError, InputErrors
from parscore.core.numbers import exact_sum
from parscore.core.messages import word
from parscore.criteria.framework import Framework, FrameworkRegistry
from parscore.evidence.bundle import Bundle, Opened, Read, attach, close, load_bundle, open_bundle
from parscore.evidence.columnar import type_bundles
from parscore.evidence.derive import DuckDBEngine, derive_all, derive_parts, shape
from parscore.evidence.plan import needed_columns
from parscore.evidence.rules import load_rules
from parscore.evidence.tables import table_specs
from parscore.metrics.catalogue import Catalogue
from parscore.metrics.values import MetricValue, Provenance
from parscore.planning.scenario import Scenario, apply_to_bundle, load_scenario
from parscore.scoring.engine import ScoreTable, score_frame
from parscore.scoring.frame import build_frame, bundle_subject


@dataclass(frozen=True)
class Entry:
    bundle: str
    commune: str
    province: str
    index: Fraction | None
    points: Fraction
    max_points: Fraction
    classification: str | None
    rank: int | None
    after_index: Fraction | None = None  # with a scenario
    after_rank: int | None = None
    after_class: str | None = None
    fields: tuple[tuple[str, Fraction, Fraction], ...] = ()  # (field id, points, applicable maximum)
    period: tuple[str, str] = ("", "")
    frameworks: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchResult:
    framework: Framework
    entries: tuple[Entry, ...]  # in rank order
    errors: tuple[tuple[str, str], ...]  # (bundle, one-line error)
    distribution: dict[str, int]
    most_lost: tuple[tuple[str, int, Fraction], ...]  # (leaf, communes losing points, total points lost)
    scenario: str | None = None
    # Bundles whose period or frameworks differ from the batch's: (bundle, reason code, detail, ranked anyway)
    mixed: tuple[tuple[str, str, str, bool], ...] = ()


def is_bundle(p: Path) -> bool:
    return (p.is_dir() and (p / "bundle.yaml").is_file()) or p.suffix.lower() in (".zip", ".xlsx")


def expand(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """Bundles named directly, and the bundles inside folders that are not bundles themselves.

    Also returns the sub-folders that are not bundles (no bundle.yaml): a commune's folder left without
    its bundle.yaml must be listed as skipped, never silently dropped from a ranking.
    """
    out: list[Path] = []
    strays: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if is_bundle(p) or not p.is_dir():
            out.append(p)
        else:
            children = sorted(c for c in p.iterdir() if not c.name.startswith("."))
            out.extend(c for c in children if is_bundle(c))
            strays.extend(c for c in children if c.is_dir() and not is_bundle(c))
    return out, strays


@lru_cache(maxsize=None)
def _bare(origin: str) -> Provenance:
    """The provenance a metric row keeps: its origin alone, one object per origin (frozen: shared)."""
    return Provenance(origin)


def metric_row(bundle: Bundle) -> Bundle:
    """What grading reads of a bundle, and nothing more: who, when, which frameworks, the metric values and
    manual scores. The records, the reported figures, the warnings and each value's provenance (its failing
    record ids: most of a loaded bundle's size) stay in the worker, so that a batch of thousands of communes
    holds a few kilobytes per commune and pickles little on the way back."""
    metrics = {name: dataclasses.replace(v, provenance=_bare(v.provenance.origin)) for name, v in bundle.metrics.items()}
    return dataclasses.replace(bundle, evidence=None, metrics=metrics, reported={}, warnings=(), conflicts=(),
                               self_assessment=(), files={})


CHUNK = 200  # bundles a worker reads and derives together: one partitioned run per Context instead of one per bundle


def _guarded(path: str, lang: str, work: Callable[[], tuple[Any, Any]]) -> "Loaded":
    """(path, bundle, after, None) from `work`, or its failure as one line of text: a bundle's failure of any kind
    (our bug included) never stops the batch."""
    try:
        bundle, after = work()
        return path, bundle, after, None
    except InputErrors as exc:
        return path, None, None, exc.render(lang).splitlines()[0] + (f" (+{len(exc.errors) - 1})" if len(exc.errors) > 1 else "")
    except Exception as exc:  # noqa: BLE001 — see above
        return path, None, None, word("batch_bundle_crashed", lang, kind=type(exc).__name__, detail=" ".join(str(exc).split())[:200])


def _rows(bundle: Bundle, scenario_path: str | None, rules: str | None) -> tuple[Bundle, Bundle | None]:
    """A loaded bundle's metric row, and its scenario version's."""
    after = None
    if scenario_path:
        after = metric_row(apply_to_bundle(bundle, _scenario(scenario_path, rules), _catalogue(rules))[0])
    return metric_row(bundle), after


def _load_one(args: tuple[str, str | None, str, str | None]) -> tuple[str, Any, Any, str | None]:
    """Worker: load one bundle (and its scenario version); keep only its metric row; errors as text."""
    path, scenario_path, lang, rules = args
    return _guarded(path, lang, lambda: _rows(load_bundle(path, _catalogue(rules)), scenario_path, rules))


def load_chunk(args: tuple[Sequence[str], str | None, str, str | None]) -> list["Loaded"]:
    """Worker: the bundles of a chunk, in order, each as `_load_one` gives it, their tables typed and their records
    derived together.

    Every bundle is opened; the tables of the folders among them are typed together (`columnar.type_bundles`: each
    table's columns typed once over all their rows, each bundle's problems reported as typing it alone reports them)
    and each is closed (`bundle.close`) into what `read_bundle` gives. Those sharing a Context and a shape are
    derived in one partitioned run and each is given its own values (`bundle.attach`), as `load_bundle` does for
    one. Should the joint typing or a group's run fail, its bundles are typed or derived one by one, so that a
    failure is reported for its own bundle alone, as it is today."""
    with _heap_frozen():
        return _load_chunk(args)


@contextmanager
def _heap_frozen() -> Iterator[None]:
    """The objects that exist before a chunk (modules, the catalogue, what earlier chunks cached) left out of the
    garbage collector's full passes while it runs, and handed back to it after. A chunk makes hundreds of
    thousands of objects, and each full pass walked the ~70,000 of the libraries again: a twentieth of a
    worker's CPU (measured: 1.2 ms a commune, 0.2 ms frozen). Nothing is kept alive longer than the chunk."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _load_chunk(args: tuple[Sequence[str], str | None, str, str | None]) -> list["Loaded"]:
    paths, scenario_path, lang, rules = args
    catalogue = _catalogue(rules)
    out: dict[int, Loaded] = {}
    reads: dict[int, Read] = {}
    opened: dict[int, Opened] = {}
    for i, path in enumerate(paths):
        # Its files not hashed: a metric row keeps no list of them (`metric_row`).
        got = _guarded(path, lang, lambda: (open_bundle(path, catalogue, hashes=False), None))  # noqa: B023 — called at once
        if got[3] is not None:
            out[i] = got
        elif isinstance(got[1], Opened):
            opened[i] = got[1]
        else:
            reads[i] = got[1]
    for i, read in _close_all(opened, paths, lang).items():
        if read[3] is None:
            reads[i] = read[1]
        else:
            out[i] = read
    out.update(_derive_reads(reads, paths, catalogue, scenario_path, lang, rules))
    return [out[i] for i in range(len(paths))]


def _close_all(opened: dict[int, Opened], paths: Sequence[str], lang: str) -> dict[int, "Loaded"]:
    """The opened bundles' tables typed together and each bundle closed; should the joint typing fail (a bug),
    each is typed alone, its failure its own."""
    # What opening found: a bundle typed alone after a failed joint typing starts again from there.
    begun = {i: list(o.c.errors) for i, o in opened.items()}
    try:
        typed = dict(zip(opened, type_bundles([(o.raws, o.c) for o in opened.values()])))
    except Exception:  # noqa: BLE001 — typed again bundle by bundle below, each failure named for its bundle
        typed = {}
    out: dict[int, Loaded] = {}
    for i, o in opened.items():
        def complete(o: Opened = o, i: int = i) -> tuple[Read, None]:
            if i in typed:
                return close(o, typed[i]), None
            o.c.errors[:] = begun[i]
            return close(o, type_bundles([(o.raws, o.c)])[0]), None
        out[i] = _guarded(paths[i], lang, complete)
    return out


def _derive_reads(reads: dict[int, Read], paths: Sequence[str], catalogue: Catalogue, scenario_path: str | None,
                  lang: str, rules: str | None) -> dict[int, "Loaded"]:
    """Each read bundle's metric rows, the records of those sharing a Context and a shape derived in one run."""
    metrics = list(catalogue.values())
    needed = needed_columns(metrics, table_specs())
    out: dict[int, Loaded] = {}
    groups: dict[Any, list[int]] = {}
    for i, read in reads.items():
        ev = read.bundle.evidence
        groups.setdefault(None if ev is None else (read.context, shape(ev.tables, metrics, needed)), []).append(i)
    for key, members in groups.items():
        derived: list[Any] = [{}] * len(members)
        if key is not None:
            try:
                # Without record listings: `metric_row` keeps the values only (derive.part_values).
                derived = derive_parts(metrics, [reads[i].bundle.evidence for i in members], key[0],  # type: ignore[misc]
                                       DuckDBEngine(threads=_engine_threads()), records=False)
            except Exception:  # noqa: BLE001 — derived again bundle by bundle below, each failure named for its bundle
                derived = [None] * len(members)
        for i, values in zip(members, derived):
            read = reads[i]

            def complete(read: Read = read, values: Any = values) -> tuple[Bundle, Bundle | None]:
                if values is None:
                    values = derive_all(catalogue, read.bundle.evidence, read.context)  # type: ignore[arg-type]
                return _rows(attach(read, values), scenario_path, rules)
            out[i] = _guarded(paths[i], lang, complete)
    return out


def _engine_threads() -> int | None:
    """DuckDB's threads for a chunk's derivation: one in a worker process (the pool runs a worker per core, and
    a worker's own threads would only contend with the others'; measured: CPU per commune down by a sixth), as
    DuckDB chooses in the calling process."""
    return 1 if multiprocessing.parent_process() is not None else None


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and exits 130 (a worker dying of it would
    otherwise surface as a broken pool, i.e. as a bug)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@lru_cache(maxsize=2)
def _catalogue(rules: str | None) -> Catalogue:
    return load_rules(Path(rules)) if rules else load_rules()


Loaded = tuple[str, Any, Any, str | None]  # (bundle path, slim bundle, its scenario version, one-line error)


class Loader(Protocol):
    """How the bundles are loaded: worker processes on this machine (`load_all`) or a cluster
    (`planning.distributed`). Either way the bundles go through `load_chunk` (a chunk at a time), in the order given."""

    def __call__(self, paths: Sequence[Path], scenario: str | None, lang: str, jobs: int | None,
                 progress: Callable[[int, int], None] | None = None, rules: str | None = None) -> list[Loaded]: ...


def load_one(args: tuple[str, str | None, str, str | None]) -> Loaded:
    """One bundle loaded, read, typed and derived: what every loader runs for each bundle."""
    return _load_one(args)


@lru_cache(maxsize=2)
def _scenario(path: str, rules: str | None) -> Scenario:
    """A worker reads the batch's scenario once, not once per bundle."""
    return load_scenario(path, _catalogue(rules))


def chunks(paths: Sequence[str], workers: int) -> list[list[str]]:
    """The bundles cut into chunks of at most CHUNK, at least two a worker (a slow chunk does not hold the rest back),
    as many a worker and of about one size: the country's 3,321 communes in 17 chunks of 200 left one worker a
    whole chunk (six seconds) to load alone at the end; in 18 of 185, the two end together."""
    workers = max(1, workers)
    count = max(2 * workers, -(-len(paths) // CHUNK))
    count = -(-count // workers) * workers
    size = max(1, -(-len(paths) // count))
    return [list(paths[i:i + size]) for i in range(0, len(paths), size)]


_FIELDS = tuple(f.name for f in dataclasses.fields(MetricValue) if f.name != "provenance")
assert dataclasses.fields(MetricValue)[-1].name == "provenance", "unpack passes a value's fields in this order"
_fields_of = operator.attrgetter(*_FIELDS)


def pack(row: Bundle | None) -> Any:
    """A metric row (`metric_row`) as it travels from a worker: its metric values as plain tuples. Pickled as
    dataclasses, a commune's values were 14 kB and 1.5 ms to unpickle in the parent, which does it for every
    commune of the country alone; packed, a third of both."""
    if row is None:
        return None
    values = tuple((*_fields_of(v), v.provenance.origin) for v in row.metrics.values())
    return dataclasses.replace(row, metrics={}), values


def unpack(packed: Any) -> Bundle | None:
    """The metric row `pack` packed."""
    if packed is None:
        return None
    row, values = packed
    # Positionally (provenance is MetricValue's last field): the parent does it for every value of every commune.
    return dataclasses.replace(row, metrics={v[0]: MetricValue(*v[:-1] + (_bare(v[-1]),)) for v in values})


def load_packed(args: tuple[Sequence[str], str | None, str, str | None]) -> list["Loaded"]:
    """Worker (of `load_all`'s pool): `load_chunk`, each metric row packed for the way back (`pack`)."""
    return [(path, pack(row), pack(after), error) for path, row, after, error in load_chunk(args)]


def load_all(paths: Sequence[Path], scenario: str | None, lang: str, jobs: int | None,
             progress: Callable[[int, int], None] | None = None,
             rules: str | None = None) -> list[tuple[str, Any, Any, str | None]]:
    jobs = jobs or os.cpu_count() or 1
    work = [(chunk, scenario, lang, rules) for chunk in chunks([str(p) for p in paths], jobs)]
    out: list[tuple[str, Any, Any, str | None]] = []
    if jobs <= 1 or len(work) <= 1:
        for w in work:
            out.extend(load_chunk(w))
            if progress:
                progress(len(out), len(paths))
        return out
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupt)
    try:
        for items in pool.map(load_packed, work):
            out.extend((path, unpack(row), unpack(after), error) for path, row, after, error in items)
            if progress:
                progress(len(out), len(paths))
    except BaseException:  # Ctrl-C above all: drop the queued bundles instead of loading them all first
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return out


def odd_ones(loaded: Sequence[tuple[str, Any, Any, str | None]], fw_id: str) -> dict[str, tuple[str, str]]:
    """Bundles that do not belong in one ranking: {bundle: (reason code, detail)}.

    The batch's period is the one most bundles share (ties: the latest); a bundle with another
    period, or one that does not name the framework the batch ranks under, is odd.
    """
    ok = [(p, b) for p, b, _, e in loaded if e is None]
    periods = Counter((b.period_start, b.period_end) for _, b in ok)
    common = max(periods.items(), key=lambda kv: (kv[1], kv[0]))[0] if periods else None
    out: dict[str, tuple[str, str]] = {}
    for p, b in ok:
        if (b.period_start, b.period_end) != common:
            out[p] = ("batch_mixed_period", f"{b.period_start.isoformat()} … {b.period_end.isoformat()}")
        elif fw_id not in b.frameworks:
            out[p] = ("batch_mixed_framework", ", ".join(b.frameworks) or "—")
    return out


def run(paths: Sequence[str | Path], framework: str | None, scenario: str | Path | None, jobs: int | None,
        progress: Callable[[int, int], None] | None, lang: str, registry: FrameworkRegistry,
        mixed: bool = False, loader: Loader | None = None) -> BatchResult:
    """Expand, load in parallel (worker processes, or `loader`), and grade every bundle under one framework.

    The framework is `framework`, or the one most bundles name first (a tie is refused unless `mixed`, so
    the ranking never depends on the order of the arguments). A bundle whose period or frameworks differ
    from the others' is reported; it is ranked only with `mixed` (a 2023 bundle ranked among 2025 ones
    would mislead without a word).
    """
    bundles, strays = expand(paths)
    if not bundles and strays:
        raise InputErrors([InputError("batch_not_bundle", file=str(s)) for s in strays])
    if not bundles:
        raise InputErrors([InputError("file_missing", file=" ".join(str(p) for p in paths))])
    rules = None if registry.catalogue.root is None else str(registry.catalogue.root)
    loaded = (loader or load_all)(bundles, None if scenario is None else str(scenario), lang, jobs, progress, rules)
    loaded += [(str(s), None, None, InputError("batch_not_bundle", file=str(s)).render(lang)) for s in strays]
    ok = [b for _, b, _, e in loaded if e is None]
    if not ok:
        raise InputErrors([InputError("batch_all_failed", file=p, params={"error": e}) for p, _, _, e in loaded])
    if framework:
        fw = registry.load(framework)
    else:
        fw, loaded = _own_framework(loaded, registry, lang, mixed)
    odd = odd_ones(loaded, fw.id)
    kept = loaded if mixed else [x for x in loaded if x[0] not in odd]
    if not any(e is None for *_, e in kept):
        kept = loaded  # every bundle differs from every other: nothing to compare against, rank them all
        mixed = True
    result = grade(fw, kept, None if scenario is None else str(scenario))
    return dataclasses.replace(result, mixed=tuple((p, code, detail, mixed) for p, (code, detail) in sorted(odd.items())))


def _own_framework(loaded: list[tuple[str, Any, Any, str | None]], registry: FrameworkRegistry,
                   lang: str, mixed: bool) -> tuple[Framework, list[tuple[str, Any, Any, str | None]]]:
    """The framework most bundles name first; bundles naming none are listed as errors.

    One ranking needs one framework, chosen from the bundles, not from their order: scoring every bundle
    under the first bundle's framework made the ranking depend on the order of the arguments. When two
    frameworks are named first equally often the batch is refused as mixed, unless `mixed` is asked for
    (then the smallest id, with the others' bundles reported beside the ranking).
    """
    out: list[tuple[str, Any, Any, str | None]] = []
    refs: Counter[str] = Counter()
    for p, b, a, e in loaded:
        if e is None and not b.frameworks:
            e = InputError("bundle_framework", file=f"{b.name}/bundle.yaml").render(lang)
            b = None
        elif e is None:
            refs[b.frameworks[0]] += 1
        out.append((p, b, a, e))
    if not refs:
        raise InputErrors([InputError("batch_all_failed", file=p, params={"error": e}) for p, _, _, e in out])
    ranked = sorted(refs.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1] and not mixed:
        raise InputErrors([InputError("batch_mixed_frameworks", params={"frameworks": ", ".join(sorted(refs))})])
    return registry.load(ranked[0][0]), out


def exact_index(table: ScoreTable, i: int) -> Fraction | None:
    points, maximum, _ = table.exact_total(i)
    return 100 * points / maximum if maximum else None


def ranks(table: ScoreTable, indices: Sequence[Fraction | None] | None = None) -> np.ndarray:
    """Competition ranks (equal indices share a rank), decided exactly.

    Floats order the rows; two neighbours whose float indices are within 1e-9 are
    compared on their exact Fraction indices (`indices`, if the caller has them), so a
    float tie is never a false tie and a hair's difference in floating point is never a false order.
    """
    n = table.n
    index = np.where(np.isnan(table.index), -np.inf, table.index)
    order = np.lexsort((np.arange(n), -index))
    exact: dict[int, Fraction | None] = {}

    def ex(i: int) -> Fraction | None:
        if indices is not None:
            return indices[i]
        if i not in exact:
            exact[i] = exact_index(table, i)
        return exact[i]
    near = np.abs(np.diff(index[order])) < 1e-9 if n > 1 else np.zeros(0, bool)
    for k in np.flatnonzero(near):  # re-order a near-tie pair exactly where floats may have erred
        a, b = int(order[k]), int(order[k + 1])
        ea, eb = ex(a), ex(b)
        if ea is not None and eb is not None and eb > ea:
            order[k], order[k + 1] = b, a
    rank = np.empty(n, dtype=np.int64)
    for pos in range(n):
        i = int(order[pos])
        if pos and near[pos - 1] and ex(i) == ex(int(order[pos - 1])):
            rank[i] = rank[int(order[pos - 1])]
        else:
            rank[i] = pos + 1
    return rank


@dataclass(frozen=True)
class Totals:
    """A row's exact points and applicable maximum (as `ScoreTable.exact_total` gives them) and its fields'
    (field, points, applicable maximum), in framework order; a field is a leaf's top ancestor."""

    points: Fraction
    maximum: Fraction
    fields: tuple[tuple[str, Fraction, Fraction], ...]

    @property
    def index(self) -> Fraction | None:
        return 100 * self.points / self.maximum if self.maximum else None


def exact_totals(fw: Framework, table: ScoreTable) -> list[Totals]:
    """Every row's `Totals`: its points and maximum as `ScoreTable.exact_total` sums them, its fields' summed in
    integers over one denominator (`exact_sum`) from the leaves' exact points."""
    leaves = list(fw.leaves)
    nums = [table.leaves[leaf.id].num.tolist() for leaf in leaves]
    dens = [table.leaves[leaf.id].den.tolist() for leaf in leaves]
    counted = [table.leaves[leaf.id].counted.tolist() for leaf in leaves]
    tops = [leaf.parents[0] if leaf.parents else leaf.id for leaf in leaves]
    order = list(dict.fromkeys([f for b in fw.blocks for f in b.fields] + tops))
    adjustment = {f for b in fw.blocks if b.role == "adjustment" for f in b.fields}
    by_field = [(f, [k for k, top in enumerate(tops) if top == f]) for f in order]
    max_num = [leaf.max_points.numerator for leaf in leaves]
    max_den = [leaf.max_points.denominator for leaf in leaves]
    out = []
    for i in range(table.n):
        points, maximum, _ = table.exact_total(i)
        fields = []
        for f, members in by_field:
            kept = [] if f in adjustment else [k for k in members if counted[k][i]]
            fields.append((f, exact_sum([nums[k][i] for k in members], [dens[k][i] for k in members]),
                           exact_sum([max_num[k] for k in kept], [max_den[k] for k in kept])))
        out.append(Totals(points, maximum, tuple(fields)))
    return out


def grade(fw: Framework, loaded: Sequence[tuple[str, Any, Any, str | None]], scenario: str | None = None) -> BatchResult:
    ok = [(p, b, a) for p, b, a, e in loaded if e is None]
    errors = tuple((p, e) for p, _, _, e in loaded if e is not None)
    subjects = [bundle_subject(b, p) for p, b, _ in ok]
    table = score_frame(fw, build_frame(fw, subjects), subjects)
    totals = exact_totals(fw, table)  # each row summed once
    rank = ranks(table, [t.index for t in totals])
    after = None
    if scenario:
        after_subjects = [bundle_subject(a, p) for p, _, a in ok]
        after = score_frame(fw, build_frame(fw, after_subjects), after_subjects)
        after_exact = [t.index for t in exact_totals(fw, after)]
        after_rank = ranks(after, after_exact)
    codes = [b.code for b in fw.classification]
    entries = []
    for i, (p, b, _) in enumerate(ok):
        t = totals[i]
        k = int(table.class_index[i])
        e = Entry(p, b.commune, b.province, t.index, t.points, t.maximum,
                  codes[k] if k >= 0 else None, int(rank[i]), fields=t.fields,
                  period=(b.period_start.isoformat(), b.period_end.isoformat()), frameworks=tuple(b.frameworks))
        if after is not None:
            ka = int(after.class_index[i])
            e = dataclasses.replace(e, after_index=after_exact[i], after_rank=int(after_rank[i]), after_class=codes[ka] if ka >= 0 else None)
        entries.append(e)
    entries.sort(key=lambda e: (e.rank, e.bundle))
    distribution = {c: 0 for c in codes}
    for e in entries:
        distribution[e.classification or "—"] = distribution.get(e.classification or "—", 0) + 1
    lost = []
    for leaf in fw.leaves:
        if leaf.kind_impl.adjustment:
            continue
        a = table.leaves[leaf.id]
        counted = a.counted
        mx = leaf.max_points
        # lost = max − points for counted leaves, exactly: (mx.n*den − num*mx.d) / (mx.d*den)
        lost_num = (mx.numerator * a.den - a.num * mx.denominator) * counted
        losing = int((lost_num > 0).sum())
        if losing:
            rows = np.flatnonzero(lost_num > 0)
            total_lost = exact_sum(lost_num[rows].tolist(), (mx.denominator * a.den[rows]).tolist())
            lost.append((leaf.id, losing, total_lost))
    lost.sort(key=lambda x: (-x[1], -x[2], x[0]))
    return BatchResult(fw, tuple(entries), errors, distribution, tuple(lost), scenario)
