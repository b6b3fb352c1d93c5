"""Every shipped framework loads, cites its sources, and passes its own leaf cases with full coverage."""
from __future__ import annotations

import pytest

from parscore import api

IDS = api.registry().ids()


@pytest.mark.parametrize("fid", IDS)
def test_leaf_cases_pass_with_full_coverage(fid):
    report = api.run_cases(fid)
    assert not report.failures, [(o.leaf.id, o.case.name, str(o.points), o.status) for o in report.failures]
    assert report.coverage == 1, report.uncovered


@pytest.mark.parametrize("fid", IDS)
def test_every_leaf_cites_a_source_and_has_a_not_applicable_or_missing_case(fid):
    fw = api.load_framework(fid)
    for leaf in fw.leaves:
        assert len(leaf.source["requirement"]) > 3 and len(leaf.source["points"]) > 3, leaf.id
        tags = {c.tag for c in leaf.cases}
        # Where a leaf can be not applicable (a ratio with no records), it must show it; else show missing evidence.
        assert tags & {"not_applicable", "missing"} or leaf.kind == "penalty", (leaf.id, tags)


@pytest.mark.parametrize("fid", IDS)
def test_parents_are_sums_of_children(fid):
    from parscore.criteria.framework import Node
    fw = api.load_framework(fid)
    for node in fw.nodes():
        if isinstance(node, Node):
            assert node.max_points == sum(c.max_points for c in node.children)
    assert fw.total_points == sum(b.max_points for b in fw.blocks if b.role != "adjustment")


def test_frameworks_list_includes_the_reference():
    assert "reference-par-2025" in IDS
