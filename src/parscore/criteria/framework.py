"""Frameworks: a manifest and a tree of fields → criteria → sub-criteria, loaded from `criteria/<id>/`.

Every check runs at load time and every problem is reported at once (rule-engine's
"resolve symbols before evaluating"): parents equal the sum of their children,
each block equals the sum of its fields, every kind exists, parameters match
the kind's schema, every metric exists with the unit the kind needs, and
explanation templates only use fields the kind provides.
"""
from __future__ import annotations

import os
import string
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator, Mapping

from parscore.core import cache, reportcalendar
from parscore.core import schema
from parscore.core import yamlio
from parscore.evidence.rules import load_rules
from parscore.metrics.catalogue import Catalogue
from parscore.metrics.values import parse_entries, parse_manual
from parscore.core.dates import NotADate
from parscore.core.errors import Collector, InputError, InputErrors, did_you_mean
from parscore.kinds import REGISTRY, Kind, LeafView
from parscore.core.numbers import NotANumber, exact_text, fraction
from parscore.core.paths import criteria_dir, display, sha256_file
from parscore.core.text import Text

NA_POLICIES = ("shrink", "full", "zero")
# How strong a figure's source is (manifest blocks and classes, a tree node's source.strength), strongest first.
STRENGTHS = ("official", "portal_description", "illustrative")
COMMON_FIELDS = ("points", "max", "lost", "metric_title", "reason", "status")


@dataclass(frozen=True)
class Case:
    name: str
    tag: str
    metrics: Mapping[str, Any]  # metric name -> values.MetricValue
    manual: Mapping[str, Any]  # leaf id -> values.ManualScore
    expect_points: Fraction
    expect_status: str
    line: int | None


@dataclass(frozen=True)
class Leaf:
    id: str
    title: Text
    max_points: Fraction
    kind: str
    view: LeafView
    rule: Mapping[str, Any]
    evidence: Text
    requirement_override: Text | None
    source: Mapping[str, Any]  # requirement, points (citations); strength: {requirement, points} when given
    na_policy: str | None
    explain: Mapping[str, Text]
    cases: tuple[Case, ...]
    block: str
    parents: tuple[str, ...]
    file: str
    line: int | None

    @property
    def kind_impl(self) -> Kind:
        return REGISTRY.get(self.kind)

    def requirement(self) -> Text:
        return self.requirement_override or self.kind_impl.requirement(self.view)


@dataclass(frozen=True)
class Node:
    id: str
    title: Text
    max_points: Fraction
    children: tuple["Node | Leaf", ...]
    block: str
    parents: tuple[str, ...]
    file: str
    line: int | None
    source: Mapping[str, Any] | None = None  # a group's own citation and source strength, when the tree gives one


@dataclass(frozen=True)
class Block:
    id: str
    role: str  # appraised | survey | adjustment
    title: Text
    max_points: Fraction
    cap: Fraction | None
    fields: tuple[str, ...]
    strength: str | None = None  # official | portal_description | illustrative (STRENGTHS)


@dataclass(frozen=True)
class ClassBand:
    code: str
    min_index: Fraction
    label: Text
    strength: str | None = None


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    title: Text
    issuer: Text
    decision: Mapping[str, Any]
    province: str
    year: int
    level: str
    total_points: Fraction
    na_policy: str
    survey_absent: str
    blocks: tuple[Block, ...]
    classification: tuple[ClassBand, ...]
    decimals: int
    fields: tuple[Node | Leaf, ...]
    leaves: tuple[Leaf, ...]
    directory: Path
    files: Mapping[str, str]  # display path -> sha256, including the metric catalogue files it reads
    sources: tuple[Mapping[str, str], ...] = ()
    allocation_note: Text | None = None
    edition_of: str | None = None
    report_calendar: str | None = None  # the province whose report calendar is borrowed where a bundle's has none
    _by_id: Mapping[str, Node | Leaf] = field(default_factory=dict, compare=False, repr=False)

    def get(self, node_id: str) -> Node | Leaf:
        return self._by_id[node_id]

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._by_id

    def nodes(self) -> Iterator[Node | Leaf]:
        """Every node, depth first, in document order."""
        def walk(items: tuple[Node | Leaf, ...]) -> Iterator[Node | Leaf]:
            for item in items:
                yield item
                if isinstance(item, Node):
                    yield from walk(item.children)
        return walk(self.fields)

    def block(self, block_id: str) -> Block:
        return next(b for b in self.blocks if b.id == block_id)

    def metrics_read(self) -> list[str]:
        seen: dict[str, None] = {}
        for leaf in self.leaves:
            for m in leaf.view.metrics.values():
                seen.setdefault(m.name)
        return list(seen)


