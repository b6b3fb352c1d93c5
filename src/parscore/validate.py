"""`validate`: any parscore input file checked by what it is, not by its name.

The document type is recognised from the path and its content: a framework
folder (manifest.yaml), a bundle (folder with bundle.yaml, .zip, .xlsx), the
evidence table specifications (`tables:`), a metric catalogue (`metrics:` with
units), a scenario, a costs file, a bundle's `metrics.yaml`.
"""
from __future__ import annotations

from pathlib import Path

from parscore.core import schema, yamlio
from parscore.core.errors import Collector, InputError, InputErrors
from parscore.core.workcalendar import check_file
from parscore.criteria.framework import FrameworkRegistry, load_framework
from parscore.evidence.bundle import load_bundle
from parscore.evidence.labels import load_labels
from parscore.evidence.tables import table_specs
from parscore.evidence.rules import load_rules
from parscore.planning.costs import load_costs
from parscore.planning.scenario import load_scenario


def document_type(path: Path) -> str:
    """framework | bundle | tables | labels | calendar | catalogue | scenario | costs | metrics | unknown."""
    if path.is_dir():
        if (path / "manifest.yaml").is_file() or (path / "tree.yaml").is_file():
            return "framework"  # a tree without its manifest is a framework missing its manifest, not a bundle
        return "bundle"
    if path.name == "manifest.yaml" or path.name == "tree.yaml":
        return "framework"
    if path.suffix.lower() in (".zip", ".xlsx"):
        return "bundle"
    if path.name == "bundle.yaml":
        return "bundle"
    if path.suffix.lower() not in (".yaml", ".yml"):
        return "unknown"
    doc = yamlio.load_mapping(path)
    keys = set(doc.data)
    if "tables" in keys:
        return "tables"
    if "labels" in keys:
        return "labels"
    if "year" in keys and keys & {"working_days", "days_off"}:
        return "calendar"
    if "actions" in keys or "exclude" in keys or ("metrics" in keys and _all_numbers(doc.data.get("metrics"))):
        return "costs"
    if keys & {"evidence", "set", "add", "framework"} or ("name" in keys and "metrics" not in keys):
        return "scenario"
    if "metrics" in keys and isinstance(doc.data["metrics"], list):
        return "catalogue"
    if keys & {"metrics", "manual"}:
        return "metrics"
    return "unknown"


def _all_numbers(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and all(not isinstance(v, (dict, list)) for v in value.values())


def validate_path(path: Path, registry: FrameworkRegistry) -> list[InputError]:
    catalogue = registry.catalogue
    try:
        kind = document_type(path) if path.exists() else "missing"
        if kind == "missing":
            return [InputError("file_missing", file=str(path))]
        if kind == "framework":
            load_framework(path if path.is_dir() else path.parent, catalogue)
        elif kind == "bundle":
            load_bundle(path.parent if path.name == "bundle.yaml" else path, catalogue)
        elif kind == "tables":
            table_specs(str(path))
        elif kind == "labels":
            enums = tuple((t, c.name, c.values) for t, spec in table_specs().items() for c in spec.columns if c.type == "enum")
            load_labels(str(path), enums)
        elif kind == "calendar":
            c = Collector()
            check_file(path, c)
            return c.errors
        elif kind == "catalogue":
            load_rules(path.parent)
        elif kind == "scenario":
            load_scenario(path, catalogue)
        elif kind == "costs":
            load_costs(path, catalogue)
        elif kind == "metrics":
            doc = yamlio.load_mapping(path)
            return schema.validate(doc, "metrics")
        else:
            return [InputError("unknown_document", file=str(path))]
    except InputErrors as exc:
        return list(exc.errors)
    return []
