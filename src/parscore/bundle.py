"""Evidence bundles: a folder with `bundle.yaml` (who, when, which framework) and `metrics.yaml`.

Record-level tables (dossiers, documents, reports, …) are read by
`parscore.evidence` and turned into derived metrics by `parscore.derive`;
`metrics.yaml` holds reported figures, used where records are absent.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from parscore import dates, schema, yamlio
from parscore.catalogue import Catalogue
from parscore.errors import Collector, InputError, InputErrors
from parscore.text import Text
from parscore.values import ManualScore, MetricValue, parse_entries, parse_manual


@dataclass(frozen=True)
class Warning_:
    code: str
    text: Text
    leaf: str | None = None


@dataclass(frozen=True)
class Bundle:
    path: Path
    name: str
    commune: str
    province: str
    period_start: dt.date
    period_end: dt.date
    frameworks: tuple[str, ...]
    illustrative: bool
    metrics: Mapping[str, MetricValue]
    manual: Mapping[str, ManualScore]
    files: Mapping[str, str]  # display path -> sha256
    info: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[Warning_, ...] = ()
    evidence: Any = None  # parscore.evidence.Evidence when the bundle has record tables


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_bundle(path: Path | str, catalogue: Catalogue) -> Bundle:
    """Load a bundle folder; every problem in it is reported at once."""
    path = Path(path)
    if not path.exists():
        raise InputErrors([InputError("file_missing", file=str(path))])
    if path.is_file() and path.name == "bundle.yaml":
        path = path.parent
    root = path
    name = str(path)
    c = Collector()
    head = yamlio.load_mapping(root / "bundle.yaml", display=f"{name}/bundle.yaml")
    problems = schema.validate(head, "bundle")
    if problems:
        raise InputErrors(problems)
    b = head.data
    files = {head.file: _sha(root / "bundle.yaml")}
    period = {}
    for key in ("start", "end"):
        try:
            period[key] = dates.parse_date(b["period"][key])
        except dates.NotADate:
            c.add("bad_date", file=head.file, line=head.line(("period", key)), where=f"period.{key}",
                  value=str(b["period"][key]))
    metrics: dict[str, MetricValue] = {}
    manual: dict[str, ManualScore] = {}
    mfile = root / "metrics.yaml"
    if mfile.exists():
        doc = yamlio.load_mapping(mfile, display=f"{name}/metrics.yaml")
        files[doc.file] = _sha(mfile)
        problems = schema.validate(doc, "metrics")
        if problems:
            c.extend(problems)
        else:
            metrics = parse_entries(c, doc, doc.data.get("metrics", {}), ("metrics",), catalogue)
            manual = parse_manual(c, doc, doc.data.get("manual", {}), ("manual",))
    frameworks = tuple(b.get("frameworks") or ([b["framework"]] if "framework" in b else []))
    c.raise_if_any()
    if period["end"] < period["start"]:
        raise InputErrors([InputError("bad_date", file=head.file, line=head.line(("period", "end")),
                                      where="period.end", value=str(b["period"]["end"]))])
    bundle = Bundle(root, name, b["commune"], b["province"], period["start"], period["end"], frameworks,
                    bool(b.get("illustrative", False)), metrics, manual, dict(sorted(files.items())),
                    info={k: v for k, v in b.items() if k in ("commune_code", "note", "seed", "tolerance_pp")})
    return bundle