# ---- loading ----------------------------------------------------------------------------

def template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


@dataclass(frozen=True)
class PreparedRule:
    kind: Kind | None  # None when the kind is unknown (reported)
    kind_name: str
    params: Any
    metrics: dict[str, Any]


def prepare_leaf(doc: yamlio.Located, rule: Mapping[str, Any], rpath: tuple[object, ...], max_points: Fraction,
                 catalogue: Catalogue, errors: Collector) -> PreparedRule:
    """A leaf's rule checked and prepared: its kind exists, its parameters match the kind's schema, every metric
    it names exists with a unit the kind accepts, and the kind's own checks pass. The one preparation of a rule,
    used by the framework loader and by a scenario's leaf overrides alike; problems go to `errors`, located."""
    def report(code: str, where: tuple[object, ...], **kw: Any) -> None:
        errors.add(code, file=doc.file, line=doc.line(rpath + tuple(where)), where=schema.readable(doc, rpath + tuple(where)),
                   **kw)
    kind = REGISTRY.lookup(str(rule.get("kind")), file=doc.file, line=doc.line(rpath + ("kind",)),
                           where=schema.readable(doc, rpath + ("kind",)))
    if isinstance(kind, InputError):
        errors.extend([kind])
        return PreparedRule(None, str(rule.get("kind")), rule, {})
    problems = schema.validate(doc, kind.schema_name, data=rule, base=rpath)
    errors.extend(problems)
    metrics: dict[str, Any] = {}
    units: dict[str, str] = {}
    for param, wanted in kind.metric_params.items():
        name = rule.get(param)
        if name is None:
            continue
        if name not in catalogue:
            report("unknown_metric", (param,), metric=name, hint=lambda lang, n=name: did_you_mean(n, catalogue, lang))
            continue
        metric = catalogue[name]
        if metric.unit not in wanted:
            report("metric_unit", (param,), metric=name, unit=metric.unit, kind=kind.name, wanted=" | ".join(wanted))
            continue
        metrics[param] = metric
        units[param] = metric.unit
    params: Any = rule
    if not problems and len(units) == len([p for p in kind.metric_params if p in rule]):
        try:
            params = kind.prepare(rule, max_points, units, report)
        except NotANumber as exc:
            report(exc.code, (), **exc.params)
        except NotADate as exc:
            report("bad_date", (), value=str(exc.args[0]))
    return PreparedRule(kind, kind.name, params, metrics)


def prepare_classification(doc: yamlio.Located, raw: Any, path: tuple[object, ...], errors: Collector) -> tuple[ClassBand, ...]:
    """Class bands, best first, with strictly falling minimum indices (manifest and scenario alike)."""
    bands = []
    for i, c in enumerate(raw):
        try:
            low = fraction(c["min_index"], percent=True)
        except NotANumber as exc:
            errors.add(exc.code, file=doc.file, line=doc.line(path + (i, "min_index")),
                       where=schema.readable(doc, path + (i, "min_index")), **exc.params)
            low = Fraction(0)
        bands.append(ClassBand(c["code"], low, Text.of(c["label"]), c.get("strength")))  # type: ignore[arg-type]
    if any(a.min_index <= b.min_index for a, b in zip(bands, bands[1:])):
        errors.add("band_order", file=doc.file, line=doc.line(path), where=schema.readable(doc, path))
    return tuple(bands)


