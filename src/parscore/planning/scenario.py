"""What-if scenarios: a bundle changed before it is scored.

A scenario (YAML, `schemas/scenario.schema.json`) can
- edit the records, in a closed vocabulary ("7 late dossiers finished on time",
  "apology letters for all late dossiers", "plan issued on 05/01"); metrics are then
  derived again from the edited records, so every leaf that reads them moves;
- `set` or `add` to metric values (after derivation);
- override framework settings (not-applicable policy, a leaf's parameters, the classes).
An empty scenario changes nothing (a property the tests check).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd
import yaml

from parscore.core import dates
from parscore.core import schema
from parscore.core import yamlio
from parscore.evidence.bundle import Bundle
from parscore.metrics.catalogue import Catalogue
from parscore.evidence.derive import Context, derive_all, with_computed
from parscore.core.errors import Collector, InputError, InputErrors, did_you_mean
from parscore.evidence.tables import ROW, Evidence, table_specs
from parscore.criteria.framework import Framework, Leaf, Node, prepare_classification, prepare_leaf
from parscore.metrics.columns import PRESENT
from parscore.core.numbers import NotANumber, parse_decimal
from parscore.core.text import Text
from parscore.metrics.units import UNITS
from parscore.metrics.values import MetricValue, Provenance, added, entry_of, parse_entries, parse_manual


@dataclass(frozen=True)
class Scenario:
    name: str
    title: Text | None
    evidence: tuple[Mapping[str, Any], ...] = ()
    set: Mapping[str, MetricValue] = field(default_factory=dict)
    add: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    manual: Mapping[str, Any] = field(default_factory=dict)
    framework: Mapping[str, Any] = field(default_factory=dict)
    file: str = "<scenario>"
    doc: yamlio.Located | None = field(default=None, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.evidence or self.set or self.add or self.manual or self.framework)


def load_scenario(path: Path | str, catalogue: Catalogue) -> Scenario:
    doc = yamlio.load_mapping(path)
    return scenario_from(doc, catalogue)


def scenario_from(doc: yamlio.Located, catalogue: Catalogue) -> Scenario:
    problems = schema.validate(doc, "scenario")
    if problems:
        raise InputErrors(problems)
    d = doc.data
    c = Collector()
    sets = parse_entries(c, doc, d.get("set", {}), ("set",), catalogue, origin="scenario")
    manual = parse_manual(c, doc, d.get("manual", {}), ("manual",), origin="scenario")
    for name, inc in d.get("add", {}).items():
        path = ("add", name)
        if name not in catalogue:
            c.add("unknown_metric", file=doc.file, line=doc.line(path), where=yamlio.where(path), metric=name,
                  hint=lambda lang, n=name: did_you_mean(n, catalogue, lang))
        else:
            for key in ("value", "numerator", "denominator"):
                if key not in inc:
                    continue
                try:
                    rate = UNITS[catalogue[name].unit].percent
                    number = parse_decimal(inc[key], percent=key == "value" and rate)
                    # records and events come whole; only a rate's percentage points may be fractional
                    if (key != "value" or not rate) and number != number.to_integral_value():
                        raise NotANumber(inc[key])
                except NotANumber as exc:
                    c.add(exc.code, file=doc.file, line=doc.line(path + (key,)), where=yamlio.where(path + (key,)),
                          **exc.params)
    for i, edit in enumerate(d.get("evidence", [])):
        (kind, args), = edit.items()
        if "on" in args:
            try:
                dates.parse_date(args["on"])
            except dates.NotADate:
                p = ("evidence", i, kind, "on")
                c.add("bad_date", file=doc.file, line=doc.line(p), where=yamlio.where(p), value=str(args["on"]))
    c.raise_if_any()
    return Scenario(d["name"], Text.of(d.get("title")), tuple(d.get("evidence", ())), sets, d.get("add", {}), manual,
                    d.get("framework", {}), doc.file, doc)


EMPTY = Scenario("baseline", None)


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the YAML document `load_scenario` reads back to the same changes.

    A scenario read from a file is its own document; one built in code (a plan) may only set metric values,
    each written as the `metrics.yaml` entry it reads back from.
    """
    if scenario.doc is not None:
        return dict(scenario.doc.data)
    if scenario.evidence or scenario.add or scenario.framework or scenario.manual:
        raise ValueError(f"scenario {scenario.name!r} has changes only a file can carry")
    doc: dict[str, Any] = {"name": scenario.name}
    if scenario.title is not None:
        doc["title"] = {"vi": scenario.title.vi, "en": scenario.title.en}
    if scenario.set:
        doc["set"] = {name: entry_of(value) for name, value in scenario.set.items()}
    return doc


def scenario_yaml(scenario: Scenario) -> str:
    """`scenario_document` as YAML text: the file `parscore whatif --scenario` reads."""
    return yaml.safe_dump(scenario_document(scenario), allow_unicode=True, sort_keys=False)


# ---- records ---------------------------------------------------------------------------

