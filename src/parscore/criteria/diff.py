"""What changed between two frameworks (two editions, or two provinces' versions)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from parscore.core.schema import jsonable
from parscore.criteria.framework import Framework, Leaf


@dataclass(frozen=True)
class LeafChange:
    id: str
    change: str  # added | removed | changed
    title: str
    what: tuple[str, ...]  # for changed: max_points, kind, metric, and each parameter that differs
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None


def describe(leaf: Leaf) -> dict[str, Any]:
    rule = {k: v for k, v in jsonable(dict(leaf.rule)).items() if k != "kind"}
    return {"max_points": str(leaf.max_points), "kind": leaf.kind, **rule}


def diff_frameworks(a: Framework, b: Framework, lang: str = "en") -> list[LeafChange]:
    left = {leaf.id: leaf for leaf in a.leaves}
    right = {leaf.id: leaf for leaf in b.leaves}
    order = [leaf.id for leaf in a.leaves] + [leaf.id for leaf in b.leaves if leaf.id not in left]
    out = []
    for leaf_id in order:
        if leaf_id not in right:
            out.append(LeafChange(leaf_id, "removed", left[leaf_id].title(lang), (), describe(left[leaf_id]), None))
        elif leaf_id not in left:
            out.append(LeafChange(leaf_id, "added", right[leaf_id].title(lang), (), None, describe(right[leaf_id])))
        else:
            da, db = describe(left[leaf_id]), describe(right[leaf_id])
            what = tuple(k for k in sorted(set(da) | set(db)) if da.get(k) != db.get(k))
            if what:
                out.append(LeafChange(leaf_id, "changed", right[leaf_id].title(lang), what, da, db))
    return out