class _Loader:
    def __init__(self, directory: Path, catalogue: Catalogue):
        self.directory = directory
        self.catalogue = catalogue
        self.errors = Collector()
        self.by_id: dict[str, Node | Leaf] = {}
        self.lines: dict[str, str] = {}
        self.bad_numbers = False

    # Each problem is recorded and loading goes on, so that one run reports them all.
    def report(self, doc: yamlio.Located, path: tuple[object, ...], code: str, **params: Any) -> None:
        self.errors.add(code, file=doc.file, line=doc.line(path), where=schema.readable(doc, path), **params)

    def number(self, doc: yamlio.Located, path: tuple[object, ...], value: Any) -> Fraction:
        try:
            return fraction(value)
        except NotANumber as exc:
            self.report(doc, path, exc.code, **exc.params)
            self.bad_numbers = True  # the sums through this number mean nothing: report the number only
            return Fraction(0)

    def node(self, doc: yamlio.Located, raw: Mapping[str, Any], path: tuple[object, ...], block: str,
             parents: tuple[str, ...]) -> Node | Leaf:
        node_id = str(raw["id"])
        max_points = self.number(doc, path + ("max_points",), raw["max_points"])
        title = Text.of(raw["title"])
        line = doc.line(path)
        if node_id in self.by_id:
            self.report(doc, path + ("id",), "duplicate_id", id=node_id, other=self.lines[node_id])
        self.lines.setdefault(node_id, f"{doc.file}:{line}")
        if "children" in raw:
            children = tuple(self.node(doc, c, path + ("children", i), block, parents + (node_id,))
                             for i, c in enumerate(raw["children"]))
            total = sum((c.max_points for c in children), Fraction(0))
            if total != max_points and not self.bad_numbers:
                self.report(doc, path + ("max_points",), "parent_sum", parent=node_id, declared=_t(max_points),
                            children=_t(total))
            node: Node | Leaf = Node(node_id, title, max_points, children, block, parents, doc.file, line,  # type: ignore[arg-type]
                                     raw.get("source"))
        else:
            node = self.leaf(doc, raw, path, block, parents, node_id, title, max_points)  # type: ignore[arg-type]
        self.by_id.setdefault(node_id, node)
        return node

    def leaf(self, doc: yamlio.Located, raw: Mapping[str, Any], path: tuple[object, ...], block: str,
             parents: tuple[str, ...], node_id: str, title: Text, max_points: Fraction) -> Leaf:
        rule = raw["rule"]
        rpath = path + ("rule",)
        prepared = prepare_leaf(doc, rule, rpath, max_points, self.catalogue, self.errors)
        kind, kind_name, params, metrics = prepared.kind, prepared.kind_name, prepared.params, prepared.metrics
        explain: dict[str, Text] = {k: Text(v["vi"], v["en"]) for k, v in raw.get("explain", {}).items()}
        if kind is not None:
            allowed = set(kind.fields) | set(COMMON_FIELDS)
            for status, text in explain.items():
                for lang in ("vi", "en"):
                    for name in template_fields(text(lang)):  # type: ignore[misc]
                        if name not in allowed or not name.isidentifier():
                            self.report(doc, path + ("explain", status, lang), "template_field", name=name,
                                        allowed=", ".join(sorted(allowed)))
        cases = tuple(self.case(doc, c, path + ("cases", i)) for i, c in enumerate(raw.get("cases", [])))
        return Leaf(
            id=node_id, title=title, max_points=max_points, kind=kind_name,
            view=LeafView(node_id, max_points, params, metrics), rule=rule,
            evidence=Text.of(raw["evidence"]), requirement_override=Text.of(raw.get("requirement")),  # type: ignore[arg-type]
            source=raw["source"], na_policy=raw.get("not_applicable"), explain=explain, cases=cases,
            block=block, parents=parents, file=doc.file, line=doc.line(path))

    def case(self, doc: yamlio.Located, raw: Mapping[str, Any], path: tuple[object, ...]) -> Case:
        metrics = parse_entries(self.errors, doc, raw.get("metrics", {}), path + ("metrics",), self.catalogue, "case")
        manual = parse_manual(self.errors, doc, raw.get("manual", {}), path + ("manual",), "case")
        return Case(str(raw["name"]), raw["tag"], metrics, manual,
                    self.number(doc, path + ("expect", "points"), raw["expect"]["points"]), raw["expect"]["status"],
                    doc.line(path))


def _t(value: Fraction) -> str:
    return exact_text(value)