def _pick(mask: np.ndarray, frame: pd.DataFrame, count: Any, key: str = "id") -> np.ndarray:
    """The first `count` rows of `mask` in id order (deterministic), or all of them."""
    idx = np.flatnonzero(mask)
    if key in frame.columns:
        idx = idx[np.argsort(frame[key].to_numpy()[idx].astype(str), kind="stable")]
    return idx if count == "all" else idx[: int(count)]


def _empty_table(name: str) -> pd.DataFrame:
    spec = table_specs()[name]
    return pd.DataFrame({ROW: pd.Series(dtype=np.int64), **{c.name: pd.Series(dtype=object) for c in spec.columns}})


NEEDS_COMPUTED = {"finish_on_time", "apologize", "complete_tasks", "resolve_feedback_on_time"}

# Edits that make records on time by dating them on their due date:
# edit -> (table, rows in scope, computed "on time" column, date column to set, note vi, note en)
ON_TIME_BY_DUE = {
    "complete_tasks": ("tasks", "due_in_period", "done_on_time", "done_on", "nhiệm vụ chưa xong đúng hạn", "tasks were not done on time"),
    "resolve_feedback_on_time": ("feedback", "in_scope", "on_time", "resolved_on", "PAKN chưa đúng hạn", "feedback items were late"),
}


def edit_records(evidence: Evidence, edits: tuple[Mapping[str, Any], ...], ctx: Context, scenario: Scenario) -> tuple[Evidence, list[Text]]:
    """A copy of the evidence with the scenario's record edits applied, and notes on edits that could not all apply."""
    tables = {k: v.copy() for k, v in evidence.tables.items()}
    notes: list[Text] = []
    for i, edit in enumerate(edits):
        (kind, args), = edit.items()
        # Only edits that pick records by their derived state need the computed columns, and they must see the
        # previous edits, so they are recomputed here rather than once up front.
        computed = with_computed(dataclasses.replace(evidence, tables=tables), ctx) if kind in NEEDS_COMPUTED else {}
        if kind == "finish_on_time":
            d, cd = tables.get("dossiers"), computed.get("dossiers")
            if d is None or cd is None:
                notes.append(Text("không có bảng hồ sơ để sửa", "no dossiers table to edit"))
                continue
            fixable = cd["in_scope"].to_numpy() & cd["late"].to_numpy() & (cd["supplement_requests"].to_numpy() <= 1) & cd["effective_due"].notna().to_numpy()
            rows = _pick(fixable, d, args["count"])
            due = cd["effective_due"].iloc[rows].dt.normalize() + pd.Timedelta(hours=16)
            d.loc[d.index[rows], "finished_at"] = due.to_numpy()
            d.loc[d.index[rows], "status"] = "finished"
            _short(notes, args["count"], len(rows), "hồ sơ quá hạn sửa được", "late dossiers could be made on time")
        elif kind == "apologize":
            d, cd = tables.get("dossiers"), computed.get("dossiers")
            if d is None or cd is None:
                continue
            # An apology letter satisfies both readings: seed 003 (a letter for every late dossier) and seed 004
            # (a letter, or an explanation where the applicant caused the delay).
            need = cd["in_scope"].to_numpy() & cd["late"].to_numpy() & ~cd["apology_letter"].to_numpy()
            rows = _pick(need, d, args["count"])
            docs = tables.get("documents", _empty_table("documents"))
            new = []
            for k, r in enumerate(rows):
                doc_id = f"SCN-{i + 1}-{k + 1:04d}"
                when = cd["effective_due"].iloc[r]
                new.append({ROW: 0, "id": doc_id, "type": "apology",
                            "title": f"Thư xin lỗi {d['id'].iloc[r]} (kịch bản)",
                            "issued_on": (when if pd.notna(when) else ctx.period_end).normalize(), "issuer": None, "file": None,
                            "dossiers": (str(d["id"].iloc[r]),)})
                d.loc[d.index[r], "apology_doc"] = doc_id
            if new:
                tables["documents"] = pd.concat([docs, pd.DataFrame(new)], ignore_index=True)
            _short(notes, args["count"], len(rows), "hồ sơ quá hạn cần thư xin lỗi", "late dossiers needed a letter")
        elif kind == "issue_document":
            docs = tables.get("documents", _empty_table("documents"))
            row = {ROW: 0, "id": args.get("id", f"SCN-DOC-{i + 1}"), "type": args["type"], "title": args.get("title", args["type"]),
                   "issued_on": pd.Timestamp(dates.parse_date(args["on"])), "issuer": None, "file": None, "dossiers": ()}
            tables["documents"] = pd.concat([docs, pd.DataFrame([row])], ignore_index=True)
        elif kind == "submit_report":
            reports = tables.get("reports")
            hit = None if reports is None else ((reports["type"] == args["type"]) & (reports["period"] == str(args["period"]))).to_numpy()
            if reports is None or hit is None or not hit.any():
                p = ("evidence", i, kind)
                doc = scenario.doc
                raise InputErrors([InputError("bad_reference", file=scenario.file, line=doc.line(p) if doc else None,
                                              where=yamlio.where(p), value=f"{args['type']} {args['period']}",
                                              params={"target": "reports (type, period)"})])
            reports.loc[reports.index[hit], "submitted_on"] = pd.Timestamp(dates.parse_date(args["on"]))
        elif kind in ON_TIME_BY_DUE:
            table, scope, ok, target, vi, en = ON_TIME_BY_DUE[kind]
            frame, comp = tables.get(table), computed.get(table)
            if frame is None or comp is None:
                continue
            rows = _pick(comp[scope].to_numpy() & ~comp[ok].to_numpy(), frame, args["count"])
            frame.loc[frame.index[rows], target] = frame["due_on"].iloc[rows].to_numpy()  # done exactly on the due date
            _short(notes, args["count"], len(rows), vi, en)
    return dataclasses.replace(evidence, tables=tables), notes


