"""One scan a table: counts, record listings and first/last picks answered by one aggregate statement per table,
group metrics sharing a key by one statement, and a computed view materialised only when it is read twice."""
from __future__ import annotations

import dataclasses

from helpers import derived, make_bundle
from parscore import api
from parscore.evidence.bundle import read_bundle
from parscore.evidence.derive import MAX_RECORD_IDS, Run, derive_metrics
from test_derive import dossier


def test_a_listing_keeps_the_first_ids_in_source_order_and_the_count_exact(tmp_path):
    # 260 late dossiers among 400, in an order that is not the ids' order: the listing is the first 200 late ones
    # as the file lists them, the count all 260.
    rows = []
    for i in range(400):
        late = i % 20 < 13
        rows.append(dossier(1000 - i, "2025-03-03 08:00", due="2025-03-10 17:00",
                            finished="2025-03-20 10:00" if late else "2025-03-05 10:00"))
    m = derived(make_bundle(tmp_path, {"dossiers": rows}))["dossier_on_time_rate"]
    late_ids = [r["id"] for r in rows if r["finished_at"].startswith("2025-03-20")]
    assert (m.num, m.den, m.provenance.failing_count) == (140, 400, 260)
    assert m.provenance.failing_records == tuple(late_ids[:MAX_RECORD_IDS])


def _docs(order: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [{"id": i, "type": t, "title": "Văn bản", "issued_on": d} for i, t, d in order]


def test_first_and_last_picks_take_the_first_in_source_order_among_equal_dates(tmp_path):
    docs = [("KH-2", "par_plan", "10/01/2025"), ("KH-1", "par_plan", "10/01/2025"), ("KH-3", "par_plan", "20/01/2025"),
            ("QC-2", "asset_rules", "05/05/2024"), ("QC-1", "asset_rules", "05/05/2024"), ("QC-0", "asset_rules", "01/01/2024")]
    m = derived(make_bundle(tmp_path, {"documents": _docs(docs)}, name="a"))
    assert m["par_plan_issued_on"].provenance.records == ("KH-2",)
    assert m["asset_rules_issued_on"].provenance.records == ("QC-2",)
    m = derived(make_bundle(tmp_path, {"documents": _docs(list(reversed(docs)))}, name="b"))
    assert m["par_plan_issued_on"].provenance.records == ("KH-1",)
    assert m["asset_rules_issued_on"].provenance.records == ("QC-1",)


def test_a_view_read_once_stays_a_view_and_one_read_often_is_materialised():
    read = read_bundle("examples/dao-xa-2025", api.catalogue())
    evidence = read.bundle.evidence
    assert evidence is not None
    metrics = [m for m in api.catalogue().values() if m.derive and m.derive["table"] in evidence.tables]
    run = Run([evidence.tables], read.context, metrics)
    try:
        kinds = dict(run.rows("SELECT table_name, table_type FROM information_schema.tables"))
        assert run.plan.reads()["dossiers"] == 1 and kinds["dossiers__computed"] == "VIEW"
        # The reports' series are statements of their own besides the table's scan.
        assert run.plan.reads()["reports"] > 1 and kinds["reports__computed"] != "VIEW"
        # The eight SIPAS elements group the same respondents: one statement answers all of them.
        sipas = [m for m in run.plan.metrics if m.table == "survey" and m.group is not None]
        assert len(sipas) == 8 and len(run.plan.groups_sql("survey")) == 1
        # Every count, listing and pick of a table is one scan's column, an aggregate shared by two metrics once.
        sql, layout = run.plan.scan_sql("documents")
        assert sql.count(" AS c") == len({i for _, _, at in layout for i in at})
        assert {kind for _, kind, _ in layout} == {"counts", "pick", "records", "documents"}
    finally:
        run.close()


def test_a_pick_whose_record_has_no_id_names_no_record():
    # A frame built in code (a scenario's edited records) may hold a document without an id: the pick keeps its
    # date and names no record, as it did when the engine answered the id itself (not the text "None").
    read = read_bundle("examples/dao-xa-2025", api.catalogue())
    evidence = read.bundle.evidence
    assert evidence is not None
    docs = evidence.tables["documents"].copy()
    docs["id"] = docs["id"].astype(object)
    docs.loc[docs["type"] == "par_plan", "id"] = None
    tables = {t: (docs if t == "documents" else evidence.tables[t]) for t in evidence.tables}
    metric = api.catalogue()["par_plan_issued_on"]
    v = derive_metrics([metric], dataclasses.replace(evidence, tables=tables), read.context)["par_plan_issued_on"]
    assert v.day is not None and v.provenance.records == ()


def test_sipas_groups_count_only_respondents_with_answers_to_the_element_and_list_failing_keys_in_order(tmp_path):
    answers = []
    for r, score in (("Z", 2), ("B", 5), ("M", 1), ("A", 3)):
        answers.append({"respondent": r, "element": "access", "question": "access.1", "answer": score})
    answers.append({"respondent": "Q", "element": "results", "question": "results.1", "answer": 1})
    m = derived(make_bundle(tmp_path, {"survey": answers}))
    assert (m["sipas_access"].num, m["sipas_access"].den) == (1, 4)  # Q answered no access question
    assert m["sipas_access"].provenance.failing_records == ("A", "M", "Z")
    assert (m["sipas_results"].num, m["sipas_results"].den, m["sipas_results"].provenance.failing_records) == (0, 1, ("Q",))