def load_framework(directory: Path | str, catalogue: Catalogue | None = None) -> Framework:
    """Load and check one framework folder; raise `InputErrors` listing every problem."""
    directory = Path(directory)
    catalogue = catalogue if catalogue is not None else load_rules()
    loader = _Loader(directory, catalogue)
    mpath = directory / "manifest.yaml"
    if not mpath.is_file():
        raise InputErrors([InputError("framework_manifest_missing", file=display(directory))])
    manifest = yamlio.load_mapping(mpath, display=display(mpath))
    problems = schema.validate(manifest, "manifest")
    if problems:
        raise InputErrors(problems)
    m = manifest.data
    tpath = directory / m["tree"]
    tree = yamlio.load_mapping(tpath, display=display(tpath))
    problems = schema.validate(tree, "tree")
    if problems:
        raise InputErrors(problems)

    field_block: dict[str, str] = {}
    for bi, b in enumerate(m["blocks"]):
        for f in b["fields"]:
            if f in field_block:
                loader.report(manifest, ("blocks", bi, "fields"), "duplicate_id", id=f, other=field_block[f])
            field_block[f] = b["id"]
    fields = []
    for i, raw in enumerate(tree.data["fields"]):
        fid = str(raw["id"])
        if fid not in field_block:
            loader.report(tree, ("fields", i, "id"), "unknown_key", key=fid,
                          allowed=", ".join(sorted(field_block)),
                          hint=lambda lang, f=fid: did_you_mean(f, field_block, lang))
        fields.append(loader.node(tree, raw, ("fields", i), field_block.get(fid, "?"), ()))
    top = {f.id: f for f in fields}

    blocks = []
    for bi, b in enumerate(m["blocks"]):
        members = [top[f] for f in b["fields"] if f in top]
        for f in b["fields"]:
            if f not in top:
                loader.report(manifest, ("blocks", bi, "fields"), "unknown_leaf", framework=m["id"], leaf=f,
                              hint=lambda lang, f=f: did_you_mean(f, top, lang))
        total = sum((f.max_points for f in members), Fraction(0))
        declared = loader.number(manifest, ("blocks", bi, "max_points"), b.get("max_points", total))
        if declared != total and not loader.bad_numbers:
            loader.report(manifest, ("blocks", bi, "max_points"), "parent_sum", parent=b["id"], declared=_t(declared),
                          children=_t(total))
        cap = loader.number(manifest, ("blocks", bi, "cap"), b["cap"]) if "cap" in b else None
        blocks.append(Block(b["id"], b["role"], Text.of(b["title"]), declared, cap, tuple(b["fields"]),  # type: ignore[arg-type]
                            b.get("strength")))
    scored = sum((b.max_points for b in blocks if b.role != "adjustment"), Fraction(0))
    total_points = loader.number(manifest, ("total_points",), m["total_points"])
    if scored != total_points and not loader.bad_numbers:
        loader.report(manifest, ("total_points",), "parent_sum", parent=m["id"], declared=_t(total_points),
                      children=_t(scored))
    for b in blocks:
        for leaf in _leaves(tuple(top[f] for f in b.fields if f in top)):
            if leaf.kind in REGISTRY and REGISTRY.get(leaf.kind).adjustment != (b.role == "adjustment"):
                code = "scoring_kind_in_adjustment_block" if b.role == "adjustment" else "adjustment_kind_in_scoring_block"
                loader.errors.add(code, file=leaf.file, line=leaf.line, where=f"{leaf.id}.rule.kind", leaf=leaf.id,
                                  kind=leaf.kind, block=b.id)

    bands = prepare_classification(manifest, m["classification"], ("classification",), loader.errors)
    if m.get("report_calendar") and not reportcalendar.load().find(m["report_calendar"], [int(m["year"])]):
        loader.report(manifest, ("report_calendar",), "report_calendar_unknown", province=m["report_calendar"])
    loader.errors.raise_if_any()

    files = {manifest.file: sha256_file(mpath), tree.file: sha256_file(tpath)}
    used = {m.file for leaf in _leaves(tuple(fields)) for m in leaf.view.metrics.values()}
    files.update({f: h for f, h in catalogue.files.items() if f in used})
    return Framework(
        id=m["id"], version=str(m["version"]), title=Text.of(m["title"]), issuer=Text.of(m["issuer"]),  # type: ignore[arg-type]
        decision=m["decision"], province=m["province"], year=int(m["year"]), level=m["level"],
        total_points=total_points, na_policy=m["not_applicable"], survey_absent=m["survey_absent"],
        blocks=tuple(blocks), classification=bands, decimals=int(m["display"]["decimals"]),
        fields=tuple(fields), leaves=tuple(_leaves(tuple(fields))), directory=directory, files=dict(sorted(files.items())),
        sources=tuple(m.get("sources", ())), allocation_note=Text.of(m.get("allocation_note")),
        edition_of=m.get("edition_of"), report_calendar=m.get("report_calendar"), _by_id=dict(loader.by_id))