def _short(notes: list[Text], wanted: Any, done: int, vi: str, en: str) -> None:
    if wanted != "all" and done < int(wanted):
        notes.append(Text(f"chỉ {done}/{wanted} {vi}", f"only {done} of {wanted} {en}"))


# ---- metrics and framework ------------------------------------------------------------------

def apply_to_bundle(bundle: Bundle, scenario: Scenario, catalogue: Catalogue) -> tuple[Bundle, list[Text]]:
    """The bundle as the scenario would have it. The empty scenario returns the bundle itself."""
    if scenario.empty:
        return bundle, []
    notes: list[Text] = []
    metrics = dict(bundle.metrics)
    if scenario.evidence and bundle.evidence is not None:
        ctx = Context.of(bundle.period_start, bundle.period_end, bundle.province)
        edited, notes = edit_records(bundle.evidence, scenario.evidence, ctx, scenario)
        metrics = {**bundle.reported, **derive_all(catalogue, edited, ctx)}
    elif scenario.evidence:
        notes.append(Text("hồ sơ minh chứng không có bảng bản ghi: bỏ qua phần sửa bản ghi",
                          "the bundle has no record tables: the record edits were skipped"))
    metrics.update(scenario.set)
    for name, inc in scenario.add.items():
        base = metrics.get(name) or MetricValue(name, catalogue[name].unit, state=PRESENT,
                                                provenance=Provenance("scenario", scenario.file))
        metrics[name] = added(base, inc)
    manual = {**bundle.manual, **scenario.manual}
    return dataclasses.replace(bundle, metrics=metrics, manual=manual), notes


def apply_to_framework(fw: Framework, scenario: Scenario, catalogue: Catalogue) -> Framework:
    """The framework with the scenario's overrides; leaf parameters are checked against the kind's schema."""
    o = scenario.framework
    if not o:
        return fw
    doc = scenario.doc or yamlio.Located({}, scenario.file, {})
    c = Collector()
    by_id = dict(fw._by_id)
    for leaf_id, params in o.get("leaves", {}).items():
        path = ("framework", "leaves", leaf_id)
        if leaf_id not in by_id or not isinstance(by_id[leaf_id], Leaf):
            c.add("unknown_leaf", file=doc.file, line=doc.line(path), where=yamlio.where(path), framework=fw.id, leaf=leaf_id,
                  hint=lambda lang, x=leaf_id: did_you_mean(x, [leaf.id for leaf in fw.leaves], lang))
            continue
        leaf: Leaf = by_id[leaf_id]  # type: ignore[assignment]
        rule = {**leaf.rule, **params}
        before = len(c.errors)
        # The loader's own preparation: schema, metric names and units, the kind's checks (a bad number or date
        # in an override is a located error, an override of `metric:` is honoured and checked).
        prepared = prepare_leaf(doc, rule, path, leaf.max_points, catalogue, c)
        if prepared.kind is None or len(c.errors) > before:
            continue
        by_id[leaf_id] = dataclasses.replace(leaf, rule=rule, kind=prepared.kind_name, view=dataclasses.replace(
            leaf.view, params=prepared.params, metrics=prepared.metrics))
    bands = fw.classification
    if "classification" in o:
        bands = prepare_classification(doc, o["classification"], ("framework", "classification"), c)
    c.raise_if_any()
    fields = tuple(_rebuilt(f, by_id) for f in fw.fields)  # overridden leaves inside the field tree too
    leaves = tuple(x for leaf in fw.leaves if isinstance(x := by_id[leaf.id], Leaf))
    return dataclasses.replace(fw, fields=fields, leaves=leaves, _by_id=by_id, classification=bands,
                               na_policy=o.get("not_applicable", fw.na_policy), survey_absent=o.get("survey_absent", fw.survey_absent))


def _rebuilt(node: Node | Leaf, by_id: dict[str, Node | Leaf]) -> Node | Leaf:
    """`node` with its overridden descendants swapped in; parents are rebuilt so the tree holds the new leaves."""
    if isinstance(node, Leaf):
        return by_id[node.id]
    new = dataclasses.replace(node, children=tuple(_rebuilt(ch, by_id) for ch in node.children))
    by_id[node.id] = new
    return new