def node_strength(node: Node | Leaf) -> Mapping[str, str] | None:
    """A node's source strength ({requirement, points}), when its source gives one."""
    strength = (node.source or {}).get("strength")
    return strength if isinstance(strength, Mapping) else None


def strength_marks(fw: Framework) -> dict[str, int]:
    """How many figures carry each source strength: every node's points and requirement, every block and class."""
    counts = dict.fromkeys(STRENGTHS, 0)
    marks = [m for node in fw.nodes() for m in (node_strength(node) or {}).values()]
    marks += [b.strength for b in fw.blocks if b.strength] + [c.strength for c in fw.classification if c.strength]
    for mark in marks:
        counts[mark] += 1
    return counts


def _leaves(items: tuple[Node | Leaf, ...]) -> list[Leaf]:
    out: list[Leaf] = []
    for item in items:
        if isinstance(item, Leaf):
            out.append(item)
        else:
            out.extend(_leaves(item.children))
    return out


def _index(manifests: list[Path]) -> dict[str, Path]:
    """Framework id -> its folder, from the manifests; every missing or duplicate id is an error."""
    found: dict[str, Path] = {}
    errors = Collector()
    for manifest in manifests:
        doc = yamlio.load_mapping(manifest, display=display(manifest))
        fid = doc.data.get("id")
        if not isinstance(fid, str):
            errors.extend(schema.validate(doc, "manifest"))
            continue
        if fid in found:
            errors.add("duplicate_id", file=doc.file, line=doc.line(("id",)), where="id", id=fid,
                       other=display(found[fid] / "manifest.yaml"))
            continue
        found[fid] = manifest.parent
    errors.raise_if_any()
    return found


class FrameworkRegistry:
    """The frameworks found under a criteria directory; ids must be unique."""

    def __init__(self, directory: Path | None = None, catalogue: Catalogue | None = None):
        self.directory = directory or criteria_dir()
        self._catalogue = catalogue
        self._loaded: dict[str, Framework] = {}
        manifests = sorted(self.directory.glob("*/manifest.yaml"))
        # Each manifest is parsed only for its id: the index is kept on disk (core/cache) until a manifest changes;
        # a folder with problems raises from the build and leaves nothing in the cache.
        self._dirs: dict[str, Path] = cache.cached("registry", manifests, lambda: _index(manifests),
                                                   extra=[str(self.directory.resolve())])

    @property
    def catalogue(self) -> Catalogue:
        if self._catalogue is None:
            self._catalogue = load_rules()
        return self._catalogue

    def ids(self) -> list[str]:
        return sorted(self._dirs)

    def resolve(self, ref: str) -> Path:
        """A framework folder from an id or a path."""
        if ref in self._dirs:
            return self._dirs[ref]
        path = Path(ref)
        if (path / "manifest.yaml").is_file():
            return path
        if path.name == "manifest.yaml" and path.is_file():
            return path.parent
        if path.is_dir() and (path / "tree.yaml").is_file():
            raise InputErrors([InputError("framework_manifest_missing", file=str(path))])
        raise InputErrors([InputError("unknown_framework", params={
            "framework": ref, "hint": lambda lang: did_you_mean(ref, self._dirs, lang)})])

    def load(self, ref: str) -> Framework:
        path = self.resolve(ref)
        key = str(path.resolve())
        if key not in self._loaded:
            catalogue = self.catalogue
            inputs = [p for p in path.resolve().rglob("*") if p.is_file()]
            inputs += sorted(reportcalendar.calendars_dir().glob("*.yaml"))  # series keys and borrowed calendars are checked at load
            self._loaded[key] = cache.cached(
                "framework", inputs, lambda: load_framework(path, catalogue),
                extra=[key, os.getcwd(), *(f"{f}:{h}" for f, h in sorted(catalogue.files.items()))])
        return self._loaded[key]
